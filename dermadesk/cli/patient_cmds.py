"""Patient commands: ``patient add|list|show|delete`` (``--restore``)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from dermadesk.cli.output import Context, taken_days_text
from dermadesk.domain.dates import human_date
from dermadesk.domain.errors import ValidationError
from dermadesk.domain.lesion_name import lesion_name
from dermadesk.domain.records import SEXES, SKIN_TYPES
from dermadesk.domain.text import counted
from dermadesk.services import register_ops as ops

LIKELY_DUPLICATE_EXIT = 3  # not added: likely already registered (--even-if-duplicate adds anyway)


def _refused_as_likely_duplicate(ctx: Context, message: str, found: list[Any]) -> int:
    """Say why nothing was saved (``message``), the likely duplicates ``found`` listed under --json; the exit code."""
    if ctx.json:
        ctx.emit(
            {
                "error": message,
                "likely_duplicates": [
                    {"patient": f.patient, "why": f.why, "deleted": f.patient.deleted_at is not None} for f in found
                ],
            }
        )
    print(f"dermadesk: error: {message}", file=sys.stderr, flush=True)
    return LIKELY_DUPLICATE_EXIT


def patient_add(ctx: Context, args: argparse.Namespace) -> int:
    from dermadesk.services.duplicates import TWIN, likely_before_adding, likely_lines
    from dermadesk.storage.repositories import Patients

    values = dict(
        mrn=args.mrn,
        name=args.name,
        birth_date=args.birth_date,
        sex=args.sex,
        skin_type=args.skin_type,
        notes=args.notes or "",
    )
    Patients.clean(values)  # a value refused before a new register is made for it
    with ctx.register(adds=True) as reg:
        found = [] if args.even_if_duplicate else likely_before_adding(reg, values)
        if found:  # refused, the existing patients named: one person's lesions in one record
            lines = likely_lines(found, "restore it with: dermadesk patient delete {mrn} --restore")
            which = (
                f"that patient (dermadesk lesion add --patient {found[0].patient.mrn} ...)"
                if len(found) == 1
                else "the right one (dermadesk lesion add --patient MRN ...)"
            )
            message = (
                f"not added: likely already registered as {'; '.join(lines)}. Add the lesions to {which}, "
                f"or, {TWIN} with --even-if-duplicate"
            )
            return _refused_as_likely_duplicate(ctx, message, found)
        p = ops.add_patient(reg, ctx.settings.actor(), **values)
    ctx.emit(p, f"patient {p.id} added: {p.mrn} {p.name}")
    return 0


def patient_list(ctx: Context, args: argparse.Namespace) -> int:
    with ctx.register() as reg:
        patients = ops.search_patients(reg, args.search or "", limit=args.limit, include_deleted=args.deleted)
    # born as patient show and the app say it, "12 Apr 1968" (--json: as stored, 1968-04-12)
    ctx.emit(
        patients,
        "\n".join(
            f"{p.mrn:<14} {p.name:<30} {human_date(p.birth_date):<11} {p.sex or ''}".rstrip()
            + ("  (deleted)" if p.deleted_at else "")
            for p in patients
        )
        or "no patients",
    )
    return 0


def patient_show(ctx: Context, args: argparse.Namespace) -> int:
    from dermadesk.cli.follow_up_said import flag_and_next, lesion_next, next_json
    from dermadesk.services.attention import lesion_flag

    with ctx.register() as reg:
        found = ops.patient_detail(reg, args.mrn)
        flags = {les.id: lesion_flag(reg, les.id, command=True) for les, _ in found.lesions}  # as the app flags it
        follow_ups = {les.id: lesion_next(reg, les) for les, _ in found.lesions}  # each lesion's, said always
    p = found.patient
    detail = {
        "patient": p,
        "lesions": [
            {
                "lesion": les,
                "captures": caps,
                "flag": flags[les.id][0].removeprefix("⚠ "),
                "flag_why": flags[les.id][1],
                "next_follow_up": next_json(follow_ups[les.id]),
            }
            for les, caps in found.lesions
        ],
    }
    # what is not recorded is left out, as the app's patient list leaves it out ("skin type ?" read like a value)
    lines = [
        " ".join(
            w
            for w in (
                p.mrn,
                p.name,
                f"born {human_date(p.birth_date)}" if p.birth_date else "",
                p.sex or "",
                f"skin type {p.skin_type}" if p.skin_type else "",
            )
            if w
        )
    ]
    for item in detail["lesions"]:
        les = item["lesion"]
        flag, why = flags[les.id]  # the lesion named as the app's lesion list names it: "⚠ CHANGED Lesion 1 · ..."
        lines.append(
            f"  id {les.id}: {lesion_name(les, flag)}, {les.status}, "
            f"{counted(len(item['captures']), 'capture')}"
            + (f" (lesion show {les.id} for its captures)" if item["captures"] else "")
        )
        # "⚠ CHANGED: significant change on 3 Mar 2026 (area grew by 44%); status still 'monitoring'"; "next follow-up:
        # 24 Nov 2027 (12 months, ...)"; an overdue one in the flag's line, its date said once
        flagged, next_said = flag_and_next(flag, why, follow_ups[les.id] if item["captures"] else None)
        if flagged:
            lines.append(f"    {flagged}")
        if item["captures"]:  # "taken 5 Jan 2026, 10 Feb 2026 and 12 May 2026": when, without opening each lesion
            lines.append(f"    {taken_days_text(item['captures'])}")
        if next_said:
            lines.append(f"    {next_said}")
    ctx.emit(detail, "\n".join(lines))
    return 0


FIELDS = {"mrn": "MRN", "name": "name", "birth_date": "birth date", "sex": "sex", "skin_type": "skin type"}


def patient_edited_text(field: str, before: str | None, after: str | None) -> str:
    """A patient's field changed, in plain words as ``lesion edit`` says its own: "birth date 12 Apr 1968 → 14 Apr
    1968", "sex (none) → female"; the notes only "notes saved" or "notes cleared" (a paragraph, often)."""
    if field == "notes":
        return "notes saved" if after else "notes cleared"

    def said(value: str | None) -> str:
        return (human_date(value) if field == "birth_date" else value) if value else "(none)"

    return f"{FIELDS[field]} {said(before)} → {said(after)}"


def patient_edit(ctx: Context, args: argparse.Namespace) -> int:
    """Save what was given, as the app's patient form saves it (``register_ops.update_patient``, audited): a field
    left out is kept; values equal to the stored ones write nothing and say so. A name or birth date that makes the
    patient look like another one is refused as the app asks first (``--even-if-duplicate``: saved)."""
    from dermadesk.services.duplicates import TWIN, likely_duplicates, likely_lines

    given = {k: getattr(args, k) for k in ("mrn", "name", "birth_date", "sex", "skin_type", "notes")}
    given = {k: v for k, v in given.items() if v is not None}
    if not given:
        raise ValidationError("nothing to change: give --mrn, --name, --birth-date, --sex, --skin-type or --notes")
    with ctx.register() as reg:
        before = ops.patient_by_mrn(reg, args.patient)
        values = reg.patients.clean(given)  # as they would be stored: typing that stores the same changes nothing
        changes = {k: v for k, v in values.items() if (v or None) != (getattr(before, k) or None)}
        name, born = changes.get("name", before.name), changes.get("birth_date", before.birth_date)
        found = (
            []
            if args.even_if_duplicate or not {"name", "birth_date"} & set(changes)
            else (likely_duplicates(reg, name, born, other_than=before.id))
        )
        if found:
            lines = likely_lines(found, "restore it with: dermadesk patient delete {mrn} --restore")
            another = TWIN.replace("add anyway", "save anyway")
            message = (
                f"not saved: with this name and birth date, patient {before.mrn} looks like another patient "
                f"already registered: {'; '.join(lines)}. {another[0].upper()}{another[1:]} with "
                "--even-if-duplicate"
            )
            return _refused_as_likely_duplicate(ctx, message, found)
        after = ops.update_patient(reg, ctx.settings.actor(), before.id, changes).after if changes else before
    said = [patient_edited_text(k, getattr(before, k), getattr(after, k)) for k in changes]
    ctx.emit(
        {"before": before, "after": after},
        f"patient {after.mrn} {after.name}: " + (", ".join(said) or "nothing changed"),
    )
    return 0


def patient_delete(ctx: Context, args: argparse.Namespace) -> int:
    with ctx.register() as reg:
        found = ops.patient_by_mrn(reg, args.mrn, include_deleted=True)
        p = (ops.restore_patient if args.restore else ops.delete_patient)(reg, ctx.settings.actor(), found.id).after
    ctx.emit(p, f"patient {p.mrn} {'restored' if args.restore else 'deleted (restore with --restore)'}")
    return 0


def one_of(allowed: tuple[str, ...]) -> str:
    """The metavar of an option taking one of the values the app's patient form offers: "{female,male,other,unknown}"
    in the usage, as argparse shows choices. The register checks the value (in any case; "" for none), so that a
    wrong one is refused as every bad value is, in one line (--json: a JSON error), exit code 1."""
    return "{" + ",".join(allowed) + "}"


def add_fields(a: argparse.ArgumentParser, edit: bool = False) -> None:
    """The patient's fields, as the app's patient form has them, spelled alike in ``patient add`` and ``edit``."""
    clears = " ('' clears it)" if edit else ""
    a.add_argument(
        "--mrn",
        required=not edit,
        help="a new medical record number (unique)" if edit else "medical record number (unique)",
    )
    a.add_argument("--name", required=not edit, help='full name, e.g. "Given Family"')
    a.add_argument("--birth-date", metavar="YYYY-MM-DD", help="the patient's date of birth" + clears)
    a.add_argument("--sex", metavar=one_of(SEXES), help="the patient's sex, in any case" + clears)
    a.add_argument("--skin-type", metavar=one_of(SKIN_TYPES), help="Fitzpatrick skin type, in any case" + clears)
    a.add_argument(
        "--notes", help="free text about the patient" + (" (replaces the notes; '' clears them)" if edit else "")
    )


def add_parsers(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("patient", help="add, list, show, edit, delete or restore patients")
    ps = p.add_subparsers(dest="action", required=True)
    a = ps.add_parser(
        "add",
        help="add a patient",
        epilog="A patient born the same day with the same or a "
        "similar name (accents, case, word order, Latin or Cyrillic/Greek spelling ignored; deleted "
        f"patients too) is likely this one: refused, exit code {LIKELY_DUPLICATE_EXIT}, the existing "
        "MRNs named.",
    )
    add_fields(a)
    a.add_argument(
        "--even-if-duplicate",
        action="store_true",
        help="add even where a patient born the same day has the same or a similar name (another person, e.g. a twin)",
    )
    a.set_defaults(func=patient_add)
    a = ps.add_parser("list", help="list patients, optionally searching name or MRN")
    a.add_argument(
        "--search",
        help="words matched as prefixes of name or MRN (a Cyrillic or Greek name "
        "also typed in Latin), or a birth date, a year or a birthday (12 Apr)",
    )
    a.add_argument("--limit", type=int, default=200, metavar="N", help="list at most N patients (default: 200)")
    a.add_argument("--deleted", action="store_true", help="include deleted patients")
    a.set_defaults(func=patient_list)
    a = ps.add_parser("show", help="a patient with lesions and captures")
    a.add_argument("mrn", help="the patient's medical record number")
    a.set_defaults(func=patient_show)
    a = ps.add_parser(
        "edit",
        help="correct a patient's MRN, name, birth date, sex, skin type or notes (audited)",
        epilog="A name or birth date that makes the patient look like another one registered (as patient add finds "
        f"them) is refused, exit code {LIKELY_DUPLICATE_EXIT}, the other MRNs named; --even-if-duplicate saves it.",
    )
    a.add_argument("patient", metavar="MRN", help="the patient's medical record number (as it is now)")
    add_fields(a, edit=True)
    a.add_argument(
        "--even-if-duplicate",
        action="store_true",
        help="save even where the patient then looks like another one (another person, e.g. a twin)",
    )
    a.set_defaults(func=patient_edit)
    a = ps.add_parser("delete", help="soft-delete a patient (or --restore)")
    a.add_argument("mrn", help="the patient's medical record number")
    a.add_argument("--restore", action="store_true", help="bring a deleted patient back")
    a.set_defaults(func=patient_delete)
