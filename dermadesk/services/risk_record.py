"""The risk part of a stored comparison as it was recorded, against the two captures' assessments now.

A comparison records the two captures' risk tiers and malignant probabilities when it is made (its metrics'
``risk_tier`` and ``malignant_probability``), judges a tier rise by them (``change_verdict.model_tier_rise``) and says
where the model could not assess either capture (``no_risk_trend``). An assessment made later (Re-assess capture,
Assess unassessed captures, ``dermadesk assess``) leaves that record behind: a capture imported while no model
worked and then assessed URGENT stays out of the verdict, the trend, the ⚠ flags and the reports. ``risk_outdated``
tells such a row from the stored figures alone (no image is read), so the app and the command line know what to
compare again (``reassessed``).

The verdict itself is not recomputed from the stored figures: judging needs what a row does not keep (the outlines'
confidence and what made them uncertain, the alignment's hints), so the pair is compared again, images and all, as
after a correction.
"""

from __future__ import annotations

from dermadesk.analysis.change_verdict import model_tier_rise
from dermadesk.domain.records import Assessment, Comparison
from dermadesk.services.since_review import latest_pairs
from dermadesk.storage.register import Register

NO_RISK_TREND = "no risk trend: the model could not assess the "  # how such a reason begins


def no_risk_trend(label: str, assessment: Assessment | None) -> str | None:
    """The reason a comparison gives where the model could not assess one of its captures (``label``: "baseline" for
    the first, "follow-up" for the second); None where it could, or where the capture has no assessment yet."""
    if assessment is None or assessment.assessable:
        return None
    return f"{NO_RISK_TREND}{label} (not assessable: " + "; ".join(assessment.status_reasons) + ")"


def said_once(reasons: list[str]) -> list[str]:
    """``reasons`` as the Change tab and the report show them: where neither capture could be assessed, for the same
    reasons, the baseline's and the follow-up's no-risk-trend reasons said once, in the baseline's place ("no risk
    trend: the model could not assess the baseline or the follow-up (both not assessable: ...)"), not the whole
    sentence twice. Stored as made (one for each capture): what ``recorded_risk`` compares."""
    heads = (f"{NO_RISK_TREND}baseline (", f"{NO_RISK_TREND}follow-up (")
    first, second = (next((r for r in reasons if r.startswith(head)), None) for head in heads)
    if first is None or second is None or first[len(heads[0]) :] != second[len(heads[1]) :]:
        return list(reasons)
    both = f"{NO_RISK_TREND}baseline or the follow-up (both {first[len(heads[0]) :]}"
    return [both if r == first else r for r in reasons if r != second]


RiskPart = tuple[str | None, str | None, tuple[bool, str] | None, tuple[str, ...]]  # tiers, the rise, the notes


def recorded_risk(row: Comparison) -> RiskPart | None:
    """The row's risk part as recorded: both tiers, the tier rise it judged, its no-risk-trend reasons; None for a row
    that recorded no tiers (nothing to tell it by)."""
    metrics = row.metrics or {}
    if not isinstance(metrics.get("risk_tier"), dict):
        return None
    tiers, chances = metrics["risk_tier"], metrics.get("malignant_probability") or {}
    before, after = tiers.get("before"), tiers.get("after")
    rise = model_tier_rise(before, after, chances.get("before"), chances.get("after"))
    return before, after, rise, tuple(r for r in row.reasons if r.startswith(NO_RISK_TREND))


def risk_now(register: Register, row: Comparison) -> RiskPart:
    """The risk part the row's pair would record now, from the two captures' latest assessments."""
    first, second = (register.assessments.latest(i) for i in (row.baseline_capture_id, row.followup_capture_id))
    before, after = (a.risk_tier if a is not None else None for a in (first, second))
    rise = model_tier_rise(
        before,
        after,
        first.malignant_probability if first is not None else None,
        second.malignant_probability if second is not None else None,
    )
    notes = (no_risk_trend("baseline", first), no_risk_trend("follow-up", second))
    return before, after, rise, tuple(n for n in notes if n is not None)


def risk_outdated(register: Register, row: Comparison) -> bool:
    """True where a capture of the row was assessed since with another outcome: another tier (or a first one), now
    not assessable (or for other reasons) or assessable again, or probabilities that judge the tier rise otherwise.
    Probabilities that moved with the tiers and the rise unchanged (the same model on another device) are not."""
    recorded = recorded_risk(row)
    return recorded is not None and recorded != risk_now(register, row)


def outdated_with_baseline(register: Register, lesion_id: int, rows: list[Comparison]) -> list[Comparison]:
    """Among ``rows`` (the lesion's current comparisons with its baseline: what the change line, trend and flags read;
    or any of its current comparisons), the latest of each pair whose risk part is outdated (``risk_outdated``), in
    date order of the follow-up, then of the first capture."""
    order = {c.id: k for k, c in enumerate(register.captures.for_lesion(lesion_id))}
    latest = [r for r in latest_pairs(rows).values() if risk_outdated(register, r)]
    return sorted(
        latest, key=lambda r: (order.get(r.followup_capture_id, len(order)), order.get(r.baseline_capture_id, 0))
    )
