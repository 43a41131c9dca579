"""The current patient, lesion and capture: one owner, and a signal for everyone who shows them."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

PATIENT, LESION, CAPTURE = "patient", "lesion", "capture"


class Selection(QObject):
    """Views report what the user chose (``set_*``); the window and the actions read the ids and listen to
    ``changed(what)`` ("patient", "lesion" or "capture"). Choosing a patient clears the lesion and the capture,
    choosing a lesion clears the capture. Every ``set_*`` emits, so choosing the same item again shows it again.
    """

    changed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.patient_id: int | None = None
        self.lesion_id: int | None = None
        self.capture_id: int | None = None

    def set_patient(self, patient_id: int | None) -> None:
        self.patient_id, self.lesion_id, self.capture_id = _id(patient_id), None, None
        self.changed.emit(PATIENT)

    def set_lesion(self, lesion_id: int | None) -> None:
        self.lesion_id, self.capture_id = _id(lesion_id), None
        self.changed.emit(LESION)

    def set_capture(self, capture_id: int | None) -> None:
        self.capture_id = _id(capture_id)
        self.changed.emit(CAPTURE)


def _id(value: int | None) -> int | None:
    """Views say "nothing" with -1 (Qt signals carry ints); the selection says None."""
    return None if value is None or value < 0 else int(value)
