"""Archivist core layer."""
