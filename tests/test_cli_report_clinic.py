"""Whom a report names to contact (walkthrough 25): with no clinic name set, a report's header names only the
operator and ``report`` says so on stderr, with how to name one; ``report --clinic TEXT`` names the clinic on that
report (the command line could not set it at all), as ``--paper`` overrides the paper size: nothing saved. The report
itself carries no instructions about the app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from dermadesk.cli.report_cmds import NO_CLINIC
from dermadesk.config import Settings
from tests.test_cli import run

CLINIC = "Northside Dermatology Clinic, 14 Harbour Road, tel. 0161 555 0142 (dermatology nurse line)"


@pytest.fixture
def lesion(capsys, lesion_files: list[Path]) -> None:
    run(capsys, "patient", "add", "--mrn", "R-1", "--name", "Re Port")
    run(capsys, "lesion", "add", "--patient", "R-1", "--site", "head/neck")
    assert run(capsys, "capture", "add", "--lesion", "1", "--no-assess", str(lesion_files[0]))[0] == 0


def header_text(pdf: Path) -> str:
    return " ".join(PdfReader(str(pdf)).pages[0].extract_text().split())


def test_without_a_clinic_name_the_report_says_so_and_how_to_name_one(capsys, lesion, tmp_path: Path) -> None:
    pdf = tmp_path / "lesion.pdf"
    code, out, err = run(capsys, "report", "--lesion", "1", "--out", str(pdf), "--operator", "Dr. Lena Brandt")
    assert code == 0 and out.startswith(f"report written to {pdf}")
    assert err == NO_CLINIC + "\n" and "--clinic" in err and "Settings > Clinic name" in err
    text = header_text(pdf)
    assert "Operator: Dr. Lena Brandt" in text and "Settings" not in text and "--clinic" not in text  # no app words
    code, out, err = run(capsys, "report", "--patient", "R-1", "--out", str(tmp_path / "s.pdf"), "--json")
    assert code == 0 and json.loads(out)["pdf"] == str(tmp_path / "s.pdf") and err == NO_CLINIC + "\n"


def test_clinic_names_the_clinic_on_that_report_only(capsys, lesion, tmp_path: Path, data_dir: Path) -> None:
    pdf = tmp_path / "lesion.pdf"
    code, _, err = run(capsys, "report", "--lesion", "1", "--out", str(pdf), "--clinic", CLINIC, "--paper", "Letter")
    assert code == 0 and err == ""  # named: nothing to say
    assert CLINIC in header_text(pdf)  # whole, wrapped in its column
    assert Settings.load(data_dir).clinic_name == ""  # this report only, as --paper


def test_a_clinic_name_set_in_the_app_needs_no_note(capsys, lesion, tmp_path: Path, data_dir: Path) -> None:
    settings = Settings.load(data_dir)
    settings.clinic_name = "Northside Dermatology, tel. 0161 555 0142"
    settings.save(data_dir)
    code, _, err = run(capsys, "report", "--lesion", "1", "--out", str(tmp_path / "l.pdf"))
    assert code == 0 and err == "" and "Northside Dermatology, tel. 0161 555 0142" in header_text(tmp_path / "l.pdf")


def test_a_clinic_name_with_a_line_break_is_refused(capsys, lesion, tmp_path: Path) -> None:
    code, _, err = run(capsys, "report", "--lesion", "1", "--out", str(tmp_path / "l.pdf"), "--clinic", "a\nb")
    assert code == 1 and "--clinic: a name without control or direction characters" in err
    assert not (tmp_path / "l.pdf").exists()
