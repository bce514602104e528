"""Archivist: offline cataloguing of archival evidence."""

__version__ = "0.1.0"
