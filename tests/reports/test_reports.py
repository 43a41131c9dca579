"""PDF reports built from a register made here: text, pages rendered by pdftoppm, Unicode names."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader

from dermadesk.analysis.synthetic import BLUE_GREY, LesionSpec, jpeg_bytes, synthetic_lesion
from dermadesk.main import main
from dermadesk.config import Settings
from dermadesk.contract import DISCLAIMER
from dermadesk.inference.engine import open_assessor
from dermadesk.services.assessment import assess_fn
from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.domain.lesion_name import name_parts
from dermadesk.services.reports import write_lesion_report, write_patient_summary
from dermadesk.storage.register import Register

NAME = "Ζωή Иванова-Müller"


@pytest.fixture
def filled(register: Register, installed_model: Path, data_dir: Path, tmp_path: Path) -> Register:
    assessor = open_assessor(data_dir, device="cpu")
    p = register.patients.add("dr.x", "MRN-ΩΔ-7", NAME, "1959-12-01", "female", "II")
    les = register.lesions.add("dr.x", p.id, "posterior torso", "между лопатками", body_view="back",
                               body_x=0.55, body_y=0.25)
    register.lesions.add("dr.x", p.id, "head/neck", "forehead", body_view="front", body_x=0.5, body_y=0.05)
    for i, (scale, blob, date) in enumerate([(1.0, None, "2025-10-01"), (1.3, BLUE_GREY, "2026-09-01")]):
        f = tmp_path / f"visit{i}.jpg"
        f.write_bytes(jpeg_bytes(synthetic_lesion(LesionSpec(seed=12, scale=scale, blob_colour=blob))))
        import_files(register, "dr.x", les.id, [f], CaptureMeta(taken_at=date, mm_per_px=0.02), assess_fn(assessor))
    last = register.captures.for_lesion(les.id)[-1]
    register.captures.review("dr.x", last.id, "excise", "Новые синие структуры; excise.")
    return register


def text_of(pdf: Path) -> list[str]:
    """Text of each page with whitespace normalised (table cells wrap lines)."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(str(pdf)).pages]


def assert_pages_render_non_blank(pdf: Path, tmp_path: Path) -> int:
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) not installed; .ci/run installs it")
    prefix = tmp_path / pdf.stem
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(prefix)], check=True, timeout=60)
    pages = sorted(tmp_path.glob(f"{pdf.stem}-*.png"))
    assert pages
    for page in pages:
        grey = np.asarray(Image.open(page).convert("L"), dtype=float)
        assert grey.std() > 5 and (grey < 200).mean() > 0.01, f"{page.name} looks blank"
    return len(pages)


def test_lesion_report_contents(filled: Register, tmp_path: Path) -> None:
    settings = Settings(operator="Dr Ωmega", clinic_name="Клиника Derm", paper_size="A4")
    les = filled.lesions.for_patient(filled.patients.by_mrn("MRN-ΩΔ-7").id)[0]
    pdf = write_lesion_report(filled, settings, les.id, tmp_path / "lesion.pdf")
    pages = text_of(pdf)
    full = "\n".join(pages)
    assert NAME in full and "MRN-ΩΔ-7" in full and "1 Dec 1959" in full  # dated as the app dates them
    assert "Клиника Derm" in full and "Dr Ωmega" in full and "между лопатками" in full
    a = filled.assessments.latest(filled.captures.for_lesion(les.id)[-1].id)
    for code, p in a.probabilities.items():
        assert f"({code})" in full and f"{p:.1%}" in full
    verdict = filled.comparisons.for_lesion(les.id)[-1].verdict
    assert f"{verdict.upper()}" in full and "tiny-test 0.0.1" in full
    assert "excise" in full and "Новые синие структуры" in full
    for page in pages:  # the disclaimer is on every page
        assert "Decision support, not a diagnosis." in page and "clinician examining the patient" in page
    n = assert_pages_render_non_blank(pdf, tmp_path)
    assert n == len(pages) and f"Page {n} of {n}" in pages[-1]
    width, height = PdfReader(str(pdf)).pages[0].mediabox.upper_right
    assert (round(float(width)), round(float(height))) == (595, 842)  # A4


def test_deidentified_report_has_no_identifiers(filled: Register, tmp_path: Path) -> None:
    les = filled.lesions.for_patient(filled.patients.by_mrn("MRN-ΩΔ-7").id)[0]
    pdf = write_lesion_report(filled, Settings(paper_size="Letter"), les.id, tmp_path / "deid.pdf", deidentified=True)
    full = "\n".join(text_of(pdf))
    assert NAME not in full and "MRN-ΩΔ-7" not in full and "1959-12-01" not in full and "1 Dec 1959" not in full
    assert "Patient-" in full and "60-69" in full and "de-identified" in full
    width, _ = PdfReader(str(pdf)).pages[0].mediabox.upper_right
    assert round(float(width)) == 612  # Letter


def test_patient_summary_one_row_per_lesion(filled: Register, tmp_path: Path) -> None:
    pdf = write_patient_summary(filled, Settings(), "MRN-ΩΔ-7", tmp_path / "summary.pdf")
    full = "\n".join(text_of(pdf))
    assert NAME in full and "2 lesions" in full
    flat = " ".join(full.split())  # each lesion as the patient's "Lesion 1", not "#<database id>" (issue 16)
    assert "Lesion 1 между лопатками posterior torso" in flat and "Lesion 2 forehead head/neck" in flat
    assert "#" not in flat  # each named as the app names it: number, label, site (domain.lesion_name.name_parts)
    for les in filled.lesions.for_patient(filled.patients.by_mrn("MRN-ΩΔ-7").id):
        assert " ".join(name_parts(les)) in flat
    assert "excise: arrange now" in full and "no comparison" in full
    assert_pages_render_non_blank(pdf, tmp_path)


def test_cli_report_commands(capsys, filled: Register, tmp_path: Path) -> None:
    out = tmp_path / "cli.pdf"
    assert main(["report", "--lesion", "1", "--out", str(out), "--deidentified"]) == 0
    assert out.is_file() and NAME not in "\n".join(text_of(out))
    assert main(["report", "--patient", "MRN-ΩΔ-7", "--out", str(tmp_path / "p.pdf")]) == 0
    assert main(["report", "--lesion", "99", "--out", str(tmp_path / "x.pdf")]) == 1
    assert "lesion 99 not found" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_disclaimer_text_is_the_contract_one() -> None:
    assert DISCLAIMER.startswith("DermaDesk is decision support, not a diagnosis.")


def test_earlier_captures_never_hold_the_current_one(filled: Register, tmp_path: Path, monkeypatch) -> None:
    les = filled.lesions.for_patient(filled.patients.by_mrn("MRN-ΩΔ-7").id)[0]
    full = " ".join(text_of(write_lesion_report(filled, Settings(operator="Dr Ωmega"), les.id, tmp_path / "l.pdf")))
    earlier = full.split("Earlier captures", 1)[1].split("Trend over visits", 1)[0]
    thumbnails, recorded = earlier.split("Capture Modality Polarisation Magnification Scale", 1)
    assert "1 Oct 2025" in thumbnails and "1 Sep 2026" not in thumbnails  # the current visit is the one above
    assert "1 Sep 2026 (this visit)" in recorded  # how it was taken, last, to compare with the earlier ones
    assert "Visit of 1 Sep 2026" in full
    one = filled.lesions.for_patient(filled.patients.by_mrn("MRN-ΩΔ-7").id)[1]  # no captures, one capture: no heading
    f = tmp_path / "only.jpg"
    f.write_bytes(jpeg_bytes(synthetic_lesion(LesionSpec(seed=3))))
    import_files(filled, "dr.x", one.id, [f], CaptureMeta(taken_at="2026-01-02"))
    single = " ".join(text_of(write_lesion_report(filled, Settings(), one.id, tmp_path / "one.pdf")))
    assert "Earlier captures" not in single and "Visit of 2 Jan 2026" in single


def test_report_never_prints_the_os_account(filled: Register, tmp_path: Path, monkeypatch) -> None:
    import getpass

    monkeypatch.setattr(getpass, "getuser", lambda: "rootaccount")
    les = filled.lesions.for_patient(filled.patients.by_mrn("MRN-ΩΔ-7").id)[0]
    unset = " ".join(text_of(write_lesion_report(filled, Settings(), les.id, tmp_path / "a.pdf")))
    assert "rootaccount" not in unset and "Operator" not in unset  # no operator set: no operator line
    named = Settings(operator="Nurse Kim")
    deid = " ".join(text_of(write_lesion_report(filled, named, les.id, tmp_path / "b.pdf", deidentified=True)))
    assert "Nurse Kim" not in deid and "rootaccount" not in deid
    asked = Settings(operator="Nurse Kim", operator_on_deidentified=True)
    assert "Operator: Nurse Kim" in " ".join(text_of(write_lesion_report(filled, asked, les.id, tmp_path / "c.pdf",
                                                                          deidentified=True)))
    assert "Operator: Nurse Kim" in " ".join(text_of(write_lesion_report(filled, named, les.id, tmp_path / "d.pdf")))
