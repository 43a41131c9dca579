"""``dermadesk lesion show ID`` (and ``capture list --lesion ID``, the same): a lesion with its captures in date order,
each with the id the other commands take (``compare A B``, ``capture review --capture ID``, ``assess``), what was
recorded with it (its modality, which decides whether the model assesses it: a clinical image is NOT ASSESSABLE; and
its polarisation, magnification and scale, "not recorded" where nobody entered one, as the reports and the app say it:
a line under it), its stored result, its change since the baseline and its decision with the clinician's notes
("clinician notes:"); the notes saved with the capture ("capture notes:": typed at ``capture add --notes`` or brought
by a transfer) under it. Reads stored results only: no model is run, nothing is compared or written."""

from __future__ import annotations

import argparse
import textwrap
from typing import Any

from dermadesk.cli.output import (
    Context,
    assessment_flags,
    assessment_text,
    capture_ref,
    change_text,
    thresholds_of,
    tier_text,
)
from dermadesk.contract.manifest import RiskThresholds
from dermadesk.domain.lesion_name import lesion_name
from dermadesk.domain.recorded import recorded_text
from dermadesk.domain.records import Assessment, Capture
from dermadesk.domain.text import counted, list_mark, typed_lines
from dermadesk.storage.register import Register


def result_text(
    a: Assessment | None, capture_id: int, thresholds: RiskThresholds | None = None, stale: str = ""
) -> str:
    """The capture's stored result in one line: its tier and chances (as precise as its model's ``thresholds`` ask,
    ``tier_text``), NOT ASSESSABLE with the reasons, or not assessed with the command that assesses it (``stale``:
    where the one made before its modality was corrected is out of date, that: ``modality.outdated_words``)."""
    if a is None:
        return stale or f"not assessed (dermadesk assess --capture {capture_id})"
    if a.assessable and a.risk_tier:
        return tier_text(a, thresholds) + assessment_flags(a)
    return assessment_text(a)  # NOT ASSESSABLE, no risk tier: the reasons


def _decision(reg: Register, c: Capture) -> tuple[str, tuple[str, str] | None]:
    """'decision monitor, re-check in 12 months, by Dr A on 6 Jan 2026' (who and when from the audit log, where it
    says so), or 'no decision'; with (who, when) for --json."""
    from dermadesk.domain.dates import human_date, local_day
    from dermadesk.domain.follow_up import decision_words
    from dermadesk.domain.text import who_text
    from dermadesk.services.reports import decision_record

    if not c.decision:
        return "no decision", None
    decided = f"decision {decision_words(c.decision, c.recheck_months, tiers=True)}"
    record = decision_record(reg, c)
    if record is None:
        return decided, None
    who, when = record
    return decided + (f", by {who_text(who)}" if who else "") + (
        f" on {human_date(local_day(when) or when)}" if when else ""
    ), record


NOTES_WIDTH = 80  # a terminal's width: the notes are the one free text here, often a paragraph


def notes_lines(notes: str, indent: str = "    ", label: str = "clinician notes") -> list[str]:
    """The clinician's notes under the decision, wrapped: "    clinician notes: Border irregular at 6 o'clock; ..." and
    each line after under the first word (a line break typed kept, a blank line between two paragraphs kept as one
    empty line, a run of them as one, as the lesion report keeps it), each line indented as typed and wrapped under
    its own text ("  - refer to dermatology" / "    - photo sent": ``typed_lines``, a tab as four spaces, as the
    lesion report prints them), a list item's under the text after its mark (``list_mark``: "- refer ..." went on
    under its dash); none where there are no notes. ``label``: the notes' name ("capture notes": those saved with
    the capture, as its image came in or by a transfer), as the register names them."""
    head, lines = f"{indent}{label}: ", []
    for depth, text in typed_lines(notes):
        if not text:  # a blank line typed between two paragraphs (never first or last: ``typed_lines``)
            lines.append("")
            continue
        lead = head if not lines else " " * len(head)
        # a list item ("- ", "* ", "1. ") goes on under the text after its mark, as the lesion report hangs it; a long
        # word (a file name, a link) is kept whole, past the width if need be
        rest = " " * (len(head) + depth + len(list_mark(text)))
        lines += textwrap.wrap(
            text,
            NOTES_WIDTH,
            initial_indent=lead + " " * depth,
            subsequent_indent=rest,
            break_long_words=False,
            break_on_hyphens=False,
        )
    return lines


def _change(reg: Register, c: Capture, baseline: Capture) -> tuple[str, Any]:
    """The capture's change since the baseline as ``capture add`` and the app's panel say it, from the stored
    comparison (never compared here), or that it was not compared yet and how to compare it."""
    from dermadesk.services.stored_comparisons import latest_change, line_of

    if c.id == baseline.id:
        return "the baseline (the lesion's first capture)", None
    row = latest_change(reg, c.id)
    if row is None:
        return f"change since the baseline: not compared yet (dermadesk compare {baseline.id} {c.id})", None
    return change_text(line_of(reg, row), row), row


def lesion_show(ctx: Context, args: argparse.Namespace) -> int:
    from dermadesk.cli.follow_up_said import flag_and_next, lesion_next, next_json
    from dermadesk.services import register_ops as ops
    from dermadesk.inference.registry import ModelRegistry
    from dermadesk.services.attention import lesion_flag
    from dermadesk.services.modality import outdated_words
    from dermadesk.services.standing import standing_result

    models = ModelRegistry(ctx.data_dir)  # the thresholds of the models that assessed: read only where one did
    with ctx.register() as reg:
        les = ops.lesion(reg, args.id)
        patient = reg.patients.get(les.patient_id)
        captures = reg.captures.for_lesion(les.id)
        flag, why = lesion_flag(reg, les.id, command=True) if les.deleted_at is None else ("", "")
        follow_up = lesion_next(reg, les) if les.deleted_at is None else None  # said always, not only once overdue
        # an URGENT or REFER result a decision on a later capture answered: said under its capture
        answered = {x.capture.id: x for x in standing_result(reg, les.id).answered}
        rows = []
        stale = {c.id: outdated_words(reg, c.id, f"dermadesk assess --capture {c.id}") for c in captures}
        for c in captures:
            a = reg.assessments.latest(c.id)
            change, row = _change(reg, c, captures[0])
            decided, record = _decision(reg, c)
            if c.id in answered:
                decided += (
                    f"; its {(answered[c.id].assessment.risk_tier or '').upper()} result was {answered[c.id].how}"
                )
            status = "not assessed" if a is None else a.status
            rows.append((c, capture_ref(reg, c), a, status, change, row, decided, record))
    lines = [
        f"lesion id {les.id} of patient {patient.mrn} {patient.name}: {lesion_name(les, flag)}, {les.status}"
        + (f" (deleted: restore with dermadesk lesion delete {les.id} --restore)" if les.deleted_at else "")
    ]
    # "next follow-up: 24 Nov 2027 (12 months, clinician's decision)"; an overdue one in the flag's line, said once
    flagged, next_said = flag_and_next(flag, why, follow_up if rows else None)
    lines += [f"  {said}" for said in (flagged, next_said) if said]
    if rows:
        lines.append(f"{counted(len(rows), 'capture')}, oldest first:")
    else:
        lines.append(f"no captures (add them with: dermadesk capture add --lesion {les.id} IMAGE...)")
    for c, named, a, _, change, _, decided, _ in rows:
        lines.append(f"  {named}" + (f" {c.original_name}" if c.original_name else ""))
        # modality, polarisation, magnification, scale, each said ("polarisation not recorded": left out, it read as
        # not printed), as the lesion report's caption and table and the app's Add and Edit capture say them
        lines.append(f"    {recorded_text(c, every=True)}")
        lines += notes_lines(c.notes or "", label="capture notes")  # saved with the capture (capture add --notes,
        # a transfer package's), under the capture as the clinician's notes are under the decision
        said = result_text(a, c.id, thresholds_of(models, a), stale[c.id])
        lines += [f"    {said}", f"    {change}", f"    {decided}"]
        lines += notes_lines(c.clinician_notes or "")  # what the clinician wrote with the decision
    detail = {
        "lesion": les,
        "patient": {"mrn": patient.mrn, "name": patient.name},
        "flag": flag.removeprefix("⚠ "),
        "flag_why": why,
        "next_follow_up": next_json(follow_up) if follow_up is not None else None,
        "baseline_capture_id": captures[0].id if captures else None,
        "captures": [
            {
                "capture": c,
                "named": named,
                "status": status,
                "assessment": a,
                "change": row,
                "decided_by": record[0] if record else None,
                "decided_at": record[1] if record else None,
                "result_answered_by": answered[c.id].by.id if c.id in answered else None,  # a later capture's decision
            }
            for c, named, a, status, _, row, _, record in rows
        ],
    }
    ctx.emit(detail, "\n".join(lines))
    return 0


def add_lesion_parsers(ls: argparse._SubParsersAction) -> None:
    a = ls.add_parser("show", help="a lesion with its captures: their ids, stored results, change and decisions")
    a.add_argument("id", type=int, help="lesion id (as 'patient show' prints it)")
    a.set_defaults(func=lesion_show)


def add_capture_parsers(cs: argparse._SubParsersAction) -> None:
    a = cs.add_parser("list", help="a lesion's captures with their ids and stored results (as 'lesion show ID')")
    a.add_argument(
        "--lesion", type=int, required=True, metavar="ID", dest="id", help="lesion id (as 'patient show' prints it)"
    )
    a.set_defaults(func=lesion_show)
