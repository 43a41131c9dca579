"""Edits typed but not saved (a patient's details, a lesion's site, status or label, the clinician's notes and
decision): asked about before another patient, lesion or capture replaces them, and before the window closes.
Save saves each to the record it was typed for; Discard lets them go; Cancel (Escape) stays on the record being
edited, typing and all. Nothing typed is dropped without a question."""

from __future__ import annotations

from typing import Any, Callable, Iterable, NamedTuple

from dermadesk.domain.errors import DermaDeskError
from dermadesk.domain.text import as_stored
from dermadesk.services import register_ops as ops
from dermadesk.services.captures import when_taken
from dermadesk.ui.after_click import after_click
from dermadesk.ui.correction_wiring import offer_lesion_status
from dermadesk.ui.decision_name import name_before_decision
from dermadesk.ui.patient_form import PATIENT_FIELD_WORDS
from dermadesk.ui.report_actions import SAVED_MESSAGE_MS
from dermadesk.ui.saved_words import joined, lesion_changes, lesion_saved_text, review_saved_text
from dermadesk.ui.stale_save import patient_to_save, review_to_save


PATIENT_DETAILS = "details of patient "  # the patient form's edit, by ``_edits``' what
KEPT = "Kept on screen, to be corrected and saved (or discarded):"  # after a refused save's reason


def unsaved(window: Any, said: list[str] | None = None) -> list[tuple[str, Callable[[], bool]]]:
    """(what, save) for each editor holding unsaved typing; ``save`` returns False where it was refused, and adds
    what it saved to ``said`` (the status bar's words). A patient's typing is named by its fields, as the
    changed-elsewhere strip names it, with the patient's name: "notes of patient C-1001 Jane Tester"."""
    return [(_asked(window, what, fields), save) for what, fields, save in _edits(window, said)]


def _asked(window: Any, what: str, fields: str) -> str:
    """The question's name for an edit, by the fields typed in: "notes of patient C-1001 Jane Tester", "label of
    Lesion 2", "clinician's notes of Lesion 2's capture of 5 Jan 2026" (it said "clinician's notes and decision"
    where only the notes were typed: a nurse could fear the decision had been changed)."""
    patient = window.patient_form.patient
    return f"{fields} {patient.name}" if what.startswith(PATIENT_DETAILS) and patient is not None else fields


def typed_fields(window: Any) -> dict[str, str]:
    """Each of ``unsaved``'s edits (by its what) named short by the fields typed in, for the changed-elsewhere strip:
    "notes of patient C-1001", "label of Lesion 2", "clinician's notes of Lesion 2's capture of 5 Jan 2026"."""
    return {what: fields for what, fields, _ in _edits(window)}


def _edits(window: Any, said: list[str] | None = None) -> list[tuple[str, str, Callable[[], bool]]]:
    """(what, the fields typed in it, save) for each editor holding unsaved typing."""
    out: list[tuple[str, str, Callable[[], bool]]] = []
    form, panel, view = window.patient_form, window.lesions, window.assessment
    said = [] if said is None else said
    if (patient := form.patient) is not None and (changes := form.changes()):
        who = f"{PATIENT_DETAILS}{patient.mrn} {patient.name}"
        fields = f"{_and(PATIENT_FIELD_WORDS.get(k, k) for k in changes)} of patient {patient.mrn}"
        out.append((who, fields, lambda: _save_patient(window, patient.id, changes, said)))
    if (lesion := panel.shown) is not None and (edits := panel.changes()):
        what = f"site, status or label of {lesion.title}"
        out.append((what, f"{_and(edits)} of {lesion.title}", lambda: _save_lesion(window, lesion.id, edits, said)))
    if (review := view.unsaved_review()) is not None:
        cid, decision, notes = review
        capture = view.capture  # named, not "shown": another capture may be on its way in
        reg = window.session.register
        title = ops.lesion(reg, capture.lesion_id).title  # not ``lesion``: saved above by name
        which = f"{title}'s capture of {when_taken(reg, capture)}"
        what = f"clinician's notes and decision for {which}"  # the re-check interval too
        fields = f"{_and(review_fields(view))} of {which}"
        out.append((what, fields, lambda: _save_review(window, cid, decision, notes, said)))
    return out


def review_fields(view: Any) -> list[str]:
    """The review box's fields that differ from what it was filled with."""
    typed = (view.decision.currentText() or None, as_stored(view.notes.toPlainText(), True), view.recheck_months())
    loaded = (view.loaded[0], as_stored(view.loaded[1], True), view.loaded_recheck)
    words = ("decision", "clinician's notes", "re-check interval")
    return [word for word, now, before in zip(words, typed, loaded) if now != before] or ["review"]


def _and(words: Iterable[str]) -> str:
    """ "name", "name and notes", "name, sex and notes"."""
    listed = list(words)
    return listed[0] if len(listed) == 1 else f"{', '.join(listed[:-1])} and {listed[-1]}"


def _deleted_meanwhile(
    window: Any, what: str, deleted: bool, typed: str, restore: str = "Edit > Restore deleted"
) -> bool:
    """Said when the record the typing was for has been deleted since (another window, a command): nothing is
    written into a record nobody sees; the typing is then let go (the message keeps it)."""
    if deleted:
        window.session.dialogs.error(
            "Not saved",
            f"{what} was deleted meanwhile (in another window or by a command): nothing was saved into it. Restore "
            f"it ({restore}) to keep what was typed:\n{typed}",
        )
    return deleted


def _save_review(window: Any, capture_id: int, decision: str | None, notes: str, said: list[str]) -> bool:
    reg = window.session.register
    capture = reg.captures.get(capture_id)
    gone = bool(capture.deleted_at or ops.lesion(reg, capture.lesion_id).deleted_at)
    typed = _typed({"decision": decision or "(none)", "notes": notes})
    if _deleted_meanwhile(window, f"The capture of {when_taken(reg, capture)}", gone, typed):
        window.assessment.reset_review()  # let go, as said: asked about again at every click otherwise
        return True
    if (values := review_to_save(window, capture_id, decision, notes, said)) is None:  # changed elsewhere: Cancel
        return False
    if not values:  # the stored review kept
        return True
    typed_recheck = window.assessment.recheck_months()
    decision_notes = (values["decision"], values["notes"], values["recheck_months"])
    merged = (decision, notes, typed_recheck) != decision_notes  # a field changed only elsewhere: as stored
    decision, notes, recheck = decision_notes
    name_before_decision(window, decision, capture.decision)  # no operator set: asked once, not 'by root'
    if not window.c.save_review(capture_id, decision, notes, recheck):
        return False
    if merged and (shown := window.assessment.capture) is not None and shown.id == capture_id:
        window.assessment.reset_review()  # the box as saved
    title, when = ops.lesion(reg, capture.lesion_id).title, when_taken(reg, capture)
    said.append(review_saved_text(capture, title, decision, notes, when, recheck))
    if decision != capture.decision:  # 'refer' saved here too offers the lesion's status, as the Save button does
        offer_lesion_status(window, decision, on_the_way=capture.lesion_id)
    return True


def _typed(changes: dict) -> str:
    """What was typed, for a refusal's message: the user can type it again where the record is left behind."""
    return "\n".join(f"• {name.replace('_', ' ')}: {value}" for name, value in changes.items())


def _save_patient(window: Any, patient_id: int, changes: dict, said: list[str]) -> bool:
    patient = ops.patient(window.session.register, patient_id)
    restore = "View > Show deleted patients, then Patient > Restore patient"
    if _deleted_meanwhile(window, f"Patient {patient.mrn}", bool(patient.deleted_at), _typed(changes), restore):
        window.patient_form.show_patient(window.patient_form.patient)  # let go, as said
        return True
    if (changes := patient_to_save(window, patient_id, changes)) is None:  # changed elsewhere, and Cancel
        return False
    if not changes:  # changed elsewhere: the stored values kept
        said.append(f"Patient {patient.mrn} kept as stored: nothing saved")
        if (form := window.patient_form).patient is not None and form.patient.id == patient_id:
            form.show_patient(ops.patient(window.session.register, patient_id))
        return True
    error = window.c.save_patient(patient_id, changes)
    if error:
        window.session.dialogs.error("Patient details not saved", f"{error}\n\n{KEPT}\n{_typed(changes)}")
        return False
    stored = ops.patient(window.session.register, patient_id)
    said.append(f"Patient {stored.mrn} saved ({', '.join(PATIENT_FIELD_WORDS.get(k, k) for k in changes)})")
    if (form := window.patient_form).patient is not None and form.patient.id == patient_id:
        form.show_patient(stored)  # still shown: as stored, nothing pending
    return True


def _save_lesion(window: Any, lesion_id: int, changes: dict, said: list[str]) -> bool:
    lesion = ops.lesion(window.session.register, lesion_id)
    if _deleted_meanwhile(window, lesion.title, bool(lesion.deleted_at), _typed(changes)):
        window.lesions.reset_form()  # let go, as said
        return True
    error = window.c.update_lesion(lesion_id, changes, quiet=True)
    if error:
        window.session.dialogs.error("Lesion not saved", f"{error}\n\n{KEPT}\n{_typed(changes)}")
        return False
    window.lesions.lesion_saved(ops.lesion(window.session.register, lesion_id))
    said.append(lesion_saved_text(lesion.title, lesion_changes(lesion, changes)))
    return True


class Settled(NamedTuple):
    renamed: bool = False  # patient details were saved: the patient list's names change
    refused: bool = False  # a save was refused (its reason said): its record stays on screen, typing and all
    cancelled: bool = False  # Cancel: nothing saved or let go, the record being edited stays on screen
    asked: bool = False  # the question was asked (and answered Save or Discard)

    @property
    def stays(self) -> bool:
        """The record being edited stays on screen (refused or cancelled): the switch is called off."""
        return self.refused or self.cancelled


UNSAVED_QUESTION = "Save them now? (Discard lets them go; Cancel goes back to them.)"


def settle(window: Any, keep_in_sight: Callable[[], None] | None = None) -> Settled:
    """Ask once about every unsaved edit before another record replaces them: each saved (Save), let go (Discard),
    or kept, the switch called off (Cancel). ``keep_in_sight``, called just before asking, puts the record being
    edited back on screen where the click had started to show the next one. Nothing is asked while the register is
    read again (``register_watch``): the same records are shown, typing kept."""
    if getattr(window, "reloading", False):
        return Settled()
    said: list[str] = []
    edits = _edits(window, said)
    if not edits:
        return Settled()
    asked = [(_asked(window, what, fields), save) for what, fields, save in edits]
    if keep_in_sight is not None:
        keep_in_sight()
    answer = window.session.dialogs.save_discard_cancel(
        "Unsaved changes", f"{listed_edits(asked)}\n\n{UNSAVED_QUESTION}"
    )
    if answer == "cancel":
        return Settled(cancelled=True)
    if answer == "discard":
        _discard(window)
        return Settled(asked=True)
    saved = [(what, save()) for what, _, save in edits]
    say(window, said)
    renamed = any(ok and what.startswith(PATIENT_DETAILS) for what, ok in saved)
    return Settled(renamed, not all(ok for _, ok in saved), asked=True)


def settle_switch(
    window: Any, put_back: Callable[[Any], None], kept: int | None, clicked: int | None = None
) -> Settled:
    """``settle`` for a click in a list (patients, lesions, captures) that has moved it on to ``clicked``: ``kept``,
    the record typed for, chosen in it again while asked and where the switch is called off (Cancel, a refused save);
    ``clicked`` chosen again after Save or Discard (None: the list is left as it is)."""
    settled = settle(window, lambda: put_back(kept))
    if settled.stays:
        after_click(window, lambda: put_back(kept))
    elif settled.asked and clicked is not None:
        put_back(clicked)
    return settled


def may_close(window: Any) -> bool:
    """Before the window closes: Save, Discard or Cancel for unsaved edits; False when the close is called off or a
    save was refused (its reason said: the window stays open). Nothing is asked where a signal ends the app (a logout
    cannot answer): ``signal_end`` has said what typing it let go."""
    if getattr(window, "ended_by_signal", False):
        return True
    return _save_discard_cancel(window, "Unsaved changes", listed_edits(unsaved(window))) == "done"


def hand_over(window: Any, leaver: str) -> str:
    """Before the operator changes: the edits typed so far saved under ``leaver``'s name or discarded ("done"), the
    change called off ("cancelled"), or a save refused ("refused": its reason said, the typing kept)."""
    question = f"\n\nSave them under {leaver}'s name before the next person takes over?"
    outcome = _save_discard_cancel(window, "Change operator", listed_edits(unsaved(window)) + question)
    if outcome == "done":
        window.refresh()  # saved patient details: the list shows them
    return outcome


def before_restore(window: Any) -> bool:
    """Before a restore replaces the register: unsaved edits saved into it or discarded; False when the restore is
    called off or a save refused. Nothing typed is ever saved into the restored register."""
    where = "\n\nThe restore replaces the register: edits saved now are kept in the copy of it set aside, not in the "
    question = f"{where}restored register. Save them first, discard them, or cancel the restore?"
    return _save_discard_cancel(window, "Restore from a backup", listed_edits(unsaved(window)) + question) == "done"


def _save_discard_cancel(window: Any, title: str, message: str) -> str:
    """Every unsaved edit saved or discarded ("done"), or nothing done ("cancelled"), or a save refused ("refused":
    each is tried, a refusal keeps its typing in place)."""
    said: list[str] = []
    edits = unsaved(window, said)
    if not edits:
        return "done"
    answer = window.session.dialogs.save_discard_cancel(title, message)
    if answer == "discard":
        _discard(window)
        return "done"
    if answer == "cancel":
        return "cancelled"
    saved = all([save() for _, save in edits])
    say(window, said)
    return "done" if saved else "refused"


def say(window: Any, said: list[str]) -> None:
    """What the question's Save saved, in the status bar (no earlier message left standing beside it)."""
    if said:
        window.statusBar().showMessage(joined(said), SAVED_MESSAGE_MS)


def listed_edits(edits: list[tuple[str, Callable[[], bool]]], head: str = "Not saved yet:") -> str:
    """The unsaved edits as a message's list: "Not saved yet:\n• clinician's notes ..." """
    return head + "\n" + "\n".join(f"• {name}" for name, _ in edits)


def _discard(window: Any) -> None:
    """The typing let go: each form shows what is stored now, read again (a form holding typing is not filled again
    when the register changes elsewhere: its copy was the older text, 'first' where 'second' was stored since)."""
    form, panel, reg = window.patient_form, window.lesions, window.session.register
    if form.patient is not None:
        form.show_patient(_stored(ops.patient, reg, form.patient))
    if panel.shown is not None:
        panel.shown = _stored(ops.lesion, reg, panel.shown)
    panel.reset_form()
    window.assessment.reset_review()


def _stored(read: Callable[[Any, int], Any], reg: Any, shown: Any) -> Any:
    """The record ``shown`` as stored now; as shown where it is gone (purged meanwhile)."""
    try:
        return read(reg, shown.id)
    except DermaDeskError:
        return shown
