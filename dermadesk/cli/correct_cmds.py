"""Corrections: ``capture edit|delete`` and ``lesion edit|delete`` (``--restore``), each audited before and after.

A correction leaves the stored comparisons of the changed captures out as stale
(``tracking.current_comparisons``); the lesion's latest capture is then compared with its baseline as it is now, and a
later capture with the reviewed capture before it, as the app does (``tracking.refresh_baseline_comparison``): a line
for each comparison (``recompared_text``). A stored comparison that the correction makes current again (a date
corrected back to the one it was made with, a capture restored) is not compared again: its verdict comes back, and a
line says so too ("compared before with the baseline, in use again: SIGNIFICANT ...").

A modality corrected leaves the capture's assessment out of date (made for the modality it had then: it shows
nowhere now); the capture is assessed again for its modality now, its line said as ``assess`` says it, before the
comparisons (``services.modality``). Where no model can be used, a warning says so and how to assess it later.
"""

from __future__ import annotations

import argparse
import sys

from dermadesk.cli.output import (
    DEVICE_HELP,
    DEVICES,
    NOT_A_DIAGNOSIS,
    Context,
    assessment_text,
    capture_ref,
    lesion_ref,
)
from dermadesk.domain.dates import human_datetime
from dermadesk.domain.errors import DermaDeskError, ValidationError
from dermadesk.domain.recorded import EDITED, field_value_text
from dermadesk.domain.records import LESION_STATUSES, MODALITIES, POLARISATIONS, SITES, Comparison
from dermadesk.services import register_ops as ops
from dermadesk.services.modality import AssessedAgain
from dermadesk.storage.register import Register
from dermadesk.storage.repositories import MAGNIFICATION_MOST, MAGNIFICATION_RANGE


def _in_use(reg: Register, capture_id: int) -> dict[tuple[int, int], int]:
    """Before a correction of ``capture_id``: the comparison in use for each pair of its patient's lesions (those it
    may move to included), for ``_recompare`` to tell afterwards which stored one the correction put back in use."""
    from dermadesk.services.stored_comparisons import in_use

    patient = ops.lesion(reg, ops.capture(reg, capture_id).lesion_id).patient_id
    return in_use(reg, [les.id for les in ops.lesions_of(reg, patient)])


def _recompare(
    ctx: Context, reg: Register, lesion_ids: set[int], before: dict[tuple[int, int], int], done: tuple[int, ...] = ()
) -> tuple[list[Comparison], list[Comparison]]:
    """Compare each lesion's captures again as they are now (stored, unless already current): with the baseline,
    then with the reviewed capture before a later one; a line for each (``recompared_text``; none with --json), then
    one for each stored comparison in use again (``in_use_again``: not in use in ``before``, taken before the
    correction; ``done``: the ids of those made since it already, said so). Returns (the comparisons stored, those
    in use again)."""
    from dermadesk.services.stored_comparisons import in_use_again
    from dermadesk.services.tracking import refresh_baseline_comparison

    made: list[Comparison] = []
    for lid in sorted(lesion_ids):
        if ops.lesion(reg, lid).deleted_at is not None:
            continue
        stored: list[Comparison] = []
        try:
            refresh_baseline_comparison(reg, ctx.settings.actor(), lid, stored=stored)
        except DermaDeskError as exc:
            print(f"dermadesk: warning: {lesion_ref(reg, lid)}: comparisons not all redone: {exc}", file=sys.stderr)
        made += stored  # those stored before a failure too
        for row in [] if ctx.json else stored:
            print(recompared_text(reg, row))
    again = in_use_again(reg, before, lesion_ids, {row.id for row in made} | set(done))
    for row in [] if ctx.json else again:
        print(recompared_text(reg, row, again=True))
    return made, again


def recompared_text(reg: Register, row: Comparison, where: str = "", again: bool = False, new: bool = False) -> str:
    """A comparison made again after a correction (``capture edit``, or one a ``transfer import`` brought), its lesion
    named as ``patient show`` names it and its pair as ``compare`` names it: "Lesion 1 (id 3): capture 1 (10 Jan 2026)
    → capture 2 (10 Feb 2026) compared again with the baseline: SIGNIFICANT (area grew by 56%) (comparison 4)"; "...
    with the reviewed capture: ..." where the first is the reviewed capture the second is judged since (the ⚠ CHANGED
    flag reads that comparison); neither for another pair (one compared by hand: "... compared again: NOT SIGNIFICANT
    ..."). ``where``: where it was made, if not here ("at workstation W", one a package brought: "compared again at
    workstation W with the baseline: ..."). ``again``: a stored comparison the correction put back in use, not made
    now: "... compared before with the baseline, in use again: SIGNIFICANT ..." (``compared_text``, as the app's import
    notice says one); ``new``: a first comparison of the pair, one a package brought ("compared at workstation W with
    the baseline: ...")."""
    from dermadesk.services.compared_text import compared_text

    first, second = reg.captures.get(row.baseline_capture_id), reg.captures.get(row.followup_capture_id)
    named = (lesion_ref(reg, row.lesion_id), capture_ref(reg, first), capture_ref(reg, second))
    return f"{compared_text(reg, row, *named, where, again, new)} (comparison {row.id})"


def edited_text(field: str, before: object, after: object) -> str:
    """A capture's field corrected, in plain words: "date taken 10 Apr 2026 → 10 Feb 2026", "scale not recorded →
    0.02 mm per pixel", "lesion id 1 → 2", "magnification not recorded → ×10" (never the stored name, "taken_at
    2026-04-10 -> 2026-02-10"); its notes "notes saved" or "notes cleared" (they may run to lines)."""
    if field == "notes":
        return "notes saved" if after else "notes cleared"
    return f"{EDITED.get(field, field)} {field_value_text(field, before)} → {field_value_text(field, after)}"


def magnification(text: str) -> float | None:
    """--magnification: a number, e.g. 10, also as the command line prints it, "×10" (or "x10", "10x"); "none" clears
    it (argparse says "invalid magnification value")."""
    said = text.strip().lower()
    if said == "none":
        return None
    if said.startswith(("×", "x")):  # one sign, before or after the number: "x10x" or "××10" is none
        said = said[1:]
    elif said.endswith(("×", "x")):
        said = said[:-1]
    return float(said)


def scale(text: str) -> float | None:
    """--mm-per-px: a number, e.g. 0.02; "none" clears it (not recorded), as the app's Edit capture can (argparse
    says "invalid scale value")."""
    return None if text.strip().lower() == "none" else float(text)


def magnification_in_range(value: float | None) -> float | None:
    """``value`` where a dermatoscope's magnification can be it (or None: not recorded), else an error that says the
    range: "--magnification: 0 is out of range: give the dermatoscope's magnification, e.g. 10 (above 0, up to
    1000)" (the register said "magnification 0.0 is out of range", without the range)."""
    if value is not None and not 0 < value <= MAGNIFICATION_MOST:
        raise ValidationError(
            f"--magnification: {value:g} is out of range: give the dermatoscope's magnification, e.g. 10 "
            f"{MAGNIFICATION_RANGE}"
        )
    return value


def _changes(args: argparse.Namespace) -> dict[str, object]:
    """What ``capture edit`` was given to change: an option left out is not among them; --notes '', --polarisation
    none, --magnification none and --mm-per-px none are (they clear the field: not recorded)."""
    given = {
        "taken_at": args.taken_at,
        "modality": args.modality,
        "lesion_id": args.lesion,
        "polarisation": args.polarisation,
        "notes": args.notes,
    }
    changes: dict[str, object] = {k: v for k, v in given.items() if v is not None}
    if args.polarisation == "none":
        changes["polarisation"] = None
    if args.mm_per_px is not LEFT_OUT:
        changes["mm_per_px"] = args.mm_per_px
    if args.magnification is not LEFT_OUT:
        changes["magnification"] = magnification_in_range(args.magnification)
    return changes


LEFT_OUT = object()  # --magnification or --mm-per-px not given (None is "none": cleared)


def capture_edit(ctx: Context, args: argparse.Namespace) -> int:
    changes = _changes(args)
    if not changes:
        raise ValidationError(
            "nothing to change: give --taken-at, --modality, --mm-per-px, --lesion, --polarisation, --magnification "
            "or --notes"
        )
    with ctx.register() as reg:
        before = _in_use(reg, args.id)
        edit = ops.edit_capture(reg, ctx.settings.actor(), args.id, changes)
        changed = {
            k: (getattr(edit.before, k), getattr(edit.after, k))
            for k in changes
            if getattr(edit.before, k) != getattr(edit.after, k)
        }
        lesions = {edit.before.lesion_id, edit.after.lesion_id}
        compared = any(k in ops.COMPARED_AGAIN_AFTER for k in changed)  # not for what was recorded with it
        said: dict[str, object] = {"before": edit.before, "after": edit.after}
        if ctx.json:  # one document: the comparisons made again in it ("compared_again", as transfer import's), and
            # the stored ones it put back in use ("in_use_again": not made again, their verdicts back all the same);
            # after a modality correction the assessment made for it now ("assessed_again", null: none) and why not
            again = _assess_again(ctx, reg, args, args.id, emit=False) if "modality" in changed else None
            said["assessed_again"] = again.assessment if again else None
            said["not_assessed_again"] = again.problem if again else ""
            first = again.compared if again else []
            made, said["in_use_again"] = _recompare(ctx, reg, lesions, before, ids(first)) if compared else ([], [])
            said["compared_again"] = first + made
        ctx.emit(
            said,
            f"{capture_ref(reg, edit.after)}: "
            + (", ".join(edited_text(k, b, a) for k, (b, a) in changed.items()) or "nothing changed"),
        )
        if compared and not ctx.json:  # after the line that says what changed: the new result, then the comparisons
            again = _assess_again(ctx, reg, args, args.id) if "modality" in changed else None
            _recompare(ctx, reg, lesions, before, ids(again.compared) if again else ())
    return 0


def ids(rows: list[Comparison]) -> tuple[int, ...]:
    return tuple(row.id for row in rows)


def _assess_again(
    ctx: Context, reg: Register, args: argparse.Namespace, capture_id: int, emit: bool = True
) -> AssessedAgain | None:
    """After a modality correction: the capture assessed again for its modality now, then the comparisons made with
    its tier before compared again (``services.modality``); ``emit``: its line as ``assess`` says it, the line of
    each comparison made again, or a warning where it could not be assessed. None: never assessed, nothing to redo."""
    from dermadesk.inference.engine import Assessor, open_assessor
    from dermadesk.services.advice import capture_advice
    from dermadesk.services.modality import assess_for_modality, outdated_words, to_assess_again

    if not to_assess_again(reg, capture_id):
        return None
    device, model = args.device or ctx.settings.device, args.model or ctx.settings.model or None
    opened: list[Assessor] = []

    def open_model() -> Assessor:
        opened.append(open_assessor(ctx.data_dir, model, device))
        return opened[-1]

    done = assess_for_modality(reg, open_model, ctx.settings.actor(), capture_id)
    named, a = capture_ref(reg, reg.captures.get(capture_id)), done.assessment
    if emit and a is not None:
        advice = capture_advice(reg, capture_id)
        print(
            f"{named}: "
            + assessment_text(a, advice.text if advice else None, opened[-1].entry.manifest.thresholds)
            + f"\nassessed again for its modality with {opened[-1].entry.key} on {opened[-1].choice.device_label}"
            + f" -- {NOT_A_DIAGNOSIS}"
        )
    elif emit:  # none made now: the one made for its modality now before, where there is one, else none stands
        now, how = reg.assessments.latest(capture_id), f"dermadesk assess --capture {capture_id}"
        left = (
            f"its assessment of {human_datetime(now.created_at)}, made for a {now.modality} image as it is now, stands"
            if now is not None
            else outdated_words(reg, capture_id, how)
        )
        print(f"dermadesk: warning: {named} not assessed again: {done.problem}; {left}", file=sys.stderr)
    for row in done.compared if emit else []:
        print(recompared_text(reg, row))
    if done.compare_problem:
        print(
            f"dermadesk: warning: comparisons not all made again after the assessment: {done.compare_problem}",
            file=sys.stderr,
        )
    return done


def capture_delete(ctx: Context, args: argparse.Namespace) -> int:
    with ctx.register() as reg:
        before = _in_use(reg, args.id)
        edit = (ops.restore_capture if args.restore else ops.delete_capture)(reg, ctx.settings.actor(), args.id)
        ctx.emit(
            edit.after,
            f"{capture_ref(reg, edit.after)} " + ("restored" if args.restore else "deleted (restore with --restore)"),
        )
        _recompare(ctx, reg, {edit.after.lesion_id}, before)
    return 0


def lesion_edited_text(field: str, before: object, after: object) -> str:
    """A lesion's field changed, in plain words as ``capture edit`` says its own: "status monitoring → referred",
    "label (none) → left chest" (never "status 'monitoring' -> 'referred'")."""

    def said(value: object) -> str:
        return str(value) if value else "(none)"

    return f"{field} {said(before)} → {said(after)}"


def lesion_edit(ctx: Context, args: argparse.Namespace) -> int:
    changes = {k: v for k, v in (("site", args.site), ("label", args.label), ("status", args.status)) if v is not None}
    if not changes:
        raise ValidationError("nothing to change: give --site, --label or --status")
    with ctx.register() as reg:
        edit = ops.edit_lesion(reg, ctx.settings.actor(), args.id, changes)
        named = lesion_ref(reg, edit.after.id)  # "Lesion 1 (id 3)", as patient show names it
    changed = [
        lesion_edited_text(k, getattr(edit.before, k), getattr(edit.after, k))
        for k in changes
        if getattr(edit.before, k) != getattr(edit.after, k)
    ]
    ctx.emit({"before": edit.before, "after": edit.after}, f"{named}: " + (", ".join(changed) or "nothing changed"))
    return 0


def lesion_delete(ctx: Context, args: argparse.Namespace) -> int:
    with ctx.register() as reg:
        edit = (ops.restore_lesion if args.restore else ops.delete_lesion)(reg, ctx.settings.actor(), args.id)
        named = lesion_ref(reg, edit.after.id)  # "Lesion 1 (id 3)", as patient show names it
    ctx.emit(
        edit.after,
        f"{named} " + ("restored" if args.restore else "deleted with its captures (restore with --restore)"),
    )
    return 0


def add_capture_parsers(cs: argparse._SubParsersAction) -> None:
    a = cs.add_parser(
        "edit", help="correct a capture's date, modality, scale, lesion, polarisation, magnification or notes (audited)"
    )
    a.add_argument("id", type=int, help="capture id")
    a.add_argument("--taken-at", "--taken", metavar="YYYY-MM-DD", help="the day the image was taken")  # as capture add
    a.add_argument("--modality", choices=MODALITIES, help="how the image was taken")
    a.add_argument(
        "--mm-per-px",
        type=scale,
        default=LEFT_OUT,
        metavar="MM",
        help="the image's scale: millimetres per pixel (for sizes in mm; 'none' clears it: not recorded)",
    )
    a.add_argument("--lesion", type=int, help="move it to this lesion (the same patient's)")
    a.add_argument(
        "--polarisation",
        choices=(*POLARISATIONS, "none"),
        help="the dermatoscope's light (recorded only; 'unknown' says it is not known; 'none' clears it: not recorded)",
    )
    a.add_argument(
        "--magnification",
        type=magnification,
        default=LEFT_OUT,
        metavar="X",
        help="the dermatoscope's magnification, e.g. 10 or ×10 (recorded only; 'none' clears it)",
    )
    a.add_argument(
        "--notes", help="the capture's notes, as 'capture add --notes' saves them (replace them; '' clears them)"
    )
    a.add_argument(
        "--model", help="the model that assesses it again after a modality correction (default: the default model)"
    )
    a.add_argument("--device", choices=DEVICES, help=DEVICE_HELP)
    a.set_defaults(func=capture_edit)
    a = cs.add_parser("delete", help="soft-delete a capture (or --restore it)")
    a.add_argument("id", type=int, help="capture id")
    a.add_argument("--restore", action="store_true", help="bring a deleted capture back")
    a.set_defaults(func=capture_delete)


def add_lesion_parsers(ls: argparse._SubParsersAction) -> None:
    a = ls.add_parser("edit", help="correct a lesion's site, label or status (audited)")
    a.add_argument("id", type=int, help="lesion id")
    a.add_argument("--site", help="; ".join(SITES))
    a.add_argument("--label", help='a short name, e.g. "left shoulder mole" ("" clears it)')
    a.add_argument("--status", choices=LESION_STATUSES, help="where the lesion stands")
    a.set_defaults(func=lesion_edit)
    a = ls.add_parser("delete", help="soft-delete a lesion with its captures (or --restore it)")
    a.add_argument("id", type=int, help="lesion id")
    a.add_argument("--restore", action="store_true", help="bring a deleted lesion back, with its captures")
    a.set_defaults(func=lesion_delete)
