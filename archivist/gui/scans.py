"""Adding scans from the main window: File → Add scans…, drag and drop, Tools → Verify files.

Files chosen in a dialog or dropped from the file manager (files and folders) go to a record:

* one file onto an item: the file's pages are added to the item, no question asked;
* one file onto a unit (fonds, series, file …): it becomes one new item in the unit (both
  answers to the question below would give the same, so it is not asked);
* several files (or a folder): the user chooses between "all files as the pages of one item"
  (the item itself, or a new item in the unit) and "one new item per file" in the unit.

The ingest then runs in :class:`~archivist.gui.viewer.IngestProgressDialog` (counts, ETA, Cancel,
and a summary naming refused files). Tests replace :func:`ask_how` and :func:`choose_files`,
so no modal dialog opens.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from natsort import natsorted, ns
from PySide6.QtCore import QEvent, QMimeData, QObject, QTimer, QUrl
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QButtonGroup, QDialog, QDialogButtonBox, QFileDialog, QLabel,
                               QRadioButton, QVBoxLayout, QWidget)

from archivist.core.errors import ArchivistError, InvalidValue
from archivist.core.levels import LEVEL_LABELS
from archivist.core.model import Record
from archivist.gui import undo
from archivist.gui.undo_scans import IngestCommand
from archivist.gui.viewer import IngestProgressDialog, VerifyDialog
from archivist.ops.ingest import IngestReport, collect_files
from archivist.store import records

if TYPE_CHECKING:
    from archivist.gui.main_window import MainWindow

log = logging.getLogger("archivist.gui")

#: The two ways of adding several files.
PAGES, ITEMS = "pages", "items"

#: Where the file dialog opens next time (QSettings key).
LAST_DIR_KEY = "scans/last_folder"

#: What the file dialog offers.
FILE_FILTER = ("Scans (*.jpg *.jpeg *.png *.tif *.tiff *.webp *.gif *.bmp *.pdf "
               "*.JPG *.JPEG *.PNG *.TIF *.TIFF *.WEBP *.GIF *.BMP *.PDF);;All files (*)")


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class AddScansChoice(QDialog):
    """Ask how several files (or files dropped on a unit) become records.

    Args:
        target: the record the files go to (an item or a unit).
        count: how many files were chosen.
        parent: the parent widget.
    """

    def __init__(self, target: Record, count: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Add scans")
        is_item = target.level == "item"
        files = f"{count} file{'s' if count != 1 else ''}"
        where = (f"the item “{_short(target.title)}”" if is_item
                 else f"the {LEVEL_LABELS[target.level].lower()} “{_short(target.title)}”")
        question = QLabel(f"How should {files} be added to {where}?")
        question.setWordWrap(True)
        self.pages = QRadioButton(
            "All files as the pages of this item, in file-name order" if is_item
            else "All files as the pages of one new item in this "
                 f"{LEVEL_LABELS[target.level].lower()}")
        self.items = QRadioButton("One new item per file, titled with the file's name"
                                  + (" (next to this item)" if is_item else ""))
        self.group = QButtonGroup(self)
        self.group.addButton(self.pages)
        self.group.addButton(self.items)
        if is_item and target.parent_id is None:
            self.items.setEnabled(False)  # a top-level item has no unit to hold new items
        (self.pages if is_item or count == 1 else self.items).setChecked(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add scans")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addSpacing(6)
        layout.addWidget(self.pages)
        layout.addWidget(self.items)
        layout.addSpacing(6)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def choice(self) -> str:
        """:data:`PAGES` or :data:`ITEMS`, as the user left it."""
        return PAGES if self.pages.isChecked() else ITEMS


def ask_how(parent: QWidget, target: Record, count: int) -> str | None:
    """Ask the user (modal); :data:`PAGES`, :data:`ITEMS`, or None when cancelled."""
    dialog = AddScansChoice(target, count, parent)
    return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None


def choose_files(parent: QWidget, start: str = "") -> list[str]:
    """The file dialog of File → Add scans… (several files; images and PDF), opened at ``start``."""
    names, _ = QFileDialog.getOpenFileNames(parent, "Add scans", start, FILE_FILTER)
    return names


def needs_choice(target: Record, count: int) -> bool:
    """Whether to ask: several files are to be added (one file: its pages, or its own item)."""
    return count > 1


def default_way(target: Record) -> str:
    """How one file is added without asking: as pages of an item, as a new item in a unit."""
    return PAGES if target.level == "item" else ITEMS


def paths_from_mime(mime) -> list[Path]:
    """Local files and folders carried by drag-and-drop data (other URLs are left out)."""
    if mime is None or not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


class ScanIngest(QObject):
    """File → Add scans…, Tools → Verify files, and file drops of one main window.

    Installed by :func:`install` as ``win.scans``.

    Attributes:
        dialog: the last ingest or verify dialog opened (tests read it).
    """

    def __init__(self, win: "MainWindow"):
        super().__init__(win)
        self.win = win
        self.dialog: QDialog | None = None
        self._watched: dict[QObject, str] = {}
        self._hover: int | None = None  # the record under a drag, last time it moved

    # targets ---------------------------------------------------------------------------
    def current_target(self) -> int | None:
        """The record Add scans… adds to: the record in the viewer, else the selection, else the unit."""
        win = self.win
        if win.mode == "scans" and win.viewer is not None and win.viewer.record_id is not None:
            return win.viewer.record_id
        ids = win.selected_ids()
        if ids:
            return ids[-1]
        return win.form.record_id if win.form.record_id is not None else win.current_unit

    # the actions -----------------------------------------------------------------------
    def add_scans(self) -> IngestProgressDialog | None:
        """File → Add scans…: choose files, then add them to the current record or unit."""
        target = self.current_target()
        if target is None:
            self.win.report(InvalidValue("select a record or a unit first: the scans are added to it"))
            return None
        q = self.win.settings.q
        names = choose_files(self.win, str(q.value(LAST_DIR_KEY, "") or ""))
        if not names:
            return None
        q.setValue(LAST_DIR_KEY, str(Path(names[0]).parent))
        return self.add([Path(n) for n in names], target)

    def verify(self) -> VerifyDialog:
        """Tools → Verify files: re-hash every stored original in the background."""
        dialog = VerifyDialog(self.win.runner, parent=self.win)
        dialog.verified.connect(lambda report: self.win.statusBar().showMessage(report.summary(), 8000))
        self.dialog = dialog
        dialog.start()
        return dialog

    def add(self, paths: list[Path], target_id: int) -> IngestProgressDialog | None:
        """Add files and folders to a record or unit, asking how when there is a choice.

        Args:
            paths: files and folders, taken in natural order of their names (folders are walked,
                in natural order).
            target_id: the record they were chosen for or dropped on.

        Returns:
            The running progress dialog, or None when the user cancelled or it was refused.
        """
        win = self.win
        # Files chosen or dropped together come in file-name order (page2 before page10).
        paths = natsorted((Path(p) for p in paths), key=lambda p: p.name, alg=ns.PATH | ns.IGNORECASE)
        try:
            target = records.get_record(win.cat, target_id)
            files = collect_files(paths)
        except ArchivistError as exc:
            win.report(exc)
            return None
        if not files:
            win.report(InvalidValue("there are no files to add in what was chosen"))
            return None
        how = default_way(target)
        if needs_choice(target, len(files)):
            how = ask_how(win, target, len(files))
            if how is None:
                return None
        if how == ITEMS:
            parent = target.parent_id if target.level == "item" else target.id
            if parent is None:
                win.report(InvalidValue("a top-level item has no unit to hold new items"))
                return None
            options = {"parent_id": parent, "level": "item"}
        elif target.level == "item":
            options = {"record_id": target.id}
        else:
            record_id = self._new_item(target, paths)
            if record_id is None:
                return None
            return self._run(paths, {"record_id": record_id}, made=record_id)
        return self._run(paths, options)

    def _new_item(self, unit: Record, paths: list[Path]) -> int | None:
        """A new item in ``unit`` for all the files' pages, titled after the first path (undone
        together with the ingest: see :meth:`_ingested`)."""
        first = Path(paths[0])
        title = first.name if first.is_dir() else first.stem
        try:
            return records.create_record(self.win.cat, title=title or "Scans", level="item",
                                         parent_id=unit.id, type="other")
        except ArchivistError as exc:
            self.win.report(exc)
            return None

    def _run(self, paths: list[Path], options: dict, made: int | None = None) -> IngestProgressDialog:
        dialog = IngestProgressDialog(self.win.runner, paths, parent=self.win, **options)
        dialog.ingested.connect(lambda report: self._ingested(report, options, made))
        if made is not None:  # an ingest that fails as a whole still leaves the new item undoable
            dialog.failed.connect(lambda _exc: self._ingested(IngestReport(), options, made))
        self.dialog = dialog
        dialog.start()
        return dialog

    def _ingested(self, report: IngestReport, options: dict, made: int | None = None) -> None:
        """The ingest is done: one Edit → Undo step takes its pages (and the new item) away."""
        self.win.statusBar().showMessage(f"Scans added: {report.summary()}", 10000)
        if report.page_count or report.created_records or made is not None:
            command = IngestCommand(self.win.cat, report, made=[made] if made is not None else [])
            undo.push_done(self.win.stack, command, self.win.report)
        record_id = options.get("record_id")
        if record_id is not None and report.ingested:
            viewer = self.win.viewer
            if viewer is not None and viewer.record_id == record_id:
                viewer.reload()

    # drag and drop ---------------------------------------------------------------------
    def watch(self, widget: QWidget, kind: str) -> None:
        """Take file drops on ``widget`` (``"tree"``, ``"table"``, ``"grid"`` or ``"viewer"``)."""
        widget.setAcceptDrops(True)
        widget.installEventFilter(self)
        self._watched[widget] = kind

    def drop_target(self, kind: str, pos) -> int | None:
        """The record under a drop at ``pos`` (viewport coordinates) of the tree, table, grid or
        viewer (for the table and grid: the unit shown when the drop is not on a row)."""
        win = self.win
        if kind == "viewer":
            return win.viewer.record_id if win.viewer is not None else None
        if kind == "tree":
            index = win.tree.indexAt(pos)
            return index.data(win.tree_model.RecordIdRole) if index.isValid() else None
        index = (win.grid if kind == "grid" else win.table).indexAt(pos)
        if index.isValid():
            return win.table_model.record_id(index.row())
        return win.current_unit

    def _title(self, record_id: int) -> str:
        try:
            return records.get_record(self.win.cat, record_id).title
        except ArchivistError:
            return "?"

    def drop(self, mime, target_id: int | None) -> IngestProgressDialog | None:
        """Add the files of drag-and-drop data to a record (see :meth:`add`)."""
        paths = paths_from_mime(mime)
        if not paths or target_id is None:
            return None
        return self.add(paths, target_id)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = self._watched.get(obj)
        if kind is None:
            return False
        etype = event.type()
        if etype not in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop):
            return False
        if not paths_from_mime(event.mimeData()):
            return False  # not files: the view's own drag and drop (moving records)
        pos = event.position().toPoint()
        target = self.drop_target(kind, pos)
        if etype == QEvent.Type.Drop:
            if target is None:
                event.ignore()
                return True
            event.acceptProposedAction()
            mime = _copy_urls(event.mimeData())
            # Run after the drop returns: the file manager is not held while the user chooses.
            QTimer.singleShot(0, self, lambda: self.drop(mime, target))
            return True
        if target is None:
            event.ignore()
            self.win.statusBar().clearMessage()
        else:
            event.acceptProposedAction()
            if etype == QEvent.Type.DragEnter or target != self._hover:
                self._hover = target
                self.win.statusBar().showMessage(
                    f"Drop to add the scans to “{_short(self._title(target))}”", 3000)
        return True


def _copy_urls(mime):
    """Drag-and-drop data outlives the drop only as a copy."""
    copy = QMimeData()
    copy.setUrls([QUrl(u) for u in mime.urls()])
    return copy


def install(win: "MainWindow") -> ScanIngest:
    """Add File → Add scans… (Ctrl+Shift+A), Tools → Verify files, and file drops.

    Files are taken when dropped on a unit in the tree, a record in the table, or the scans view.
    """
    scans = ScanIngest(win)
    win.scans = scans
    add = QAction("Add &scans…", win)
    add.setShortcut(QKeySequence("Ctrl+Shift+A"))
    add.setStatusTip("Add image or PDF files as pages of the selected record, or as new items")
    add.triggered.connect(lambda _checked=False: scans.add_scans())
    win.addAction(add)
    win.actions.file_menu.addAction(add)
    win.actions.file_menu.addSeparator()
    tools = win.menuBar().addMenu("&Tools")
    verify = QAction("&Verify files", win)
    verify.setStatusTip("Re-read every stored scan and check its SHA-256")
    verify.triggered.connect(lambda _checked=False: scans.verify())
    tools.addAction(verify)
    win.actions.add_scans, win.actions.verify, win.actions.tools_menu = add, verify, tools
    scans.watch(win.tree.viewport(), "tree")
    scans.watch(win.table.viewport(), "table")
    scans.watch(win.grid.viewport(), "grid")
    for view in (win.tree, win.table, win.grid):  # their right-click menus
        view.addAction(add)
    if win.viewer is not None:
        scans.watch(win.viewer, "viewer")
        for child in (win.viewer.view, win.viewer.view.viewport(), win.viewer.strip.viewport()):
            scans.watch(child, "viewer")
    return scans
