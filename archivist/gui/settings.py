"""Typed access to the user's GUI preferences in QSettings (set org/app names first)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

MAX_RECENT = 8
DEFAULT_COLUMNS = ["reference_code", "title", "type", "date", "level", "language", "pages", "status"]


class Settings:
    """The preferences Archivist keeps between runs.

    Args:
        qsettings: the store to use; a default ``QSettings()`` when omitted.
    """

    def __init__(self, qsettings: QSettings | None = None):
        self.q = qsettings or QSettings()

    # catalogues -----------------------------------------------------------------
    def recent(self) -> list[Path]:
        """Recently opened catalogues, newest first."""
        value = self.q.value("catalogues/recent", [])
        if isinstance(value, str):
            value = [value]
        return [Path(v) for v in (value or [])]

    def add_recent(self, path: Path) -> None:
        """Put ``path`` first in the recent list and make it the last catalogue."""
        path = Path(path).resolve()
        items = [p for p in self.recent() if p != path]
        self.q.setValue("catalogues/recent", [str(p) for p in [path, *items][:MAX_RECENT]])
        self.q.setValue("catalogues/last", str(path))

    def last_catalogue(self) -> Path | None:
        """The catalogue open when Archivist last closed."""
        value = self.q.value("catalogues/last")
        return Path(value) if value else None

    # window ---------------------------------------------------------------------
    def columns(self) -> list[str]:
        """Keys of the record table's visible columns, in order."""
        value = self.q.value("table/columns")
        if isinstance(value, str):
            value = [value]
        return list(value) if value else list(DEFAULT_COLUMNS)

    def set_columns(self, keys: list[str]) -> None:
        """Remember the record table's columns."""
        self.q.setValue("table/columns", list(keys))

    def window_state(self) -> tuple[QByteArray | None, QByteArray | None]:
        """Saved main-window geometry and dock state."""
        return self.q.value("window/geometry"), self.q.value("window/state")

    def set_window_state(self, geometry: QByteArray, state: QByteArray) -> None:
        """Save main-window geometry and dock state."""
        self.q.setValue("window/geometry", geometry)
        self.q.setValue("window/state", state)

    def splitter_sizes(self, name: str) -> list[int] | None:
        """Saved widths of the main window's columns in a layout (``"browse"`` or ``"scans"``)."""
        value = self.q.value(f"window/splitter/{name}")
        if isinstance(value, str):
            value = [value]
        try:
            sizes = [int(v) for v in value] if value else None
        except (TypeError, ValueError):
            return None
        return sizes if sizes and len(sizes) == 3 else None

    def set_splitter_sizes(self, name: str, sizes: list[int]) -> None:
        """Remember the widths of the main window's columns in a layout."""
        self.q.setValue(f"window/splitter/{name}", [int(v) for v in sizes])

    def sync(self) -> None:
        """Write to disk now."""
        self.q.sync()
