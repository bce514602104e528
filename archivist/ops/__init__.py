"""Archivist ops layer."""
