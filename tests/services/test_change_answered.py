"""Why a capture's SIGNIFICANT change since the baseline raises no ⚠ flag (``standing.change_answered``): walkthrough
23 saw "Change since 5 Jan 2026: SIGNIFICANT" in red on a lesion with no flag, a review after that comparison having
cleared it, and nothing said why. A real SQLite register; the comparisons stored as rows (their verdicts the point)."""

from __future__ import annotations

from pathlib import Path

from dermadesk.services.register_ops import review_capture
from dermadesk.services.standing import change_answered, significant_change
from dermadesk.storage.register import Register
from tests.services.test_standing import lesion_with_results


def pair(register: Register, lid: int, first: int, second: int, verdict: str, area: float | None = None) -> None:
    """A stored comparison of ``second`` with ``first`` (its area change in ``metrics`` where given)."""
    metrics = {"area_change_percent": area} if area is not None else {}
    register.comparisons.add("t", lid, first, second, None, verdict, [f"area grew by {area or 35:.0f}%"], metrics, None)


def three(register: Register, tmp_path: Path, areas: tuple[float | None, float | None] = (None, None)):
    """Captures of 10 Mar, 2 Jun and 1 Jul 2026; both follow-ups SIGNIFICANT since the baseline."""
    lid = lesion_with_results(register, tmp_path, ["low", "low", "low"])
    base, middle, latest = (c.id for c in register.captures.for_lesion(lid))
    pair(register, lid, base, middle, "significant", areas[0])
    pair(register, lid, base, latest, "significant", areas[1])
    return lid, base, middle, latest


def test_a_change_nobody_answered_says_nothing_more(register, tmp_path: Path) -> None:
    lid, base, middle, latest = three(register, tmp_path)
    assert significant_change(register, lid) is not None  # flagged: the red line has its ⚠
    assert change_answered(register, latest) == change_answered(register, middle) == ""
    assert change_answered(register, base) == ""  # the baseline has no change of its own


def test_the_reviewed_capture_and_what_its_comparison_says_since(register, tmp_path: Path) -> None:
    lid, _, middle, latest = three(register, tmp_path)
    review_capture(register, "t", middle, "monitor", "benign pattern")
    assert change_answered(register, middle) == "answered by the decision monitor on this capture"
    assert significant_change(register, lid) is not None and change_answered(register, latest) == ""  # stands still
    pair(register, lid, middle, latest, "not significant")  # compared with the reviewed capture
    assert significant_change(register, lid) is None
    assert change_answered(register, latest) == "reviewed on 2 Jun 2026 (decision monitor), since then: NOT SIGNIFICANT"


def test_without_a_comparison_with_the_reviewed_capture_the_estimate_is_said_so(register, tmp_path: Path) -> None:
    lid, _, middle, latest = three(register, tmp_path, (35.0, 36.0))  # +0.7 % since the reviewed capture
    review_capture(register, "t", middle, "discharge", "")
    assert significant_change(register, lid) is None
    assert change_answered(register, latest) == (
        "reviewed on 2 Jun 2026 (decision discharge), since then: nothing new (estimated from both comparisons with "
        "the baseline)"
    )


def test_a_later_decision_and_the_lesions_status_answer_it_too(register, tmp_path: Path) -> None:
    lid, _, middle, latest = three(register, tmp_path)
    review_capture(register, "t", latest, "monitor", "")
    assert change_answered(register, middle) == "answered by the decision monitor on the 1 Jul 2026 capture"
    register.lesions.update("t", lid, status="referred")
    assert change_answered(register, middle) == change_answered(register, latest) == "lesion marked referred"


def test_a_change_that_is_not_significant_has_nothing_to_answer(register, tmp_path: Path) -> None:
    lid = lesion_with_results(register, tmp_path, ["low", "low"])
    base, follow = (c.id for c in register.captures.for_lesion(lid))
    pair(register, lid, base, follow, "not significant")
    register.lesions.update("t", lid, status="referred")
    assert change_answered(register, follow) == ""
