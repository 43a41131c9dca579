"""File > Save de-identified lesion report (and patient summary) as PDF: for a referrer, a registry or teaching,
the report without the patient's name, MRN or birth date (the command line had --deidentified; the app had no way
to it), without dates of care (years, and days from the first capture) and without free text (notes, labels)."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from dermadesk.services.reports import pseudonym
from tests.ui.test_cancel import two_captures


def saved_from_menu(qtbot, window, dialogs, target: Path, what: str) -> tuple[str, str, str]:
    """File > Save de-identified <what> as PDF... saved to ``target``: the save dialog's title and suggested name,
    and the PDF's text."""
    [action] = [a for a in window.menuBar().actions()[0].menu().actions() if "de-identified" in a.text()
                and what in a.text()]  # fmt: skip
    assert action.text() == f"Save de-identified {what} as PDF..."
    qtbot.waitUntil(lambda: not window.session.runner.running, timeout=60000)
    dialogs.saves.append(str(target))
    action.trigger()
    qtbot.waitUntil(lambda: target.is_file() and not window.session.runner.running, timeout=60000)
    title, suggested = dialogs.asked[-1]
    return title, suggested, " ".join(" ".join(p.extract_text().split()) for p in PdfReader(str(target)).pages)


def test_the_file_menu_saves_a_lesion_report_without_identity(qtbot, window, dialogs, tmp_path: Path) -> None:
    lesion_id = two_captures(window, tmp_path)  # patient CAN-1 "Cancel Button", captures of 1 Jan and 1 Mar 2026
    reg = window.session.register
    latest = reg.captures.for_lesion(lesion_id)[-1].id
    reg.captures.review("t", latest, "monitor", "Mr Button agreed on 1 March")  # free text that names him
    title, suggested, text = saved_from_menu(qtbot, window, dialogs, tmp_path / "deid.pdf", "lesi&on report")
    assert title == "Save de-identified lesion report"
    assert "_deidentified.pdf" in suggested and "CAN-1" not in suggested
    assert "Lesion 1" in text and "CAN-1" not in text and "Cancel Button" not in text
    assert "de-identified" in text.lower() or "deidentified" in text.lower()
    # dates of care identify a patient: the year and the day counted from the first capture instead
    assert "2026-01-01" not in text and "2026-03-01" not in text
    assert "Visit of 2026, 59 days after the first capture" in text and "2026, the first capture" in text
    assert "Mr Button" not in text and "Notes are left out of a de-identified report." in text
    assert "Decision: monitor" in text


def test_the_file_menu_saves_a_patient_summary_without_identity(qtbot, window, dialogs, tmp_path: Path) -> None:
    """The summary too: each lesion by its number and site, no label typed into it, no MRN in the file's name."""
    lesion_id = two_captures(window, tmp_path)
    reg = window.session.register
    reg.lesions.update("t", lesion_id, label="Mr Button's shoulder")
    title, suggested, text = saved_from_menu(qtbot, window, dialogs, tmp_path / "summary.pdf", "patient summar&y")
    assert title == "Save de-identified patient summary"
    assert suggested.endswith("_deidentified.pdf") and "CAN-1" not in suggested
    named = pseudonym(reg, window.selection.patient_id)  # the file named as the summary names the patient
    assert Path(suggested).name.startswith(f"{named}_summary_") and named in text
    assert "Lesion 1 posterior torso" in text
    assert "Button" not in text and "CAN-1" not in text and "2026-03-01" not in text
    assert "Lesions are identified by number and anatomic site only." in text
