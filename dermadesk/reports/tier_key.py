"""The risk tiers' key: each tier with the recommendation the app gives for it (``contract.RECOMMENDATIONS``), so that
a referring GP can read any tier a report names (the lesion report explained only its own, the patient summary none).
It stands where it adds no page: a report marks the places it may go (``KeySlot``), best first."""

from __future__ import annotations

from typing import Any, Callable

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from dermadesk.contract import RECOMMENDATIONS, RISK_TIERS
from dermadesk.reports.common import TIER_COLOURS, page_count

KEY_INTRO = "<b>What the risk tiers mean</b>, lowest to highest, with the advice given for each:"
# the summary's: a lesion's own next step may differ from its tier's (a significant change asks for review now)
SUMMARY_INTRO = (
    "<b>What the risk tiers mean</b> and the advice given for each (each lesion's own next step: "
    "Next follow-up, above):"
)


class KeySlot(Spacer):
    """A place the key may stand (``rank`` 0 the best); draws nothing where it is left in."""

    def __init__(self, rank: int) -> None:
        super().__init__(0, 0)
        self.rank = rank


def tier_key(st: dict[str, Any], width: float, intro: str = KEY_INTRO) -> KeepTogether:
    """``intro``, then four lines, one a tier: its word in bold, in its colour, and the app's recommendation for it."""
    rows = [
        [
            Paragraph(f"<font color='{TIER_COLOURS[t]}'><b>{t.upper()}</b></font>", st["small"]),
            Paragraph(RECOMMENDATIONS[t], st["small"]),
        ]
        for t in RISK_TIERS
    ]
    table = Table(rows, colWidths=[16 * mm, width - 16 * mm], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return KeepTogether([Spacer(1, 2 * mm), Paragraph(intro, st["small"]), table])


def with_key(story: list[Any], rank: int, key: Any) -> list[Any]:
    """``story`` with ``key`` at its slot of ``rank``, the other slots left out (a rank no slot has: no key)."""
    return [key if isinstance(f, KeySlot) else f for f in story if not isinstance(f, KeySlot) or f.rank == rank]


def placed_key(
    doc_factory: Any, trial: Callable[[], list[Any]], key_factory: Callable[[], Any], left_out: bool = False
) -> Callable[[list[Any]], list[Any]]:
    """What puts the key into a report's story, where ``key_rank`` places it in the ``trial`` story (``left_out``:
    none, the slots dropped)."""
    rank = -1 if left_out else key_rank(doc_factory, trial, key_factory)
    return lambda story: with_key(story, rank, key_factory())


def key_rank(doc_factory: Any, story_factory: Callable[[], list[Any]], key_factory: Callable[[], Any]) -> int:
    """The best slot whose key adds no page to the report (each tried in a throwaway layout); where each adds one,
    the best."""
    story = story_factory()
    ranks = sorted({f.rank for f in story if isinstance(f, KeySlot)})
    if len(ranks) < 2:
        return ranks[0] if ranks else 0
    without = page_count(doc_factory, [f for f in story if not isinstance(f, KeySlot)])
    for rank in ranks:
        if page_count(doc_factory, with_key(story_factory(), rank, key_factory())) <= without:
            return rank
    return ranks[0]
