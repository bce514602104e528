"""The search box: a line edit with recent searches, completion and positioned errors."""

from __future__ import annotations

from PySide6.QtCore import QSettings, QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from archivist.core.errors import InvalidQuery
from archivist.core.query import FIELDS, parse_query

MAX_RECENT = 15
TYPING_PAUSE_MS = 200
_RECENT_KEY = "search/recent"
_FIELD_WORDS = [f + ":" for f in FIELDS]


class SearchBox(QLineEdit):
    """Where the user types a query.

    Completion offers recent searches, field names (``title:`` ...) and the extra words given
    with :meth:`set_completions` (authority names, saved searches). Return parses the query: a
    valid one is emitted and remembered, a malformed one is shown (red frame, message in the
    tooltip, cursor at the problem) and :attr:`error` holds it. A pause of
    :data:`TYPING_PAUSE_MS` in typing emits a valid query as :attr:`query_typed` (not remembered,
    a malformed one is left alone until Return: the user may be mid-phrase).

    Signals:
        query_submitted(str): a valid query was entered.
        query_typed(str): the user paused typing and the text is a valid query.
        query_failed(object): the query was malformed (the :class:`InvalidQuery`).
    """

    query_submitted = Signal(str)
    query_typed = Signal(str)
    query_failed = Signal(object)

    def __init__(self, parent: QWidget | None = None, settings: QSettings | None = None):
        super().__init__(parent)
        self._settings = settings or QSettings()
        self.error: InvalidQuery | None = None
        self._extra: list[str] = []
        self.setPlaceholderText("Search: words, \"phrases\", person:…, type:letter, date:1993..1994")
        self.setClearButtonEnabled(True)
        self._model = QStringListModel(self)
        completer = QCompleter(self._model, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCompleter(completer)
        self._refresh_completions()
        self.typing_timer = QTimer(self, singleShot=True, interval=TYPING_PAUSE_MS)
        self.typing_timer.timeout.connect(self._typed)
        self.returnPressed.connect(self.submit)
        self.textEdited.connect(self._clear_error)
        self.textEdited.connect(lambda _text: self.typing_timer.start())

    # recent searches ----------------------------------------------------------------
    def recent(self) -> list[str]:
        """Recent valid queries, newest first."""
        value = self._settings.value(_RECENT_KEY, [])
        if isinstance(value, str):
            value = [value]
        return list(value or [])

    def _remember(self, query: str) -> None:
        items = [query] + [q for q in self.recent() if q != query]
        self._settings.setValue(_RECENT_KEY, items[:MAX_RECENT])
        self._refresh_completions()

    def set_completions(self, words: list[str]) -> None:
        """Extra completions (authority names, saved search queries)."""
        self._extra = list(dict.fromkeys(words))
        self._refresh_completions()

    def completions(self) -> list[str]:
        """Everything the completer offers, in order."""
        return self._model.stringList()

    def _refresh_completions(self) -> None:
        self._model.setStringList(list(dict.fromkeys(self.recent() + _FIELD_WORDS + self._extra)))

    # submitting ------------------------------------------------------------------------
    def submit(self) -> bool:
        """Parse the text; emit it when valid, else show the error. Returns whether it was valid."""
        self.typing_timer.stop()
        text = self.text().strip()
        if not text:
            self._clear_error()
            self.query_submitted.emit("")
            return True
        try:
            parse_query(text)
        except InvalidQuery as exc:
            self._show_error(exc)
            return False
        self._clear_error()
        self._remember(text)
        self.query_submitted.emit(text)
        return True

    def _typed(self) -> None:
        text = self.text().strip()
        if text:
            try:
                parse_query(text)
            except InvalidQuery:
                return
        self.query_typed.emit(text)

    def _show_error(self, exc: InvalidQuery) -> None:
        self.error = exc
        self.setStyleSheet("QLineEdit { border: 2px solid #c0392b; }")
        self.setToolTip(exc.message)
        if exc.position is not None:
            self.setCursorPosition(min(exc.position, len(self.text())))
        self.query_failed.emit(exc)

    def _clear_error(self, *_args) -> None:
        if self.error is not None:
            self.error = None
            self.setStyleSheet("")
            self.setToolTip("")
