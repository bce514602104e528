"""Where Archivist's own files and the user's folders are."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "Archivist"


def resources() -> Path:
    """The folder of plain-file resources (templates, icons, style sheets)."""
    return Path(__file__).resolve().parent.parent.parent / "resources"


def sample_archive() -> Path:
    """The demo collection shipped with the source."""
    return Path(__file__).resolve().parent.parent.parent / "sample_archive"


def user_data() -> Path:
    """The user's data folder for Archivist (default and demo catalogues live here)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def user_config() -> Path:
    """The user's config folder for Archivist (settings, recent catalogues for the CLI)."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
