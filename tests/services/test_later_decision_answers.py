"""A decision recorded on a later capture answers every URGENT or REFER result before it, as a decision on that capture
does (walkthrough 25: REFER on 17 Nov 2025 with no decision, then MONITOR on 16 Nov 2026 with the decision 'monitor';
the summary said "⚠ REFER" and "clinician: monitor" at once, the report "not yet acted on"). 'monitor' or 'discharge'
answer it; 'refer' or 'excise' leave the flag until the lesion is marked so; a decision never answers a later result.
Real register, results stored as the engine stores them, the flag's words, the reports read back and the command
line's output."""

from __future__ import annotations

import json
from pathlib import Path

from dermadesk.config import Settings
from dermadesk.reports.lesion_report import build_lesion_report
from dermadesk.reports.patient_summary import build_patient_summary
from dermadesk.services.attention import lesion_flag, report_flag
from dermadesk.services.register_ops import review_capture
from dermadesk.services.reports import lesion_report_data, patient_summary_data
from dermadesk.services.standing import needs_action, standing_result
from dermadesk.services.standing_result import also_answers, undecided_before
from dermadesk.storage.register import Register
from tests.services.test_standing import lesion_with_results, pdf_text

ANSWERED = "The REFER result of the 10 Mar 2026 capture was answered by the decision monitor on the 2 Jun 2026 capture."


def ids(reg: Register, lid: int) -> list[int]:
    return [c.id for c in reg.captures.for_lesion(lid)]


def test_a_decision_on_a_later_capture_answers_the_earlier_refer_result(register: Register, tmp_path: Path) -> None:
    lid = lesion_with_results(register, tmp_path, ["refer", "monitor"])  # 10 Mar REFER, 2 Jun MONITOR
    first, later = ids(register, lid)
    held = needs_action(register, lid)
    assert held is not None and held.tier == "refer" and held.note.endswith("without a recorded decision")
    assert undecided_before(register, later)[0][0].id == first  # what the confirmation names
    review_capture(register, "Dr A", later, "monitor", "benign pattern")
    result = standing_result(register, lid)
    assert needs_action(register, lid) is None and result.note == "" and result.earlier is None
    [answered] = result.answered
    assert (answered.capture.id, answered.by.id) == (first, later)
    assert answered.how == "answered by the decision monitor on the 2 Jun 2026 capture"
    assert lesion_flag(register, lid) == ("", "") and report_flag(register, lid) == ("", "")
    assert undecided_before(register, later) == []  # answered: nothing left for another decision to answer


def test_a_decision_before_the_refer_result_does_not_answer_it(register: Register, tmp_path: Path) -> None:
    """The other order: a decision on an earlier capture was made before the REFER result existed."""
    lid = lesion_with_results(register, tmp_path, ["monitor", "refer", "low"])  # the REFER one in the middle
    first, middle, _ = ids(register, lid)
    review_capture(register, "Dr A", first, "monitor", "")
    held = needs_action(register, lid)
    assert held is not None and held.tier == "refer" and held.earlier_capture is not None
    assert (
        held.earlier_capture.id == middle
        and held.note == "earlier result REFER on 2 Jun 2026 without a recorded decision"
    )
    assert standing_result(register, lid).answered == ()
    flag, why = lesion_flag(register, lid)
    assert flag == "⚠ REFER" and "on the 2 Jun 2026 capture" in why  # its own capture asked for, not the first's
    review_capture(register, "Dr A", first, "discharge", "")  # changed on the earlier capture: still not an answer
    assert needs_action(register, lid) is not None


def test_refer_on_a_later_capture_leaves_the_flag_until_the_lesion_is_marked(register: Register, tmp_path) -> None:
    lid = lesion_with_results(register, tmp_path, ["refer", "monitor"])
    _, later = ids(register, lid)
    review_capture(register, "Dr A", later, "refer", "to dermatology")
    held = needs_action(register, lid)
    assert held is not None and held.note == "earlier result REFER on 10 Mar 2026"  # a decision is recorded
    flag, why = lesion_flag(register, lid)
    assert (flag, why) == (
        "⚠ REFER",
        "earlier result REFER on 10 Mar 2026; status still 'monitoring' — decision refer on the 2 Jun 2026 capture: "
        "arrange it, then mark the lesion referred",
    )
    assert report_flag(register, lid)[1].endswith("; decision refer on the 2 Jun 2026 capture, the lesion not marked "
                                                  "referred yet")  # fmt: skip
    register.lesions.update("t", lid, status="referred")
    assert needs_action(register, lid) is None


def test_the_latest_decision_counts(register: Register, tmp_path: Path) -> None:
    """'refer' on the REFER capture itself, then 'monitor' on a later one: the clinician's latest word answers it
    (and a decision on the REFER capture, with none after it, covers it as before)."""
    lid = lesion_with_results(register, tmp_path, ["refer", "monitor", None])  # the latest not assessable
    first, middle, latest = ids(register, lid)
    review_capture(register, "Dr A", first, "refer", "")
    assert lesion_flag(register, lid)[1].endswith("decision refer on the 10 Mar 2026 capture: arrange it, then mark "
                                                  "the lesion referred")  # fmt: skip
    review_capture(register, "Dr A", latest, "monitor", "retake was blurred; looked benign")  # not assessable: seen
    assert needs_action(register, lid) is None
    assert [(x.capture.id, x.by.id) for x in standing_result(register, lid).answered] == [(first, latest)]
    assert middle not in [x.capture.id for x in standing_result(register, lid).answered]  # MONITOR: none to answer


def test_the_confirmation_names_what_a_decision_also_answers(register: Register, tmp_path: Path) -> None:
    lid = lesion_with_results(register, tmp_path, ["urgent", "refer", "monitor"])
    *_, latest = ids(register, lid)
    assert also_answers(undecided_before(register, latest)) == (
        "this decision also answers the earlier URGENT result of 10 Mar 2026 and REFER result of 2 Jun 2026, on which "
        "no decision was recorded"
    )
    assert also_answers([]) == ""
    assert undecided_before(register, ids(register, lid)[0]) == []  # nothing before the first capture


def test_the_confirmation_names_results_of_one_tier_together(register: Register, tmp_path: Path) -> None:
    lid = lesion_with_results(register, tmp_path, ["refer", "refer", "monitor"])
    assert also_answers(undecided_before(register, ids(register, lid)[-1])).startswith(
        "this decision also answers the earlier REFER results of 10 Mar 2026 and 2 Jun 2026,"
    )


def test_the_reports_say_it_was_answered_and_raise_no_flag(register: Register, tmp_path: Path) -> None:
    lid = lesion_with_results(register, tmp_path, ["refer", "monitor"])
    review_capture(register, "Dr A", ids(register, lid)[-1], "monitor", "Stable, benign pattern.")
    report = pdf_text(build_lesion_report(lesion_report_data(register, Settings(), lid)))
    reviews = report.split(" Reviews ", 1)[1]
    assert reviews.startswith(f"No ⚠ flag stands on this lesion (status: monitoring). {ANSWERED}")
    assert "not yet acted on" not in report and "without a recorded decision" not in report
    assert "This lesion is flagged" not in report
    summary = pdf_text(build_patient_summary(patient_summary_data(register, Settings(), "S-1")))
    assert "⚠" not in summary and "without a recorded decision" not in summary and "clinician: monitor" in summary
    deidentified = pdf_text(build_lesion_report(lesion_report_data(register, Settings(), lid, deidentified=True)))
    assert (
        "The REFER result of the first capture was answered by the decision monitor on the capture taken 84 days after "
        "the first." in deidentified
    )
    assert "10 Mar" not in deidentified and "2 Jun" not in deidentified


def test_the_command_line_says_it_where_it_shows_the_history(capsys, register: Register, tmp_path: Path) -> None:
    from dermadesk.main import main

    lid = lesion_with_results(register, tmp_path, ["refer", "monitor"])
    first, later = ids(register, lid)
    register.close()
    assert main(["lesion", "show", str(lid)]) == 0
    assert "⚠ REFER" in capsys.readouterr().out
    assert main(["capture", "review", str(later), "--decision", "monitor"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[1] == (
        "  this decision also answers the earlier REFER result of 10 Mar 2026, on which no decision was recorded"
    )
    assert main(["lesion", "show", str(lid)]) == 0
    out = capsys.readouterr().out
    assert "⚠" not in out
    assert "    no decision; its REFER result was answered by the decision monitor on the 2 Jun 2026 capture" in out
    assert main(["--json", "lesion", "show", str(lid)]) == 0
    shown = json.loads(capsys.readouterr().out)["captures"]
    assert [c["result_answered_by"] for c in shown] == [later, None]
    assert main(["--json", "capture", "review", str(later), "--decision", "discharge"]) == 0
    assert json.loads(capsys.readouterr().out)["also_answers"] == []  # answered already, by this capture's 'monitor'
