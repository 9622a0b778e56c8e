"""Ingest: read partner records from CSV/XLSX, clean and validate them, load them into a store."""
