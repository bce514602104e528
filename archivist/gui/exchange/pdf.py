"""The printable finding aid as PDF, through Qt's text layout and PDF writer.

Used by the export dialog and by ``archivist export --format pdf``; the CLI imports this module
only for PDF, so every other export runs without Qt.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def _ensure_app():
    """A QGuiApplication for fonts and layout (offscreen when there is no display)."""
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance()
    if app is None:
        if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY")
                                                     or os.environ.get("WAYLAND_DISPLAY")):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QGuiApplication([sys.argv[0] if sys.argv else "archivist"])
    return app


def html_to_pdf(html: str, out: str | os.PathLike, *, title: str = "Finding aid") -> Path:
    """Lay out ``html`` on A4 pages and write it as a PDF file.

    Args:
        html: the document (e.g. from ``write_finding_aid_html``).
        out: the PDF file to write (replaced when complete).
        title: the PDF's title metadata.

    Returns:
        The path written.
    """
    _ensure_app()
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

    out = Path(out)
    tmp = out.with_name(f".{out.name}.part")
    writer = QPdfWriter(str(tmp))
    writer.setTitle(title)
    writer.setCreator("Archivist")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait,
                                     QMarginsF(20, 20, 20, 20), QPageLayout.Unit.Millimeter))
    doc = QTextDocument()
    doc.setHtml(html)
    doc.print_(writer)
    del writer  # finishes the file
    os.replace(tmp, out)
    return out
