"""A lesion's area over its captures as every chart of it plots it: the app's trend chart and the lesion report's
(``services.stored_comparisons.area_trend`` decides what it is; the charts only draw it)."""

from __future__ import annotations

from dataclasses import dataclass, field

from dermadesk.domain.text import rounded, signed

MM2, CHANGE = "mm²", "%"  # the area's unit: mm², or the area change since the baseline in %


def change_text(percent: float, decimals: int = 0) -> str:
    """An area change since the baseline as the charts write it: "+12%", "-8%", and "0%" with no sign where it rounds
    to no change (the baseline's own level: the app's axis read "+0%" there); rounded as every change is
    (``domain.text.rounded``)."""
    return f"{signed(percent, decimals)}%" if rounded(percent, decimals) else "0%"


def partial_note(said: str, many: bool, in_mm2: bool, sep: str = " ") -> str:
    """What a chart's hollow points are, by the captures' names (``said``; ``many``: more than one): "Hollow points
    (5 Mar 2026 and 5 May 2026): the lesion reaches the edge of an image, so the area change there is only where both
    images show the lesion" (``sep``: between its two halves, a line break in a tooltip), as the comparison's own words
    say such a change (``domain.text.in_view``)."""
    what = "area" if in_mm2 else "area change"
    return (
        f"Hollow point{'s' if many else ''} ({said}): the lesion reaches the edge of an image,{sep}so the {what} there "
        "is only where both images show the lesion"
    )


@dataclass(frozen=True)
class AreaTrend:
    """Each capture's area in mm² (``in_mm2``: every measured capture has a recorded scale that matches its image),
    else its area change since the baseline in % (the baseline 0%), as its comparison with the baseline measured it:
    areas in pixels of images of different sizes or zoom do not compare. ``values``: one per capture, oldest first,
    None where there is none, and ``why_none`` says why ("" where there is one). ``partial``: True for a value of
    the part of the lesion both images show, where the comparison it comes from found the lesion reaching the edge of
    an image (``cut_off``): a chart marks it apart (hollow), never as the lesion's whole area ([]: none)."""

    in_mm2: bool
    values: list[float | None]
    why_none: list[str]
    partial: list[bool] = field(default_factory=list)

    def is_partial(self, i: int) -> bool:
        """Whether the ``i``-th capture's value is of the part both images show only (``partial``)."""
        return i < len(self.partial) and self.partial[i] and self.values[i] is not None

    @property
    def unit(self) -> str:
        return MM2 if self.in_mm2 else CHANGE

    @classmethod
    def unmeasured(cls, n: int) -> AreaTrend:
        """``n`` captures of which none was measured."""
        return cls(False, [None] * n, ["not measured"] * n)
