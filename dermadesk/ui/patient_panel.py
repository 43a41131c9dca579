"""The patient's lesions as a list and on the body map, and the chosen lesion's site, status and label."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QResizeEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dermadesk.domain.lesion_name import lesion_name
from dermadesk.domain.records import (
    LESION_STATUSES,
    SITES,
    Lesion,
)
from dermadesk.domain.text import as_stored
from dermadesk.services.attention import flag_line
from dermadesk.ui.after_click import after_click
from dermadesk.ui.body_map import BodyMapWidget
from dermadesk.ui.lesion_list import LesionList, row_names
from dermadesk.ui.widgets import StillComboBox, narrow


MARGIN = 2  # above the list and below the form, inside the box
HINT = "Lesions: click the body map to add one (Shift+click: on a marker)"  # a new one on or near a marker too;
# as wide as the pane's least at 150 % on 1280x720: never widens it


class LesionPanel(QGroupBox):
    """The lesion list, the body map, and the selected lesion's site / status / label."""

    lesion_selected = Signal(int)
    place_requested = Signal(str, float, float, str)
    update_requested = Signal(int, dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(HINT, parent)  # the hint in the title's line: the list keeps that height
        self.lesions: list[Lesion] = []
        # a lesion's flag and its tooltip line ("⚠ URGENT"), set by the wiring (services.standing)
        self.flag_of: Callable[[int], tuple[str, str]] | None = None
        self.shown: Lesion | None = None  # the lesion whose values the form holds
        # before another lesion replaces edits, given what puts the lesion typed for back in sight; False: it stays
        self.leaving: Callable[[Callable[[], None]], bool] | None = None
        self.list = LesionList()
        self.list.setAccessibleName("Lesion list")
        self.list.setToolTip("Drop image files onto a lesion to import them as new captures")
        self.body_map = BodyMapWidget()
        self.site = StillComboBox()
        self.site.addItems(SITES)
        self.site.setToolTip("Anatomic site (follows the body map; correct it here)")
        self.status = StillComboBox()
        self.status.addItems(LESION_STATUSES)
        narrow(self.status, 8)  # the list's column stays narrow: the body map keeps its width
        metrics = self.site.fontMetrics()  # the combo counts its contents length in "X"s
        widest = max(metrics.horizontalAdvance(s) for s in SITES)  # "upper extremity" whole at 150 % (not "…extremit")
        narrow(self.site, -(-widest // max(metrics.horizontalAdvance("X"), 1)))
        self.label = QLineEdit(placeholderText="e.g. left scapula")  # whole at 150 % ("label, e.g. 'left s…")
        self.label.setToolTip("A label of your own for the lesion, e.g. 'left scapula'")
        self.apply = QPushButton("Save lesion")
        edit = self.edit = QFormLayout()
        edit.setVerticalSpacing(2)  # list, form and hint all in sight in a short pane (1280x720, and at 150 %)
        edit.addRow("Site", self.site)
        edit.addRow("Status", self.status)
        edit.addRow("Label", self.label)
        edit.addRow(self.apply)  # or under the body map (``_place_save``)
        left = self.left = QVBoxLayout()  # no scroll area around them: the list scrolls itself, the form never hides
        left.setContentsMargins(0, 0, 0, 0)
        left.setSpacing(2)
        left.addWidget(self.list, 1)
        left.addLayout(edit)
        right = self.right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(2)
        right.addWidget(self.body_map, 1)
        layout = QHBoxLayout(self)
        # narrow sides: the list's room for "⚠ CHANGED 1 · post. torso (L)" at 150 %; narrow top and bottom too (the
        # title's line stands above): the style's 9 px each took a row of the list at 150 %
        layout.setContentsMargins(4, MARGIN, 4, MARGIN)
        layout.addLayout(left, 1)  # half the pane (was 2 in 5): the rows' room, the site's start in sight at 150 %
        layout.addLayout(right, 1)  # the body map scales the whole figure to its height: wider was never used
        self.list.currentItemChanged.connect(self._item_changed)
        self.body_map.lesion_clicked.connect(self.select_lesion)
        self.body_map.place_requested.connect(self.place_requested)
        self.apply.clicked.connect(self._apply)
        self._show_form(None)  # nothing to save until a patient's lesion is chosen (after a restart too)

    def height_for_rows(self) -> int:
        """The pane's height with ``lesion_list.ROWS_WANTED`` rows of two lines in sight in the list, Save lesion
        under the body map; the panes give it this where the tabs can spare it (``short_screen.fit_panes``)."""
        # from the parts' own heights: a layout's cached least is stale until laid out again (Save just moved)
        margins, spacing = self.layout().contentsMargins(), self.left.spacing()
        frame = self.height() - self.contentsRect().height() + margins.top() + margins.bottom()  # title, margins
        fields = sum(w.sizeHint().height() for w in (self.site, self.status, self.label))
        fields += 2 * self.edit.verticalSpacing()
        map_and_save = self.body_map.minimumHeight() + spacing + self.apply.sizeHint().height()
        return frame + max(self.list.wanted_height() + spacing + fields, map_and_save)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._place_save()

    def _place_save(self) -> None:
        """Save lesion under the body map, level with the Label row, where the pane has the height for four rows of
        the list so (a row of its own under the form left the list 2 rows in sight at 150 % on 1280x720); under the
        form in a shorter pane, where the body map's figure needs the column's height (a referral prompt above the
        tabs at 150 %)."""
        under = self.height() >= self.height_for_rows()
        if under == (self.right.indexOf(self.apply) >= 0):
            return
        if under:
            self.edit.takeRow(self.apply)
            self.right.addWidget(self.apply, 0, Qt.AlignmentFlag.AlignRight)
        else:
            self.right.removeWidget(self.apply)
            self.edit.addRow(self.apply)

    def show_lesions(self, lesions: list[Lesion], selected: int | None = None, first: bool = True) -> None:
        """The list and the body map; ``selected`` chosen, else the first lesion (none when not ``first``)."""
        self.lesions = lesions
        self.list.blockSignals(True)
        self.list.clear()
        self._show_form(None)  # no previous patient's or lesion's values until a lesion is chosen
        for les in lesions:
            item = QListWidgetItem()
            self._fill_row(item, les)
            item.setData(Qt.ItemDataRole.UserRole, les.id)
            self.list.addItem(item)
        self.list.fit_rows()
        self.list.blockSignals(False)
        self.body_map.set_lesions(lesions, selected)
        if selected is not None and any(les.id == selected for les in lesions):
            self.select_lesion(selected)
        elif lesions and first:
            self.select_lesion(lesions[0].id)
        else:
            self.body_map.selected = None
            self.body_map.update()
            self.lesion_selected.emit(-1)

    def _fill_row(self, item: QListWidgetItem, les: Lesion) -> None:
        """The row's name (in full, short or compact, as the list fits it: ``LesionList.fit_rows``) and its tooltip:
        the full name and status, then, flagged ("⚠ URGENT", red, leading the row's name too), the line that says why
        ("⚠ URGENT: ...", as over the lesion's marker on the body map)."""
        flag, why = self.flag_of(les.id) if self.flag_of is not None else ("", "")
        LesionList.set_names(item, row_names(les, flag))
        item.setToolTip(f"{lesion_name(les)}, {les.status}" + (f"\n{flag_line(flag, why)}" if flag else ""))
        item.setData(Qt.ItemDataRole.ForegroundRole, QColor("#b71c1c") if flag else None)
        self.body_map.set_flag(les.id, flag, why)

    def lesion_saved(self, les: Lesion) -> None:
        """``les`` as stored after a save that keeps it shown (a hand-over of the operator): its row, and the form's
        baseline, so that nothing is asked about again."""
        self.lesions = [les if x.id == les.id else x for x in self.lesions]
        if self.shown is not None and self.shown.id == les.id:
            self.shown = les
        self.refresh_flags()

    def status_stored(self, les: Lesion) -> None:
        """``les``'s status changed elsewhere: its row, and its form where nothing is typed in it."""
        typed = self.shown is not None and self.shown.id == les.id and bool(self.changes())
        self.lesion_saved(les)
        if self.shown is not None and self.shown.id == les.id and not typed:
            self.reset_form()

    def refresh_flags(self) -> None:
        """Each row's flag again (a result stored since the list was shown), in place: the selection kept."""
        for row in range(self.list.count()):
            item = self.list.item(row)
            les = next((x for x in self.lesions if x.id == item.data(Qt.ItemDataRole.UserRole)), None)
            if les is not None:
                self._fill_row(item, les)
        self.list.fit_rows()

    def current_lesion(self) -> Lesion | None:
        item = self.list.currentItem()
        if item is None:
            return None
        lid = item.data(Qt.ItemDataRole.UserRole)
        return next((les for les in self.lesions if les.id == lid), None)

    def put_back(self, lesion_id: int | None) -> None:
        """``lesion_id`` chosen again in the list and on the body map, nothing emitted, the form left as it is (Cancel
        or a refused save keeps its record on screen, typing and all)."""
        self.list.blockSignals(True)
        rows = [r for r in range(self.list.count()) if self.list.item(r).data(Qt.ItemDataRole.UserRole) == lesion_id]
        self.list.setCurrentRow(rows[0] if rows else -1)
        self.list.blockSignals(False)
        self.body_map.selected = lesion_id
        self.body_map.update()

    def select_lesion(self, lesion_id: int) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == lesion_id:
                self.list.setCurrentRow(row)
                return

    def _item_changed(self, item: QListWidgetItem | None, _prev: QListWidgetItem | None) -> None:
        """Unsaved typing (here, in the patient form or the review box) asked about first, the lesion typed for
        chosen in the list and on the body map while asked; then the lesion clicked shown whole, or, on Cancel or a
        refused save, the lesion typed for kept, typing and all."""
        wanted, was = self.current_lesion(), self.shown.id if self.shown else None
        asking = wanted is not None or bool(self.changes())  # (no lesion chosen: nothing shown replaces typing)
        if self.leaving is not None and asking and not self.leaving(lambda: self.put_back(was)):
            after_click(self, lambda: self.put_back(was))
            return
        les = next((x for x in self.lesions if wanted is not None and x.id == wanted.id), None)
        self.put_back(les.id if les else None)  # chosen again where the question had put the lesion typed for back
        self._show_form(les)
        if les is None:
            return
        self.body_map.selected = les.id
        self.body_map.update()
        self.lesion_selected.emit(les.id)

    def _show_form(self, les: Lesion | None) -> None:
        """The lesion's site, status and label; empty and disabled when no lesion is selected."""
        self.shown = les
        for w in (self.site, self.status, self.label, self.apply):
            w.setEnabled(les is not None)
        self.apply.setToolTip(
            "Saves the lesion's site, status and label"
            if les is not None
            else "Select a patient and one of their lesions first (or click the body map to place a new one)"
        )
        self.site.setCurrentIndex(self.site.findText(les.site) if les else -1)
        self.status.setCurrentIndex(self.status.findText(les.status) if les else -1)
        self.label.setText(les.label if les else "")

    def reset_form(self) -> None:
        """The lesion shown, as stored (unsaved typing let go)."""
        self._show_form(self.shown)

    def changes(self) -> dict[str, str]:
        """The form's values that differ from the lesion shown (empty when none is, or nothing was edited)."""
        les = self.shown
        if les is None:
            return {}
        new = {"site": self.site.currentText(), "status": self.status.currentText(), "label": self.label.text()}
        return {k: v for k, v in new.items() if as_stored(v) != as_stored(getattr(les, k))}

    def _apply(self) -> None:
        les = self.current_lesion()
        if les is not None:
            self.update_requested.emit(
                les.id,
                {"site": self.site.currentText(), "status": self.status.currentText(), "label": self.label.text()},
            )
