"""Scans in the GUI: :class:`ViewerPanel` (a record's pages with regions and texts),
:class:`IngestProgressDialog` (File → Add scans…) and :class:`VerifyDialog` (Tools → Verify files)."""

from archivist.gui.viewer.ingest_progress import IngestProgressDialog
from archivist.gui.viewer.panel import ViewerPanel
from archivist.gui.viewer.verify_dialog import VerifyDialog

__all__ = ["IngestProgressDialog", "VerifyDialog", "ViewerPanel"]
