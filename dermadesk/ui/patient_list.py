"""Patient list: a model holding only ids, fetching rows lazily in pages; instant search box."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRunnable,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QListView, QStyle, QVBoxLayout, QWidget

from dermadesk.domain.records import Patient
from dermadesk.domain.search_hint import none_found
from dermadesk.services import register_ops as ops
from dermadesk.storage.register import Register
from dermadesk.storage.search import none_found_read_only, search_read_only
from dermadesk.domain.dates import human_date

PAGE = 200
MIN_WIDTH = 190  # the least, whatever the font; ``row_width`` widens it to a whole typical row
# an MRN and a birth date, whole at 150 % on 1280x720 ("born 12 Apr 1968" cut the year to "1…", and a wider list
# leaves the panes no room): "b." and the date as the app writes dates ("b. 12 Apr 1968", was "b. 1968-04-12"),
# May the widest month; the tooltip says "born" in full
TYPICAL_ROW = "DEMO-0001  b. 28 May 1968"
Index = QModelIndex | QPersistentModelIndex


class PatientListModel(QAbstractListModel):
    """Rows are patient ids from the search; names are fetched a page at a time when first shown."""

    def __init__(self, register: Register, parent: Any = None) -> None:
        super().__init__(parent)
        self.register = register
        self.ids: list[int] = []
        self.cache: dict[int, Patient] = {}
        self.query = ""
        self.none_found_line: str | None = None
        self.include_deleted = False

    def set_query(self, text: str) -> None:
        """Search now, on the calling thread (after edits; typing searches in the background)."""
        self.set_ids(text, ops.search_patient_ids(self.register, text, include_deleted=self.include_deleted))

    def set_ids(self, text: str, ids: list[int], none_found_line: str | None = None) -> None:
        """The search's result; ``none_found_line``: what the count line says when it found nobody (None: the view
        works it out)."""
        self.beginResetModel()
        self.query = text
        self.ids = ids
        self.none_found_line = none_found_line
        self.cache.clear()
        self.endResetModel()

    def refresh(self) -> None:
        self.set_query(self.query)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.ids)

    def patient(self, row: int) -> Patient | None:
        if not 0 <= row < len(self.ids):
            return None
        pid = self.ids[row]
        if pid not in self.cache:
            start = (row // PAGE) * PAGE
            for p in ops.patients_by_ids(self.register, self.ids[start : start + PAGE]):
                self.cache[p.id] = p
        return self.cache.get(pid)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        p = self.patient(index.row())
        if p is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            born = f"b. {human_date(p.birth_date)}" if p.birth_date else ""
            return f"{p.name}\n{p.mrn}  {born}" + ("   (deleted)" if p.deleted_at else "")
        if role == Qt.ItemDataRole.UserRole:
            return p.id
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):  # whole, "born" said
            born = f", born {human_date(p.birth_date)}" if p.birth_date else ""
            return f"{p.name}, MRN {p.mrn}{born}" + (" (deleted)" if p.deleted_at else "")
        return None

    def row_of(self, patient_id: int) -> int:
        try:
            return self.ids.index(patient_id)
        except ValueError:
            return -1


class _SearchSignals(QObject):
    done = Signal(int, str, list, str)


class SearchTask(QRunnable):
    """One search on its own read-only connection, so the GUI thread's page fetches never wait for it."""

    def __init__(self, db_path: Path, generation: int, text: str, include_deleted: bool) -> None:
        super().__init__()
        self.db_path, self.generation, self.text, self.include_deleted = db_path, generation, text, include_deleted
        self.signals = _SearchSignals()

    def run(self) -> None:
        ids = search_read_only(self.db_path, self.text, self.include_deleted)
        line = "" if ids else none_found_read_only(self.db_path, self.text, self.include_deleted)
        self.signals.done.emit(self.generation, self.text, ids, line)


class PatientListView(QWidget):
    """Search box over the list; emits ``patient_selected(id)``; typing waits 120 ms before searching."""

    patient_selected = Signal(int)

    def __init__(self, register: Register, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = PatientListModel(register, self)
        self._putting_back = False  # a refused save's patient chosen again: not a new choice
        self.search = QLineEdit(placeholderText="Search name or MRN (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setToolTip(
            "The beginning of a name or MRN, or a birth date (1961-03-12, 12.03.1961, 12.03.61, 120361, 12 Mar 1961),\n"
            "a year (1961) or a birthday of any year (12 Mar, 12.03.); several words narrow it down; accents,\n"
            "capitals and punctuation need not be typed (obrien: O'Brien; muller or mueller: Müller; strasse: Straße;\n"
            "jorgensen: Jørgensen); Latin letters find Cyrillic and Greek names and the other way round\n"
            "(petrov: Петров), also as often spelt (julia, yulia: Юлия; Petroff: Петров)"
        )
        self.search.setAccessibleName("Patient search")
        self.count = QLabel(wordWrap=True)
        self.list = QListView()
        self.list.setModel(self.model)
        self.list.setUniformItemSizes(True)  # constant-time layout for 100,000 rows
        self.list.setAlternatingRowColors(True)
        # a long name is elided (its whole text in the row's tooltip), never scrolled sideways in a narrow list
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setMinimumWidth(max(MIN_WIDTH, self.row_width(TYPICAL_ROW)))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for w in (self.search, self.list, self.count):
            layout.addWidget(w)
        self.timer = QTimer(self, singleShot=True, interval=120)
        self.timer.timeout.connect(self.apply_search)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.generation = 0
        self._tasks: list[SearchTask] = []
        self.search.textChanged.connect(lambda _: self.timer.start())
        self.search.returnPressed.connect(self.open_first)
        self.search.installEventFilter(self)  # Down: into the list; Escape: the search cleared
        self.shown_id: int | None = None  # the patient the window shows (``showing``), maybe not in this search
        self.list.selectionModel().currentChanged.connect(self._current_changed)
        self.model.modelReset.connect(self._update_count)
        self.model.set_query("")

    def apply_search(self) -> None:
        """Start a background search for the box's text; only the newest search's result is shown."""
        self.generation += 1
        task = SearchTask(
            self.model.register.database.path, self.generation, self.search.text(), self.model.include_deleted
        )
        task.setAutoDelete(False)
        task.signals.done.connect(self._search_done)
        self._tasks.append(task)
        self.pool.start(task)

    def _search_done(self, generation: int, text: str, ids: list, none_found_line: str) -> None:
        self._tasks = [t for t in self._tasks if t.generation > generation]
        if generation == self.generation:
            self.model.set_ids(text, ids, none_found_line or None)

    def open_first(self) -> None:
        """Enter in the search box: the search made at once, its first patient opened and the list focused."""
        if self.timer.isActive() or self.model.query != self.search.text():
            self.timer.stop()
            self.generation += 1  # a background search still running is not shown over this one
            self.model.set_query(self.search.text())
        if self.model.rowCount():
            self.list.setCurrentIndex(self.model.index(0))
            self.list.setFocus()

    def row_width(self, text: str) -> int:
        """The list's width that shows ``text`` whole in a row: the text, the item's margins on either side, the
        frame and room for the vertical scroll bar that a long list shows."""
        style = self.list.style()
        margin = (style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self.list) + 1) * 2
        scroll_bar = style.pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self.list)
        text_width = self.list.fontMetrics().horizontalAdvance(text)
        return text_width + margin + 2 * self.list.frameWidth() + scroll_bar + 2

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if watched is self.search and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() == Qt.Key.Key_Down and self.model.rowCount():
                if not self.list.currentIndex().isValid():
                    self.list.setCurrentIndex(self.model.index(0))
                self.list.setFocus()
                return True
            if event.key() == Qt.Key.Key_Escape and self.search.text():
                self.search.clear()
                return True
        return super().eventFilter(watched, event)

    def showing(self, patient_id: int | None) -> None:
        """The window shows ``patient_id`` now: the count line says when a search has left it out of the list."""
        self.shown_id = patient_id
        self._update_count()

    def _update_count(self) -> None:
        n = self.model.rowCount()
        text = f"{n:,} patient{'s' if n != 1 else ''}" if n else self._none_found()
        hidden = self.shown_id is not None and self.model.row_of(self.shown_id) < 0
        if hidden and (shown := self.model.register.patients.get_many([self.shown_id])):
            text += f"; shown: {shown[0].mrn}, not in this search (Esc clears it)"
        self.count.setText(text)
        self.count.setStyleSheet("color: #b71c1c; font-weight: bold" if hidden else "")
        if not hidden and self.shown_id is not None and not self.list.currentIndex().isValid():
            self._putting_back = True  # the shown patient's row chosen again after a search (nothing emitted)
            try:
                self.list.setCurrentIndex(self.model.index(self.model.row_of(self.shown_id)))
            finally:
                self._putting_back = False

    def _none_found(self) -> str:
        """The count line for a search that found nobody (``domain.search_hint``): the background search's, or, for
        one made on this thread (Enter, after an edit), worked out here once, with a few one-row searches."""
        model = self.model
        if model.none_found_line is None:

            def finds(typed: str) -> bool:
                return bool(ops.search_patients(model.register, typed, limit=1, include_deleted=model.include_deleted))

            model.none_found_line = none_found(model.query, finds)
        return model.none_found_line

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        pid = self.model.data(current, Qt.ItemDataRole.UserRole)
        if pid is not None and not self._putting_back:
            self.patient_selected.emit(int(pid))

    def put_back(self, patient_id: int | None, refresh: bool = False) -> None:
        """``patient_id`` chosen again, nothing emitted: a refused save keeps its record on screen. ``refresh``: the
        list's names again first (another edit was saved meanwhile)."""
        self._putting_back = True
        try:
            if refresh:
                self.model.refresh()
            row = self.model.row_of(patient_id) if patient_id is not None else -1
            self.list.setCurrentIndex(self.model.index(row) if row >= 0 else QModelIndex())
        finally:
            self._putting_back = False

    def select_patient(self, patient_id: int) -> None:
        row = self.model.row_of(patient_id)
        if row < 0:
            self.search.clear()
            self.model.set_query("")
            row = self.model.row_of(patient_id)
        if row >= 0:
            self.list.setCurrentIndex(self.model.index(row))

    def current_patient_id(self) -> int | None:
        pid = self.model.data(self.list.currentIndex(), Qt.ItemDataRole.UserRole)
        return int(pid) if pid is not None else None
