"""A de-identified report's pseudonym comes from the patient's random uid, not the MRN: it cannot be found again by
trying MRNs, it is the same patient's on every workstation a transfer brings them to, each patient's files are
named apart, and a de-identified report is dated by its year only (header, file name, the PDF's own dates)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

from pypdf import PdfReader

from dermadesk.config import Settings
from dermadesk.services.reports import pseudonym, write_patient_summary
from dermadesk.storage.register import Register
from tests.transfer_data import fill, move


def text_of(pdf: Path) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(str(pdf)).pages)


def test_the_pseudonym_follows_the_patient_not_the_mrn(tmp_path: Path) -> None:
    clinic, laptop = tmp_path / "clinic", tmp_path / "laptop"
    with Register(clinic) as reg:
        first = fill(reg, "P-1", "Ann One", lesions=1, captures=1)
        second = fill(reg, "P-2", "Bob Two", lesions=1, captures=1, seed=3)
        names = pseudonym(reg, first), pseudonym(reg, second)
        old_rule = "Patient-" + hashlib.sha256(f"dermadesk:{first}:P-1".encode()).hexdigest()[:8].upper()
    assert all(re.fullmatch(r"Patient-[0-9A-F]{8}", n) for n in names) and names[0] != names[1]
    assert old_rule != names[0]  # an MRN tried with each id no longer finds the patient
    move(clinic, laptop, tmp_path / "week.ddtx")
    with Register(laptop) as reg:  # the same patient, the same pseudonym, whatever id the laptop gave them
        assert pseudonym(reg, reg.patients.by_mrn("P-1").id) == names[0]
        assert pseudonym(reg, reg.patients.by_mrn("P-2").id) == names[1]


def test_the_de_identified_summary_prints_the_pseudonym_and_the_date_without_the_time(tmp_path: Path) -> None:
    with Register(tmp_path / "data") as reg:
        pid = fill(reg, "P-1", "Ann One", lesions=1, captures=1)
        name = pseudonym(reg, pid)
        settings = Settings(clinic_name="Skin Clinic")
        deid = text_of(write_patient_summary(reg, settings, "P-1", tmp_path / "d.pdf", deidentified=True))
        full = text_of(write_patient_summary(reg, settings, "P-1", tmp_path / "f.pdf"))
    assert name in deid and "P-1" not in deid and "Ann One" not in deid
    # dated by the year, as its visits are (made on a visit's day, the day dated the visit); nor in the file's own dates
    assert re.search(r"Generated \d{4}(?![-\d])", deid) and f"{dt.date.today():%Y-%m-%d}" not in deid
    assert re.search(r"Generated \d{1,2} [A-Z][a-z]{2} \d{4} \d\d:\d\d", full)  # the identified one keeps its time
    info = PdfReader(str(tmp_path / "d.pdf")).metadata
    assert info is not None and str(dt.date.today().year) not in str(info.get("/CreationDate", ""))
    assert str(dt.date.today().year) in str(PdfReader(str(tmp_path / "f.pdf")).metadata.get("/CreationDate", ""))
