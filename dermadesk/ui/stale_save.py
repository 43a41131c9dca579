"""A save never overwrites without a word what was changed elsewhere (a command, another window or workstation, an
import) since the form was filled: a patient's details and a capture's review are compared with what is stored
now (``services.changed_elsewhere.merge``). A field changed only elsewhere keeps its stored value; one typed here and
changed elsewhere is asked about, both shown: Keep the stored one, Save mine, or Cancel (nothing saved, the typing
kept; what Enter answers, so that a reflex lets nothing go); for free text (notes) also Keep both: the stored text,
a blank line, then what was typed here."""

from __future__ import annotations

from typing import Any

from dermadesk.domain.follow_up import months_words
from dermadesk.services import register_ops as ops
from dermadesk.services.captures import when_taken
from dermadesk.services.changed_elsewhere import Clash, Merged, merge, same
from dermadesk.ui.patient_form import PATIENT_FIELD_WORDS
from dermadesk.ui.report_actions import SAVED_MESSAGE_MS

KEEP, MINE, BOTH = "Keep the stored one", "Save mine", "Keep both"
TITLE = "Changed elsewhere meanwhile"
SHOWN_CHARS = 400  # each value at most this long in the question (a long note: its beginning)


def _shown(value: Any) -> str:
    text = str(value or "").strip()
    if not text:
        return "(empty)"
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…"


def _ask(window: Any, what: str, clashes: tuple[Clash, ...], words: dict[str, str], both: bool) -> str | None:
    """KEEP, MINE, with ``both`` (free text only) BOTH, or None (Cancel) for ``clashes`` in ``what`` ("patient
    C-1001 Ada Lovelace")."""
    fields = ", ".join(words.get(c.field, c.field) for c in clashes)
    lines = [
        f"The {fields} of {what} changed elsewhere (another window, a command or an import) after you opened them "
        "here, and you changed them too:"
    ]
    for c in clashes:
        word = words.get(c.field, c.field).capitalize()
        lines += ["", f"{word}, stored now:", _shown(c.stored), f"{word}, yours:", _shown(c.typed)]
    answers = [f"{KEEP} (yours is let go)", f"{MINE} (it replaces the stored one)"]
    if both:
        answers.append(f"{BOTH} (the stored text, then yours under it)")
    lines += ["", ", ".join(answers[:-1]) + f", or {answers[-1]}? Cancel saves nothing and keeps your typing here."]
    options = [KEEP, MINE, BOTH] if both else [KEEP, MINE]
    return window.session.dialogs.choose(TITLE, "\n".join(lines), options, cancel_default=True)  # Enter: nothing lost


def _resolved(window: Any, what: str, merged: Merged, words: dict[str, str]) -> dict[str, Any] | None:
    if not merged.clashes:
        return merged.values
    answer = _ask(window, what, merged.clashes, words, merged.both_keepable)
    if answer == BOTH:
        return merged.kept_both()
    return None if answer is None else merged.resolved(answer == KEEP)


def patient_to_save(window: Any, patient_id: int, changes: dict[str, Any]) -> dict[str, Any] | None:
    """The patient form's ``changes`` that are to be saved: all of them, unless one of them was changed elsewhere
    since the form was filled (then as the user chose; {}: nothing left to save). None: Cancel."""
    loaded = window.patient_form.patient
    if loaded is None or loaded.id != patient_id or not changes:
        return changes
    stored = ops.patient(window.session.register, patient_id)
    merged = merge({k: getattr(loaded, k) for k in changes}, {k: getattr(stored, k) for k in changes}, changes)
    if not merged.changed_elsewhere:  # saved as ever
        return changes
    values = _resolved(window, f"patient {stored.mrn} {stored.name}", merged, PATIENT_FIELD_WORDS)
    if values is None:
        return None
    return {k: v for k, v in values.items() if not same(k, v, getattr(stored, k))}


def review_to_save(
    window: Any, capture_id: int, decision: str | None, notes: str, said: list[str] | None = None
) -> dict[str, Any] | None:
    """{"decision", "notes", "recheck_months"} to save for the capture: as typed (the re-check interval as the box
    holds it), with a field changed only elsewhere as stored now, and a field changed on both sides as the user chose;
    {} when that leaves nothing to save (the review box then shows what is stored, and the status bar, or ``said``,
    says so). None: Cancel. A re-check interval goes with a 'monitor' decision only: with another it is None."""
    view, reg = window.assessment, window.session.register
    stored = ops.capture(reg, capture_id)
    if view.capture is None or view.capture.id != capture_id:  # not in the box: the stored interval, with 'monitor'
        return _with_months({"decision": decision or None, "notes": notes, "recheck": _months(stored.recheck_months)})
    typed = {"decision": decision or None, "notes": notes, "recheck": _months(view.recheck_months())}
    merged = merge(
        {"decision": view.loaded[0], "notes": view.loaded[1], "recheck": _months(view.loaded_recheck)},
        {
            "decision": stored.decision or None,
            "notes": stored.clinician_notes,
            "recheck": _months(stored.recheck_months),
        },
        typed,
    )
    if not merged.changed_elsewhere:  # saved as ever
        return _with_months(typed)
    title = ops.lesion(reg, stored.lesion_id).title
    what = f"{title}'s capture of {when_taken(reg, stored)}"
    words = {"decision": "decision", "notes": "clinician's notes", "recheck": "re-check interval"}
    values = _resolved(window, what, merged, words)
    if values is None:
        return None
    if merged.same_as_stored(values):
        view.review_stored(stored)
        view.reset_review()
        kept = f"Review of {what} kept as stored: nothing saved"
        said.append(kept) if said is not None else window.statusBar().showMessage(kept, SAVED_MESSAGE_MS)
        return {}
    return _with_months(values)


def _months(months: int | None) -> str | None:
    """A re-check interval as the question shows it ("12 months"), None for the tier's."""
    return months_words(months) if months else None


def _with_months(values: dict[str, Any]) -> dict[str, Any]:
    """``values`` with the re-check interval back in months (``recheck_months``), None unless the decision is
    'monitor' (one changed elsewhere to another decision takes the interval typed here with it)."""
    words = values.get("recheck")
    months = int(words.split()[0]) if words and values.get("decision") == "monitor" else None
    return {**{k: v for k, v in values.items() if k != "recheck"}, "recheck_months": months}
