"""``analyze``, ``capture add`` and ``assess`` print a risk tier with the malignant and melanoma chances that set it,
as the app's tier line writes them ("tier REFER, malignant 34% (melanoma 12%)"), then the recommendation and the
most likely class, and say that this is decision support, not a diagnosis. The tiny test model, a real register."""

from __future__ import annotations

import json
from pathlib import Path


from dermadesk.inference.registry import ModelRegistry
from dermadesk.storage.register import Register
from tests.conftest import lesion_jpeg
from tests.test_cli import run


def tier_words(tier: str, malignant: float, melanoma: float, recommendation: str, top: float) -> str:
    """What every command prints for an assessed image (the class is the tiny model's: a naevus)."""
    return (
        f"tier {tier.upper()}, malignant {malignant:.0%} (melanoma {melanoma:.0%}): {recommendation} Most likely "
        f"class: Melanocytic nevus ({top:.0%})."
    )


def test_analyze_prints_the_chances_that_set_the_tier(
    capsys, installed_model: Path, data_dir: Path, tmp_path: Path
) -> None:
    image = tmp_path / "lesion.jpg"
    image.write_bytes(lesion_jpeg(seed=1))
    code, out, _ = run(capsys, "analyze", str(image), "--device", "cpu", "--json")
    r = json.loads(out)
    assert code == 0 and r["status"] == "assessed" and r["top_class"] == "nv"
    entry = ModelRegistry(data_dir).get("tiny-test")  # the tier follows from these two figures and nothing else
    assert entry.manifest.thresholds.tier(r["malignant_probability"], r["melanoma_probability"]) == r["risk_tier"]
    code, out, _ = run(capsys, "analyze", str(image), "--device", "cpu")
    header, line = out.splitlines()
    assert code == 0 and header == "model tiny-test@0.0.1 on CPU -- decision support, not a diagnosis"
    assert line == f"{image}: " + tier_words(
        r["risk_tier"],
        r["malignant_probability"],
        r["melanoma_probability"],
        r["recommendation"],
        r["probabilities"]["nv"],
    )


def test_capture_add_and_assess_print_the_stored_figures(
    capsys, installed_model: Path, data_dir: Path, tmp_path: Path
) -> None:
    image = tmp_path / "lesion.jpg"
    image.write_bytes(lesion_jpeg(seed=0))
    run(capsys, "patient", "add", "--mrn", "T-1", "--name", "Tier Line")
    run(capsys, "lesion", "add", "--patient", "T-1", "--site", "upper extremity")
    code, out, _ = run(
        capsys, "capture", "add", "--lesion", "1", "--device", "cpu", "--taken", "2026-02-03", str(image)
    )
    with Register(data_dir) as reg:
        a = reg.assessments.latest(1)
    assert code == 0 and a is not None and a.assessable and a.risk_tier
    words = tier_words(
        a.risk_tier, a.malignant_probability, a.melanoma_probability, a.recommendation or "", a.probabilities["nv"]
    )
    added, engine = out.splitlines()[:2]
    assert added == "capture 1 (3 Feb 2026) added (lesion.jpg, 320x240): " + words
    assert engine == "assessed with tiny-test@0.0.1 on CPU -- decision support, not a diagnosis"
    code, out, _ = run(capsys, "assess", "--capture", "1", "--device", "cpu")
    lines = out.splitlines()
    assert code == 0 and lines[0] == f"capture 1 (3 Feb 2026): {words}"  # the first capture: no change line
    assert lines[1] == engine  # the device in plain words, as capture add says it

    grown = tmp_path / "grown.jpg"  # a follow-up: assess says its change since the baseline beside a LOW tier too
    grown.write_bytes(lesion_jpeg(seed=0, scale=1.4))
    assert run(capsys, "capture", "add", "--lesion", "1", "--no-assess", "--taken", "2026-03-03", str(grown))[0] == 0
    code, out, _ = run(capsys, "assess", "--capture", "2", "--device", "cpu")
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("capture 2 (3 Mar 2026): tier ") and lines[2] == engine
    assert lines[1].startswith("  change since the baseline, capture 1 (3 Feb 2026): SIGNIFICANT"), lines[1]


def test_an_image_given_no_result_is_said_checked_not_assessed(
    capsys, installed_model: Path, data_dir: Path, tmp_path: Path
) -> None:
    image = tmp_path / "lesion.jpg"
    image.write_bytes(lesion_jpeg(seed=0))
    run(capsys, "patient", "add", "--mrn", "T-2", "--name", "Clinical Photo")
    run(capsys, "lesion", "add", "--patient", "T-2", "--site", "upper extremity")
    code, out, _ = run(capsys, "capture", "add", "--lesion", "1", "--device", "cpu", "--modality", "clinical",
                       "--taken", "2026-02-03", str(image))  # fmt: skip
    with Register(data_dir) as reg:
        a = reg.assessments.latest(1)
    assert code == 0 and a is not None and not a.assessable and "NOT ASSESSABLE" in out
    engine = "checked with tiny-test@0.0.1 on CPU -- decision support, not a diagnosis"
    assert engine in out.splitlines() and "assessed with" not in out
    code, out, _ = run(capsys, "assess", "--capture", "1", "--device", "cpu")
    assert code == 0 and engine in out.splitlines() and "assessed with" not in out
