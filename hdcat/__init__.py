"""hdcat: a linked-data catalog for health and medical scientific data."""
