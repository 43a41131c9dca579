"""Walkthrough 22, the lesion report: an earlier capture's caption read "2 Feb 2026 / (baseline) / refer", a bare word
under the thumbnail that read like a decision nobody made; it now says the result as the report says one ("REFER
result", "NOT ASSESSABLE"). And where neither capture of the change could be assessed, for the same reasons, its
"no risk trend" reason said the whole sentence for the baseline and again for the follow-up: now once for both (the
Change tab says it as the report does). A real register, the PDF read back with pypdf and rendered with pdftoppm."""

from __future__ import annotations

from pathlib import Path

from dermadesk.config import Settings
from dermadesk.services.reports import write_lesion_report
from dermadesk.services.risk_record import NO_RISK_TREND, risk_outdated, said_once
from dermadesk.services.tracking import compare_captures
from dermadesk.storage.register import Register
from tests.reports.test_reports import assert_pages_render_non_blank, text_of
from tests.services.test_standing import lesion_with_results

BOTH = f"{NO_RISK_TREND}baseline or the follow-up (both not assessable: no colour)"


def test_earlier_captions_say_the_result_and_no_risk_trend_is_said_once(register: Register, tmp_path: Path) -> None:
    lid = lesion_with_results(register, tmp_path, [None, "refer", None])  # the baseline and the latest: no colour
    pdf = write_lesion_report(register, Settings(), lid, tmp_path / "l.pdf")
    text = " ".join(text_of(pdf))
    earlier = text.split("Earlier captures (2, oldest first)", 1)[1].split("Trend over visits", 1)[0]
    assert "10 Mar 2026 (baseline) NOT ASSESSABLE" in earlier
    assert "2 Jun 2026 REFER result" in earlier and " refer" not in earlier  # never the bare tier
    change = text.split("Change since 10 Mar 2026", 1)[1].split("Earlier captures", 1)[0]
    assert change.count("no risk trend") == 1 and " ".join(BOTH.split()) in change
    assert "assess the follow-up (not assessable" not in change
    assert assert_pages_render_non_blank(pdf, tmp_path) >= 1


def test_said_once_only_where_both_say_the_same() -> None:
    first, second = "area grew by 12%", "judged by short-term rules"
    base = f"{NO_RISK_TREND}baseline (not assessable: image too blurred: retake it in focus)"
    follow = f"{NO_RISK_TREND}follow-up (not assessable: image too blurred: retake it in focus)"
    other = f"{NO_RISK_TREND}follow-up (not assessable: no colour)"
    both = f"{NO_RISK_TREND}baseline or the follow-up (both not assessable: image too blurred: retake it in focus)"
    assert said_once([first, base, second, follow]) == [first, both, second]  # in the baseline's place
    assert said_once([first, base, other]) == [first, base, other]  # each its own reasons: both said
    assert said_once([first, follow]) == [first, follow]  # one capture: as it was
    assert said_once([]) == []


def test_stored_reasons_keep_one_for_each_capture(register: Register, tmp_path: Path) -> None:
    """What a comparison stores is unchanged, one reason for each capture: ``recorded_risk`` compares them with the
    assessments now, and the row is not taken for outdated."""
    lid = lesion_with_results(register, tmp_path, [None, "refer", None])
    base, _, last = register.captures.for_lesion(lid)
    row, _ = compare_captures(register, "t", base.id, last.id)
    notes = [r for r in row.reasons if r.startswith(NO_RISK_TREND)]
    assert [n.split(" (")[0].rsplit(" ", 1)[-1] for n in notes] == ["baseline", "follow-up"]
    assert not risk_outdated(register, row)
    assert said_once(row.reasons).count(BOTH) == 1
