"""A de-identified report names each lesion by its number and anatomic site only: a label a clinic typed
("John's mole"), capture and clinician notes and (unless the settings ask) the clinician's name stay out of it,
in the lesion report and the patient summary, from the app's services and the command line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from dermadesk.config import Settings
from dermadesk.main import main
from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.services.reports import write_lesion_report, write_patient_summary
from dermadesk.storage.register import Register
from tests.conftest import lesion_jpeg

MRN = "JS-1"


@pytest.fixture
def johns(register: Register, tmp_path: Path) -> int:
    """John Smith's lesion 1, labelled "John's mole", its capture's notes and decision naming him."""
    p = register.patients.add("t", MRN, "John Smith", "1961-05-04", "male", "II")
    les = register.lesions.add("t", p.id, "posterior torso", "John's mole", body_view="back", body_x=0.55, body_y=0.3)
    image = tmp_path / "john_smith_2026.jpg"
    image.write_bytes(lesion_jpeg(5))
    import_files(register, "t", les.id, [image], CaptureMeta(taken_at="2026-02-03", notes="taken by John's wife"))
    capture = register.captures.for_lesion(les.id)[-1]
    register.captures.review("Dr Ana Reviewer", capture.id, "monitor", "John asked about it")
    return les.id


BY_TIER = "re-check as the tier suggests"  # a 'monitor' decision that left the interval to the tier's


def text_of(pdf: Path) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(str(pdf)).pages)


def test_the_lesion_report_names_the_lesion_by_number_and_site_only(johns: int, register: Register, tmp_path: Path):
    settings = Settings(operator="Nurse Kim")
    shown = text_of(write_lesion_report(register, settings, johns, tmp_path / "shown.pdf"))
    assert "Lesion 1 · John's mole · posterior torso (right) Status: monitoring" in shown  # its name, as in the app
    assert "by Dr Ana Reviewer" in shown
    deid = text_of(write_lesion_report(register, settings, johns, tmp_path / "deid.pdf", deidentified=True))
    assert "John" not in deid and "Smith" not in deid and MRN not in deid and "1961" not in deid
    assert "Lesion 1 · posterior torso (right) Status: monitoring" in deid
    assert "The lesion is identified by its number and anatomic site only." in deid
    assert re.search(rf"Decision: monitor, {BY_TIER}, \d+ days after the first capture", deid)  # who decided: left out
    assert "Decision: monitor, on 20" not in deid  # "on 2026, 561 days after ..." read as a date that is none
    assert "Dr Ana" not in deid and "Nurse Kim" not in deid
    asked = Settings(operator="Nurse Kim", operator_on_deidentified=True)  # clinicians named: both of them
    named = text_of(write_lesion_report(register, asked, johns, tmp_path / "named.pdf", deidentified=True))
    assert re.search(rf"Decision: monitor, {BY_TIER}, by Dr Ana Reviewer, \d+ days after the first capture", named)
    assert "Operator: Nurse Kim" in named
    assert "John" not in named


def test_the_patient_summary_can_be_de_identified_too(johns: int, register: Register, tmp_path: Path) -> None:
    shown = text_of(write_patient_summary(register, Settings(), MRN, tmp_path / "shown.pdf"))
    assert "John Smith" in shown and "Lesion 1 John's mole posterior torso (right) monitoring" in shown
    deid = text_of(write_patient_summary(register, Settings(), MRN, tmp_path / "deid.pdf", deidentified=True))
    assert "John" not in deid and MRN not in deid and "2026-02-03" not in deid and "Patient-" in deid
    assert "Lesion 1 posterior torso (right) monitoring" in deid
    assert "Lesions are identified by number and anatomic site only." in deid
    out = tmp_path / "cli.pdf"  # the command line's --deidentified gives the same
    assert main(["report", "--patient", MRN, "--out", str(out), "--deidentified"]) == 0
    cli = text_of(out)
    assert "John" not in cli and "Lesions are identified by number and anatomic site only." in cli
