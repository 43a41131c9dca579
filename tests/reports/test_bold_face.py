"""<b> in a report's paragraphs prints in the bold face: the summary's column headings and tier, the lesion report's
"MRN:" and "Decision:" (DejaVu was registered without its family, so <b> printed regular text)."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from dermadesk.config import Settings
from dermadesk.services.reports import write_lesion_report, write_patient_summary
from dermadesk.storage.register import Register
from tests.reports.test_reports import filled  # noqa: F401 - the fixture: a register with two assessed captures


def faces(pdf: Path) -> dict[str, set[str]]:
    """Each piece of text on the pages, stripped, with the fonts it is drawn in ("DejaVuSans-Bold", ...)."""
    found: dict[str, set[str]] = {}

    def visit(text: str, cm, tm, font, size) -> None:  # noqa: ANN001 - pypdf's visitor
        if text.strip() and font is not None:
            base = str(font.get("/BaseFont", "")).split("+")[-1]
            found.setdefault(text.strip(), set()).add(base)

    for page in PdfReader(str(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return found


def test_bold_marks_are_printed_bold(filled: Register, tmp_path: Path) -> None:  # noqa: F811 - the fixture
    les = filled.lesions.for_patient(filled.patients.by_mrn("MRN-ΩΔ-7").id)[0]
    report = faces(write_lesion_report(filled, Settings(), les.id, tmp_path / "lesion.pdf"))
    for label in ("Patient:", "MRN:", "Decision:"):
        assert report[label] == {"DejaVuSans-Bold"}, label
    summary = faces(write_patient_summary(filled, Settings(), "MRN-ΩΔ-7", tmp_path / "summary.pdf"))
    bold = {text for text, fonts in summary.items() if fonts == {"DejaVuSans-Bold"}}
    assert {"Lesion", "Risk tier"} & bold, sorted(bold)
