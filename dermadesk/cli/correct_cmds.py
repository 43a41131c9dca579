"""Corrections: ``capture edit|delete`` and ``lesion edit|delete`` (``--restore``), each audited before and after.

A correction leaves the stored comparisons of the changed captures out as stale
(``tracking.current_comparisons``); the lesion's latest capture is then compared with its baseline as it is now, and a
later capture with the reviewed capture before it, as the app does (``tracking.refresh_baseline_comparison``): a line
for each comparison (``recompared_text``). A stored comparison that the correction makes current again (a date
corrected back to the one it was made with, a capture restored) is not compared again: its verdict comes back, and a
line says so too ("compared before with the baseline, in use again: SIGNIFICANT ...").
"""

from __future__ import annotations

import argparse
import sys

from dermadesk.cli.output import Context, capture_ref, lesion_ref
from dermadesk.domain.dates import human_datetime
from dermadesk.domain.errors import DermaDeskError, ValidationError
from dermadesk.domain.records import LESION_STATUSES, MODALITIES, SITES, Comparison
from dermadesk.services import register_ops as ops
from dermadesk.storage.register import Register


def _in_use(reg: Register, capture_id: int) -> dict[tuple[int, int], int]:
    """Before a correction of ``capture_id``: the comparison in use for each pair of its patient's lesions (those it
    may move to included), for ``_recompare`` to tell afterwards which stored one the correction put back in use."""
    from dermadesk.services.stored_comparisons import in_use

    patient = ops.lesion(reg, ops.capture(reg, capture_id).lesion_id).patient_id
    return in_use(reg, [les.id for les in ops.lesions_of(reg, patient)])


def _recompare(
    ctx: Context, reg: Register, lesion_ids: set[int], before: dict[tuple[int, int], int]
) -> tuple[list[Comparison], list[Comparison]]:
    """Compare each lesion's captures again as they are now (stored, unless already current): with the baseline,
    then with the reviewed capture before a later one; a line for each (``recompared_text``; none with --json), then
    one for each stored comparison in use again (``in_use_again``: not in use in ``before``, taken before the
    correction). Returns (the comparisons stored, those in use again)."""
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
    again = in_use_again(reg, before, lesion_ids, {row.id for row in made})
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


EDITED = {"taken_at": "date taken", "modality": "modality", "mm_per_px": "scale", "lesion_id": "lesion id"}


def edited_text(field: str, before: object, after: object) -> str:
    """A capture's field corrected, in plain words: "date taken 10 Apr 2026 → 10 Feb 2026", "scale not recorded →
    0.02 mm per pixel", "lesion id 1 → 2" (never the stored name, "taken_at 2026-04-10 -> 2026-02-10")."""

    def said(value: object) -> str:
        if value is None:
            return "not recorded"
        if field == "taken_at":
            return human_datetime(str(value))  # as every capture date is said (its time where it has one)
        return f"{value:g} mm per pixel" if field == "mm_per_px" and isinstance(value, float) else str(value)

    return f"{EDITED.get(field, field)} {said(before)} → {said(after)}"


def capture_edit(ctx: Context, args: argparse.Namespace) -> int:
    changes = {
        k: v
        for k, v in (
            ("taken_at", args.taken_at),
            ("modality", args.modality),
            ("mm_per_px", args.mm_per_px),
            ("lesion_id", args.lesion),
        )
        if v is not None
    }
    if not changes:
        raise ValidationError("nothing to change: give --taken-at, --modality, --mm-per-px or --lesion")
    with ctx.register() as reg:
        before = _in_use(reg, args.id)
        edit = ops.edit_capture(reg, ctx.settings.actor(), args.id, changes)
        changed = {
            k: (getattr(edit.before, k), getattr(edit.after, k))
            for k in changes
            if getattr(edit.before, k) != getattr(edit.after, k)
        }
        lesions = {edit.before.lesion_id, edit.after.lesion_id}
        said: dict[str, object] = {"before": edit.before, "after": edit.after}
        if ctx.json:  # one document: the comparisons made again in it ("compared_again", as transfer import's), and
            # the stored ones it put back in use ("in_use_again": not made again, their verdicts back all the same)
            said["compared_again"], said["in_use_again"] = (
                _recompare(ctx, reg, lesions, before) if changed else ([], [])
            )
        ctx.emit(
            said,
            f"{capture_ref(reg, edit.after)}: "
            + (", ".join(edited_text(k, b, a) for k, (b, a) in changed.items()) or "nothing changed"),
        )
        if changed and not ctx.json:  # after the line that says what changed
            _recompare(ctx, reg, lesions, before)
    return 0


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
    a = cs.add_parser("edit", help="correct a capture's date, modality, scale or lesion (audited)")
    a.add_argument("id", type=int, help="capture id")
    a.add_argument("--taken-at", metavar="YYYY-MM-DD", help="the day the image was taken")
    a.add_argument("--modality", choices=MODALITIES, help="how the image was taken")
    a.add_argument("--mm-per-px", type=float, help="the image's scale: millimetres per pixel (for sizes in mm)")
    a.add_argument("--lesion", type=int, help="move it to this lesion (the same patient's)")
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
