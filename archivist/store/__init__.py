"""Archivist store layer."""
