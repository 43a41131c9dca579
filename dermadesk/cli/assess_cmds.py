"""Assessment commands: analyze (no register needed), models, assess (re-assess a stored capture)."""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from dermadesk.analysis.decode import FORMATS_TEXT
from dermadesk.cli.output import (DEVICE_HELP, DEVICES, MODALITY_HELP, NOT_A_DIAGNOSIS, Context, assessment_json,
                                  assessment_text, capture_ref, change_text)
from dermadesk.contract import NOT_ASSESSABLE
from dermadesk.domain.errors import DermaDeskError
from dermadesk.files import write_private

if TYPE_CHECKING:
    from dermadesk.inference.registry import Refused


def analyze(ctx: Context, args: argparse.Namespace) -> int:
    """One JSON object per image; a bad file gives an error object and a non-zero exit at the end."""
    from dermadesk.analysis.decode import decode_image
    from dermadesk.inference.engine import open_assessor
    from dermadesk.services.captures import scan_paths

    assessor = open_assessor(ctx.data_dir, args.model or ctx.settings.model or None,
                             args.device or ctx.settings.device)
    choice = assessor.choice
    if choice.warning:
        print(f"dermadesk: warning: {choice.warning}", file=sys.stderr)
    if not ctx.json:
        print(f"model {assessor.entry.key} on {choice.device_label} -- {NOT_A_DIAGNOSIS}")
    cam_dir = Path(args.cam_dir) if args.cam_dir else None
    if cam_dir:
        cam_dir.mkdir(parents=True, exist_ok=True)
    failures = 0
    files, skipped = scan_paths(args.paths)
    for path, reason in skipped:
        if ctx.json:
            ctx.emit({"path": path, "skipped": reason})
        else:
            print(f"dermadesk: warning: skipped {reason}", file=sys.stderr)
    for path in files:
        t0 = time.perf_counter()
        try:
            decoded = decode_image(path)
            t_decode = (time.perf_counter() - t0) * 1e3
            result = assessor.assess(decoded.rgb, args.modality)
            cam_file, cam_ms = None, 0.0
            if cam_dir and result.status != NOT_ASSESSABLE:  # no heat map where the model cannot back a result
                png, cam_ms = assessor.cam_png(result)
                if png is not None:
                    cam_file = cam_dir / cam_name(path)
                    write_private(cam_file, png)  # owner-only: a heat map of a patient's skin
        except DermaDeskError as exc:
            failures += 1
            ctx.emit({"path": str(path), "error": str(exc)}, f"{path}: ERROR {exc}")
            continue
        if "invalid_output" in result.status_codes:
            failures += 1  # a model that gives invalid output is a fault, not an answer
        timing = {"decode": t_decode, **result.timing_ms, "cam": cam_ms}
        timing["total"] = (time.perf_counter() - t0) * 1e3
        record = {
            "path": str(path), "model": {"name": assessor.entry.manifest.name,
                                         "version": assessor.entry.manifest.version},
            "provider": choice.provider, "status": result.status, "status_reasons": result.status_reasons,
            "probabilities": result.probabilities, "top_class": result.top_class,
            "malignant_probability": result.malignant_probability,
            "melanoma_probability": result.melanoma_probability, "risk_tier": result.risk_tier,
            "recommendation": result.recommendation, "quality": result.quality,
            "ood": {"score": result.ood_score, "flag": result.ood_flag},
            "cam": str(cam_file) if cam_file else None,
            "timing_ms": {k: round(v, 2) for k, v in timing.items()},
        }
        said = f"\n  heat map: {cam_file}" if cam_file else ("\n  no heat map (not assessable)" if cam_dir else "")
        ctx.emit(record, f"{path}: " + assessment_text(result, thresholds=assessor.entry.manifest.thresholds) + said)
    return 1 if failures else 0


def cam_name(image: Path) -> str:
    """``lesion_3f2a9c1b.cam.png``: the image's name and the start of its content's SHA-256, so two images of one
    name (from two folders) never share a heat map, and a heat map left from an earlier run of another image under
    that name is never taken for this one's."""
    digest = hashlib.sha256(image.read_bytes()).hexdigest()[:8]
    return f"{image.stem}_{digest}.cam.png"


def models(ctx: Context, args: argparse.Namespace) -> int:
    from dermadesk.inference.registry import ModelRegistry, install_model

    if args.install:
        if not ctx.data_dir.is_dir():  # a mistyped --data-dir or a drive not connected: no folders made for it
            from dermadesk.storage.lost_register import NEVER_NEW, refuse_new_folder

            refuse_new_folder(ctx.data_dir, NEVER_NEW)  # "no register at DIR (...); nothing was created"
        entry = install_model(Path(args.install), ctx.data_dir)
        ctx.emit({"installed": entry.key, "path": str(entry.manifest_path)}, f"installed {entry.key}")
        return 0
    registry = ModelRegistry(ctx.data_dir)
    entries = registry.entries()
    unusable = ""
    try:  # the one file that assesses: a user copy of a bundled model (same name and version) is it, not both
        default = registry.get(ctx.settings.model or None).manifest_path if entries or registry.refused else None
    except DermaDeskError as exc:  # the default is damaged: listed as refused, and said so
        default, unusable = None, str(exc)
        registry.problems.insert(0, unusable)
    rows = [{"name": e.manifest.name, "version": e.manifest.version, "source": e.source,
             "default": e.manifest_path == default, "path": str(e.onnx_path),
             "balanced_accuracy": e.manifest.evaluation.balanced_accuracy} for e in entries]
    ctx.emit({"models": rows, "problems": registry.problems},
             "\n".join([f"{'*' if r['default'] else ' '} {r['name']} {r['version']} ({r['source']})" for r in rows]
                       + _refused_lines(registry.refused, unusable)) or "no models")
    return 1 if registry.refused or unusable else 0  # everything listed; a script notices a model refused


def _refused_lines(refused: list[Refused], unusable: str) -> list[str]:
    """Each model refused, in one line as a usable one is listed, with why once ("  alpha-model 1.10.0 (user)
    refused: alpha-model.onnx does not match ..."; the default marked *), then why the default cannot be used
    without saying the reason again ("the default model ... cannot be used; reinstall it ...")."""
    chosen = next((r for r in refused if r.message in unusable), None)
    lines = []
    for r in refused:
        what = f"{r.name} {r.version}" if r.name else r.manifest_path.name
        why = r.message.split(" refused: ", 1)[-1]  # "model X refused: why": the line names the model already
        lines.append(f"{'*' if r is chosen else ' '} {what} ({r.source}) refused: {why}")
    said = unusable.replace(f" ({chosen.message})", "") if chosen is not None else unusable
    return lines + ([said] if said and (chosen is None or said != chosen.message) else [])


def assess(ctx: Context, args: argparse.Namespace) -> int:
    """Assess a stored capture again; the comparisons that recorded another outcome for it (another tier, or none
    yet) are compared again first (``services.reassessed``), so its change line says the new one, then a line for
    each as ``capture edit`` says them (--json: ``compared_again``). A later capture's first comparison with its
    reviewed capture, made with them (none of that pair current before), is said as one, as ``capture review`` and
    ``transfer import`` say it (--json: ``compared_since_review``), never as compared again."""
    from dermadesk.cli.correct_cmds import recompared_text
    from dermadesk.cli.output import compared_since_review_text
    from dermadesk.inference.engine import open_assessor
    from dermadesk.services import register_ops as ops
    from dermadesk.services.advice import capture_advice
    from dermadesk.services.assessment import assess_capture
    from dermadesk.services.reassessed import compare_after_assessment
    from dermadesk.services.standing import carried_referral_hint
    from dermadesk.services.stored_comparisons import current_comparisons, latest_change, line_of

    assessor = open_assessor(ctx.data_dir, args.model or ctx.settings.model or None,
                             args.device or ctx.settings.device)
    with ctx.register() as reg:
        capture_id = args.capture if args.capture is not None else args.capture_id
        a = assess_capture(reg, assessor, ctx.settings.actor(), capture_id)
        made, stored = _pairs(current_comparisons(reg, reg.captures.get(a.capture_id).lesion_id)), []
        try:
            compare_after_assessment(reg, ctx.settings.actor(), [a.capture_id], stored=stored)
        except DermaDeskError as exc:  # the assessment is stored: its comparisons may still say the tier before
            print(f"dermadesk: warning: comparisons not all made again after the assessment: {exc}", file=sys.stderr)
        again = [row for row in stored if _pairs([row]) <= made]  # the others: first ones, with a reviewed capture
        first = [row for row in stored if row not in again]
        compared = [recompared_text(reg, row) if row in again else compared_since_review_text(reg, row)
                    for row in stored]  # as made
        capture = reg.captures.get(a.capture_id)
        lesion_id, named = capture.lesion_id, capture_ref(reg, capture)
        row = latest_change(reg, a.capture_id)  # its change since the baseline: a LOW tier beside growth says both
        line = line_of(reg, row) if row is not None else None
        verdict = row.verdict if row is not None else None
        refer = a.assessable and ops.needs_referral(reg, lesion_id, a.risk_tier, verdict)
        hint = ops.REFERRAL_HINT.format(id=lesion_id) if refer else carried_referral_hint(reg, lesion_id)
        advice = capture_advice(reg, a.capture_id)  # a LOW tier beside a change nobody answered: no 12-month re-check
    change = f"\n  {change_text(line, row)}" if line is not None and row is not None else ""
    ctx.emit({**assessment_json(a, advice.text if advice else None), "compared_again": again,
              "compared_since_review": first},
             f"{named}: " + assessment_text(a, advice.text if advice else None, assessor.entry.manifest.thresholds)
             + change
             + f"\n{'assessed' if a.assessable else 'checked'} with {assessor.entry.key} on "
             + assessor.choice.device_label
             + f" -- {NOT_A_DIAGNOSIS}" + "".join(f"\n{said}" for said in compared)
             + ("\nsuggestion: " + hint if hint else ""))
    return 0


def _pairs(rows: list) -> set[tuple[int, int]]:
    """(first capture id, second capture id) of each of ``rows`` (comparisons)."""
    return {(r.baseline_capture_id, r.followup_capture_id) for r in rows}


def add_parsers(sub: argparse._SubParsersAction) -> None:
    a = sub.add_parser("analyze", help="assess image files or folders without a register")
    a.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                   help=f"image files ({FORMATS_TEXT}) or folders of them; nothing is stored")
    a.add_argument("--cam-dir", help="write Grad-CAM heat-map PNGs here, NAME_<sha256 start>.cam.png "
                   "(none for an image not assessable)")
    a.add_argument("--device", choices=DEVICES, help=DEVICE_HELP)
    a.add_argument("--model", help="model name (default: the default model)")
    a.add_argument("--modality", default="dermoscopic", choices=["dermoscopic", "clinical"],
                   help=MODALITY_HELP + " (default: dermoscopic)")
    a.set_defaults(func=analyze)
    a = sub.add_parser("models", help="list models (bundled and installed; * the one that assesses; exit status 1 "
                       "where one is refused), or --install MANIFEST")
    a.add_argument("--install", metavar="MANIFEST", help="validate and install a model into the data directory: "
                   "the path of its manifest, e.g. PATH/TO/MODEL.json (its .onnx file beside it)")
    a.set_defaults(func=models)
    a = sub.add_parser("assess", help="assess a stored capture again (adds a row, keeps history)")
    which = a.add_mutually_exclusive_group(required=True)  # ID as capture review and edit take it, --capture as before
    which.add_argument("capture_id", nargs="?", type=int, metavar="ID",
                       help="capture id, as 'capture add' prints it: 'capture 12 added' (or --capture ID)")
    which.add_argument("--capture", type=int, metavar="ID", help="capture id, the same as ID")
    a.add_argument("--device", choices=DEVICES, help=DEVICE_HELP)
    a.add_argument("--model", help="model name (default: the default model); see 'dermadesk models'")
    a.set_defaults(func=assess)
