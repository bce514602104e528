"""Archivist gui layer."""
