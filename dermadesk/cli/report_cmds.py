"""``dermadesk report``: lesion report or patient summary as PDF."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dermadesk.cli.output import Context, refuse_to_write
from dermadesk.config import usable_name
from dermadesk.domain.errors import ValidationError
from dermadesk.domain.text import size_text


def report_cmd(ctx: Context, args: argparse.Namespace) -> int:
    from dermadesk.services.reports import clinic_cut, write_lesion_report, write_patient_summary

    if (args.lesion is None) == (args.patient is None):
        raise ValidationError("give exactly one of --lesion ID or --patient MRN")
    if args.paper:
        ctx.settings.paper_size = args.paper
    if args.clinic is not None:
        if args.clinic.strip() and not usable_name(args.clinic.strip()):
            raise ValidationError("--clinic: a name without control or direction characters, please")
        ctx.settings.clinic_name = args.clinic.strip()
    out = Path(args.out)
    refuse_to_write(out, args.overwrite, "report", "dermadesk-report.pdf")  # as backup and transfer export
    with ctx.register() as reg:
        if args.lesion is not None:
            path = write_lesion_report(reg, ctx.settings, args.lesion, out, args.deidentified)
        else:
            path = write_patient_summary(reg, ctx.settings, args.patient, out, args.deidentified)
    # what the header lacks, before the line that says where the report is (that line ends what the command says)
    if not ctx.settings.clinic_name:  # the header then names no one for a referring GP to call
        print(NO_CLINIC, file=sys.stderr, flush=True)
    elif cut := clinic_cut(ctx.settings, args.deidentified):  # its end (often the phone) is not on the report
        print(f"dermadesk: warning: {cut}; shorten it with --clinic or in Edit > Settings", file=sys.stderr, flush=True)
    ctx.emit({"pdf": str(path), "bytes": path.stat().st_size},
             f"report written to {path} ({size_text(path.stat().st_size)})")
    return 0


NO_CLINIC = ("dermadesk: note: the report names no clinic to contact: give --clinic \"NAME, ADDRESS, PHONE\", or set "
             "it once in the app (Edit > Settings > Clinic name (reports))")


def add_parsers(sub: argparse._SubParsersAction) -> None:
    a = sub.add_parser("report", help="write a lesion report or a patient summary as PDF")
    a.add_argument("--lesion", type=int, help="lesion id: one visit with its history")
    a.add_argument("--patient", help="patient MRN: all lesions on one summary")
    a.add_argument("--out", required=True, type=Path, metavar="FILE",
                   help="the PDF file to write (its folder must be there; an existing file is replaced only with "
                   "--overwrite)")
    a.add_argument("--overwrite", action="store_true", help="replace FILE if it exists (default: refuse)")
    a.add_argument("--deidentified", action="store_true", help="pseudonym and age band instead of identifiers")
    a.add_argument("--paper", choices=["A4", "Letter"], help="override the paper size setting")
    a.add_argument("--clinic", metavar="TEXT",
                   help="the clinic the report's header names, e.g. \"Northside Dermatology, 14 Harbour Road, tel. "
                   "0161 555 0142\" (default: Clinic name (reports) in the app's Settings; this report only, nothing "
                   "saved)")
    a.set_defaults(func=report_cmd)
