"""Capture import assesses automatically; re-assessing adds a row; analyze works without a register."""

import json
from pathlib import Path

import cv2
import numpy as np

from dermadesk.main import main
from dermadesk.inference.engine import open_assessor
from dermadesk.services.assessment import assess_capture, assess_fn
from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.services.progress import CancelToken
from dermadesk.storage.check import check_register
from dermadesk.storage.register import Register


def test_import_assesses_in_the_same_transaction(register: Register, installed_model: Path, data_dir: Path,
                                                 lesion_files: list[Path]) -> None:
    assessor = open_assessor(data_dir, device="cpu")
    les = register.lesions.add("u", register.patients.add("u", "S1", "Svc Test").id, "head/neck")
    result = import_files(register, "nurse", les.id, lesion_files, CaptureMeta(taken_at="2026-02-01"),
                          assess_fn(assessor))
    assert len(result.captures) == 3 and len(result.assessments) == 3 and not result.errors
    a = register.assessments.latest(result.captures[0].id)
    assert (a.model_name, a.model_version, a.provider) == ("tiny-test", "0.0.1", "CPUExecutionProvider")
    assert abs(sum(a.probabilities.values()) - 1) < 1e-9
    assert a.quality["status"] in ("pass", "warn", "fail") and a.cam_sha256
    heat = cv2.imdecode(np.frombuffer(register.images.read(a.cam_sha256), np.uint8), cv2.IMREAD_UNCHANGED)
    assert heat.shape[:2] == (240, 320) and heat.shape[2] == 4
    entities = [e.entity for e in register.audit.entries()]
    assert entities.count("capture") == 3 and entities.count("assessment") == 3
    assert check_register(register).ok


def test_reassess_keeps_history(register: Register, installed_model: Path, data_dir: Path,
                                lesion_files: list[Path]) -> None:
    assessor = open_assessor(data_dir, device="cpu")
    les = register.lesions.add("u", register.patients.add("u", "S2", "Svc Two").id, "head/neck")
    cap = import_files(register, "u", les.id, lesion_files[:1], None, assess_fn(assessor)).captures[0]
    again = assess_capture(register, assessor, "u", cap.id)
    history = register.assessments.for_capture(cap.id)
    assert [h.id for h in history] == [history[0].id, again.id] and len(history) == 2
    assert history[0].probabilities == again.probabilities  # same model, same image, same answer


def test_cancel_keeps_only_whole_captures(register: Register, lesion_files: list[Path]) -> None:
    les = register.lesions.add("u", register.patients.add("u", "S3", "Cancel").id, "head/neck")
    token = CancelToken()
    seen: list[str] = []

    def progress(fraction: float, message: str) -> None:
        seen.append(message)
        if len(seen) == 2:
            token.cancel()

    result = import_files(register, "u", les.id, lesion_files, progress=progress, cancel=token)
    assert result.cancelled and len(result.captures) == 2
    assert len(register.captures.for_lesion(les.id)) == 2 and check_register(register).ok


def test_analyze_json_lines_with_error_object(capsys, installed_model: Path, tmp_path: Path,
                                              lesion_files: list[Path]) -> None:
    folder = tmp_path / "batch"
    (folder / "sub").mkdir(parents=True)
    for p in lesion_files:
        (folder / "sub" / p.name).write_bytes(p.read_bytes())
    (folder / "broken.jpg").write_bytes(b"\xff\xd8\xff garbage")
    code = main(["analyze", str(folder), "--json", "--cam-dir", str(tmp_path / "cams"), "--device", "cpu"])
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert code == 1  # one bad file -> non-zero at the end, the others still processed
    errors = [x for x in lines if "error" in x]
    ok = [x for x in lines if "error" not in x]
    assert len(errors) == 1 and "broken.jpg" in errors[0]["error"] and len(ok) == 3
    for rec in ok:
        assert {"path", "model", "provider", "probabilities", "top_class", "malignant_probability", "risk_tier",
                "recommendation", "quality", "ood", "cam", "timing_ms"} <= set(rec)
        assert set(rec["timing_ms"]) == {"decode", "quality", "preprocess", "inference", "cam", "total"}
        assert rec["model"] == {"name": "tiny-test", "version": "0.0.1"}
        assert Path(rec["cam"]).is_file() and rec["ood"]["flag"] in (True, False)


def test_capture_add_cli_assesses_with_installed_model(capsys, installed_model: Path, lesion_files: list[Path],
                                                       data_dir: Path) -> None:
    main(["patient", "add", "--mrn", "C-1", "--name", "Cli Assess"])
    main(["lesion", "add", "--patient", "C-1", "--site", "lateral torso"])
    capsys.readouterr()
    code = main(["capture", "add", "--lesion", "1", str(lesion_files[0]), "--json", "--device", "cpu"])
    rec = json.loads(capsys.readouterr().out.splitlines()[0])
    assert code == 0 and rec["assessment"]["model_name"] == "tiny-test"
    with Register(data_dir) as reg:
        assert reg.assessments.latest(rec["capture"]["id"]).risk_tier == rec["assessment"]["risk_tier"]
