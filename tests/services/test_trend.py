"""The trend chart's data shows no malignant probability for a capture the model could not assess."""

from __future__ import annotations

from pathlib import Path

from dermadesk.services.tracking import lesion_trend
from dermadesk.storage.register import Register


def test_a_not_assessable_capture_has_no_probability_in_the_trend(tmp_path: Path) -> None:
    with Register(tmp_path / "data") as reg:
        patient = reg.patients.add("u", "TR-1", "Trend Patient")
        lesion = reg.lesions.add("u", patient.id, "posterior torso")
        for i, (status, p) in enumerate((("assessed", 0.3), ("not assessable", 0.6))):
            sha = reg.images.put(f"image {i}".encode())
            capture = reg.captures.add("u", lesion.id, f"2026-0{i + 1}-01", sha, 600, 450, 7, "JPEG")
            reg.assessments.add(
                "u",
                capture.id,
                model_name="m",
                model_version="1",
                provider="CPUExecutionProvider",
                probabilities={"mel": p, "nv": 1 - p},
                top_class="nv",
                malignant_probability=p,
                melanoma_probability=p,
                risk_tier="low" if status == "assessed" else None,
                recommendation="r" if status == "assessed" else None,
                ood_score=0.1,
                ood_flag=status != "assessed",
                status=status,
                status_reasons=[] if status == "assessed" else ["unlike dermoscopy"],
            )
        trend = lesion_trend(reg, lesion.id)
    assert trend.dates == ["2026-01-01", "2026-02-01"]
    assert trend.malignant_percent == [30.0, None]
