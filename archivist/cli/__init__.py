"""Archivist cli layer."""
