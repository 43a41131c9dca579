"""Saving a capture's review, a lesion's form and a patient's details, each said in the status bar as what it
saved: an earlier message ("Notes and decision saved") was left standing after the next save, which said nothing."""

from __future__ import annotations

from typing import Any, Mapping

from dermadesk.services import attention
from dermadesk.services import register_ops as ops
from dermadesk.services.captures import when_taken
from dermadesk.services.standing import ANSWERED
from dermadesk.services.standing_result import also_answers, undecided_before
from dermadesk.ui.correction_wiring import offer_lesion_status
from dermadesk.ui.decision_name import name_before_decision
from dermadesk.ui.patient_form import PATIENT_FIELD_WORDS
from dermadesk.ui.report_actions import SAVED_MESSAGE_MS
from dermadesk.ui.saved_words import lesion_changes, lesion_saved_text, review_saved_text
from dermadesk.ui.stale_save import patient_to_save, review_to_save

FLAG_MESSAGE_MS = 10000  # "...; the lesion's flag stands — ...": what answers it, long enough to be read


def save_review(window: Any, capture_id: int, decision: str | None, notes: str) -> None:
    """The review box's decision and notes saved; the status bar says what, for which capture (and, where the
    lesion's flag stands, what answers it); a new decision offers the lesion's status."""
    reg = window.session.register
    if not (values := review_to_save(window, capture_id, decision, notes)):  # changed elsewhere: kept, or Cancel
        return
    typed, (decision, notes) = (decision, notes), (values["decision"], values["notes"])
    recheck = values["recheck_months"]
    before = ops.capture(reg, capture_id)
    name_before_decision(window, decision, before.decision)  # no operator set: asked once, not 'by root'
    # earlier URGENT or REFER results with no decision on them or since: a decision saved here answers them too
    pending = undecided_before(reg, capture_id) if decision and decision != before.decision else []
    if not window.c.save_review(capture_id, decision, notes, recheck):
        return
    if (decision, notes, recheck) != (*typed, window.assessment.recheck_months()):  # one changed only elsewhere is
        window.assessment.reset_review()  # kept as stored: the box shows it
    title, when = ops.lesion(reg, before.lesion_id).title, when_taken(reg, before)
    said = review_saved_text(before, title, decision, notes, when, recheck)
    if pending:  # said, so that the clinician is not surprised that the earlier result's flag goes
        said += f"; {also_answers(pending)}"
    window.statusBar().showMessage(said, FLAG_MESSAGE_MS if pending else SAVED_MESSAGE_MS)
    if decision != before.decision:  # asked once per decision, not again at each save of the notes
        offer_lesion_status(window, decision)  # says what it saved, in its turn
    answer, elsewhere = attention.referral_answer(reg, before.lesion_id, capture_id)
    if decision in ANSWERED and answer and elsewhere is not None:  # saved, but it answers nothing that stands
        window.statusBar().showMessage(f"{said}; the lesion's flag stands — {answer}", FLAG_MESSAGE_MS)


def save_lesion(window: Any, lesion_id: int, changes: Mapping[str, Any]) -> None:
    """The lesion form's site, status and label saved; the status bar says which changed (or that none did)."""
    reg = window.session.register
    before = ops.lesion(reg, lesion_id)
    changed = lesion_changes(before, changes)
    if not changed:
        window.statusBar().showMessage(f"Nothing to save: no field of {before.title} was changed", 5000)
        return
    if window.c.update_lesion(lesion_id, dict(changes)) is None:  # else refused: its reason shown
        window.statusBar().showMessage(lesion_saved_text(before.title, changed), SAVED_MESSAGE_MS)
    if (pid := window.selection.patient_id) is not None:
        window.lesions.show_lesions(ops.lesions_of(reg, pid), lesion_id)


def save_patient(window: Any, changes: dict) -> None:
    """The patient form's changes saved (or why not, in the form and the status bar); the patient list shows the
    saved details, the lesion and capture on screen kept (``MainWindow.refresh``)."""
    pid = window.selection.patient_id
    if pid is None:
        return
    if not changes:  # a click that saved nothing says so, rather than nothing at all
        window.statusBar().showMessage("Nothing to save: no field of the patient was changed", 5000)
        return
    if (changes := patient_to_save(window, pid, changes)) is None:  # changed elsewhere, and Cancel: typing kept
        return
    if not changes:  # changed elsewhere: the stored values kept, nothing else typed
        stored = ops.patient(window.session.register, pid)
        window.patient_form.show_patient(stored)
        window.refresh()
        window.statusBar().showMessage(f"Patient {stored.mrn} kept as stored: nothing saved", SAVED_MESSAGE_MS)
        return
    error = window.c.save_patient(pid, changes, can_open=True)
    if isinstance(error, int):  # "Open the existing patient" over saving a likely duplicate: the typing let go
        window.patient_form.show_patient(window.patient_form.patient)
        window.open_existing(error)
        return
    if error:  # the form says why; the status bar too (no earlier "saved" left standing beside the refusal)
        window.patient_form.show_error(error)
        window.statusBar().showMessage(f"Patient not saved: {error}", SAVED_MESSAGE_MS)
    else:
        saved = ops.patient(window.session.register, pid)
        window.patient_form.show_patient(saved)  # as stored (12.03.1961: ISO)
        window.refresh()
        fields = ", ".join(PATIENT_FIELD_WORDS.get(k, k) for k in changes)
        window.statusBar().showMessage(f"Patient {saved.mrn} saved ({fields})", SAVED_MESSAGE_MS)
