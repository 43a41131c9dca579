"""A lesion's area over its captures as every chart of it plots it: the app's trend chart and the lesion report's
(``services.stored_comparisons.area_trend`` decides what it is; the charts only draw it)."""

from __future__ import annotations

from dataclasses import dataclass

MM2, CHANGE = "mm²", "%"  # the area's unit: mm², or the area change since the baseline in %


def change_text(percent: float, decimals: int = 0) -> str:
    """An area change since the baseline as the charts write it: "+12%", "-8%", and "0%" with no sign where it rounds
    to no change (the baseline's own level: the app's axis read "+0%" there)."""
    shown = round(percent, decimals)
    return f"{shown:+.{decimals}f}%" if shown else "0%"


@dataclass(frozen=True)
class AreaTrend:
    """Each capture's area in mm² (``in_mm2``: every measured capture has a recorded scale that matches its image),
    else its area change since the baseline in % (the baseline 0%), as its comparison with the baseline measured it:
    areas in pixels of images of different sizes or zoom do not compare. ``values``: one per capture, oldest first,
    None where there is none, and ``why_none`` says why ("" where there is one)."""

    in_mm2: bool
    values: list[float | None]
    why_none: list[str]

    @property
    def unit(self) -> str:
        return MM2 if self.in_mm2 else CHANGE

    @classmethod
    def unmeasured(cls, n: int) -> AreaTrend:
        """``n`` captures of which none was measured."""
        return cls(False, [None] * n, ["not measured"] * n)
