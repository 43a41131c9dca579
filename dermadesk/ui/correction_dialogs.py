"""Dialogs for corrections: edit a capture, move it to another lesion, edit a lesion, restore deleted items."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dermadesk.domain.bodymap import patient_side
from dermadesk.domain.dates import human_date, human_datetime
from dermadesk.domain.lesion_name import lesion_name
from dermadesk.domain.records import LESION_STATUSES, MODALITIES, NOT_RECORDED, POLARISATIONS, SITES, Capture, Lesion
from dermadesk.domain.text import as_stored, who_text
from dermadesk.ui.date_edit import DateEdit
from dermadesk.ui.widgets import ScaleSpinBox


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    box.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


def _when(stamp: str | None) -> str:
    """ "22 Nov 2026 10:54" in the workstation's time, from a stored UTC time stamp (as elsewhere in the app)."""
    return human_datetime(stamp)


def lesion_text(les: Lesion) -> str:
    """The lesion by its name, then its status, as the lesion list's tooltip says it: "Lesion 1 · left scapula ·
    posterior torso (left), monitoring" (was "Lesion 1: left scapula, left posterior torso (monitoring)")."""
    return f"{lesion_name(les)}, {les.status}"


def _lesion_combo(lesions: list[Lesion], current: int) -> QComboBox:
    combo = QComboBox()
    for les in lesions:
        combo.addItem(lesion_text(les), les.id)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo


class CaptureEditDialog(QDialog):
    """Date, modality, mm per pixel and lesion of one capture, and what the Add capture dialog records with it
    (polarisation, magnification, notes: worded and laid out as there); ``changes()`` holds only what differs."""

    def __init__(
        self, capture: Capture, lesions: list[Lesion], parent: QWidget | None = None, when: str | None = None
    ) -> None:
        """``when``: the capture named as the delete question names it ("5 Jan 2026 14:40" where the lesion has
        another that day, ``captures.when_taken``); its date alone where not given."""
        super().__init__(parent)
        self.setWindowTitle(f"Edit capture of {when or human_date(capture.taken_at)}")
        self.capture = capture
        self.taken = DateEdit()
        self.taken.set_iso(capture.taken_at)
        self.modality = QComboBox()
        self.modality.addItems(MODALITIES)
        self.modality.setCurrentText(capture.modality)
        self.mm_per_px = ScaleSpinBox()
        self.mm_per_px.setValue(capture.mm_per_px or 0.0)
        self.polarisation = QComboBox()
        self.polarisation.addItem(NOT_RECORDED, None)  # none stored: first, as in Add capture (and it can be cleared)
        for choice in POLARISATIONS:  # "unknown" among them: a choice of its own, never what none stored is shown as
            self.polarisation.addItem(choice, choice)
        self.polarisation.setCurrentIndex(max(0, self.polarisation.findData(capture.polarisation)))
        # as the Add capture dialog's: 0 is "not recorded" (none stored); room for a larger one recorded elsewhere
        self.magnification = QDoubleSpinBox(decimals=1, minimum=0.0, maximum=max(400.0, capture.magnification or 0))
        self.magnification.setSpecialValueText(NOT_RECORDED)
        self.magnification.setValue(capture.magnification or 0.0)
        self.shown_magnification = self.magnification.value()  # 10.25 shows as 10.2: not a change until edited
        self.notes = QLineEdit(capture.notes)
        self.notes.setCursorPosition(0)  # read from their start (a long note showed only its end)
        self.lesion = _lesion_combo(lesions, capture.lesion_id)
        note = QLabel(
            "Every change is kept in the audit log (before and after) and can be undone with Edit > Undo. "
            "A new date, scale or lesion makes the capture's stored comparisons stale: the lesion is compared "
            "with its baseline again. Polarisation, magnification and notes are recorded only: nothing is "
            "compared again."
        )
        note.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(QLabel(f"<b>{capture.original_name or 'capture'}</b>, {capture.width}x{capture.height}"))
        form.addRow("Taken on", self.taken)
        form.addRow("Modality", self.modality)
        form.addRow("Polarisation", self.polarisation)
        form.addRow("mm per pixel", self.mm_per_px)
        form.addRow("Magnification", self.magnification)
        form.addRow("Notes", self.notes)
        form.addRow("Lesion", self.lesion)
        form.addRow(note)
        buttons = _buttons(self, "Save")
        form.addRow(buttons)
        self.taken.valid_changed.connect(buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled)
        self.setMinimumWidth(440)

    def changes(self) -> dict[str, Any]:
        c = self.capture
        now = {
            "taken_at": self.taken.iso() if self.taken.iso() != c.taken_at[:10] else c.taken_at,
            "modality": self.modality.currentText(),
            "mm_per_px": self.mm_per_px.value() or None,
            "lesion_id": self.lesion.currentData(),
            "polarisation": self.polarisation.currentData(),
            "notes": as_stored(self.notes.text(), multiline=True),  # as stored: a trailing space is no change
        }
        if self.magnification.value() != self.shown_magnification:
            now["magnification"] = self.magnification.value() or None
        return {k: v for k, v in now.items() if v != getattr(c, k)}


class MoveCaptureDialog(QDialog):
    def __init__(
        self, capture: Capture, lesions: list[Lesion], parent: QWidget | None = None, when: str | None = None
    ) -> None:
        """``when``: as ``CaptureEditDialog``'s."""
        super().__init__(parent)
        when = when or human_date(capture.taken_at)
        self.setWindowTitle(f"Move capture of {when} to another lesion")
        others = [les for les in lesions if les.id != capture.lesion_id]
        self.lesion = _lesion_combo(others, others[0].id if others else -1)
        form = QFormLayout(self)
        form.addRow(QLabel(f"Capture of {when} ({capture.original_name or 'no file name'})"))
        form.addRow("Move to", self.lesion)
        note = QLabel(
            "For a capture filed under the wrong lesion. It leaves this lesion's history and joins the other's, "
            "with its assessment and review; both lesions are then compared with their baselines again (the "
            "earliest capture of each is its baseline). Kept in the audit log; Edit > Undo moves it back."
        )
        note.setWordWrap(True)
        form.addRow(note)
        form.addRow(_buttons(self, "Move"))
        self.setMinimumWidth(400)

    def lesion_id(self) -> int | None:
        return self.lesion.currentData()


class LesionEditDialog(QDialog):
    """Site, label, status and body-map position of one lesion (with the patient's side it gives);
    ``changes()`` holds only what differs."""

    def __init__(self, lesion: Lesion, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Edit {lesion.title.lower()}")
        self.lesion = lesion
        self.site = QComboBox()
        self.site.addItems(SITES)
        self.site.setCurrentText(lesion.site)
        self.label = QLineEdit(lesion.label)
        self.status = QComboBox()
        self.status.addItems(LESION_STATUSES)
        self.status.setCurrentText(lesion.status)
        self.view = QComboBox()
        self.view.addItems(["(not placed)", "front", "back"])
        self.view.setCurrentText(lesion.body_view or "(not placed)")
        self.x, self.y = (QDoubleSpinBox(decimals=3, minimum=0.0, maximum=1.0, singleStep=0.01) for _ in "xy")
        self.x.setValue(lesion.body_x or 0.0)
        self.y.setValue(lesion.body_y or 0.0)
        form = QFormLayout(self)
        form.addRow("Anatomic site", self.site)
        form.addRow("Label", self.label)
        form.addRow("Status", self.status)
        form.addRow("Body map view", self.view)
        form.addRow("Position across (0-1)", self.x)
        form.addRow("Position down (0-1)", self.y)
        self.side = QLabel()  # the site names no side: it follows the position, as lists and reports show it
        form.addRow("Patient's side", self.side)
        form.addRow(_buttons(self, "Save"))
        self.view.currentTextChanged.connect(self._show_side)
        self.x.valueChanged.connect(self._show_side)
        self._show_side()
        self.setMinimumWidth(420)
        self.view.currentTextChanged.connect(self._placed)
        self._placed()

    def _show_side(self) -> None:
        view = self.view.currentText()
        if view not in ("front", "back"):
            self.side.setText("none (not placed on the body map)")
            return
        side = patient_side(view, self.x.value())
        self.side.setText("none (midline)" if side == "midline" else f"{side}, from the position on the body map")

    def _placed(self) -> None:
        for spin in (self.x, self.y):
            spin.setEnabled(self.view.currentText() != "(not placed)")

    def changes(self) -> dict[str, Any]:
        les, placed = self.lesion, self.view.currentText() != "(not placed)"
        now = {
            "site": self.site.currentText(),
            "label": self.label.text().strip(),
            "status": self.status.currentText(),
            "body_view": self.view.currentText() if placed else None,
            "body_x": self.x.value() if placed else None,
            "body_y": self.y.value() if placed else None,
        }
        return {k: v for k, v in now.items() if v != getattr(les, k)}


NOTHING_DELETED = "Nothing deleted to restore: no lesion or capture of this patient is deleted."


class RestoreDeletedDialog(QDialog):
    """The patient's deleted lesions and captures; the ticked ones are restored (``chosen()``).

    A lesion is named as everywhere (``lesion_text``); a capture by its date, its image file (as the delete question
    named it) and its lesion's name (``names``; not by its database number, "Capture 3", read as a third capture of a
    lesion showing two), each line whole: wrapped, and in its tooltip. Who deleted it is said as elsewhere: "by root
    (the computer's account)" (``who_text``)."""

    def __init__(
        self,
        lesions: list[Lesion],
        captures: list[Capture],
        parent: QWidget | None = None,
        names: dict[int, str] | None = None,  # lesion id -> its name ("Lesion 1 · left scapula · posterior ...")
        deleted_by: dict[tuple[str, int], str] | None = None,  # ("lesion" or "capture", id) -> who deleted it
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore deleted lesions and captures")
        self.items = QListWidget()
        self.items.setAccessibleName("Deleted lesions and captures")
        self.items.setWordWrap(True)  # the deletion time and who, at the line's end, were cut off
        self.items.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.items.setSpacing(2)
        self.items.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        by = deleted_by or {}

        def deleted(kind: str, id_: int, stamp: str | None) -> str:
            return f"deleted {_when(stamp)}" + (f" by {who_text(by[(kind, id_)])}" if (kind, id_) in by else "")

        for les in lesions:
            self._add(f"{lesion_text(les)}, {deleted('lesion', les.id, les.deleted_at)}", ("lesion", les.id))
        for c in captures:
            lesion = (names or {}).get(c.lesion_id, f"Lesion (id {c.lesion_id})")
            file = f" ({c.original_name})" if c.original_name else ""  # as the delete question named it
            self._add(
                f"Capture of {human_date(c.taken_at)}{file}, {lesion}, {deleted('capture', c.id, c.deleted_at)}",
                ("capture", c.id),
            )
        layout = QVBoxLayout(self)
        empty = not lesions and not captures
        self.said = QLabel(NOTHING_DELETED if empty else "Tick what to restore:")
        self.said.setWordWrap(True)
        layout.addWidget(self.said)
        layout.addWidget(self.items)
        self.items.setHidden(empty)  # no empty white box to tick in
        buttons = _buttons(self, "Restore")
        self.restore_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        if empty:
            buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Close")
        self.restore_button.setDefault(not empty)
        self.items.itemChanged.connect(lambda _: self.restore_button.setEnabled(bool(self.chosen())))
        self.restore_button.setEnabled(False)  # until something is ticked (it closed silently, restoring nothing)
        layout.addWidget(buttons)
        if empty:
            self.resize(520, self.sizeHint().height())
        else:
            self.resize(700, 320)

    def _add(self, text: str, key: tuple[str, int]) -> None:
        item = QListWidgetItem(text)
        item.setToolTip(text)  # the whole line
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        item.setData(Qt.ItemDataRole.UserRole, key)
        self.items.addItem(item)

    def check(self, kind: str, id_: int) -> None:
        for i in range(self.items.count()):
            if tuple(self.items.item(i).data(Qt.ItemDataRole.UserRole)) == (kind, id_):
                self.items.item(i).setCheckState(Qt.CheckState.Checked)

    def chosen(self) -> list[tuple[str, int]]:
        items = (self.items.item(i) for i in range(self.items.count()))
        return [tuple(it.data(Qt.ItemDataRole.UserRole)) for it in items if it.checkState() == Qt.CheckState.Checked]
