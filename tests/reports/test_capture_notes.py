"""The lesion report prints the notes saved with each capture (typed as it was added or edited: ``Capture.notes``),
as ``lesion show`` prints them ("capture notes: ..."): it never did, and its "Notes: none" under the decision (the
clinician's review notes, another text) read to a referrer as nothing noted. The visit's are under its pictures as
"Capture notes:", each line as typed and a list item hanging as review notes do; the earlier captures' under the
acquisition table, each after the capture's name. A de-identified report prints no free text: it says they are left
out. Real PDFs from the real ``report`` command on a real register, read back with pdftotext."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.reports.test_notes_label_indent import line_starting, words
from tests.test_cli import run

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler's pdftotext")

ITCH = "patient reports itching over the last three weeks, worse at night, and a little bleeding after she scratched it"
VISIT = f"Seen again.\n- {ITCH}\n- compare with the photo from March"
BASELINE = "First seen at the skin check.\nMother had a melanoma removed."
LEFT_OUT = "Capture notes are left out of a de-identified report."


def report(
    capsys, lesion_files: list[Path], tmp_path: Path, *options: str, notes: tuple = (BASELINE, "", VISIT)
) -> Path:
    """A lesion with three captures, each added with its ``notes`` ("": none), the latest reviewed without review
    notes; the report's PDF."""
    assert run(capsys, "patient", "add", "--mrn", "N-1", "--name", "Nora Noted")[0] == 0
    assert run(capsys, "lesion", "add", "--patient", "N-1", "--site", "anterior torso")[0] == 0
    for day, said, image in zip(("2026-03-02", "2026-06-01", "2026-09-07"), notes, lesion_files):
        with_notes = ("--notes", said) if said else ()
        added = run(capsys, "capture", "add", "--lesion", "1", "--no-assess", "--taken", day, *with_notes, str(image))
        assert added[0] == 0
    assert run(capsys, "capture", "review", "--capture", "3", "--decision", "monitor")[0] == 0
    pdf = tmp_path / "lesion.pdf"
    assert run(capsys, "report", "--lesion", "1", "--out", str(pdf), *options)[0] == 0
    return pdf


def layout_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def plain_text(pdf: Path) -> str:
    """The report's words, one space between them (lines and pages run together)."""
    return " ".join(
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split()
    )


def test_the_visit_s_capture_notes_are_printed_under_its_pictures(
    capsys, lesion_files: list[Path], tmp_path: Path
) -> None:
    pdf = report(capsys, lesion_files, tmp_path)
    assert "capture notes: Seen again." in run(capsys, "lesion", "show", "1")[1]  # the command line's words
    text = plain_text(pdf)
    assert "Capture notes: Seen again. - patient reports itching" in text  # labelled: not the review notes
    assert text.index("Capture: modality") < text.index("Capture notes: Seen again.") < text.index("not been assessed")
    assert "Notes: none" in text  # the review notes, still their own, said as before
    drawn = words(pdf.read_bytes(), tmp_path)
    label, seen = line_starting(drawn, "Seen")
    first, dash = line_starting(drawn, "patient", label), drawn[line_starting(drawn, "patient", label)[0] - 1]
    assert dash[0] == "-" and dash[1] == pytest.approx(seen[1], abs=0.2)  # each typed line its own, under the first
    assert first[1][2] > seen[2] + 5  # on a line of its own, below "Seen again."
    wrapped = next(w for w in drawn[first[0] :] if w[2] > first[1][2] + 1)  # the item's second line
    assert wrapped[1] == pytest.approx(first[1][1], abs=0.2)  # hanging under its text, not its dash
    compare = line_starting(drawn, "compare", label)[1]
    assert drawn[drawn.index(compare) - 1][1] == pytest.approx(seen[1], abs=0.2)  # the next item's dash


def test_earlier_captures_notes_are_under_the_acquisition_table(
    capsys, lesion_files: list[Path], tmp_path: Path
) -> None:
    pdf = report(capsys, lesion_files, tmp_path)
    drawn = words(pdf.read_bytes(), tmp_path)
    first = line_starting(drawn, "First", line_starting(drawn, "Polarisation")[0])[1]
    assert line_starting(drawn, "Mother")[1][1] == pytest.approx(first[1], abs=0.2)  # its second line under its first
    text = layout_text(pdf)
    table = text.index("Polarisation")
    part = text[table:]
    assert "Capture notes of the earlier captures, oldest first:" in part
    assert "2 Mar 2026: First seen at the skin check." in part
    assert part.index("First seen at the skin check.") < part.index("Mother had a melanoma removed.")  # own lines
    assert "1 Jun 2026:" not in part.split("oldest first:")[1].split("Trend")[0]  # a capture without notes left out
    assert text.count("Seen again.") == 1  # the visit's under its pictures, not again


def test_a_report_without_capture_notes_prints_none(capsys, lesion_files: list[Path], tmp_path: Path) -> None:
    text = plain_text(report(capsys, lesion_files, tmp_path, notes=("", "", "")))
    assert "Capture notes" not in text and LEFT_OUT not in text


def test_the_de_identified_report_prints_no_capture_notes(capsys, lesion_files: list[Path], tmp_path: Path) -> None:
    text = plain_text(report(capsys, lesion_files, tmp_path, "--deidentified"))
    for said in ("Seen again", "itching", "compare with the photo", "skin check", "melanoma removed"):
        assert said not in text
    assert text.count(LEFT_OUT) == 2  # where the visit's and where the earlier ones' would be
    assert text.index("Capture: modality") < text.index(LEFT_OUT) < text.index("not been assessed")
