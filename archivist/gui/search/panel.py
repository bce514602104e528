"""The search panel: box, options, saved searches, facets, timeline and results together."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QHBoxLayout, QHeaderView,
                               QInputDialog, QLabel, QProgressBar, QPushButton, QSplitter,
                               QTableView, QVBoxLayout, QWidget)

from archivist.core.errors import ArchivistError
from archivist.core.query import QUERY_HELP
from archivist.gui.search.facet_panel import FacetPanel
from archivist.gui.search.latest import LatestTask
from archivist.gui.search.results import RecordIdRole, SearchResultsModel
from archivist.gui.search.saved_list import SavedSearchList
from archivist.gui.search.search_box import SearchBox
from archivist.gui.search.timeline import TimelineWidget
from archivist.ops.search import run_search
from archivist.store.search_suggest import name_completions

SORT_LABELS = (("relevance", "Relevance"), ("date", "Date, oldest first"),
               ("-date", "Date, newest first"), ("ref", "Reference code"), ("title", "Title"))
PAGE_SIZE = 200


class SearchPanel(QWidget):
    """Everything needed to search a catalogue, in one widget.

    Args:
        cat: the open catalogue (completions and saved searches use it on the GUI thread; so do
            searches when there is no ``runner``).
        hub: a ``CatalogueHub``; when given, the results and saved searches refresh after changes.
        settings: where recent searches are kept (default ``QSettings()``).
        runner: the window's :class:`~archivist.gui.tasks.TaskRunner`: searches (with their
            facets and timeline counts) then run on its worker thread, newest query wins, and
            the GUI thread never waits for them.

    Signals:
        record_activated(int): the user opened a hit (double-click or Enter).
        searched(object): a search finished (the ``SearchResult``).
        error(object): an expected error to show (``ArchivistError``).
    """

    record_activated = Signal(int)
    searched = Signal(object)
    error = Signal(object)

    def __init__(self, cat, hub=None, parent: QWidget | None = None,
                 settings: QSettings | None = None, runner=None):
        super().__init__(parent)
        self.cat = cat
        self.searches = LatestTask(runner, cat, "Searching", self)
        self.result = None
        self.query = ""
        self.box = SearchBox(self, settings)
        self.sort = QComboBox(self)
        for key, label in SORT_LABELS:
            self.sort.addItem(label, key)
        self.within = QCheckBox("Dates entirely within", self)
        self.within.setToolTip("date: finds records whose dates lie entirely inside the span")
        self.save_button = QPushButton("Save…", self)
        self.help_button = QPushButton("?", self)
        self.help_button.setCheckable(True)
        self.help_button.setToolTip("How to write a query")
        self.help = QLabel(QUERY_HELP, self)
        self.help.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.help.setStyleSheet("QLabel { font-family: monospace; }")
        self.help.hide()
        self.help_button.toggled.connect(self.help.setVisible)
        self.status = QLabel(self)
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)  # indeterminate: a search is running
        self.busy.setTextVisible(False)
        self.busy.setMaximumSize(120, 12)
        self.busy.setToolTip("Searching…")
        self.busy.hide()
        self.saved = SavedSearchList(cat, self)
        self.facets = FacetPanel(self)
        self.timeline = TimelineWidget(self)
        self.model = SearchResultsModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        for col, width in ((0, 170), (1, 300), (2, 150)):
            self.table.setColumnWidth(col, width)
        self._layout()
        self.box.query_submitted.connect(self._on_submitted)
        self.box.query_typed.connect(self._on_typed)
        self.searches.busy_changed.connect(self.busy.setVisible)
        self.searches.cancelled.connect(lambda: self.status.setText("Search cancelled"))
        self.box.query_failed.connect(lambda exc: self.status.setText(exc.message))
        self.sort.currentIndexChanged.connect(lambda _i: self.run())
        self.within.toggled.connect(lambda _on: self.run())
        self.facets.selection_changed.connect(lambda _sel: self.run())
        self.timeline.span_selected.connect(lambda _a, _b: self.run())
        self.timeline.span_cleared.connect(self.run)
        self.saved.search_activated.connect(self.set_query)
        self.saved.model().rowsInserted.connect(self._fit_saved)
        self.saved.model().rowsRemoved.connect(self._fit_saved)
        self._fit_saved()
        self.saved.error.connect(self.error)
        self.save_button.clicked.connect(self._ask_save)
        self.table.activated.connect(self._on_activated)
        self.table.doubleClicked.connect(self._on_activated)
        if hub is not None:
            hub.changed.connect(self._on_changed)
        self.refresh_completions()

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.box, 1)
        top.addWidget(self.sort)
        top.addWidget(self.within)
        top.addWidget(self.save_button)
        top.addWidget(self.help_button)
        side = QSplitter(Qt.Orientation.Vertical, self)
        side.addWidget(self.saved)
        side.addWidget(self.facets)
        side.setStretchFactor(1, 3)
        right = QWidget(self)
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.timeline)
        status = QHBoxLayout()
        status.addWidget(self.status, 1)
        status.addWidget(self.busy)
        rl.addLayout(status)
        rl.addWidget(self.table, 1)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(side)
        split.addWidget(right)
        split.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.help)
        layout.addWidget(split, 1)

    # running ---------------------------------------------------------------------------
    def set_query(self, query: str) -> None:
        """Put ``query`` in the box and run it (facet ticks and year span are cleared)."""
        self.box.setText(query)
        self.box.submit()

    def _on_typed(self, query: str) -> None:
        if query != self.query:
            self._on_submitted(query)

    def _on_submitted(self, query: str) -> None:
        self.query = query
        self.facets.clear_selection()
        self.timeline.span = None
        self.run()

    def selected(self) -> dict[str, list[str]]:
        """Ticked facet values plus the timeline's span of years."""
        selected = self.facets.selected()
        if self.timeline.span:
            first, last = self.timeline.span
            selected["year"] = [str(y) for y in range(first, last + 1)]
        return selected

    def run(self) -> None:
        """Search the current query with the current facets, span, sort and date option.

        With a runner the search runs in the background and :attr:`searched` is emitted when
        its result is shown; a newer ``run`` supersedes one still running.
        """
        query = self.query or None
        options = dict(limit=PAGE_SIZE, facets=True, selected=self.selected(),
                       sort=self.sort.currentData(), within=self.within.isChecked())
        self.searches.submit(lambda cat, _progress, _cancelled: run_search(cat, query, **options),
                             self._show_result, self._show_failure)

    def is_busy(self) -> bool:
        """Whether a search is running or waiting."""
        return self.searches.is_busy()

    def _show_failure(self, exc: BaseException) -> None:
        if isinstance(exc, ArchivistError):
            self.status.setText(exc.message)
        else:
            self.status.setText("The search failed")
        self.error.emit(exc)

    def _show_result(self, result) -> None:
        self.result = result
        self.model.set_hits(result.hits)
        self.facets.set_facets(result.facets, result.facets_exact)
        if not self.timeline.span:
            years = {int(v.value): v.count for v in (result.facets or {}).get("year", [])}
            self.timeline.set_counts(years)
        more = "" if result.total_exact else "+"
        about = (f" (about {_round(result.total_estimate):,})"
                 if getattr(result, "total_estimate", None) else "")
        shown = f", showing {len(result.hits):,}" if len(result.hits) < result.total else ""
        self.status.setText(f"{result.total:,}{more} record{'s' if result.total != 1 else ''}"
                            f"{about} found{shown} ({result.elapsed_ms:.0f} ms)")
        self.searched.emit(result)

    def closeEvent(self, event) -> None:
        """Stop searching: results arriving later are dropped."""
        self.searches.stop()
        self.box.typing_timer.stop()
        super().closeEvent(event)

    # other -----------------------------------------------------------------------------
    def refresh_completions(self) -> None:
        """Offer authority names and saved queries in the box's completer."""
        words = name_completions(self.cat)
        words += [self.saved.item(i).toolTip() for i in range(self.saved.count())]
        self.box.set_completions(words)

    def _fit_saved(self, *_args) -> None:
        # No saved searches: the facets get the whole side instead of an empty list.
        self.saved.setHidden(self.saved.count() == 0)

    def _ask_save(self) -> None:
        if not self.query:
            self.status.setText("type a query first, then save it")
            return
        name, ok = QInputDialog.getText(self, "Save search", "Name:", text=self.query)
        if ok:
            self.save_current(name)

    def save_current(self, name: str) -> bool:
        """Save the current query under ``name``."""
        saved = self.saved.save(name, self.query)
        if saved:
            self.refresh_completions()
        return saved

    def _on_activated(self, index) -> None:
        rid = self.model.data(index, RecordIdRole)
        if rid is not None:
            self.record_activated.emit(rid)

    def _on_changed(self, changes) -> None:
        if getattr(changes, "settings", False):
            self.saved.reload()
        if changes.records or changes.structure or changes.authorities:
            if self.result is not None or self.is_busy():
                self.run()
            if changes.authorities:
                self.refresh_completions()


def _round(n: int) -> int:
    """An estimate to two significant figures (157,312 → 160,000)."""
    digits = len(str(abs(int(n))))
    return int(round(n, -(digits - 2))) if digits > 2 else int(n)
