"""Parts of the Change tab that keep no state: the pair's pictures (made once in a worker), the verdict's words
beside them, and an image with its caption (the side-by-side pair's dates)."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from dermadesk.analysis.change import CHANGE_RULES, ChangeResult
from dermadesk.analysis.overlays import comparison_layers
from dermadesk.services.explain import SCALE_CHECK
from dermadesk.services.explain import area_line as explain_area
from dermadesk.ui.verdict_colour import CANNOT_TELL_AMBER
from dermadesk.ui.images import ImageView, to_qimage

CAPTION_GAP = 2  # pixels between an image's caption and the image


@dataclass(frozen=True)
class ComparisonPictures:
    """What the view shows for one pair, as QImages (made in the worker thread, shown on the GUI thread)."""

    baseline: QImage
    followup: QImage | None
    difference: QImage | None = None
    aligned: bool = False


def comparison_pictures(result: ChangeResult | None) -> ComparisonPictures | None:
    """The pair's pictures (outlines, difference map); slow: run it in a worker, once per comparison."""
    layers = comparison_layers(result) if result is not None else None
    if layers is None:
        return None
    return ComparisonPictures(
        to_qimage(layers.baseline),
        to_qimage(layers.followup) if layers.followup is not None else None,
        to_qimage(layers.difference) if layers.difference is not None else None,
        layers.aligned,
    )


def area_line(result: ChangeResult) -> str:
    """Each capture's area in one unit (mm² at each one's own scale, else whole pixels naming the capture without
    a scale), and which area change the verdict used: see ``services.explain.area_line``."""
    return explain_area(result.to_dict())


def area_html(line: str) -> str:
    """The area line for the verdict's rich text: a scale warning's lead in bold, so it is read first, in the amber
    of a CANNOT TELL verdict (4.9:1 on white; its #b28704 was 3.3:1, short of the 4.5:1 text needs)."""
    if line.startswith(SCALE_CHECK):
        return f"<b style='color:{CANNOT_TELL_AMBER}'>{escape(SCALE_CHECK)}</b>{escape(line[len(SCALE_CHECK) :])}"
    return escape(line)


def colour_tooltip(result: ChangeResult) -> str:
    """The colour-difference figures behind the plain-language reasons (CIELAB ΔE), for the verdict's tooltip."""
    parts = []
    if result.delta_e is not None:
        parts.append(f"whole lesion ΔE {result.delta_e:.1f} (reported from {CHANGE_RULES['global_delta_e']:.0f})")
    if result.focal_delta_e is not None:
        parts.append(
            f"most-changed part ΔE {result.focal_delta_e:.1f} beyond the whole lesion's change "
            f"(significant from {CHANGE_RULES['focal_delta_e']:.0f})"
        )
    return ("Colour difference: " + "; ".join(parts)) if parts else ""


def captioned(view: ImageView, caption: QLabel) -> QWidget:
    """``view`` under its ``caption`` ("Baseline · 25 Aug 2026"), one box for the side-by-side splitter."""
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(CAPTION_GAP)
    caption.setAlignment(Qt.AlignmentFlag.AlignHCenter)
    caption.setStyleSheet("font-weight: bold")
    column.addWidget(caption)
    column.addWidget(view, 1)
    return box
