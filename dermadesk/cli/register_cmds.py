"""Register commands: lesion, capture, db check and export (patient: ``patient_cmds``; backup and restore:
``backup_cmds``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from dermadesk.analysis.decode import FORMATS_TEXT
from dermadesk.cli import correct_cmds, lesion_cmds, patient_cmds
from dermadesk.cli.output import (DEVICE_HELP, DEVICES, MODALITY_HELP, NOT_A_DIAGNOSIS, Context, assessment_json,
                                  assessment_text, capture_ref, change_text, compared_since_review_text, fail,
                                  refuse_missing_folder, thresholds_of, to_jsonable)
from dermadesk.domain.errors import ValidationError
from dermadesk.domain.lesion_name import lesion_name
from dermadesk.domain.records import DECISIONS, MODALITIES, POLARISATIONS, SITES
from dermadesk.services import register_ops as ops
from dermadesk.domain.text import counted, file_in_the_way


def lesion_add(ctx: Context, args: argparse.Namespace) -> int:
    with ctx.register() as reg:
        patient = ops.patient_by_mrn(reg, args.patient)
        les = ops.add_lesion(reg, ctx.settings.actor(), patient.id, args.site, args.label or "")
    ctx.emit(les, f"lesion id {les.id} added to patient {patient.mrn}: {lesion_name(les)}")
    return 0


def capture_add(ctx: Context, args: argparse.Namespace) -> int:
    from dermadesk.inference.registry import ModelRegistry
    from dermadesk.services.advice import capture_advice
    from dermadesk.services.assessment import make_assess_fn
    from dermadesk.services.captures import CaptureMeta, import_files
    from dermadesk.services.standing import carried_referral_hint
    from dermadesk.services.tracking import change_line

    magnification = correct_cmds.magnification_in_range(args.magnification)  # the range said, before any import
    meta = CaptureMeta(taken_at=args.taken, modality=args.modality, polarisation=args.polarisation,
                       magnification=magnification, mm_per_px=args.mm_per_px, notes=args.notes or "")
    assess, engine_note = (None, "assessment skipped (--no-assess)") if args.no_assess else make_assess_fn(
        ctx.data_dir, args.model or ctx.settings.model or None, args.device or ctx.settings.device)
    if assess is None and not args.no_assess:
        print(f"dermadesk: warning: {engine_note}", file=sys.stderr, flush=True)
    with ctx.register() as reg:
        reg.lesions.get(args.lesion)  # a missing lesion is one error, not one per file
        result = import_files(reg, ctx.settings.actor(), args.lesion, args.images, meta, assess)
        tiers = [a.risk_tier for a in result.assessments]
        verdict = result.comparison.verdict if result.comparison is not None else None
        refer = any(ops.needs_referral(reg, args.lesion, t, verdict) for t in tiers or [None])
        hint = ops.REFERRAL_HINT.format(id=args.lesion) if refer else carried_referral_hint(reg, args.lesion)
        row = result.comparison  # the lesion's latest capture against its baseline: the app's panel says it
        line = change_line(reg, row.followup_capture_id) if row is not None else None
        named = {c.id: capture_ref(reg, c) for c in result.captures}  # once all are in: a day shared says the time
        latest = capture_ref(reg, reg.captures.get(row.followup_capture_id)) if row is not None else ""
        advised = {a.capture_id: advice.text for a in result.assessments  # beside the lesion's change
                   if (advice := capture_advice(reg, a.capture_id)) is not None}
    change, followup = (change_text(line, row), row.followup_capture_id) if line is not None else (None, None)
    by_capture = {a.capture_id: a for a in result.assessments}
    models = ModelRegistry(ctx.data_dir)  # the thresholds of the model that assessed them: its figures' precision
    for c in result.captures:
        a = by_capture.get(c.id)
        shown = assessment_json(a, advised.get(c.id)) if a else None  # with the advice its line prints
        ctx.emit({"capture": c, "assessment": shown, **({"change": row} if c.id == followup else {})},
                 f"{named[c.id]} added ({c.original_name}, {c.width}x{c.height})"
                 + (": " + assessment_text(a, advised.get(c.id), thresholds_of(models, a)) if a else "")
                 + (f"\n  {change}" if c.id == followup else ""))
    if change is not None and followup not in {c.id for c in result.captures}:  # an earlier date imported
        ctx.emit({"change": row}, f"{latest}, the lesion's latest: {change}")
    for path, reason in result.skipped:
        if ctx.json:
            ctx.emit({"path": path, "skipped": reason})
        else:
            print(f"dermadesk: warning: skipped {reason}", file=sys.stderr)
    for path, note in result.notes:  # saved, with something other than asked (a camera date not used)
        if ctx.json:
            ctx.emit({"path": path, "note": note})
        else:
            print(f"dermadesk: warning: {note}", file=sys.stderr)
    heading = None if ctx.json else _refused_heading(result)
    if heading is not None:  # "imported 1 of 2 images; 1 refused:", then a line each, as before
        print(f"dermadesk: error: {heading}", file=sys.stderr)
    for path, message in result.errors:
        if ctx.json:
            ctx.emit({"path": path, "error": message})
        else:
            print(f"dermadesk: error: {message}", file=sys.stderr)
    if result.assessments and assess is not None and not ctx.json:  # never after all failed; all NOT ASSESSABLE:
        checked = not any(a.assessable for a in result.assessments)  # "checked with": no result was given
        print(f"{engine_note.replace('assessed with', 'checked with') if checked else engine_note} -- "
              f"{NOT_A_DIAGNOSIS}")
    elif args.no_assess and result.captures and not ctx.json:
        print(engine_note)
    if hint and not ctx.json:
        print("suggestion: " + hint)
    if result.interrupted:
        ids = ", ".join(str(c.id) for c in result.captures) or "none"
        message = (f"interrupted: {counted(len(result.captures), 'capture')} saved before the interruption "
                   f"(ids: {ids}); "
                   "the file being imported then was not saved")
        if ctx.json:
            ctx.emit({"interrupted": True, "saved_capture_ids": [c.id for c in result.captures]})
        print(f"dermadesk: {message}", file=sys.stderr, flush=True)
        return 130
    if not result.captures and not result.errors:  # every file skipped (e.g. already in this lesion): an error
        fail(f"nothing imported: {counted(len(result.skipped), 'file')} skipped" if result.skipped
             else "nothing imported: no image files found", ctx.json)
    return 1 if result.errors or not result.captures else 0


def _refused_heading(result: Any) -> str | None:
    """How many of the files given came in, said before the refused ones are named (a line each), where more than
    one was tried and some were refused: "imported 1 of 2 images; 1 refused:", "imported 1 of 4 files; 1 skipped, 2
    refused:" (a file skipped may be no image). None: one file tried, none refused, or the import interrupted."""
    refused = [path for path, _ in result.errors if path != "comparison"]  # a comparison failed: no file
    tried = len(result.captures) + len(refused) + len(result.skipped)
    if not refused or tried < 2 or result.cancelled or result.interrupted:
        return None
    skipped = f"{len(result.skipped)} skipped, " if result.skipped else ""
    return (f"imported {len(result.captures)} of {tried} {'files' if skipped else 'images'}; {skipped}"
            f"{len(refused)} refused:")


def _next_step(reg: Any, c: Any) -> str:
    """What a decision 'refer' or 'excise' leaves to do while the lesion is still 'monitoring', as the flag in
    'lesion show' says it, with the command: "arrange it, then mark the lesion referred: dermadesk lesion edit 2
    --status referred" ('' for another decision, or a lesion marked already)."""
    from dermadesk.services.standing import TO_MARK, mark_after

    if c.decision not in TO_MARK or reg.lesions.get(c.lesion_id).status != "monitoring":
        return ""
    return f"{mark_after(c.decision)}: dermadesk lesion edit {c.lesion_id} --status {TO_MARK[c.decision]}"


def capture_review(ctx: Context, args: argparse.Namespace) -> int:
    """Save what was given of the decision, notes and re-check interval; a flag left out keeps the capture's value
    (said where it has one; the interval only while the decision stays 'monitor'). Values equal to the stored ones
    write nothing (no audit row) and say so. A decision 'refer' or 'excise' says what is left to do ("next: arrange
    it, then mark the lesion referred: dermadesk lesion edit ...")."""
    from dermadesk.domain.follow_up import decision_words, months_words
    from dermadesk.domain.records import check_recheck
    from dermadesk.domain.text import as_stored
    from dermadesk.services.standing_result import also_answers, undecided_before

    if args.decision is None and args.notes is None and args.recheck is None:
        raise ValidationError("nothing saved: give --decision, --notes and/or --recheck (--decision none, --notes '' "
                              "or --recheck none clears one)")
    capture_id = args.capture if args.capture is not None else args.capture_id
    with ctx.register() as reg:
        before = reg.captures.get(capture_id)
        decision = before.decision if args.decision is None else (None if args.decision == "none" else args.decision)
        notes = before.clinician_notes or "" if args.notes is None else args.notes
        recheck = (before.recheck_months if decision == "monitor" else None) if args.recheck is None else (
            check_recheck(None if args.recheck == "none" else args.recheck, decision))
        if (decision, as_stored(notes, multiline=True), recheck) == (
                before.decision, before.clinician_notes or "", before.recheck_months):
            had = ([f"decision {decision}" if decision else "no decision"] if args.decision is not None else []) + (
                ["these notes" if notes.strip() else "no notes"] if args.notes is not None else []) + (
                [f"re-check in {months_words(recheck)}" if recheck else "no re-check interval"]
                if args.recheck is not None else [])
            step = _next_step(reg, before)
            ctx.emit({**to_jsonable(before), "compared_since_review": [], "next_step": step or None},
                     f"nothing changed: {capture_ref(reg, before)} already has {' and '.join(had)}"
                     + (f"\nnext: {step}" if step else ""))
            return 0
        ctx.note_if_no_operator()  # a decision names who made it
        # earlier URGENT or REFER results with no decision on them or since: a decision saved here answers them too
        pending = undecided_before(reg, capture_id) if decision and decision != before.decision else []
        c = ops.review_capture(reg, ctx.settings.actor(), capture_id, decision, notes, recheck).after
        compared = _compare_since_review(ctx, reg, c.id) if c.decision != before.decision else []
        named = capture_ref(reg, c)
        lines = [compared_since_review_text(reg, row) for row in compared or []]
        step = _next_step(reg, c)
    saved = [f"decision {decision_words(c.decision, c.recheck_months, tiers=True) if c.decision else 'cleared'}"
             ] if args.decision is not None else []
    if c.recheck_months and args.decision is None and args.recheck is not None:
        saved += [f"re-check in {months_words(c.recheck_months)}"]
    elif not c.recheck_months and (args.recheck is not None or before.recheck_months):  # given, or gone with monitor
        saved += ["re-check interval cleared" + (" (the tier's interval applies)" if c.decision == "monitor" else "")]
    saved += ["notes " + ("cleared" if not c.clinician_notes else "saved")] if args.notes is not None else []
    has = {"decision": c.decision, "notes": c.clinician_notes, "re-check interval": c.recheck_months}
    given = (("decision", args.decision), ("notes", args.notes), ("re-check interval", args.recheck))
    kept = [w for w, flag in given if flag is None and has[w]]
    # --json: the capture as before, with the comparisons made with the reviewed capture (the rows stored)
    ctx.emit({**to_jsonable(c), "compared_since_review": compared or [], "next_step": step or None,
              "also_answers": [e.id for e, _ in pending]},
             f"{named}: {' and '.join(saved)}" + (f" ({' and '.join(kept)} kept)" if kept else ""))
    if pending and not ctx.json:  # said, so that the clinician is not surprised that an earlier flag goes
        print(f"  {also_answers(pending)}", flush=True)
    for line in [] if ctx.json else lines:
        print(f"  {line}", flush=True)
    if step and not ctx.json:
        print(f"next: {step}", flush=True)
    return 130 if compared is None else 0


def _compare_since_review(ctx: Context, reg: Any, capture_id: int) -> list[Any] | None:
    """A decision saved, changed or cleared: the later captures compared with the reviewed capture before each
    where that comparison is missing (a review saved after they were imported), as the app does in the background;
    the rows stored (``compared_since_review_text`` says each). Ctrl-C stops the comparing, the decision saved (None,
    said on stderr)."""
    from dermadesk.services.tracking import compare_since_review

    try:
        return compare_since_review(reg, ctx.settings.actor(), capture_id)
    except KeyboardInterrupt:
        print("dermadesk: interrupted: the decision is saved, but the later captures were not all compared with "
              "the reviewed capture (the flag estimates the change since it until they are)", file=sys.stderr,
              flush=True)
        return None


def db_export(ctx: Context, args: argparse.Namespace) -> int:
    """The register's tables for a spreadsheet or another program (as File > Export register in the app)."""
    from dermadesk.services.maintenance import export_register

    into = Path(args.folder).absolute()
    if file_in_the_way(into) == into:  # a file given for the folder
        raise ValidationError(f"{into} is a file, not a folder: give the folder to export into; nothing was written")
    refuse_missing_folder(into.parent)  # /media/usb/export with the stick not there; notes.txt/export: a file
    with ctx.register() as reg:
        written = export_register(reg, args.folder, args.format)
    folder = written[0].parent
    made = "" if folder == Path(args.folder) else f" (a new folder: {args.folder} already held files, none replaced)"
    ctx.emit([str(p) for p in written], f"exported into {folder}{made}: " + ", ".join(p.name for p in written))
    return 0


def db_check(ctx: Context, args: argparse.Namespace) -> int:
    from dermadesk.config import REGISTER_FILE
    from dermadesk.domain.errors import IntegrityError
    from dermadesk.storage.check import check_register, damage_line, file_problems

    path = ctx.data_dir / REGISTER_FILE
    problems = file_problems(path, full=False) if path.is_file() else []
    if problems:  # checked before opening: a damaged file is reported, never migrated or written to
        raise IntegrityError(damage_line(path, problems))
    with ctx.register() as reg:
        report = check_register(reg, clean=args.clean, force=args.force)
    if report.integrity:
        raise IntegrityError(damage_line(path, report.integrity))
    text = [f"integrity: {'ok' if not report.integrity else report.integrity}",
            "foreign keys: " + ("; ".join(report.foreign_keys) or "ok"),  # "captures row 3 → lesions"
            f"audit log: {report.audit_rows} rows, chain " + ("ok" if not report.audit else
                                                              "BROKEN: " + "; ".join(report.audit[:5]))
            + f" (head {report.audit_head[:16]})",
            f"image files checked: {report.images_checked} ({report.captures_checked} capture images, "
            f"{report.images_checked - report.captures_checked} heat maps); missing {len(report.missing_images)}, "
            f"damaged {len(report.damaged_images)}",
            f"orphan files: {len(report.orphan_files)}, leftover temporary files: {len(report.leftover_temp_files)}"
            + (f" (removed {report.cleaned}" + ("; those under an hour old are kept: an import may be writing them)"
                                                if report.cleaned < len(report.orphan_files)
                                                + len(report.leftover_temp_files) else ")")
               if args.clean else "" if report.not_this_register else " (remove with --clean)")]
    if report.not_this_register:  # never "register OK" over the images of a register whose file was lost
        text.append(f"unreferenced images: {report.not_this_register}"
                    + ("" if args.clean else "; --clean will not remove them"))
    if report.duplicate_mrns:
        text.append("MRNs equal ignoring case (give one of each a distinct MRN): " + "; ".join(report.duplicate_mrns))
    text.append("register OK" if report.ok else "register has PROBLEMS")
    ctx.emit(report.to_dict(), "\n".join(text))
    return 0 if report.ok else 1


def add_parsers(sub: argparse._SubParsersAction) -> None:
    patient_cmds.add_parsers(sub)

    p = sub.add_parser("lesion", help="add, show, edit, delete or restore lesions")
    ls = p.add_subparsers(dest="action", required=True)
    a = ls.add_parser("add", help="add a lesion to a patient")
    a.add_argument("--patient", required=True, help="patient MRN")
    a.add_argument("--site", required=True, help="; ".join(SITES))
    a.add_argument("--label", help='a short name, e.g. "left shoulder mole"')
    a.set_defaults(func=lesion_add)
    lesion_cmds.add_lesion_parsers(ls)
    correct_cmds.add_lesion_parsers(ls)

    p = sub.add_parser("capture", help="add, list, review, edit, delete or restore captures (images)")
    cs = p.add_subparsers(dest="action", required=True)
    a = cs.add_parser("add", help="import images (files or folders) and assess them")
    a.add_argument("--lesion", type=int, required=True, metavar="ID",
                   help="lesion id (as 'lesion add' and 'patient show' print it)")
    a.add_argument("images", nargs="+", type=Path, metavar="IMAGE",
                   help=f"image files ({FORMATS_TEXT}) or folders of them, one capture each")
    a.add_argument("--taken", "--taken-at", metavar="YYYY-MM-DD",  # --taken-at as capture edit spells it
                   help="the day the images were taken (default: each image's EXIF date, else today)")
    a.add_argument("--modality", default="dermoscopic", choices=MODALITIES,
                   help=MODALITY_HELP + " (default: dermoscopic)")
    a.add_argument("--polarisation", choices=POLARISATIONS,
                   help="the dermatoscope's light ('unknown' says it is not known; left out: not recorded)")
    a.add_argument("--magnification", type=correct_cmds.magnification, metavar="X",
                   help="the dermatoscope's magnification, e.g. 10 or ×10 (recorded only)")
    a.add_argument("--mm-per-px", type=float, help="the images' scale: millimetres per pixel (for sizes in mm)")
    a.add_argument("--notes", help="free text saved with each capture")
    a.add_argument("--no-assess", action="store_true", help="import without assessing")
    a.add_argument("--device", choices=DEVICES, help=DEVICE_HELP)
    a.add_argument("--model", help="model name (default: the default model)")
    a.set_defaults(func=capture_add)
    a = cs.add_parser("review", help="save the clinician's decision, notes and re-check interval for a capture")
    which = a.add_mutually_exclusive_group(required=True)  # ID as capture edit takes it, --capture as before
    which.add_argument("capture_id", nargs="?", type=int, metavar="ID", help="capture id (or --capture ID)")
    which.add_argument("--capture", type=int, metavar="ID", help="capture id, as assess --capture takes it")
    a.add_argument("--decision", choices=(*DECISIONS, "none"),
                   help="the clinician's decision (replaces the capture's; 'none' clears it; left out: kept)")
    a.add_argument("--notes", help="the clinician's notes (replace the capture's; '' clears them; left out: kept)")
    a.add_argument("--recheck", metavar="MONTHS", help="with the decision monitor only: see the lesion again after "
                   "this many months (1-60, e.g. 3, 6, 12), counted from the day it (or the decision) is saved; "
                   "'none': as the tier suggests; left out: kept while the decision stays monitor")
    a.set_defaults(func=capture_review)
    lesion_cmds.add_capture_parsers(cs)
    correct_cmds.add_capture_parsers(cs)

    p = sub.add_parser("db", help="database maintenance")
    ds = p.add_subparsers(dest="action", required=True)
    a = ds.add_parser("check", help="integrity, foreign keys, image hashes, orphan files")
    a.add_argument("--clean", action="store_true", help="remove orphan and temporary files (not where they "
                   "outnumber the images the register uses: those may be a lost register's)")
    a.add_argument("--force", action="store_true", help="with --clean: remove orphan files even where they outnumber "
                   "the images the register uses (only when sure this register is the right one)")
    a.set_defaults(func=db_check)
    a = ds.add_parser("export", help="patients, lesions, captures and assessments as CSV files or one JSON file")
    a.add_argument("folder", type=Path, help="folder to write into (made if missing; files are owner-only); one "
                   "holding files gets a new dermadesk-export-<date> folder in it, so no file is replaced")
    a.add_argument("--format", choices=("csv", "json"), default="csv",
                   help="csv: one file per table (default); json: one file with every table")
    a.set_defaults(func=db_export)
