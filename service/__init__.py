"""The hdcat web service: catalog pages, linked data and the SPARQL endpoint (Flask)."""
