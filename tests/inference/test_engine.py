"""The assessment engine on a real ONNX Runtime session with a tiny test model."""

import dataclasses
import json
import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest

from dermadesk.analysis.quality import check_quality
from dermadesk.analysis.synthetic import BLUE_GREY, LesionSpec, synthetic_lesion
from dermadesk.contract import CLASS_CODES, ModelManifest, RiskThresholds, softmax
from dermadesk.domain.errors import ModelError, NotFoundError
from dermadesk.inference.engine import Assessor
from dermadesk.inference.registry import ModelRegistry, load_entry
from dermadesk.inference.session import CPU, OnnxModel
from modelgen import in_distribution_images


@pytest.fixture(scope="module")
def assessor(tiny_model_dir: Path) -> Assessor:
    return Assessor(load_entry(tiny_model_dir / "tiny-test.json"), device="cpu")


def test_probabilities_sum_to_one_and_fields(assessor: Assessor) -> None:
    results = assessor.assess_batch(in_distribution_images(4, 901))  # 900 is one of the 1% the tiny model flags
    for r in results:
        assert sum(r.probabilities.values()) == pytest.approx(1.0, abs=1e-9)
        assert list(r.probabilities) == list(CLASS_CODES)
        assert r.top_class == max(r.probabilities, key=r.probabilities.get)
        assert r.malignant_probability == pytest.approx(sum(r.probabilities[c] for c in ("akiec", "bcc", "mel")))
        assert r.risk_tier in ("low", "monitor", "refer", "urgent") and r.recommendation
        assert "diagnos" not in r.recommendation.lower()
        assert r.cams.shape[0] == 7 and set(r.timing_ms) == {"quality", "preprocess", "inference"}


def test_batch_equals_single(assessor: Assessor) -> None:
    imgs = in_distribution_images(3, 910)
    batch = assessor.assess_batch(imgs)
    single = [assessor.assess(im) for im in imgs]
    for b, s in zip(batch, single):
        assert b.probabilities == pytest.approx(s.probabilities, abs=1e-6)


def test_calibration_temperature_is_applied(tiny_model_dir: Path, tmp_path: Path) -> None:
    img = in_distribution_images(1, 920)[0]
    base = Assessor(load_entry(tiny_model_dir / "tiny-test.json"), "cpu")
    logits = base.model.run(np.concatenate([__import__("dermadesk.contract", fromlist=["x"]).preprocess(
        img, base.entry.manifest.input)]))["logits"]
    for temperature in (0.5, 1.0, 4.0):
        folder = tmp_path / f"t{temperature}"
        shutil.copytree(tiny_model_dir, folder)
        path = folder / "tiny-test.json"
        m = dataclasses.replace(ModelManifest.load(path), temperature=temperature)
        m.save(path)
        r = Assessor(load_entry(path), "cpu").assess(img)
        expected = softmax(logits, temperature)[0]
        assert list(r.probabilities.values()) == pytest.approx(list(expected), abs=1e-6)


def test_risk_tier_follows_manifest_thresholds(tiny_model_dir: Path, tmp_path: Path) -> None:
    img = synthetic_lesion(LesionSpec(seed=3, blob_colour=BLUE_GREY), 160, 120)
    shutil.copytree(tiny_model_dir, tmp_path / "m")
    path = tmp_path / "m" / "tiny-test.json"
    mal = Assessor(load_entry(path), "cpu").assess(img).malignant_probability
    never = dict(monitor_melanoma=1.0, refer_melanoma=1.0, urgent_melanoma=1.0)
    for (monitor, refer, urgent), tier in [
        ((0.0, mal + 0.01, mal + 0.02), "monitor"),
        ((0.0, mal - 0.01, mal + 0.01), "refer"),
        ((0.0, 0.0, mal - 0.01), "urgent"),
        ((mal + 0.01, mal + 0.05, mal + 0.06), "low"),
    ]:
        thresholds = RiskThresholds(monitor_malignant=monitor, refer_malignant=refer, urgent_malignant=urgent,
                                    **never)
        m = dataclasses.replace(ModelManifest.load(path), thresholds=thresholds)
        m.save(path)
        assert Assessor(load_entry(path), "cpu").assess(img).risk_tier == tier


def test_cam_peaks_where_the_model_looks(assessor: Assessor) -> None:
    """The test model's melanoma class responds to blue-grey: its CAM must peak on the blue patch."""
    img = np.full((240, 320, 3), (220, 170, 150), np.uint8)
    img[20:90, 210:300] = BLUE_GREY  # top-right patch
    r = assessor.assess(img)
    heat = r.heatmap("mel")
    assert heat.shape == (240, 320)
    y, x = np.unravel_index(np.argmax(heat), heat.shape)
    assert 20 - 25 <= y <= 90 + 25 and 210 - 25 <= x <= 300 + 25
    assert heat[20:90, 210:300].mean() > 4 * heat[150:, :150].mean()
    png, _ = assessor.cam_png(r, "mel")
    rgba = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_UNCHANGED)
    assert rgba.shape == (240, 320, 4)


def test_ood_flags_noise_and_flat_colour_not_lesions(assessor: Assessor) -> None:
    rng = np.random.default_rng(0)
    noise = rng.integers(0, 256, (240, 320, 3), dtype=np.uint8)
    flat = np.full((240, 320, 3), (30, 200, 40), np.uint8)
    grey = np.full((240, 320, 3), 128, np.uint8)
    out = assessor.assess_batch([noise, flat, grey])
    assert all(r.ood_flag for r in out), [r.ood_score for r in out]
    normal = assessor.assess_batch(in_distribution_images(8, 2000))
    assert not any(r.ood_flag for r in normal), [r.ood_score for r in normal]


def test_provider_reported(assessor: Assessor, tiny_model_dir: Path) -> None:
    assert assessor.choice.provider == CPU and assessor.choice.device_label == "CPU"
    assert assessor.choice.warning is None
    gpu = OnnxModel(tiny_model_dir / "tiny-test.onnx", "gpu")
    assert gpu.choice.provider == CPU  # no GPU here: never a silent fallback
    assert gpu.choice.warning and gpu.choice.warning.startswith("GPU requested but not in use")
    with pytest.raises(Exception, match="unknown device"):
        OnnxModel(tiny_model_dir / "tiny-test.onnx", "tpu")


def test_cpu_reason_names_the_missing_part(tiny_model_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dermadesk.inference import session

    if session.CUDA not in session.available_providers():
        assert "no CUDA provider" in session.cpu_reason()
        return
    # onnxruntime-gpu here: its CUDA library is installed, but there is no GPU or CUDA runtime
    assert session.cuda_provider_library() is not None
    assert "could not start" in session.cpu_reason()
    auto = OnnxModel(tiny_model_dir / "tiny-test.onnx", "auto")
    assert auto.choice.provider == CPU and auto.choice.note and "could not start" in auto.choice.note
    # the installer's core bundle without its GPU pack: the library is missing (fault injected)
    monkeypatch.setattr(session, "cuda_provider_library", lambda: None)
    gpu = OnnxModel(tiny_model_dir / "tiny-test.onnx", "gpu")
    assert gpu.choice.provider == CPU and "GPU pack is not installed" in (gpu.choice.warning or "")


def test_tampered_model_refused(tiny_model_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "models"
    shutil.copytree(tiny_model_dir, folder)
    onnx_path = folder / "tiny-test.onnx"
    data = bytearray(onnx_path.read_bytes())
    data[-5] ^= 0x01
    onnx_path.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="does not match the sha256"):
        load_entry(folder / "tiny-test.json")
    registry = ModelRegistry(None, bundled_dir=folder)
    assert registry.entries() == [] and "tampered" in registry.problems[0]
    with pytest.raises(ModelError, match="default model tiny-test 0.0.1 cannot be used.*tampered"):
        registry.get()


def test_wrong_model_file_refused(tiny_model_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "models"
    shutil.copytree(tiny_model_dir, folder)
    manifest = json.loads((folder / "tiny-test.json").read_text())
    manifest["classes"] = manifest["classes"][:5]
    (folder / "tiny-test.json").write_text(json.dumps(manifest))
    with pytest.raises(ModelError, match="do not match"):
        load_entry(folder / "tiny-test.json")
    (folder / "tiny-test.onnx").write_bytes(b"not an onnx file")
    from dermadesk.contract import sha256_file

    manifest = json.loads((tiny_model_dir / "tiny-test.json").read_text())
    manifest["sha256"] = sha256_file(folder / "tiny-test.onnx")
    (folder / "tiny-test.json").write_text(json.dumps(manifest))
    with pytest.raises(ModelError, match="cannot load model"):
        Assessor(load_entry(folder / "tiny-test.json"), "cpu").model  # noqa: B018 - loading is the test


def test_registry_prefers_user_model_and_finds_by_name(tiny_model_dir: Path, installed_model: Path,
                                                       data_dir: Path) -> None:
    registry = ModelRegistry(data_dir, bundled_dir=tiny_model_dir)
    assert [e.source for e in registry.entries()] == ["bundled", "user"]
    assert registry.get().source == "user"
    assert registry.get("tiny-test@0.0.1").manifest.name == "tiny-test"
    with pytest.raises(NotFoundError, match="no model named 'other'"):
        registry.get("other")


def _blurred(img: np.ndarray) -> np.ndarray:
    return cv2.GaussianBlur(img, (0, 0), 6)


@pytest.mark.parametrize("make, check, status", [
    (lambda im: im, None, "pass"),
    (_blurred, "focus", "fail"),
    (lambda im: (im * 0.15).astype(np.uint8), "exposure", "fail"),
    (lambda im: np.clip(im.astype(int) + 120, 0, 255).astype(np.uint8), "exposure", "fail"),
    (lambda im: np.clip(im.astype(int) * [0.35, 0.6, 1.6], 0, 255).astype(np.uint8), "colour_cast", None),
    (lambda im: cv2.resize(im, (170, 128)), "resolution", "warn"),
    (lambda im: cv2.resize(im, (96, 72)), "resolution", "fail"),
])
def test_quality_flags(make, check, status) -> None:
    img = synthetic_lesion(LesionSpec(seed=5, hair=2), 600, 450)
    report = check_quality(make(img))
    if check is None:
        assert report.status == "pass", report.problems
    else:
        graded = {c.name: c.status for c in report.checks}
        assert graded[check] != "pass", report.to_dict()
        if status:
            assert graded[check] == status
