"""The scan viewer: :class:`ViewerPanel` shows a record's pages with regions and texts."""

from archivist.gui.viewer.panel import ViewerPanel

__all__ = ["ViewerPanel"]
