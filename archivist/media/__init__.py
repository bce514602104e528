"""Archivist media layer."""
