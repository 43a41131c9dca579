"""The model contract: class list, preprocessing, manifest round trip and validation."""

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest

from dermadesk.contract import (CLASS_CODES, MALIGNANT_CODES, ContractError, InputSpec, ModelManifest, OODStats,
                                RiskThresholds, preprocess, softmax)


def test_classes_fixed_order_and_malignant_flags() -> None:
    assert CLASS_CODES == ("akiec", "bcc", "bkl", "df", "mel", "nv", "vasc")
    assert MALIGNANT_CODES == ("akiec", "bcc", "mel")


def test_preprocess_shape_dtype_and_normalisation() -> None:
    spec = InputSpec(height=32, width=48, mean=(0.5, 0.5, 0.5), std=(0.25, 0.25, 0.25))
    img = np.full((60, 90, 3), 255, np.uint8)
    img[..., 1] = 0
    x = preprocess(img, spec)
    assert x.shape == (1, 3, 32, 48) and x.dtype == np.float32
    assert np.allclose(x[0, 0], 2.0) and np.allclose(x[0, 1], -2.0)  # (1-0.5)/0.25, (0-0.5)/0.25
    with pytest.raises(ContractError):
        preprocess(img[..., 0], spec)


def test_manifest_round_trip(tiny_model_dir: Path) -> None:
    path = tiny_model_dir / "tiny-test.json"
    m = ModelManifest.load(path)
    m.validate()
    again = ModelManifest.from_dict(json.loads(json.dumps(m.to_dict())))
    assert again == m
    assert json.loads(path.read_text())["classes"][4] == {"code": "mel", "name": "Melanoma",
                                                          "isic_term": "Melanoma", "malignant": True}


@pytest.mark.parametrize("change, message", [
    (dict(classes=("nv", "mel")), "classes"),
    (dict(outputs=("logits",)), "outputs"),
    (dict(sha256="abc"), "sha256"),
    (dict(temperature=0.0), "temperature"),
    (dict(input=InputSpec(colour_order="BGR")), "colour order"),
    (dict(thresholds=RiskThresholds(refer_malignant=0.9, urgent_malignant=0.5)), "thresholds"),
    (dict(schema_version=99), "newer"),
])
def test_manifest_validation_refuses(tiny_model_dir: Path, change: dict, message: str) -> None:
    m = dataclasses.replace(ModelManifest.load(tiny_model_dir / "tiny-test.json"), **change)
    with pytest.raises(ContractError, match=message):
        m.validate()


def test_malformed_manifest_file(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text('{"name": "x"}')
    with pytest.raises(ContractError, match="malformed"):
        ModelManifest.load(tmp_path / "bad.json")
    (tmp_path / "worse.json").write_text("{not json")
    with pytest.raises(ContractError, match="cannot read"):
        ModelManifest.load(tmp_path / "worse.json")
    (tmp_path / "damaged.json").write_bytes(b"\xff\xfe" + bytes(range(256)))  # not UTF-8: a clear refusal too
    with pytest.raises(ContractError, match="is not a text \\(JSON\\) file"):
        ModelManifest.load(tmp_path / "damaged.json")
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(ContractError, match="nested too deeply"):
        ModelManifest.load(tmp_path / "deep.json")
    (tmp_path / "model.onnx").write_bytes(b"\x08\x07")  # the model picked instead of its manifest
    with pytest.raises(ContractError, match="is the model itself: give its manifest"):
        ModelManifest.load(tmp_path / "model.onnx")


def test_softmax_temperature_flattens() -> None:
    logits = np.array([[2.0, 0.0, -1.0]])
    p1, p3 = softmax(logits, 1.0), softmax(logits, 3.0)
    assert np.allclose(p1.sum(), 1) and np.allclose(p3.sum(), 1)
    assert p3.max() < p1.max()
    assert np.allclose(p3, softmax(logits / 3.0, 1.0))


def test_risk_tiers_follow_thresholds() -> None:
    t = RiskThresholds(monitor_malignant=0.1, refer_malignant=0.3, urgent_malignant=0.8,
                       monitor_melanoma=0.05, refer_melanoma=0.2, urgent_melanoma=0.6)
    assert t.tier(0.05, 0.01) == "low"
    assert t.tier(0.10, 0.0) == "monitor"
    assert t.tier(0.29, 0.06) == "monitor"
    assert t.tier(0.30, 0.0) == "refer"
    assert t.tier(0.25, 0.20) == "refer"  # melanoma threshold alone is enough
    assert t.tier(0.79, 0.61) == "urgent"
    assert t.tier(0.80, 0.0) == "urgent"


def test_ood_stats_fit_and_score() -> None:
    rng = np.random.default_rng(0)
    train = rng.normal(0, 1, (400, 16)) * np.linspace(3, 0.1, 16)
    val = rng.normal(0, 1, (200, 16)) * np.linspace(3, 0.1, 16)
    stats = OODStats.fit(train, val, components=6, quantile=0.95)
    stats.validate(16)
    assert (stats.score(val) > stats.threshold).mean() == pytest.approx(0.05, abs=0.01)
    far = rng.normal(0, 1, (50, 16)) * 5 + 10
    assert (stats.score(far) > stats.threshold).all()


def test_manifest_evaluation_is_typed_and_round_trips() -> None:
    """The manifest's evaluation is an EvaluationSummary; read and written again, the manifest says the same."""
    from dermadesk.contract import EvaluationSummary

    (path,) = (Path(__file__).resolve().parents[2] / "models").glob("*.json")  # the one bundled model
    manifest = ModelManifest.load(path)
    ev = manifest.evaluation
    assert isinstance(ev, EvaluationSummary)
    assert 0.5 < ev.balanced_accuracy < 1 and ev.malignant is not None and 0 < ev.malignant.sensitivity <= 1
    assert set(ev.per_class_recall) == set(CLASS_CODES) and ev.split_method
    assert json.loads(json.dumps(manifest.to_dict())) == json.loads(path.read_text(encoding="utf-8"))
    note = ModelManifest.from_dict({**manifest.to_dict(), "evaluation": {"note": "test model", "new_figure": 1}})
    assert note.evaluation.note == "test model" and note.evaluation.balanced_accuracy is None
    assert note.to_dict()["evaluation"] == {"note": "test model", "new_figure": 1}  # unknown keys kept


def test_each_tier_action_names_its_recommendations_action_and_interval() -> None:
    """The short line under the tier and the recommendation say the same thing: one edited alone fails here."""
    from dermadesk.contract import RECOMMENDATIONS, RISK_TIERS, TIER_ACTIONS

    shared = {"urgent": "urgent specialist review", "refer": "referral for specialist review",
              "monitor": "3 months", "low": "12 months"}  # fmt: skip
    assert set(TIER_ACTIONS) == set(RECOMMENDATIONS) == set(RISK_TIERS) == set(shared)
    for tier, words in shared.items():
        assert words in TIER_ACTIONS[tier] and words in RECOMMENDATIONS[tier], tier
