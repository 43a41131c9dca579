"""The reports say a SIGNIFICANT change nobody answered in the app's words: the patient summary's Change column names it
("significant change on 3 Mar 2026 (area grew by 44%)") and its next follow-up is a review now; the lesion report
names an earlier capture's change that the reported visit's comparison cannot tell. Real register, PDFs read back."""

from __future__ import annotations

from pathlib import Path

from dermadesk.config import Settings
from dermadesk.domain.dates import human_date
from dermadesk.reports.lesion_report import build_lesion_report
from dermadesk.reports.patient_summary import build_patient_summary
from dermadesk.services.register_ops import review_capture
from dermadesk.services.reports import lesion_report_data, patient_summary_data
from tests.services.test_significant_change import grown_lesion, store
from tests.services.test_standing import lesion_with_results, pdf_text

REVIEW = "specialist review now (significant change)"


def test_the_patient_summary_names_the_change_until_a_decision_answers_it(register, tmp_path: Path) -> None:
    lid = grown_lesion(register, tmp_path)
    follow = register.captures.for_lesion(lid)[-1].id
    (row,) = patient_summary_data(register, Settings(), "G-1").lesions
    reason = register.comparisons.for_lesion(lid)[-1].reasons[0]
    note = f"significant change on 3 Mar 2026 ({reason})"
    assert row.latest_verdict == "significant" and row.change_note == note and row.next_follow_up.action == REVIEW
    text = pdf_text(build_patient_summary(patient_summary_data(register, Settings(), "G-1")))
    assert note in text and REVIEW in text
    deidentified = pdf_text(build_patient_summary(patient_summary_data(register, Settings(), "G-1", True)))
    assert f"significant change in 2026 ({reason})" in deidentified and "3 Mar 2026" not in deidentified
    review_capture(register, "t", follow, "monitor", "benign on review")
    (row,) = patient_summary_data(register, Settings(), "G-1").lesions
    assert (
        row.latest_verdict == "significant"
        and row.change_note == ""
        and row.next_follow_up.words(human_date) == "assess at next visit"
    )
    assert "significant change on" not in pdf_text(
        build_patient_summary(patient_summary_data(register, Settings(), "G-1"))
    )


def test_an_earlier_change_the_latest_comparison_cannot_tell_is_printed(register, tmp_path: Path) -> None:
    lid = lesion_with_results(register, tmp_path, ["low", "low", "low"])  # 10 Mar, 2 Jun, 1 Jul 2026
    _, middle, latest = (c.id for c in register.captures.for_lesion(lid))
    store(register, lid, middle, "significant", "area grew by 35%")
    store(register, lid, latest, "cannot tell", "cannot measure reliably (outline confidence 0.20)")
    note = "significant change on 2 Jun 2026 (area grew by 35%); latest capture's change: cannot tell"
    report = pdf_text(build_lesion_report(lesion_report_data(register, Settings(), lid)))
    assert ": CANNOT TELL" in report and f"S{note[1:]} (status: monitoring)" in report
    deidentified = pdf_text(build_lesion_report(lesion_report_data(register, Settings(), lid, deidentified=True)))
    assert "Significant change in 2026 (area grew by 35%)" in deidentified and "2 Jun 2026" not in deidentified
    (row,) = patient_summary_data(register, Settings(), "S-1").lesions
    assert row.latest_verdict == "cannot tell" and row.change_note == note
    assert row.next_follow_up.words(human_date) == REVIEW
    register.lesions.update("t", lid, status="referred")  # acted on: nothing more to say
    assert "Significant change on" not in pdf_text(build_lesion_report(lesion_report_data(register, Settings(), lid)))
