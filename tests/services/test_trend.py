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


def test_images_imported_together_each_get_their_area_in_the_trend(tmp_path: Path) -> None:
    """Six captures imported at once: the chart had areas for the first and the last only (the captures between
    were never compared with the baseline); every follow-up is compared once, the newest's row returned."""
    from dermadesk.analysis.synthetic import LesionSpec, jpeg_bytes, synthetic_lesion
    from dermadesk.services.captures import CaptureMeta, import_files

    files = []
    for i in range(4):
        files.append(tmp_path / f"visit-{i}.jpg")
        files[-1].write_bytes(jpeg_bytes(synthetic_lesion(LesionSpec(seed=4, scale=1.0 + 0.15 * i))))
    with Register(tmp_path / "data") as reg:
        lesion = reg.lesions.add("u", reg.patients.add("u", "TR-2", "Trend Patient").id, "posterior torso")
        base = import_files(reg, "u", lesion.id, files[:1], CaptureMeta(taken_at="2026-01-01", mm_per_px=0.02))
        assert base.comparison is None
        result = import_files(reg, "u", lesion.id, files[1:], CaptureMeta(taken_at="2026-05-01", mm_per_px=0.02))
        trend = lesion_trend(reg, lesion.id)
        rows = reg.comparisons.for_lesion(lesion.id)
        again = import_files(reg, "u", lesion.id, [], CaptureMeta(taken_at="2026-06-01"))  # nothing new: no rows
        assert len(reg.comparisons.for_lesion(lesion.id)) == len(rows)
    assert again.comparison is None and len(rows) == 3
    assert {r.baseline_capture_id for r in rows} == {base.captures[0].id}
    assert result.comparison is not None and result.comparison.followup_capture_id == result.captures[-1].id
    areas = trend.area.values
    assert trend.area.unit == "mm²" and all(area is not None for area in areas) and len(areas) == 4
    assert areas[-1] > areas[0]
