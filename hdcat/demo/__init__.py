"""The hdcat demo catalog (demo-catalog.ttl) and the script that renders it."""
