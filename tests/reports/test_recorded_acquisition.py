"""The lesion report says how each capture was taken, as recorded with it: its modality, polarisation, magnification
and scale (the report never said them, so a referrer comparing visits could not tell a polarised capture from a
non-polarised one, whose colours differ). The visit reported says them under its picture, in the words ``lesion
show`` prints them; the earlier captures, with the visit last, in a table a column a field; "not recorded" where
nobody entered one. Real PDFs from the real ``report`` command on a real register, words' places read back with
pdftotext -bbox."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.reports.test_notes_label_indent import Word, line_starting, words
from tests.services.test_standing import pdf_text
from tests.test_cli import run

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler's pdftotext")

TAKEN = (  # taken on, as recorded with the capture
    ("2026-05-04", ("--polarisation", "polarised", "--mm-per-px", "0.02")),
    ("2026-08-04", ("--modality", "clinical")),
    ("2026-11-02", ("--polarisation", "non-polarised", "--magnification", "10", "--mm-per-px", "0.021")),
)


def report(capsys, lesion_files: list[Path], tmp_path: Path, taken: tuple = TAKEN, *options: str) -> bytes:
    assert run(capsys, "patient", "add", "--mrn", "A-1", "--name", "Ada Acquired")[0] == 0
    assert run(capsys, "lesion", "add", "--patient", "A-1", "--site", "anterior torso")[0] == 0
    for (day, recorded), image in zip(taken, lesion_files):
        assert (
            run(capsys, "capture", "add", "--lesion", "1", "--no-assess", "--taken", day, *recorded, str(image))[0] == 0
        )
    pdf = tmp_path / "lesion.pdf"
    assert run(capsys, "report", "--lesion", "1", "--out", str(pdf), *options)[0] == 0
    return pdf.read_bytes()


def line_of(drawn: list[Word], at: int) -> list[str]:
    """The words drawn on the line of word ``at``, left to right."""
    return [w for w, _, top in sorted(drawn, key=lambda w: w[1]) if top == pytest.approx(drawn[at][2], abs=1)]


def test_each_capture_says_how_it_was_taken(capsys, lesion_files: list[Path], tmp_path: Path) -> None:
    pdf = report(capsys, lesion_files, tmp_path)
    said = run(capsys, "lesion", "show", "1")[1]  # the command line's words, for the visit reported
    line = "modality dermoscopic, polarisation non-polarised, magnification ×10, scale 0.021 mm per pixel"
    assert f"    {line}\n" in said
    assert f"Capture: {line}" in pdf_text(pdf)  # under the visit's picture
    drawn = words(pdf, tmp_path)
    start = line_starting(drawn, "Earlier")[0]
    head = line_starting(drawn, "Polarisation", start)[0]
    assert line_of(drawn, head) == ["Capture", "Modality", "Polarisation", "Magnification", "Scale"]
    rows = [line_of(drawn, line_starting(drawn, first, head)[0]) for first in ("(baseline)", "Aug", "(this")]
    assert rows == [
        ["4", "May", "2026", "(baseline)", "dermoscopic", "polarised", "not", "recorded", "0.02", "mm", "per", "pixel"],
        ["4", "Aug", "2026", "clinical", "not", "recorded", "not", "recorded", "not", "recorded"],
        ["2", "Nov", "2026", "(this", "visit)", "dermoscopic", "non-polarised", "×10", "0.021", "mm", "per", "pixel"],
    ]
    # each field in its column: the baseline's polarisation right under the header's
    polarised = line_starting(drawn, "polarised", head)[1]
    assert polarised[1] == pytest.approx(drawn[head][1], abs=0.5)


def test_a_lone_capture_says_what_nobody_recorded(capsys, lesion_files: list[Path], tmp_path: Path) -> None:
    text = pdf_text(report(capsys, lesion_files, tmp_path, taken=(("2026-05-04", ()),)))
    none = "polarisation not recorded, magnification not recorded, scale not recorded"
    assert f"Capture: modality dermoscopic, {none}" in text
    assert "Polarisation" not in text  # no table for no earlier captures: the caption says it


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_a_de_identified_capture_is_named_on_one_line(
    capsys, lesion_files: list[Path], tmp_path: Path, paper: str
) -> None:
    """De-identified, a capture is named by its year and days after the first ("2026, 182 days after the first
    capture (this visit)"): the first column, a fixed share of the width, wrapped it ("2026, 92 days after the first"
    / "capture") while the fields' columns stood half empty. Each column is now as wide as its words."""
    drawn = words(report(capsys, lesion_files, tmp_path, TAKEN, "--deidentified", "--paper", paper), tmp_path)
    head = line_starting(drawn, "Polarisation", line_starting(drawn, "Earlier")[0])[0]
    rows = [" ".join(line_of(drawn, line_starting(drawn, first, head)[0])) for first in ("(baseline)", "92", "182")]
    assert rows == [  # each name whole on its row's line: "capture" wrapped under "2026, 92 days after the first"
        "2026, the first capture (baseline) dermoscopic polarised not recorded 0.02 mm per pixel",
        "2026, 92 days after the first capture clinical not recorded not recorded not recorded",
        "2026, 182 days after the first capture (this visit) dermoscopic non-polarised ×10 0.021 mm per pixel",
    ]
    modality = line_starting(drawn, "Modality", head - 1)[1]  # each field in its column, under its header
    assert all(line_starting(drawn, word, head)[1][1] == pytest.approx(modality[1], abs=0.5)
               for word in ("dermoscopic", "clinical"))  # fmt: skip
