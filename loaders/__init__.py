"""Loaders: one module per outside metadata format, each turning a source into DCAT graphs.

Every loader yields `Page`s (base.py); the harvester (harvest.py) runs sources page by page
and hands each page to the catalog core, which splits, validates and stores the records.
"""
