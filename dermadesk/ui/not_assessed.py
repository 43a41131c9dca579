"""What the assessment panel says of a capture with no assessment: why, where no model can be used (the status bar
field's reason, in the same words, with what to do), else how to assess it; and no heat-map tools, colour key or
probability bars, which have nothing to show for it (a heat-map checkbox and an empty key beside "Not assessed yet."
read as a heat map that failed to load)."""

from __future__ import annotations

from html import escape
from typing import Any

from dermadesk.domain.records import Capture

ASSESS_ALL = "Patient > Assess unassessed captures"  # ``ui.assess_all``
REASSESS = "Patient > Re-assess capture"
NO_MODEL = "Not assessed: no model can be used"


def sentence(words: str) -> str:
    """``words`` as a sentence: its first letter in capitals, a full stop at its end."""
    words = words.strip()
    return words[:1].upper() + words[1:] + ("" if words.endswith((".", "!", "?")) else ".")


def not_assessed_texts(problem: str) -> tuple[str, str]:
    """(the tier's lines, the details) for a capture not assessed; ``problem``: why no model can be used, as the
    status bar's model field says it ('' where one can, or none was tried yet)."""
    if problem:
        return (
            f"<b>{NO_MODEL}</b><br>Assessments are off: why, below.",
            f"{escape(sentence(problem))}<br><br>Once the model can be used again, {escape(ASSESS_ALL)} assesses "
            "this patient's captures that are not assessed yet.",
        )
    return (
        "Not assessed yet.",
        f"To assess it: {REASSESS}, or {ASSESS_ALL} for every capture of this patient not assessed yet.",  # plain text
    )


def outdated_texts(outdated: str, problem: str) -> tuple[str, str]:
    """(the tier's lines, the details) for a capture whose assessment is out of date (``outdated``: in words, its
    modality corrected since: ``services.modality.outdated_words``): no tier from it, why, and what to do; ``problem``:
    why no model can be used ('' where one can)."""
    said = sentence(outdated.split(": ", 1)[-1])  # "It was made for a dermoscopic image, ...": the heading the rest
    detail = f"{escape(said)}<br><br>{escape(sentence(problem))}" if problem else said  # rich text only with a break
    return "<b>Assessment out of date</b><br>No risk tier: why, below.", detail


def show_not_assessed(view: Any, capture: Capture | None) -> None:
    """``view`` (an ``AssessmentView``) on ``capture`` with no assessment (None: none selected), or none current: the
    one made before its modality was corrected is out of date (``view.outdated_of``)."""
    view.bars.set_probabilities({})
    tier, detail = not_assessed_texts(view.model_problem) if capture is not None else ("Select a capture.", "")
    outdated = view.outdated_of(capture.id) if capture is not None and view.outdated_of is not None else ""
    if outdated:
        tier, detail = outdated_texts(outdated, view.model_problem)
    view.tier.setText(tier)
    view.tier.setStyleSheet("")
    view.tier_detail.setText(detail)
    view.warnings.hide()
    view.quality_line.hide()
    view.model_label.setText("")


def show_heat_map_parts(view: Any, shown: bool) -> None:
    """The heat map's tools and colour key, and the probability bars, only for an assessed capture (a NOT
    ASSESSABLE one says why it has neither: ``AssessmentView._withhold_heat_map``); the key as the toggle says."""
    view.image_box.show_tools(heat=shown)
    view.heat_key.setVisible(shown and view.cam_toggle.isChecked())
    view.bars.setVisible(shown)
