"""The risk tiers' key: each tier with the recommendation the app gives for it (``contract.RECOMMENDATIONS``), so that
a referring GP can read any tier a report names (the lesion report explained only its own, the patient summary none).
It stands where it adds no page: a report marks the places it may go (``KeySlot``), best first; where it stands on
another page than the result it explains (``ResultMark``), it names that page (``ResultKey``)."""

from __future__ import annotations

from typing import Any, Callable

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from dermadesk.contract import RECOMMENDATIONS, RISK_TIERS
from dermadesk.reports.common import TIER_COLOURS, page_count

KEY_INTRO = "<b>What the risk tiers mean</b>{where}, lowest to highest, with the advice given for each:"
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


class ResultMark(Flowable):
    """Draws nothing; put right under a report's result, it notes the page the result is on (for ``ResultKey``)."""

    page: int | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab's names
        return 0, 0

    def draw(self) -> None:
        self.page = self.canv.getPageNumber()


class ResultKey(Flowable):
    """The key in one piece, as a KeepTogether: where it fits, on the page; else first on the next. On another page
    than the result it explains (its ``mark``), its first line names the result's page: "What the risk tiers mean
    (key to the result on page 1)" (a key on top of page 2 read as explaining nothing on it)."""

    def __init__(self, mark: ResultMark, make: Callable[..., KeepTogether]) -> None:
        super().__init__()
        self.mark, self.make = mark, make
        self.parts: list[tuple[Any, float]] = []

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab's names
        here = self.canv.getPageNumber() if getattr(self, "canv", None) else None
        away = self.mark.page if here is not None and self.mark.page not in (None, here) else None
        content = self.make(result_page=away)._content  # noqa: SLF001 - its flowables, laid out one under another
        self.parts = [(f, f.wrap(availWidth, availHeight)[1]) for f in content]
        self.width, self.height = availWidth, sum(h for _, h in self.parts)
        return self.width, self.height

    def draw(self) -> None:
        y = self.height
        for flowable, height in self.parts:
            y -= height
            flowable.drawOn(self.canv, 0, y)


def tier_key(st: dict[str, Any], width: float, intro: str = KEY_INTRO, result_page: int | None = None) -> KeepTogether:
    """``intro``, then four lines, one a tier: its word in bold, in its colour, and the app's recommendation for it;
    ``result_page``: the page of the result it explains, where that is another, named in its first line."""
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
    where = f" (key to the result on page {result_page})" if result_page else ""
    return KeepTogether([Spacer(1, 2 * mm), Paragraph(intro.replace("{where}", where), st["small"]), table])


def with_key(story: list[Any], rank: int, key: Any) -> list[Any]:
    """``story`` with ``key`` at its slot of ``rank``, the other slots left out (a rank no slot has: no key)."""
    return [key if isinstance(f, KeySlot) else f for f in story if not isinstance(f, KeySlot) or f.rank == rank]


def placed_key(
    doc_factory: Any, trial: Callable[[], list[Any]], key_factory: Callable[[], Any], left_out: bool = False
) -> Callable[[list[Any]], list[Any]]:
    """What puts the key into a report's story, where ``key_rank`` places it in the ``trial`` story (``left_out``:
    none, the slots dropped)."""
    rank = -1 if left_out else key_rank(doc_factory, trial, key_factory)
    return lambda story: with_key(story, rank, result_key(story, key_factory))


def result_key(story: list[Any], key_factory: Callable[..., Any]) -> Any:
    """The key for ``story``: one that names the page of its result (``ResultMark``) where it stands on another, or
    (a story without one, the patient summary's) the key as it is."""
    mark = next((f for f in story if isinstance(f, ResultMark)), None)
    return ResultKey(mark, key_factory) if mark is not None else key_factory()


def key_rank(doc_factory: Any, story_factory: Callable[[], list[Any]], key_factory: Callable[[], Any]) -> int:
    """The best slot whose key adds no page to the report (each tried in a throwaway layout); where each adds one,
    the best."""
    story = story_factory()
    ranks = sorted({f.rank for f in story if isinstance(f, KeySlot)})
    if len(ranks) < 2:
        return ranks[0] if ranks else 0
    without = page_count(doc_factory, [f for f in story if not isinstance(f, KeySlot)])
    for rank in ranks:
        trial = story_factory()
        if page_count(doc_factory, with_key(trial, rank, result_key(trial, key_factory))) <= without:
            return rank
    return ranks[0]
