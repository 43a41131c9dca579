"""``dermadesk compare A B``: capture ids (stored as a comparison) or image files (nothing stored)."""

from __future__ import annotations

import argparse
from pathlib import Path

from dermadesk.cli.output import Context, capture_ref, change_figures
from dermadesk.domain.dates import human_datetime
from dermadesk.domain.errors import ValidationError
from dermadesk.services import register_ops as ops


def _is_id(value: str) -> bool:
    return value.isdigit() and not Path(value).exists()


# how the pair was aligned, in the words of the Change tab's reasons ("aligned on the lesion outline only ...",
# "aligned by hand from marked points"); --json keeps the method's name ("features+ecc") and its score
ALIGNED_ON = {
    "features": "aligned on the skin around the lesion",
    "features+ecc": "aligned on the skin around the lesion",
    "lesion outline": "aligned on the lesion outline",
    "manual": "aligned by hand",
}


def aligned_text(registration: dict) -> str:
    """ "aligned on the lesion outline (agreement 0.45)": how the follow-up was laid onto the baseline and how well
    the two then agree (the skin around the lesion, or the outlines' overlap), never the method's code name."""
    method = str(registration.get("method", ""))
    how = ALIGNED_ON.get(method, f"aligned ({method})")
    return f"{how} (agreement {float(registration.get('score') or 0.0):.2f})"


def compare_cmd(ctx: Context, args: argparse.Namespace) -> int:
    from dermadesk.analysis.change import compare
    from dermadesk.analysis.decode import decode_image
    from dermadesk.analysis.hand_alignment import similarity_from_points
    from dermadesk.services.tracking import parse_points

    points = parse_points(args.points) if args.points is not None else None
    note: str | None = None
    pair: str | None = None
    refer, lesion_id = False, 0
    if points and args.reset_alignment:
        raise ValidationError("give either --points or --reset-alignment, not both")
    if _is_id(args.a) and _is_id(args.b):
        from dermadesk.services.tracking import (
            align_by_hand,
            compare_captures,
            reset_alignment,
        )

        with ctx.register() as reg:
            actor, a_id, b_id = ctx.settings.actor(), int(args.a), int(args.b)
            lesion_id = reg.captures.get(a_id).lesion_id
            if points:
                row, result = align_by_hand(reg, actor, a_id, b_id, points, args.interval_days)
            elif args.reset_alignment:
                row, result = reset_alignment(reg, actor, a_id, b_id)
            else:
                stored_before = {c.id for c in reg.comparisons.for_lesion(lesion_id)}
                row, result = compare_captures(reg, actor, a_id, b_id, args.interval_days)
                if row.id in stored_before:
                    when = human_datetime(row.created_at)  # the workstation's time, as every stamp is said
                    note = f"same result as comparison {row.id} (stored {when}): no new row stored"
            refer = ops.needs_referral(reg, row.lesion_id, None, result.verdict)
            first, second = reg.captures.get(row.baseline_capture_id), reg.captures.get(row.followup_capture_id)
            reordered = (first.id, second.id) != (a_id, b_id)  # compared in date order, whichever was given first
            pair = f"{capture_ref(reg, first)} → {capture_ref(reg, second)}" + (
                f" (given as {a_id} {b_id}: put in date order, the earlier as the baseline)" if reordered else ""
            )
        payload = {
            "comparison_id": row.id,
            "new_row": note is None,
            "baseline_capture_id": first.id,
            "followup_capture_id": second.id,
            "reordered": reordered,
            **result.to_dict(),
        }
    elif not _is_id(args.a) and not _is_id(args.b):
        if args.reset_alignment:
            raise ValidationError("--reset-alignment applies to stored captures (ids); files are never stored")
        a, b = decode_image(Path(args.a)), decode_image(Path(args.b))
        try:
            matrix = similarity_from_points(points, ((a.width, a.height), (b.width, b.height))) if points else None
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
        mal: tuple[float | None, float | None] = (None, None)
        tiers: tuple[str | None, str | None] = (None, None)
        if not args.no_assess:
            from dermadesk.domain.errors import NotFoundError
            from dermadesk.inference.engine import open_assessor

            try:
                assessor = open_assessor(ctx.data_dir, ctx.settings.model or None, ctx.settings.device)
                ra, rb = assessor.assess_batch([a.rgb, b.rgb])
                mal, tiers = (ra.malignant_probability, rb.malignant_probability), (ra.risk_tier, rb.risk_tier)
            except NotFoundError:
                pass
        result = compare(
            a.rgb,
            b.rgb,
            args.interval_days,
            args.mm_per_px,
            mal,
            tiers,
            manual_matrix=matrix,
            manual_pairs=len(points) if points else None,
        )
        if matrix is not None and result.alignment is not None and not result.alignment.ok:
            raise ValidationError(result.alignment.message)
        result.manual_points = [[list(p), list(f)] for p, f in points or []]
        payload = result.to_dict()
    else:
        raise ValidationError("give two capture ids or two image files")
    from dermadesk.services.risk_record import said_once

    reg_info = payload["registration"]  # neither capture assessable, for the same reasons: said once (--json: both)
    reasons = said_once(payload["reasons"])
    text = ([pair] if pair else []) + [f"verdict: {payload['verdict'].upper()}"] + [f"  - {r}" for r in reasons]
    if payload["area_change_percent"] is not None:  # the sizes a reason gives: said once, there
        figures = change_figures(payload, reasons)
        text.append((f"{figures}; " if figures else "") + f"{aligned_text(reg_info)}, " + str(reg_info.get("view", "")))
    if note:
        text.append(note)
    if refer:
        text.append("suggestion: " + ops.REFERRAL_HINT.format(id=lesion_id))
    ctx.emit(payload, "\n".join(text))
    return 0


def add_parsers(sub: argparse._SubParsersAction) -> None:
    a = sub.add_parser("compare", help="compare a follow-up with the baseline (capture ids or image files)")
    a.add_argument("a", help="baseline: capture id or image file")
    a.add_argument("b", help="follow-up: capture id or image file")
    a.add_argument(
        "--interval-days",
        type=int,
        help="days between the images (default: from capture dates; files: unknown, short-term rules)",
    )
    a.add_argument("--mm-per-px", type=float, help="scale of the baseline image, for mm figures (files only)")
    a.add_argument("--no-assess", action="store_true", help="files: skip the model (no probability change)")
    a.add_argument(
        "--points",
        help="align by hand: \"x1,y1 x1',y1'; x2,y2 x2',y2'\": pixel coordinates of the same "
        "spot on A (x,y) and on B (x',y') in the original images, two or more pairs far apart; capture "
        "ids: stored with method 'manual' and audited",
    )
    a.add_argument(
        "--reset-alignment",
        action="store_true",
        help="capture ids: drop a manual alignment and compare with the automatic one again",
    )
    a.set_defaults(func=compare_cmd)
