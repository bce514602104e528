"""``python -m archivist``."""

from archivist.cli.main import entry

entry()
