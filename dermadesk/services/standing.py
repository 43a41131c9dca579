"""What stands for a lesion: its URGENT or REFER result nobody acted on (``standing_result``, ``needs_action``,
from services.standing_result) and its SIGNIFICANT change since the baseline nobody answered (below). The app's flag
and red line, the lesion list, the command line and the reports all ask here.

A SIGNIFICANT change since the baseline stands the same way (``significant_change``): until a decision answers it on
that capture or the lesion's status moves on, whichever capture is on screen. Once answered, a later capture raises it
again only for what is new since the reviewed capture (``since_review``: its stored comparison with that capture);
until that comparison is made (an import's comparing cancelled, ...), the change since it is estimated from the two
comparisons with the baseline, and the note says it is not confirmed yet (``StandingChange.unconfirmed``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from dermadesk.domain.dates import capture_when, human_date
from dermadesk.domain.records import Capture, Comparison
from dermadesk.services.since_review import (
    ANSWERED,
    TELLS,
    latest_pairs,
    new_since_review,
    reviewed_before,
    since_reviewed,
)
from dermadesk.services.standing_result import ACT_NOW as ACT_NOW
from dermadesk.services.standing_result import Standing as Standing
from dermadesk.services.standing_result import needs_action as needs_action
from dermadesk.services.standing_result import standing_result as standing_result
from dermadesk.services.tracking import BaselineChange, current_comparisons
from dermadesk.storage.register import Register

MARKED = "referred or excised"  # the statuses the flag's words offer (any but 'monitoring' ends it)
TO_MARK = {"refer": "referred", "excise": "excised"}  # a decision whose status ends the flag once the lesion is marked


def carried_referral_hint(register: Register, lesion_id: int) -> str:
    """The command line's hint when the capture just added or assessed does not say it, but an earlier URGENT or
    REFER result (that capture not assessable) or an earlier SIGNIFICANT change (the later comparison cannot tell or
    finds none) stands and nobody acted ('' otherwise), as the app's referral prompt says it."""
    from dermadesk.services.register_ops import REFERRAL_HINT

    standing = needs_action(register, lesion_id)
    change = significant_change(register, lesion_id)
    notes = [s.note for s in (standing, change) if s is not None and s.carried]
    return f"{'; '.join(notes)}; {REFERRAL_HINT.format(id=lesion_id)}" if notes else ""


@dataclass(frozen=True)
class StandingChange:
    """A SIGNIFICANT change since the lesion's baseline that nobody answered: ``capture``'s stored comparison with the
    lesion's first capture (``comparison_id``), the latest that tells; ``later``: what the lesion's latest capture
    says where it is a later one ("cannot tell", or None: not compared yet); ``reviewed``: the earlier capture whose
    SIGNIFICANT change a decision answered, where ``reasons`` are what is new since it; ``unconfirmed``: those are
    an estimate from the two captures' comparisons with the baseline (``new_since_review``), ``capture`` not compared
    with the reviewed capture yet: that comparison confirms the change, or finds none and ends the flag;
    ``cannot_tell_since``: an estimate likewise, as their stored comparison cannot tell."""

    baseline: Capture
    capture: Capture
    reasons: list[str]
    comparison_id: int | None  # None: computed afresh for a report, not stored
    latest: Capture
    later: str | None = None
    reviewed: Capture | None = None
    earlier_baseline: bool = False  # measured against a capture that was the baseline before an older image came in
    unconfirmed: bool = False
    cannot_tell_since: bool = False

    @property
    def carried(self) -> bool:
        """The change is an earlier capture's: the latest one's comparison cannot tell, finds no significant change,
        or was not made."""
        return self.capture.id != self.latest.id

    @property
    def note(self) -> str:
        """ "significant change on 3 Mar 2026 (area grew by 35%)", and where a later capture's comparison does not
        tell, "; latest capture's change: cannot tell" (or "not significant", "not compared yet"); ``unconfirmed``:
        "significant change on 3 Mar 2026, not confirmed yet (estimated: area grew by 21% since the reviewed capture of
        16 Feb 2026)": the estimate from the comparisons with the baseline."""
        since = f" since the capture of {human_date(self.baseline.taken_at)}" if self.earlier_baseline else ""
        estimated = "estimated: " if self.unconfirmed or self.cannot_tell_since else ""
        direct = "; compared with each other: cannot tell" if self.cannot_tell_since else ""
        why = f" ({estimated}{self.reasons[0]}{since}{direct})" if self.reasons else ""
        unconfirmed = ", not confirmed yet" if self.unconfirmed else ""
        text = f"significant change on {human_date(self.capture.taken_at)}{unconfirmed}{why}"
        if self.carried:
            text += f"; latest capture's change: {self.later or 'not compared yet'}"
        return text

    @property
    def answer(self) -> str:
        """What ends it: "answer it with a decision (monitor, discharge) on the 3 Mar 2026 capture, or mark the
        lesion referred" (the prompt, the list's tooltip and the command line say it alike)."""
        return answer_on(self.capture)


def answer_on(capture: Capture, act_now: bool = False) -> str:
    """ "answer it with a decision (monitor, discharge) on the 3 Mar 2026 capture, or mark the lesion referred or
    excised" (a lesion no longer 'monitoring' raises no flag); ``act_now``: the capture's URGENT or REFER result, for
    which referring is the decision the model's advice calls for, offered first: "... a decision (refer, monitor,
    discharge) ..."; where that capture's decision is 'refer' or 'excise', what is left to do, as the advice says it:
    "decision refer on the 3 Mar 2026 capture: arrange it, then mark the lesion referred" (never asking for a
    decision the clinician has given)."""
    when = human_date(capture.taken_at)
    if capture.decision in TO_MARK:
        return f"decision {capture.decision} on the {when} capture: {mark_after(capture.decision)}"
    decisions = ("refer", *ANSWERED) if act_now else ANSWERED
    on = f"the {when} capture or a later one" if act_now else f"the {when} capture"  # a later decision answers it too
    return f"answer it with a decision ({', '.join(decisions)}) on {on}, or mark the lesion {MARKED}"


def mark_after(decision: str) -> str:
    """What a 'refer' or 'excise' decision leaves to do while the lesion is still 'monitoring' (the flag and the
    advice say it alike): "arrange it, then mark the lesion referred"."""
    return f"arrange it, then mark the lesion {TO_MARK[decision]}"


class Row(NamedTuple):
    """A follow-up's comparison with the baseline (stored, or computed afresh: ``id`` None)."""

    verdict: str
    reasons: list[str]
    id: int | None
    metrics: dict
    first: int | None = None  # the comparison's first capture where it is not the lesion's baseline


def _verdict(rows: dict[int, Row], capture_id: int) -> str | None:
    """The capture's verdict against the baseline; None where it was not compared."""
    row = rows.get(capture_id)
    return row.verdict if row else None


Pairs = dict[tuple[int, int], Comparison]  # (first capture id, second) -> the pair's latest current row


def _unanswered(
    captures: list[Capture], rows: dict[int, Row], pairs: Pairs, capture: Capture
) -> tuple[list[str], Capture | None, str]:
    """``capture``'s SIGNIFICANT change as it stands: its reasons, the reviewed capture before it they are counted
    since (None: none reviewed), and why they are an estimate ("not compared": the comparison with the reviewed
    capture is not made yet; "cannot tell": it cannot tell; "": they are not); ([], ...) when a
    decision answered it, or nothing is new since the reviewed one: its stored comparison with the reviewed capture
    says (``since_reviewed``), else the two comparisons with the baseline do (``new_since_review``, an estimate:
    unconfirmed where that comparison is not stored yet); where neither tells, its change since the baseline stands."""
    row = rows.get(capture.id)
    if row is None or row.verdict != "significant" or capture.decision in ANSWERED:
        return [], None, ""
    reviewed = reviewed_before(captures, {i: r.verdict for i, r in rows.items()}, capture)
    if reviewed is None:
        return list(row.reasons), None, ""
    since = f"since the reviewed capture of {human_date(reviewed.taken_at)}"
    new = since_reviewed(pairs, reviewed, capture, since)
    if new is not None:
        return new, reviewed, ""
    # no comparison with the reviewed capture tells (not made yet, one stored before it was made, ...)
    new = new_since_review(row.metrics or {}, rows[reviewed.id].metrics or {}, since)
    if new is None:
        return list(row.reasons), reviewed, ""
    return new, reviewed, "not compared" if (reviewed.id, capture.id) not in pairs else "cannot tell"


def _baseline_rows(
    register: Register, lesion_id: int, captures: list[Capture], fresh: BaselineChange | None
) -> tuple[dict[int, Row], Pairs]:
    """Follow-up -> its latest current comparison with the lesion's first capture (``fresh``: one computed afresh),
    and every current pair's latest row (the comparisons with a reviewed capture among them)."""
    current = current_comparisons(register, lesion_id)
    rows: dict[int, Row] = {
        r.followup_capture_id: Row(r.verdict, r.reasons, r.id, r.metrics or {})
        for r in current
        if r.baseline_capture_id == captures[0].id
    }
    if fresh is not None and fresh.baseline.id == captures[0].id:
        rows.setdefault(fresh.followup.id, Row(fresh.verdict, fresh.reasons, fresh.comparison_id, fresh.metrics))
    pairs = latest_pairs(current)
    order = {c.id: i for i, c in enumerate(captures)}
    for capture in captures[1:]:
        if _verdict(rows, capture.id) in TELLS:
            continue
        earlier = [
            r
            for (first, second), r in pairs.items()
            if second == capture.id and 0 < order.get(first, len(order)) < order[capture.id] and r.verdict in TELLS
        ]
        if earlier:  # an earlier-dated image became the baseline and cannot tell: what was measured before stands
            r = min(earlier, key=lambda r: order[r.baseline_capture_id])
            rows[capture.id] = Row(r.verdict, r.reasons, r.id, r.metrics or {}, r.baseline_capture_id)
    return rows, pairs


def answered_by_review(register: Register, lesion_id: int, capture_id: int) -> bool:
    """``capture_id``'s comparison with the baseline is SIGNIFICANT, but a decision answered it, or an earlier capture's
    decision answered a change it adds nothing to (``_unanswered``): nothing of its own to propose."""
    captures = register.captures.for_lesion(lesion_id)
    capture = next((c for c in captures[1:] if c.id == capture_id), None)
    if capture is None:
        return False
    rows, pairs = _baseline_rows(register, lesion_id, captures, None)
    return _verdict(rows, capture_id) == "significant" and not _unanswered(captures, rows, pairs, capture)[0]


def significant_change(
    register: Register, lesion_id: int, fresh: BaselineChange | None = None
) -> StandingChange | None:
    """The lesion's standing SIGNIFICANT change, from stored comparisons only (no image is read): the latest of its
    captures' current comparisons with its baseline (the first capture) whose verdict tells, when it is SIGNIFICANT,
    the lesion is still 'monitoring' and no decision 'monitor' or 'discharge' is recorded on that capture (a
    clinician's answer to it; 'refer' or 'excise' leave it standing until the lesion's status says so). A later
    capture not compared yet, or whose comparison cannot tell, hides no earlier change; nor does a later NOT
    SIGNIFICANT one, nor one with nothing new since the reviewed capture, as a later, milder result hides no URGENT
    one nobody acted on: growth seen at a short-term
    visit is not undone by a long-term comparison whose wider thresholds pass the same growth, nor by one that
    measured less. The note names the latest capture's verdict beside it, for the clinician who answers it.

    Once a decision answered a SIGNIFICANT change on a capture (the reviewed capture), a later capture, compared with
    the baseline and SIGNIFICANT again, stands only where its comparison with the reviewed capture is SIGNIFICANT too,
    for what that comparison names (``since_review``: the unchanged lesion is not flagged at every visit; one that
    keeps growing, or shows a new colour, is); never where the baseline comparison is not (the flag, the Change tab's
    line and the reports say one verdict since the baseline). Where no comparison with the reviewed capture tells,
    the two comparisons with the baseline approximate it; where their rows hold no figures, the change stands. The
    lesion list, body map, referral prompt, reports and the command line all ask this. ``fresh``: the latest
    capture's change computed afresh where no row of it is stored (``tracking.baseline_change``: the reports), so
    that what they print and what stands agree."""
    if register.lesions.get(lesion_id).status != "monitoring":
        return None
    captures = register.captures.for_lesion(lesion_id)
    if len(captures) < 2:
        return None
    rows, pairs = _baseline_rows(register, lesion_id, captures, fresh)
    for capture in reversed(captures[1:]):
        if _verdict(rows, capture.id) != "significant":  # not compared, nothing told, or no change of its own
            continue
        if capture.decision in ANSWERED:  # a decision answered it, and every change before it
            return None
        reasons, reviewed, estimated = _unanswered(captures, rows, pairs, capture)
        if not reasons:  # nothing new since the reviewed capture: it hides no earlier change nobody answered
            continue
        later = _verdict(rows, captures[-1].id)
        first = rows[capture.id].first
        baseline = next((c for c in captures if c.id == first), captures[0])
        return StandingChange(
            baseline,
            capture,
            reasons,
            rows[capture.id].id,
            captures[-1],
            later,
            reviewed,
            baseline is not captures[0],
            estimated == "not compared",
            estimated == "cannot tell",
        )
    return None


def change_answered(register: Register, capture_id: int) -> str:
    """Why the capture's SIGNIFICANT change since the baseline raises no ⚠ flag, for the line that names it (a nurse
    saw "Change since 5 Jan 2026: SIGNIFICANT" in red beside a lesion with no flag, and no why): "lesion marked
    referred"; "answered by the decision monitor on this capture"; "reviewed on 30 Mar 2026 (decision monitor), since
    then: NOT SIGNIFICANT" (its stored comparison with the reviewed capture; "nothing new (estimated from ...)" where
    none tells, as ``significant_change`` judges it); "answered by the decision monitor on the 1 Jun 2026 capture" (a
    later SIGNIFICANT one's). '' where its change stands, or is not SIGNIFICANT."""
    capture = register.captures.get(capture_id)
    lesion = register.lesions.get(capture.lesion_id)
    captures = register.captures.for_lesion(lesion.id)
    if capture_id not in [c.id for c in captures[1:]]:
        return ""
    rows, pairs = _baseline_rows(register, lesion.id, captures, None)
    if _verdict(rows, capture_id) != "significant":
        return ""
    if lesion.status != "monitoring":
        return f"lesion marked {lesion.status}"
    if capture.decision in ANSWERED:
        return f"answered by the decision {capture.decision} on this capture"
    standing = significant_change(register, lesion.id)
    if standing is not None and standing.capture.id == capture_id:
        return ""
    named = {c.id: capture_when(c, captures) for c in captures}
    reviewed = reviewed_before(captures, {i: r.verdict for i, r in rows.items()}, capture)
    if reviewed is not None:
        pair = pairs.get((reviewed.id, capture_id))
        told = pair.verdict.upper() if pair is not None and pair.verdict in TELLS else None
        before = rows[reviewed.id].metrics or {}
        if told is None and new_since_review(rows[capture_id].metrics or {}, before, "") == []:
            told = "nothing new (estimated from both comparisons with the baseline)"
        if told is not None and told != "SIGNIFICANT":
            return f"reviewed on {named[reviewed.id]} (decision {reviewed.decision}), since then: {told}"
    later = captures[[c.id for c in captures].index(capture_id) + 1 :]
    answer = next((c for c in later if c.decision in ANSWERED and _verdict(rows, c.id) == "significant"), None)
    if answer is not None:
        return f"answered by the decision {answer.decision} on the {named[answer.id]} capture"
    return ""


def flag_word(acted: Standing | None, change: StandingChange | None) -> str:
    """The lesion's flag as the app's list and the reports name it: "⚠ URGENT" or "⚠ REFER" (``acted``: a result
    nobody acted on, from ``needs_action``), else "⚠ CHANGED" (``change``: a SIGNIFICANT change nobody answered),
    else ''."""
    if acted is not None:
        return f"⚠ {(acted.tier or '').upper()}"
    return "⚠ CHANGED" if change is not None else ""
