"""Widgets of the main window (each takes its dependencies in the constructor)."""
