"""The lesion report in words a clinic user reads without decoding (#16): the capture by its date, its place among
the lesion's captures in words (never a number: the command line's "capture 3" is its register-wide id), why the risk
tier is what it is (the threshold that was passed, not the most likely class), and each capture's area in one unit,
naming the capture without a scale."""

from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader

from dermadesk.config import Settings
from dermadesk.inference.registry import ModelRegistry
from dermadesk.reports.lesion_report import build_lesion_report
from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.services.reports import lesion_report_data
from dermadesk.storage.register import Register
from tests.conftest import lesion_jpeg


def test_report_names_captures_by_date_and_explains_tier_and_areas(
    register: Register, installed_model: Path, data_dir: Path, tmp_path: Path
) -> None:
    p = register.patients.add("t", "W-1", "Word Ing")
    other = register.lesions.add("t", p.id, "head/neck").id
    lesion = register.lesions.add("t", p.id, "anterior torso").id
    files = []
    for name, seed, scale in (("other", 9, 1.0), ("base", 40, 1.0), ("grown", 40, 1.3)):
        files.append(tmp_path / f"{name}.jpg")
        files[-1].write_bytes(lesion_jpeg(seed=seed, scale=scale))
    import_files(register, "t", other, [files[0]], CaptureMeta(taken_at="2026-01-05"))  # register-wide capture 1
    import_files(register, "t", lesion, [files[1]], CaptureMeta(taken_at="2026-05-10"))  # no mm per pixel
    import_files(register, "t", lesion, [files[2]], CaptureMeta(taken_at="2026-06-20", mm_per_px=0.02))
    last = register.captures.for_lesion(lesion)[-1]
    assert last.id == 3
    manifest = ModelRegistry(data_dir).entries()[0].manifest
    refer = manifest.thresholds.refer_malignant
    register.assessments.add(
        "t",
        last.id,
        model_name=manifest.name,
        model_version=manifest.version,
        provider="CPU",
        probabilities={"nv": 0.6, "mel": 0.1},
        top_class="nv",
        malignant_probability=min(refer + 0.05, 0.99),
        melanoma_probability=0.0,
        risk_tier="refer",
        recommendation="Consider referral for specialist review.",
    )
    data = lesion_report_data(register, Settings(), lesion)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(build_lesion_report(data))
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(str(pdf)).pages)
    assert "Visit of 20 Jun 2026 (the latest of 2 captures of lesion 2)" in text and "capture 3" not in text
    # assessed, by a model that drew no heat map: never "the image is not assessable" beside its REFER tier
    assert "No heat map: the model gave none for this image." in text and "not assessable" not in text
    assert re.search(
        rf"Referral because the chance of a malignant lesion \(\d+%\) is at or above the referral "
        rf"threshold \({100 * refer:.0f}%\), although the most likely class is Melanocytic nevus",
        text,
    )
    # the verdict's +71% apart from the drawn outlines' change, another measure, to one decimal
    assert re.search(
        r"The verdict's area change: \+\d+% \(measured on the two images aligned\)\. Outlined area in pixels, another "
        r"measure \(the drawn outlines, in the baseline's frame\): baseline \d+ px → follow-up \d+ px \(\+\d+\.\d%\)",
        text,
    ), text
    assert "No mm²: the baseline has no scale (mm per pixel)" in text and " mm² →" not in text


def test_report_says_first_when_the_recorded_scales_contradict_the_images(register: Register, tmp_path: Path) -> None:
    """The same image twice, recorded at 0.02 and 0.03 mm per pixel: no "+125 %" beside the verdict's change."""
    lesion = register.lesions.add("t", register.patients.add("t", "W-2", "Scale Check").id, "anterior torso").id
    image = tmp_path / "same.jpg"
    image.write_bytes(lesion_jpeg(seed=40))
    import_files(register, "t", lesion, [image], CaptureMeta(taken_at="2026-05-10", mm_per_px=0.02))
    (tmp_path / "again.jpg").write_bytes(image.read_bytes() + b"\0")  # another file of the same picture
    import_files(register, "t", lesion, [tmp_path / "again.jpg"], CaptureMeta(taken_at="2026-06-20", mm_per_px=0.03))
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(build_lesion_report(lesion_report_data(register, Settings(), lesion)))
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(str(pdf)).pages)
    assert "Check the scales: the recorded mm per pixel of the two captures do not match the images" in text, text
    assert "(not comparable until the scales are checked)" in text and "+125%" not in text
