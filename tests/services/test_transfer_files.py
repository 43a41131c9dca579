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
