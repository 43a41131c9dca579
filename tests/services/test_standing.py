"""A later "not assessable" capture never hides an earlier URGENT result nobody acted on: the result that stands
(services.standing) and the lesion report and patient summary PDFs, read back, in a real SQLite register."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader

from dermadesk.config import Settings
from dermadesk.reports.lesion_report import build_lesion_report
from dermadesk.reports.patient_summary import build_patient_summary
from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.services.reports import lesion_report_data, patient_summary_data
from dermadesk.services.standing import needs_action, standing_result
from dermadesk.storage.register import Register
from tests.conftest import lesion_jpeg

NOTE = "latest capture not assessable; last assessable result: URGENT on 10 Mar 2026"


def assess(reg: Register, capture_id: int, tier: str | None) -> None:
    """An URGENT result (tier given) or a NOT ASSESSABLE one (None), as the engine stores them."""
    values = dict(model_name="m", model_version="1", provider="CPU", probabilities={"mel": 0.74}, top_class="mel",
                  malignant_probability=0.74, melanoma_probability=0.74, risk_tier=tier, recommendation="",
                  ood_score=0.0, ood_flag=False)  # fmt: skip
    if tier is None:
        values.update(status="not assessable", status_reasons=["no colour"], recommendation=None)
    reg.assessments.add("t", capture_id, **values)


def lesion_with_results(reg: Register, tmp_path: Path, tiers: list[str | None]) -> int:
    """A lesion whose captures (10 Mar, 2 Jun, 1 Jul 2026) got these results (None: not assessable)."""
    pid = reg.patients.add("t", mrn="S-1", name="Stand Ing").id
    lid = reg.lesions.add("t", pid, "anterior torso", "chest").id
    for i, (day, tier) in enumerate(zip(("2026-03-10", "2026-06-02", "2026-07-01"), tiers)):
        f = tmp_path / f"c{i}.jpg"
        f.write_bytes(lesion_jpeg(seed=3 + i, width=96, height=72))
        res = import_files(reg, "t", lid, [f], CaptureMeta(taken_at=day), compare=False)
        assess(reg, res.captures[0].id, tier)
    return lid


def urgent_then_grey(reg: Register, tmp_path: Path) -> int:
    return lesion_with_results(reg, tmp_path, ["urgent", None])


def pdf_text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


def test_a_later_not_assessable_capture_leaves_the_urgent_result_standing(register, tmp_path: Path) -> None:
    lid = urgent_then_grey(register, tmp_path)
    held = standing_result(register, lid)
    assert held.carried and held.tier == "urgent" and held.note == NOTE
    assert held.latest_assessment is not None and not held.latest_assessment.assessable
    assert needs_action(register, lid) is not None
    register.lesions.update("t", lid, status="referred")
    assert needs_action(register, lid) is None  # acted on: no longer pressed


def test_reports_give_the_last_assessable_result_and_say_so(register, tmp_path: Path) -> None:
    lid = urgent_then_grey(register, tmp_path)
    settings = Settings()
    summary = pdf_text(build_patient_summary(patient_summary_data(register, settings, "S-1")))
    assert "URGENT" in summary and "malignant 74%" in summary and NOTE in summary
    assert "specialist review now" in summary and "retake the image" in summary
    report = pdf_text(build_lesion_report(lesion_report_data(register, settings, lid)))
    assert "NOT ASSESSABLE" in report and NOTE[0].upper() + NOTE[1:] in report


def test_the_command_line_suggests_the_referral_an_unassessed_capture_would_hide(capsys, register, tmp_path) -> None:
    from dermadesk.main import main

    lid = urgent_then_grey(register, tmp_path)
    register.close()
    third = tmp_path / "third.jpg"
    third.write_bytes(lesion_jpeg(seed=9, width=96, height=72))
    assert main(["capture", "add", "--lesion", str(lid), "--no-assess", "--taken", "2026-07-01", str(third)]) == 0
    out = capsys.readouterr().out
    assert "suggestion: latest capture not assessed yet; last assessable result: URGENT on 10 Mar 2026" in out
    assert f"lesion edit {lid} --status referred" in out


EARLIER = "earlier result URGENT on 10 Mar 2026 without a recorded decision"


def test_a_later_milder_result_does_not_hide_an_urgent_one_nobody_decided_on(register, tmp_path: Path) -> None:
    from dermadesk.services.register_ops import review_capture

    lid = lesion_with_results(register, tmp_path, ["urgent", "refer", "routine"])
    held = needs_action(register, lid)
    assert held is not None and held.tier == "urgent" and held.note == EARLIER
    assert held.stands is not None and held.stands.risk_tier == "routine"  # the latest result is still shown
    first = register.captures.for_lesion(lid)[0].id
    review_capture(register, "t", first, "monitor", "seen; looks benign on review")  # a clinician decided
    held = needs_action(register, lid)  # the REFER result of 2 Jun has no decision on it yet
    assert held is not None and held.tier == "refer" and held.note.startswith("earlier result REFER on 2 Jun 2026")
    review_capture(register, "t", register.captures.for_lesion(lid)[1].id, "monitor", "")
    assert needs_action(register, lid) is None and standing_result(register, lid).note == ""


def test_the_lesion_report_names_an_earlier_urgent_result_under_a_milder_one(register, tmp_path: Path) -> None:
    """Helper 56: the report printed the earlier URGENT result only under a NOT ASSESSABLE visit; a milder, assessable
    latest visit hid it on paper while the app's list flagged it."""
    from dermadesk.services.register_ops import review_capture

    lid = lesion_with_results(register, tmp_path, ["urgent", "monitor"])
    report = pdf_text(build_lesion_report(lesion_report_data(register, Settings(), lid)))
    assert "Risk tier: MONITOR" in report
    assert f"{EARLIER[0].upper()}{EARLIER[1:]} (status: monitoring)" in report
    review_capture(register, "t", register.captures.for_lesion(lid)[0].id, "monitor", "benign on review")
    report = pdf_text(build_lesion_report(lesion_report_data(register, Settings(), lid)))
    assert "Risk tier: MONITOR" in report and "without a recorded decision" not in report


def test_a_more_severe_latest_result_needs_no_earlier_note(register, tmp_path: Path) -> None:
    lid = lesion_with_results(register, tmp_path, ["refer", "urgent"])
    held = needs_action(register, lid)
    assert held is not None and held.tier == "urgent" and held.earlier is None and held.note == ""


def test_the_patient_summary_pictures_the_capture_whose_result_it_shows(register, tmp_path: Path) -> None:
    """The URGENT result of 10 Mar stands behind a later not-assessable capture: its picture, not the retake's."""
    from dermadesk.analysis.decode import decode_image
    from dermadesk.services.reports import THUMB_SIDE, _jpeg

    lid = urgent_then_grey(register, tmp_path)
    first, latest = register.captures.for_lesion(lid)
    (row,) = patient_summary_data(register, Settings(), "S-1").lesions

    def thumb(c) -> bytes:  # noqa: ANN001
        return _jpeg(decode_image(register.images.read(c.image_sha256)).rgb, THUMB_SIDE)

    assert row.thumbnail_jpeg == thumb(first) and row.thumbnail_jpeg != thumb(latest)
