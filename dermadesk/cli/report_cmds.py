"""``dermadesk report``: lesion report or patient summary as PDF."""

from __future__ import annotations

import argparse
from pathlib import Path

from dermadesk.cli.output import Context, refuse_to_write
from dermadesk.domain.errors import ValidationError
from dermadesk.domain.text import size_text


def report_cmd(ctx: Context, args: argparse.Namespace) -> int:
    from dermadesk.services.reports import write_lesion_report, write_patient_summary

    if (args.lesion is None) == (args.patient is None):
        raise ValidationError("give exactly one of --lesion ID or --patient MRN")
    if args.paper:
        ctx.settings.paper_size = args.paper
    out = Path(args.out)
    refuse_to_write(out, args.overwrite, "report", "dermadesk-report.pdf")  # as backup and transfer export
    with ctx.register() as reg:
        if args.lesion is not None:
            path = write_lesion_report(reg, ctx.settings, args.lesion, out, args.deidentified)
        else:
            path = write_patient_summary(reg, ctx.settings, args.patient, out, args.deidentified)
    ctx.emit({"pdf": str(path), "bytes": path.stat().st_size},
             f"report written to {path} ({size_text(path.stat().st_size)})")
    return 0


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
    a.set_defaults(func=report_cmd)
