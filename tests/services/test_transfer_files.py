"""A package's files counted by kind: an export of 3 captures, 2 of them assessed, holds 3 images and 2 heat maps
(it said "5 images": the heat maps stored with the assessments counted as images); its progress, and an import's,
count each kind the same way ("packing image 3 of 3", "storing heat map 2 of 2"), and a package that lacks its heat
maps says so in those words. Real registers, real JPEGs and heat-map PNGs, real packages."""

from __future__ import annotations

from pathlib import Path

import pytest

from dermadesk.domain.errors import IntegrityError
from dermadesk.services.captures import CaptureMeta, import_capture
from dermadesk.services.transfer import export_patients, import_package
from dermadesk.storage import transfer as transfer_storage
from dermadesk.storage.register import Register
from dermadesk.storage.transfer_files import HEAT_MAP
from tests.conftest import lesion_jpeg
from tests.transfer_data import fill


def three_captures_two_assessed(reg: Register) -> None:
    """P-1 with one lesion: two captures assessed (each with a heat map), a third not assessed yet."""
    fill(reg, "P-1", "Ann Smith", lesions=1, captures=2)
    lesion = reg.lesions.for_patient(reg.patients.by_mrn("P-1").id)[0]
    later = lesion_jpeg(seed=77, width=160, height=120)
    import_capture(reg, "clinic", lesion.id, later, "later.jpg", CaptureMeta(taken_at="2025-03-15", mm_per_px=0.02))


def test_export_counts_capture_images_and_heat_maps_apart(tmp_path: Path) -> None:
    said: list[str] = []
    with Register(tmp_path / "clinic") as reg:
        three_captures_two_assessed(reg)
        result = export_patients(reg, tmp_path / "p.ddtx", None, progress=lambda f, m: said.append(m))
    assert (result.counts["captures"], result.counts["assessments"]) == (3, 2)
    assert (result.images, result.heat_maps) == (3, 2)  # not "5 images"
    packing = [m for m in said if m.startswith("packing")]
    assert packing == [f"packing image {i} of 3" for i in (1, 2, 3)] + [f"packing heat map {i} of 2" for i in (1, 2)]

    said.clear()
    with Register(tmp_path / "field") as reg:
        import_package(reg, tmp_path / "p.ddtx", None, "nurse", progress=lambda f, m: said.append(m))
    for step in ("checking", "storing"):  # as the export counted them
        assert [m for m in said if m.startswith((f"{step} image", f"{step} heat map"))] == [
            f"{step} image {i} of 3" for i in (1, 2, 3)
        ] + [f"{step} heat map {i} of 2" for i in (1, 2)]


def test_a_package_without_its_heat_maps_is_refused_in_those_words(tmp_path: Path, monkeypatch) -> None:
    real = transfer_storage.image_files

    def heat_maps_left_out(records):  # the fault: an exporter that packed the capture images only
        return {**real(records), HEAT_MAP: []}

    with Register(tmp_path / "clinic") as reg, monkeypatch.context() as m:
        three_captures_two_assessed(reg)
        m.setattr(transfer_storage, "image_files", heat_maps_left_out)
        export_patients(reg, tmp_path / "p.ddtx", None)
    with Register(tmp_path / "field") as reg, pytest.raises(IntegrityError) as refused:
        import_package(reg, tmp_path / "p.ddtx", None, "nurse")
    assert "p.ddtx: 2 heat maps its records need are not in it, e.g. " in str(refused.value)
    assert str(refused.value).endswith("; nothing was changed") and "image" not in str(refused.value)


def test_a_not_assessable_results_heat_map_is_packed_and_stored_after_the_counted_ones(tmp_path: Path) -> None:
    """A NOT ASSESSABLE result's heat map, never shown, is not one of the heat maps counted; it is packed, checked and
    stored after them in words of its own ("packing withheld heat map 1 of 1"), so that the import has it too."""
    import cv2
    import numpy as np

    said: list[str] = []
    with Register(tmp_path / "clinic") as reg:
        three_captures_two_assessed(reg)
        ok, png = cv2.imencode(".png", np.full((8, 8), 200, np.uint8))
        withheld = reg.images.put(png.tobytes())
        reg.assessments.add(
            "clinic",
            3,
            cam_sha256=withheld,
            model_name="tiny-test",
            model_version="0.0.1",
            provider="CPUExecutionProvider",
            probabilities={"nv": 0.9, "mel": 0.1},
            top_class="nv",
            malignant_probability=0.1,
            melanoma_probability=0.1,
            risk_tier=None,
            recommendation=None,
            quality={"status": "fail", "checks": []},
            ood_score=0.1,
            ood_flag=False,
            status="not assessable",
            status_reasons=["image too blurred: retake it in focus"],
        )
        result = export_patients(reg, tmp_path / "p.ddtx", None, progress=lambda f, m: said.append(m))
    assert (result.counts["assessments"], result.images, result.heat_maps) == (3, 3, 2)
    assert [m for m in said if m.startswith("packing") and "heat map" in m] == [
        "packing heat map 1 of 2",
        "packing heat map 2 of 2",
        "packing withheld heat map 1 of 1",
    ]
    said.clear()
    with Register(tmp_path / "field") as reg:
        import_package(reg, tmp_path / "p.ddtx", None, "nurse", progress=lambda f, m: said.append(m))
        assert reg.images.exists(withheld) and reg.assessments.latest(3).cam_sha256 == withheld  # type: ignore[union-attr]
    assert "checking withheld heat map 1 of 1" in said and "storing withheld heat map 1 of 1" in said


def test_a_superseded_assessments_heat_map_is_packed_and_stored_but_not_counted(tmp_path: Path) -> None:
    """A capture assessed again shows only its newest assessment's heat map (``Assessments.latest``): the export
    counts that one, not the one made before ("3 heat maps" where the app shows 2), yet packs it as withheld, and the
    receiving register holds both files (its check finds none missing) and shows the same one."""
    from dermadesk.storage.check import check_register
    from tests.transfer_data import add_assessment

    said: list[str] = []
    with Register(tmp_path / "clinic") as reg:
        three_captures_two_assessed(reg)
        before = reg.assessments.latest(1).cam_sha256  # type: ignore[union-attr]
        add_assessment(reg, 1, seed=123)  # capture 1 assessed again: a heat map of its own
        shown = {c: reg.assessments.latest(c).cam_sha256 for c in (1, 2)}  # type: ignore[union-attr]
        assert before not in shown.values() and len(reg.assessments.for_capture(1)) == 2
        result = export_patients(reg, tmp_path / "p.ddtx", None, progress=lambda f, m: said.append(m))
    assert (result.counts["assessments"], result.images, result.heat_maps) == (3, 3, 2)
    assert [m for m in said if m.startswith("packing") and "heat map" in m] == [
        "packing heat map 1 of 2",
        "packing heat map 2 of 2",
        "packing withheld heat map 1 of 1",
    ]
    said.clear()
    with Register(tmp_path / "field") as reg:
        import_package(reg, tmp_path / "p.ddtx", None, "nurse", progress=lambda f, m: said.append(m))
        assert {c: reg.assessments.latest(c).cam_sha256 for c in (1, 2)} == shown  # type: ignore[union-attr]
        assert reg.images.exists(before or "")
        report = check_register(reg)
        assert report.ok and report.missing_images == []
    assert "checking withheld heat map 1 of 1" in said and "storing withheld heat map 1 of 1" in said

    with Register(tmp_path / "clinic") as reg:  # assessed again once more, sent again: one new row to store
        add_assessment(reg, 1, seed=124)
        export_patients(reg, tmp_path / "p.ddtx", None, overwrite=True)
    said.clear()
    with Register(tmp_path / "field") as reg:
        import_package(reg, tmp_path / "p.ddtx", None, "nurse", progress=lambda f, m: said.append(m))
    assert [m for m in said if m.startswith("storing")] == ["storing heat map 1 of 1"]  # the one shown now
