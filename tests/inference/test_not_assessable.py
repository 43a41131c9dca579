"""Not assessable instead of a tier the model cannot back: a flat image, noise, a NaN-producing model,
a clinical-modality capture and a good image, through the engine, the CLI (strict JSON), model install,
the report's text and the assessment view."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from dermadesk.analysis.synthetic import jpeg_bytes
from dermadesk.main import main
from dermadesk.contract import ASSESSED, NOT_ASSESSABLE, assessment_status
from dermadesk.domain.errors import ModelError
from dermadesk.inference.engine import Assessor
from dermadesk.inference.registry import install_model, load_entry
from modelgen import in_distribution_images, write_tiny_model


def strict_json(text: str) -> object:
    """json.loads that refuses NaN and Infinity, as a strict parser does."""
    def refuse(value: str) -> object:
        raise ValueError(f"not JSON: {value}")
    return json.loads(text, parse_constant=refuse)


@pytest.fixture(scope="module")
def nan_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("nan-model")
    write_tiny_model(folder, name="nan-test", nan_head=True)
    return folder


def images() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(0)
    return {"flat": np.full((300, 400, 3), (180, 120, 100), np.uint8),
            "noise": rng.integers(0, 256, (300, 400, 3), dtype=np.uint8),
            "good": in_distribution_images(1, 901)[0]}


def test_status_rule_withholds_the_tier_for_each_reason() -> None:
    assert assessment_status([], False, "dermoscopic", ("dermoscopic",)).status == ASSESSED
    cases = {"quality": (["image looks blurred"], False, "dermoscopic", ""),
             "out_of_distribution": ([], True, "dermoscopic", ""),
             "modality": ([], False, "clinical", ""),
             "invalid_output": ([], False, "dermoscopic", "scores that are not finite numbers")}
    for code, (quality, ood, modality, problem) in cases.items():
        status = assessment_status(quality, ood, modality, ("dermoscopic",), problem)
        assert status.status == NOT_ASSESSABLE and status.codes == (code,)
        assert ": " in status.reasons[0]  # what happened, then what to do next


def test_engine_flat_noise_clinical_and_good(tiny_model_dir: Path) -> None:
    assessor = Assessor(load_entry(tiny_model_dir / "tiny-test.json"), device="cpu")
    imgs = images()
    flat, noise, good = assessor.assess_batch([imgs["flat"], imgs["noise"], imgs["good"]])
    for r, code in ((flat, "quality"), (noise, "out_of_distribution")):
        assert r.status == NOT_ASSESSABLE and code in r.status_codes
        assert r.risk_tier is None and r.recommendation is None
        assert abs(sum(r.probabilities.values()) - 1) < 1e-6  # stored (JSON keeps them), never shown to a reader
    assert any("retake" in reason for reason in flat.status_reasons)
    assert good.status == ASSESSED and good.risk_tier in ("low", "monitor", "refer", "urgent") and good.recommendation
    clinical = assessor.assess(imgs["good"], "clinical")
    assert clinical.status == NOT_ASSESSABLE and clinical.status_codes == ["modality"]
    assert "install a model validated on clinical images" in clinical.status_reasons[0]


def test_nan_model_refused_at_install_and_never_gives_a_tier(capsys, nan_model_dir: Path, data_dir: Path,
                                                              tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="not finite"):
        install_model(nan_model_dir / "nan-test.json", data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)  # models --install refuses a data folder that is not there
    assert main(["models", "--install", str(nan_model_dir / "nan-test.json")]) != 0
    assert "not finite" in capsys.readouterr().err
    assert not (data_dir / "models" / "nan-test.onnx").exists()
    forced = data_dir / "models"  # copied in by hand, past the install check
    forced.mkdir(parents=True, exist_ok=True)
    for f in nan_model_dir.iterdir():
        shutil.copy2(f, forced / f.name)
    image = tmp_path / "good.jpg"
    image.write_bytes(jpeg_bytes(images()["good"]))
    code = main(["analyze", str(image), "--model", "nan-test", "--json"])
    record = strict_json(capsys.readouterr().out)
    assert code != 0  # a model fault is not an answer
    assert record["status"] == NOT_ASSESSABLE and record["risk_tier"] is None and record["recommendation"] is None
    assert record["probabilities"] == {} and any("invalid output" in r for r in record["status_reasons"])
    assert main(["analyze", str(image), "--model", "nan-test"]) != 0
    text = capsys.readouterr().out
    assert "NOT ASSESSABLE, no risk tier" in text
    assert "malignant nan" not in text.lower() and "tier " not in text.lower()


def test_analyze_writes_no_heat_map_for_an_image_not_assessable(capsys, installed_model: Path,
                                                                   tmp_path: Path) -> None:
    """A tidy hotspot on a declined image reads as reassurance: --cam-dir writes heat maps for assessed images only."""
    folder = tmp_path / "batch"
    folder.mkdir()
    for name in ("flat", "good"):
        (folder / f"{name}.jpg").write_bytes(jpeg_bytes(images()[name]))
    cams = tmp_path / "cams"
    assert main(["analyze", str(folder), "--json", "--cam-dir", str(cams), "--device", "cpu"]) == 0
    records = {Path(r["path"]).stem: r for r in map(strict_json, capsys.readouterr().out.splitlines())}
    assert records["flat"]["status"] == NOT_ASSESSABLE and records["flat"]["cam"] is None
    assert records["good"]["status"] == ASSESSED and Path(records["good"]["cam"]).is_file()
    assert [p.name for p in cams.iterdir()] == [Path(records["good"]["cam"]).name]
    other = tmp_path / "other"  # another image of the same name: its own heat map, the first one kept
    other.mkdir()
    (other / "good.jpg").write_bytes(jpeg_bytes(in_distribution_images(1, 903)[0]))
    assert main(["analyze", str(other / "good.jpg"), "--cam-dir", str(cams), "--device", "cpu"]) == 0
    out = capsys.readouterr().out
    assert len(list(cams.iterdir())) == 2 and f"heat map: {cams}" in out
    assert main(["analyze", str(folder / "flat.jpg"), "--cam-dir", str(cams), "--device", "cpu"]) == 0
    assert "no heat map (not assessable)" in capsys.readouterr().out


def test_install_refuses_a_non_onnx_file_with_a_matching_hash(tmp_path: Path, data_dir: Path) -> None:
    from dermadesk.contract import sha256_file

    folder = tmp_path / "junk"
    manifest = write_tiny_model(folder, name="junk")
    (folder / "junk.onnx").write_bytes(b"this is not a model" * 100)
    data = json.loads(manifest.read_text())
    data["sha256"] = sha256_file(folder / "junk.onnx")
    manifest.write_text(json.dumps(data))
    with pytest.raises(ModelError, match="cannot be run on a test image"):
        install_model(manifest, data_dir)


def test_cli_capture_add_and_assess_with_statuses(capsys, installed_model: Path, tmp_path: Path) -> None:
    paths = {}
    for name, img in images().items():
        paths[name] = tmp_path / f"{name}.png"
        import cv2

        paths[name].write_bytes(cv2.imencode(".png", img[..., ::-1])[1].tobytes())
    main(["patient", "add", "--mrn", "NA-1", "--name", "Not Assessable"])
    main(["lesion", "add", "--patient", "NA-1", "--site", "anterior torso"])
    capsys.readouterr()
    assert main(["capture", "add", "--lesion", "1", "--taken", "2026-01-01", "--json",
                 str(paths["flat"]), str(paths["noise"]), str(paths["good"])]) == 0
    rows = [strict_json(line) for line in capsys.readouterr().out.splitlines()]
    statuses = [r["assessment"]["status"] for r in rows]
    assert statuses == [NOT_ASSESSABLE, NOT_ASSESSABLE, ASSESSED]
    assert [r["assessment"]["risk_tier"] is None for r in rows] == [True, True, False]
    # the same image again is refused (a duplicate in this lesion): nothing imported, a non-zero exit
    assert main(["capture", "add", "--lesion", "1", "--taken", "2026-02-01", "--modality", "clinical",
                 str(paths["good"])]) == 1
    err = capsys.readouterr().err
    # three captures of 1 Jan 2026 without a time: this one is named by its place that day
    assert "already in this lesion (the capture of 1 Jan 2026, 3 of 3 that day" in err and "nothing imported" in err
    followup = tmp_path / "followup.png"  # another image of the lesion, taken with a clinical camera
    followup.write_bytes(cv2.imencode(".png", in_distribution_images(1, 902)[0][..., ::-1])[1].tobytes())
    assert main(["capture", "add", "--lesion", "1", "--taken", "2026-02-01", "--modality", "clinical",
                 str(followup)]) == 0
    out = capsys.readouterr().out
    assert "NOT ASSESSABLE, no risk tier" in out and "validated on dermoscopic images only" in out
    assert main(["assess", "--capture", "1"]) == 0
    out = capsys.readouterr().out
    # the reasons but no figure: a clinician read "probabilities unreliable (... malignant 0.07)" as reassurance
    assert "NOT ASSESSABLE" in out and "retake the image" in out
    assert not any(word in out for word in ("malignant", "probabilit", "vasc", "nv "))
    assert main(["assess", "--capture", "1", "--json"]) == 0
    record = strict_json(capsys.readouterr().out)  # for machines: the stored figures beside the status
    assert record["status"] == NOT_ASSESSABLE and record["risk_tier"] is None and record["status_reasons"]
    assert abs(sum(record["probabilities"].values()) - 1) < 1e-6
    assert main(["assess", "--capture", "3", "--json"]) == 0
    assert strict_json(capsys.readouterr().out)["status"] == ASSESSED


def test_report_and_views_show_not_assessable_the_same_way(qtbot, installed_model: Path, register, tmp_path: Path,
                                                            monkeypatch) -> None:
    pytest.importorskip("pypdf")
    from pypdf import PdfReader

    from dermadesk.config import Settings
    from dermadesk.inference.engine import open_assessor
    from dermadesk.services.assessment import assess_fn
    from dermadesk.services.captures import CaptureMeta, import_files
    from dermadesk.services.reports import write_lesion_report
    from dermadesk.ui.assessment_view import AssessmentView

    assessor = open_assessor(register.data_dir, "tiny-test", "cpu")
    les = register.lesions.add("t", register.patients.add("t", "NA-2", "Report Case").id, "anterior torso")
    path = tmp_path / "flat.jpg"
    path.write_bytes(jpeg_bytes(images()["flat"]))
    import_files(register, "t", les.id, [path], CaptureMeta(taken_at="2026-01-02"), assess_fn(assessor))
    capture = register.captures.for_lesion(les.id)[0]
    a = register.assessments.latest(capture.id)
    assert a.status == NOT_ASSESSABLE and a.risk_tier is None and a.status_reasons
    pdf = write_lesion_report(register, Settings(), les.id, tmp_path / "r.pdf")
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(str(pdf)).pages)
    assert "NOT ASSESSABLE: no risk tier, no recommendation" in text and "This is not 'low risk'" in text
    assert "Risk tier:" not in text and "retake the image" in text
    # on paper no class probabilities and no heat map for it (a referrer read them as a finding: helper 52)
    assert "Class probabilities are not printed" in text and "No heat map: the image is not assessable" in text
    assert not any(name in text for name in ("Melanocytic nevus", "Vascular lesion", "%"))
    view = AssessmentView()
    qtbot.addWidget(view)
    view.show_capture(capture, a)
    assert "NOT ASSESSABLE" in view.tier.text() and "Risk tier" not in view.tier.text()
    # the reasons below the tier; no probabilities and no heat map, as on paper
    assert "Class probabilities are not shown" in view.tier_detail.text() and view.bars.withheld
    assert view.bars.value_text("vasc") == "–" and not view.cam_toggle.isChecked()
