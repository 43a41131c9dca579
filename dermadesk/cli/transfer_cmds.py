"""``dermadesk transfer export|import``: patients between registers in sealed packages; passphrases for backups.

A passphrase comes from ``--passphrase-file`` (its first line) or is asked for without echo (twice for a
new package or backup); it is never taken from the command line. A field changed on both sides is answered with
``--keep N`` / ``--take N`` (conflict N of the preview; a capture's review, its decision and clinician notes, is one
conflict N answered whole) or ``--conflicts keep|take`` (all), else left as here.
A patient's preview line says what waits there: "2 conflicts to answer (conflicts 1, 2 below)", or what the answers
given do, and "1 of your values overruled at W" where the package's register answered 'keep its own value' against
a value sent from here (each listed as "overruled: ...", and said again after the import). A patient whose MRN is
another patient's here is left out unless ``--rename-mrn OLD=NEW`` imports it as a new patient under NEW (the preview
suggests a free one; OLD=NEW is split where OLD is a package MRN, ``transfer_mrns.split_rename``); the next import of
that package patient finds it as NEW ("P-1 (P-1-2 here)").
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from dermadesk.cli.given_files import read_passphrase, require_package_file
from dermadesk.cli.output import Context, lesion_ref, refuse_to_write
from dermadesk.domain.errors import ValidationError
from dermadesk.domain.text import counted

if TYPE_CHECKING:
    from dermadesk.storage.transfer_merge import ImportPlan


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {table if n != 1 else table[:-1]}" for table, n in counts.items())


def _patient_detail(p: dict, answers: dict[int, str | None], host: str, option: str = "") -> str:
    """What the import does with one package patient, in words; ``answers`` by field conflict number; ``option``:
    the --rename-mrn OLD=NEW to import it under its suggested MRN ("" where its MRN holds an "=" that option cannot
    tell apart from another package MRN's)."""
    from dermadesk.storage.transfer_answers import conflicts_text
    from dermadesk.storage.transfer_mrns import IMPORT_MENU

    if p["status"] == "conflict":
        how = f"with --rename-mrn {option}" if option else \
            f"under {p['suggested']} in the import preview ({IMPORT_MENU}: --rename-mrn cannot name it in this package)"
        return p["reason"] + (f"; import it as a new patient {how}, or leave it out" if p["suggested"] else "")
    new = {k: v for k, v in p["new"].items() if v}
    if p["status"] == "new":
        return "adds the patient" + (f" with {_counts(new)}" if new else " (no lesions yet)") + \
            (f"; {p['reason']}" if p["reason"] else "")
    fields = conflicts_text([answers[n] for n in p["fields"]])
    left = [str(n) for n in p["fields"] if answers[n] is None]  # listed below as 'conflict N: ...'
    if left:
        fields += f" ({'conflict' if len(left) == 1 else 'conflicts'} {', '.join(left)} below)"
    parts = (["adds " + _counts(new)] if new else []) + (
        [f"updates {counted(p['updated'], 'record')}"] if p["updated"] else []) + (
        [f"{p['overruled']} of your values overruled at {host} (below)"] if p["overruled"] else []) + (
        [fields] if fields else []) + ([p["reason"]] if p["reason"] else [])
    return "; ".join(parts) or "nothing new"


def overruled_text(plan: ImportPlan, host: str) -> str:
    """'replaced 2 of your values by workstation W's, as answered there' ("" for none)."""
    n = len(plan.overruled)
    return f"replaced {n} of your values by workstation {host}'s, as answered there (keep its own)" if n else ""


RENAME_HINT = ("a patient whose MRN is another patient's here is never merged into that patient: import it as a new "
               "patient with --rename-mrn OLD=NEW (the suggested NEW is free here and in the package; any free MRN will "
               "do), or leave it out; if it is the same person, correct the name or birth date in one register first")
ANSWER_HINT = ("answer a field conflict with --keep N (this register's value stays, and the package's is not asked "
               "about again while the package holds it) or --take N (the package's value is written); all at once: "
               "--conflicts keep or --conflicts take")


def incomplete(plan: ImportPlan) -> str:
    """The closing line of an import that left records out or fields in conflict ("" when nothing was)."""
    from dermadesk.storage.transfer_answers import counted_fields

    if plan.complete:
        return ""
    left, fields = {k: v for k, v in plan.left_out.items() if v}, plan.field_conflicts
    mrns = [p.mrn for p in plan.patients if p.status == "conflict" or p.reason]
    parts = ([f"left out {_counts(left)} (patients {', '.join(mrns)})"] if left else []) + (
        [f"kept this register's value for {counted_fields([c for c in plan.fields if c.answer is None])} changed on "
         "both sides, not answered"]
        if fields else [])
    how = (["restore or correct the patient or record"] if left else []) + (
        ["import a patient whose MRN is another patient's here with --rename-mrn OLD=NEW"]
        if any(p.suggested for p in plan.patients) else []) + (
        ["answer a field with --keep N or --take N, or all of them with --conflicts keep|take"] if fields else [])
    return (f"NOT everything was imported: {'; '.join(parts)}. Keep the package and the other register's data "
            f"until the conflicts listed above are settled here ({'; '.join(how)}), then import the package again")


def kept_text(plan: ImportPlan) -> str:
    """'kept this register's value for 2 fields changed on both sides, as answered' ("" for none; a review counts
    as one, 'for 1 review (decision, re-check interval and clinician notes)')."""
    from dermadesk.storage.transfer_answers import KEEP, counted_fields

    kept = [c for c in plan.fields if c.answer == KEEP]
    return f"kept this register's value for {counted_fields(kept)} changed on both sides, as answered" if kept else ""


def export_cmd(ctx: Context, args: argparse.Namespace) -> int:
    from dermadesk.domain.text import size_text, with_extension
    from dermadesk.services.transfer import PACKAGE_SUFFIX, export_patients
    from dermadesk.storage.transfer_files import files_text

    if args.no_encrypt and args.passphrase_file:
        raise ValidationError("give --no-encrypt or --passphrase-file, not both")
    given = Path(args.out)  # ".ddtx" added as the app's export adds it: its import lists .ddtx files only
    out = with_extension(given, PACKAGE_SUFFIX)  # "week.DDTX" kept as it is
    refuse_to_write(out, args.overwrite, "package", "patients.ddtx", given)  # as backup and report
    passphrase = None if args.no_encrypt else read_passphrase(args.passphrase_file, "the new package", new=True)
    with ctx.register() as reg:
        result = export_patients(reg, out, passphrase, args.patient or None, args.since, overwrite=args.overwrite)
    counts = {k: v for k, v in result.counts.items() if k != "audit"}
    files = files_text(result.images, result.heat_maps)  # "2 images and 2 heat maps": a heat map is no capture image
    ctx.emit(
        result,
        f"exported {_counts(counts)}" + (f", with {files}," if files else "") + f" to {result.path} "
        f"({size_text(result.bytes)}, {'encrypted' if result.encrypted else 'NOT encrypted'}"
        + (f"; {PACKAGE_SUFFIX} added to the name given)" if out != given else ")"),
    )
    return 0


def preview_text(outcome: object) -> str:
    """The preview (or the result) of an import in words: what is added, already here, left out, and why."""
    from dermadesk.domain.dates import human_datetime
    from dermadesk.storage.transfer_mrns import rename_option

    data = outcome.to_dict()  # type: ignore[attr-defined]
    source = data["from"]
    lines = [  # made: on this workstation's clock, as every stamp is said (--json keeps the stored UTC form)
        f"package {data['package']} ({'encrypted' if data['encrypted'] else 'not encrypted'}) from "
        f"workstation {source['hostname']} ({source['uid'][:8]}), made {human_datetime(data['created'])}",
        f"  to add:          {_counts(data['add'])}",
        f"  to update:       {_counts({k: v for k, v in data['update'].items() if v}) or 'nothing'}",
        f"  already present: {_counts(data['present'])}",
    ]
    if any(data["left_out"].values()):
        lines.append(f"  left out:        {_counts(data['left_out'])}")
    answers = {f["number"]: f["answer"] for f in data["field_conflicts"]}
    options = rename_option(data["patients"])
    for p in data["patients"]:
        state = {"new": "NEW", "present": "present", "conflict": "CONFLICT"}[p["status"]]
        detail = _patient_detail(p, answers, source["hostname"], options.get(p["mrn"], ""))
        mrn = f"{p['mrn']} ({p['renamed']} here)" if p["renamed"] and p["status"] == "present" else p["mrn"]
        lines.append(f"  {mrn:<14} {p['name'][:30]:<30} {state:<9} {detail}")
    lines += [f"overruled: {o}" for o in data["overruled"]]
    lines += [f"will update: {u}" for u in data["updates"]]
    fields = [f for f in data["field_conflicts"] if f["answer"] is None]
    texts = {f["text"] for f in fields}
    lines += [f"conflict: {c}" for c in data["conflicts"] if c not in texts]
    lines += [f"conflict {f['number']}: {f['text']}" for f in fields] + [f"note: {n}" for n in data["notes"]]
    if fields and not data["applied"]:
        review = any(f["field"] == "review" for f in fields)
        lines.append(ANSWER_HINT + ("; a capture's review is one conflict: its decision, re-check interval and "
                                    "clinician notes are kept or taken together" if review else ""))
    if any(p["suggested"] for p in data["patients"]) and not data["applied"]:
        lines.append(RENAME_HINT)
    return "\n".join(lines)


@contextlib.contextmanager
def _register_to_preview(ctx: Context, dry_run: bool) -> Iterator[tuple[Any, bool]]:
    """(the register here, False); where the folder holds none yet, (an empty register in a temporary folder, True),
    removed after: the preview is what an import into a new register does, and a dry run, a wrong passphrase, a
    refused package or a "no" leave no register behind (the import makes it just before writing). Refused at once,
    as the import would be, where earlier data lies here or the folder cannot be made (a drive not connected). In a
    folder this account cannot write (only a --dry-run gets here), the register there read as it is, or none."""
    from dermadesk.config import REGISTER_FILE
    from dermadesk.storage.lost_register import NEW_BESIDE, refuse_lost_register
    from dermadesk.storage.read_only import cannot_write
    from dermadesk.storage.register import Register

    if (ctx.data_dir / REGISTER_FILE).exists() or cannot_write(ctx.data_dir):  # read-only: read as it is, or refused
        with ctx.register() as reg:
            yield reg, False
        return
    refuse_lost_register(ctx.data_dir, NEW_BESIDE)
    if dry_run:
        print(f"dermadesk: note: no register at {ctx.data_dir} yet: the import will make a new one; previewed as "
              "into an empty register", file=sys.stderr, flush=True)
    near = ctx.data_dir if ctx.data_dir.is_dir() else ctx.data_dir.parent  # on the disk the package is decrypted to
    with tempfile.TemporaryDirectory(prefix=".dermadesk-preview-", dir=near) as tmp, Register(Path(tmp)) as reg:
        yield reg, True


@contextlib.contextmanager
def _made_for_import(ctx: Context) -> Iterator[Any]:
    """The new register an import into a folder with none makes just before writing; where the import then fails
    with nothing imported, what it made is removed again (``storage.register.remove_unused``), said on stderr, so
    that a second try starts as the first did. Nothing that was in the folder before is touched."""
    from dermadesk.storage.register import names_before, remove_unused

    before = names_before(ctx.data_dir)
    with ctx.register(adds=True) as reg:
        try:
            yield reg
        except BaseException:
            if remove_unused(reg, before):
                print(f"dermadesk: note: nothing was imported, so the new, empty register made for it at "
                      f"{ctx.data_dir} was removed again", file=sys.stderr, flush=True)
            raise


def import_cmd(ctx: Context, args: argparse.Namespace) -> int:
    from dataclasses import replace

    from dermadesk.cli.import_said import earlier_text, print_comparing, said_of, warn
    from dermadesk.services.transfer import import_opened, open_package, preview
    from dermadesk.storage.transfer_answers import by_number
    from dermadesk.storage.transfer_mrns import renames_given
    from dermadesk.storage.migrations import SCHEMA_VERSION
    from dermadesk.storage.sealed import read_header

    path = Path(args.file)
    require_package_file(path)
    header = read_header(
        path, "package", SCHEMA_VERSION
    )  # refuses a damaged or newer package before asking for its passphrase
    passphrase = (
        read_passphrase(args.passphrase_file, path.name, new=False)
        if header.encrypted or args.passphrase_file
        else None
    )
    with _register_to_preview(ctx, args.dry_run) as (reg, none_yet), open_package(reg, path, passphrase) as package:
        planned = preview(reg, package)
        answers = by_number(planned.plan.fields, args.conflicts, args.keep or [], args.take or [])
        if args.rename_mrn:
            answers = replace(answers, renames=renames_given(planned.plan.patients, reg.database, args.rename_mrn))
        if answers:  # the conflicts numbered as in the preview without answers
            planned = preview(reg, package, answers)
        if not ctx.json:
            print(preview_text(planned), flush=True)
            if planned.left_before:  # cancelled then: this import compares them, also where nothing else is new
                left = ", ".join(lesion_ref(reg, i) for i in planned.left_before)
                print(f"  to compare:      {left} (left by an earlier import of this package)", flush=True)
        if args.dry_run:
            ctx.emit(planned.to_dict(), "dry run: nothing was written")
            return 0
        if planned.plan.changes_anything and not args.yes:
            if not sys.stdin.isatty():
                ctx.emit(planned.to_dict())
                print(
                    "dermadesk: not imported: not run from a terminal, so give --yes to import without being "
                    "asked; nothing was written",
                    file=sys.stderr,
                    flush=True,
                )
                return 1
            try:
                answer = input("Import? [y/N] ")
            except EOFError:
                answer = ""
            if answer.strip().lower() not in ("y", "yes"):
                ctx.emit(planned.to_dict(), "not imported; nothing was written")
                return 0
        with _made_for_import(ctx) if none_yet else contextlib.nullcontext(reg) as target:
            # then the later captures compared with a reviewed capture where a decision it brought calls for it
            done = import_opened(target, package, ctx.settings.actor(), answers=answers)
            said = said_of(target, done)
    added = {k: v for k, v in done.plan.added.items() if v}
    updated = {k: v for k, v in done.plan.updated.items() if v}
    what = " and ".join(
        part
        for part in (f"imported {_counts(added)}" if added else "", f"updated {_counts(updated)}" if updated else "")
        if part
    )
    renamed = [f"the package's patient {r['package_mrn']} is new patient {r['mrn']} here (MRN {r['package_mrn']} is "
               "another patient's here)" for r in done.plan.renamed.values()]
    what = "; ".join(part for part in (what, *renamed, overruled_text(done.plan, done.source["hostname"]),
                                       kept_text(done.plan)) if part)
    earlier = earlier_text(done, said)  # cancelled then: compared now
    ctx.emit({**done.to_dict(), "compared_again": done.recompared + done.reassessed,
              "compared_again_there": done.brought, "compared_there": done.made_there,
              "compared_since_review": done.compared,
              "in_use_again": done.in_use_again, "left_to_compare": done.left},
             "; ".join(p for p in (what, earlier) if p) if done.applied else
             f"nothing new to import; {earlier}" if earlier else "nothing new to import; the register is unchanged")
    if not ctx.json:
        print_comparing(done, said)
    closing = incomplete(done.plan)  # a partial import exits 1, as 'capture import' does with some files refused
    return warn(done, said, closing) or (1 if closing else 0)


def add_parsers(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("transfer", help="move patients between registers (field laptop and clinic), encrypted")
    ts = p.add_subparsers(dest="action", required=True)
    a = ts.add_parser(
        "export",
        help="write patients with their lesions, captures, assessments, comparisons, "
        "reviews and audit entries to a package",
    )
    a.add_argument("out", type=Path, metavar="FILE", help="package file to write, e.g. field-week-12.ddtx ('.ddtx' is added to a "
                   "name without it, as the app's import lists .ddtx files)")
    a.add_argument(
        "--patient",
        action="append",
        metavar="MRN",
        help="export this patient (an MRN; repeat the option for more; default: every patient not deleted)",
    )
    a.add_argument(
        "--since",
        metavar="YYYY-MM-DD",
        help="only patients with anything new or changed from this day (each with its whole history)",
    )
    a.add_argument(
        "--passphrase-file", type=Path, metavar="FILE",
        help="read the passphrase from this file's first line (default: ask, twice)",
    )
    a.add_argument("--no-encrypt", action="store_true", help="write the package without encryption (checksums only)")
    a.add_argument("--overwrite", action="store_true", help="replace FILE if it exists (default: refuse)")
    a.set_defaults(func=export_cmd)
    a = ts.add_parser("import", help="preview, then merge a package into this register")
    a.add_argument("file", type=Path, metavar="FILE", help="package file to read, written by 'transfer export' (.ddtx)")
    a.add_argument(
        "--passphrase-file", type=Path, metavar="FILE",
        help="read the passphrase from this file's first line (default: ask)",
    )
    a.add_argument("--dry-run", action="store_true", help="print the preview only; write nothing")
    a.add_argument(
        "--yes",
        action="store_true",
        help="import without asking after the preview (needed when not run from a terminal)",
    )
    a.add_argument("--keep", action="append", type=int, metavar="N",
                   help="answer conflict N of the preview (a field changed on both sides): keep this register's value; "
                   "the package's value is recorded as seen and not reported again while the package holds it; a "
                   "capture's review is one conflict, its decision, re-check interval and clinician notes kept or "
                   "taken together "
                   "(repeat the option for more)")
    a.add_argument("--take", action="append", type=int, metavar="N",
                   help="answer conflict N of the preview: take the package's value (written and audited, as an "
                   "update is; repeat the option for more)")
    a.add_argument("--conflicts", choices=("keep", "take"),
                   help="answer every field changed on both sides not answered by --keep or --take: keep this "
                   "register's values, or take the package's (default: leave them as here, reported again at the "
                   "next import)")
    a.add_argument("--rename-mrn", action="append", metavar="OLD=NEW",
                   help="import the package's patient OLD, whose MRN is another patient's here, as a new patient with "
                   "MRN NEW (never merged into the patient holding OLD here; the preview suggests a free NEW; audited, "
                   "and the next import of that patient finds it as NEW; repeat the option for more). An MRN may hold "
                   "'=': OLD=NEW is split where OLD is an MRN of the package, and refused where that is so at more "
                   "than one '='")
    a.set_defaults(func=import_cmd)
