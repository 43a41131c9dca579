"""What is new since a reviewed capture. Once a decision 'monitor' or 'discharge' answered a SIGNIFICANT change since
the baseline on a capture (the reviewed capture), a later capture stands only for what is new since it: judged by a
stored comparison of the later capture with the reviewed one (the same pipeline, alignment and rules as a comparison
with the baseline), made on import, when the comparisons are refreshed after a correction
(``tracking.compare_with_reviewed``), and when a decision is saved on a capture after which later ones were imported
already (``tracking.compare_since_review``: the command line at once, the app in the background, the flag showing
the estimate below until it is stored). Where no such comparison is stored, or it cannot tell (a register from
before it was made, a comparison cancelled or failed), the change is approximated from the two captures' comparisons
with the baseline (``new_since_review``).

The rules are those of the interval between the two captures compared, as for any pair (``change_verdict.rules_for``:
follow-up practice judges what changed between two images by how far apart they were taken): with the reviewed
capture more than ``SHORT_TERM_DAYS`` (135) days before the later one, long-term rules judge the change since it,
even where the comparison with the baseline of the same capture is short-term or the reverse; a symmetric growth
under 30 % since the reviewed capture then raises no flag, as it would not since a baseline taken that long before.
The approximation below alone keeps the short-term thresholds whatever the interval (the stricter).

A decision cleared, or changed to one that answers nothing ('refer', 'excise'), makes that capture no reviewed
capture: its comparisons with later captures stay stored and current (the two images have not changed) but are no
longer read (``reviewed_before`` chooses the pair read); the later captures are then judged since an earlier
reviewed capture, if any (compared with it then where no such row is stored), else since the baseline.

A comparison with the reviewed capture is a row like any other, named by its pair: its ``baseline_capture_id`` is the
reviewed capture's. Whatever shows a change since the baseline (change line, trend chart, reports, command line)
reads the pairs whose first capture is the lesion's baseline only (``current_comparisons(..., baseline_only=True)``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from dermadesk.analysis.change import CHANGE_RULES, model_tier_rise
from dermadesk.domain.records import Capture, Comparison
from dermadesk.domain.text import EDGE_OF_IMAGE, WHOLE_DIAMETER_UNKNOWN, amount, in_view, signed

ANSWERED = ("monitor", "discharge")  # a clinician's decision that answers an URGENT/REFER result or a change
COMPARED_ACTION = "compare with the reviewed capture"  # the audit log's name for such a row
TELLS = ("significant", "not significant")  # the verdicts that tell; "cannot tell" does not


def reviewed_before(captures: list[Capture], verdicts: Mapping[int, str], capture: Capture) -> Capture | None:
    """The latest capture between the baseline (``captures[0]``) and ``capture`` whose SIGNIFICANT change since the
    baseline (``verdicts``: follow-up id -> its verdict against the baseline) a decision answered; None: none."""
    before = captures[1 : captures.index(capture)]
    return next((c for c in reversed(before) if c.decision in ANSWERED and verdicts.get(c.id) == "significant"), None)


def latest_pairs(rows: Iterable[Comparison]) -> dict[tuple[int, int], Comparison]:
    """(first capture id, second capture id) -> the pair's latest row among ``rows`` (current rows, by id)."""
    return {(r.baseline_capture_id, r.followup_capture_id): r for r in sorted(rows, key=lambda r: r.id)}


def since_reviewed(
    pairs: Mapping[tuple[int, int], Comparison], reviewed: Capture, capture: Capture, since: str
) -> list[str] | None:
    """What ``capture``'s stored comparison with ``reviewed`` says: its reasons, the first ending with ``since``,
    where it is SIGNIFICANT; [] where NOT SIGNIFICANT; None where no such row is current or it cannot tell."""
    row = pairs.get((reviewed.id, capture.id))
    if row is None or row.verdict not in TELLS:
        return None
    if row.verdict == "not significant":
        return []
    first, *rest = row.reasons or ["significant change"]
    return [f"{first} {since}", *rest]


def new_since_review(later: dict, reviewed: dict, since: str) -> list[str] | None:
    """What a capture's stored comparison with the baseline (``later``, its metrics) shows that the reviewed capture's
    (``reviewed``) did not, each reason saying ``since`` after its change; [] when nothing; None when the rows hold
    no figures to tell (the baseline comparison's verdict then stands as it is). Only where no comparison with the
    reviewed capture tells (``since_reviewed``).

    An approximation from the two stored comparisons with the baseline (no image is read): the area since the
    reviewed capture from both area changes, (100 + later) / (100 + reviewed) - 1, and the longest diameter alike,
    judged by the short-term thresholds whatever the interval (the stricter: a long-term symmetric growth of 10 % to
    30 % is named too); where either comparison's lesion reaches the edge of an image (its ``cut_off``) each change
    says it is of the part in view, "11% less area where both images show the lesion <since>; it reaches the edge of
    an image" (``domain.text.in_view``), never "shrank" or "grew", and a longest diameter's that the lesion's whole
    diameter is not known; colours new (or no longer seen), an asymmetric growth or a focal change
    of pigmentation the reviewed capture's comparison did not show; the model's tier rising above the reviewed
    capture's as the comparison rules count it. Never more than the baseline comparison says: it is asked only for a
    capture whose comparison with the baseline is SIGNIFICANT."""
    rules, out = CHANGE_RULES, []
    a_l, a_r = later.get("area_change_percent"), reviewed.get("area_change_percent")
    if a_l is None or a_r is None:
        return None
    area = ((100 + a_l) / max(100 + a_r, 1e-6) - 1) * 100
    # either comparison measured a lesion cut off by the frame: its changes are those of the part in view (less area
    # there is no shrinking: it may have grown beyond the edge), said as the comparison itself says them (``in_view``)
    cut_off = bool(later.get("cut_off") or reviewed.get("cut_off"))
    if abs(area) >= rules["area_change_percent"]:
        if partial := in_view(area, cut_off):
            out.append(f"{partial} {since}; {EDGE_OF_IMAGE}")
        else:
            out.append(f"area {'grew' if area > 0 else 'shrank'} by {amount(area)}% {since}")
    d_l, d_r = later.get("diameter_change_percent"), reviewed.get("diameter_change_percent")
    trusted = later.get("outline_trusted", True) and reviewed.get("outline_trusted", True)
    if not out and trusted and d_l is not None and d_r is not None:
        diameter = ((100 + d_l) / max(100 + d_r, 1e-6) - 1) * 100
        if abs(diameter) >= rules["diameter_change_percent"]:
            partial = in_view(diameter, cut_off, what="diameter")
            out.append(
                f"{partial} {since}; {WHOLE_DIAMETER_UNKNOWN}"
                if partial
                else f"longest diameter changed by {signed(diameter)}% {since}"
            )
    for key, words in (("new_colours", "new colour"), ("lost_colours", "colour no longer seen")):
        if fresh := [c for c in later.get(key) or [] if c not in (reviewed.get(key) or [])]:
            out.append(f"{words}: {', '.join(fresh)} {since}")
    if later.get("asymmetric_growth") and not reviewed.get("asymmetric_growth"):
        out.append(f"growth is asymmetric {since}")
    if (later.get("focal_delta_e") or 0.0) >= rules["focal_delta_e"] > (reviewed.get("focal_delta_e") or 0.0):
        out.append(f"focal change of pigmentation {since}")
    tiers, probabilities = later.get("risk_tier") or {}, later.get("malignant_probability") or {}
    before, p_before = (reviewed.get("risk_tier") or {}), (reviewed.get("malignant_probability") or {})
    rise = model_tier_rise(before.get("after"), tiers.get("after"), p_before.get("after"), probabilities.get("after"))
    if rise is not None and rise[0]:
        out.append(f"{rise[1]} {since}")
    return out
