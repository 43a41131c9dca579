"""The reports' patient line prints the name and MRN as typed: a name with '<' in it ("Ann <Smith>") printed as
"Ann", the rest read as a markup tag and dropped without a word. Real ``report`` command, real register, real PDFs."""

from __future__ import annotations

from pathlib import Path

from tests.services.test_standing import pdf_text
from tests.test_cli import run

NAME = "Ann <Smith> & Jones"
MRN = "MRN<7>"


def test_both_reports_print_a_name_and_mrn_with_markup_characters_as_typed(
    capsys, lesion_files: list[Path], tmp_path: Path
) -> None:
    assert run(capsys, "patient", "add", "--mrn", MRN, "--name", NAME, "--birth-date", "1970-03-02")[0] == 0
    assert run(capsys, "lesion", "add", "--patient", MRN, "--site", "anterior torso")[0] == 0
    added = run(capsys, "capture", "add", "--lesion", "1", "--no-assess", "--taken", "2026-05-04", str(lesion_files[0]))
    assert added[0] == 0
    for which in (("--lesion", "1"), ("--patient", MRN)):
        pdf = tmp_path / "report.pdf"
        assert run(capsys, "report", *which, "--out", str(pdf), "--overwrite")[0] == 0
        assert f"Patient: {NAME} MRN: {MRN} Born: 2 Mar 1970" in pdf_text(pdf.read_bytes()), which
