"""What asks for a clinician's attention on a lesion, in words: the lesion list's and body map's flag ("⚠ URGENT",
"⚠ CHANGED", "⚠ OVERDUE") with its tooltip line, and the referral prompt's reason for the capture on screen. Both
read the same standing results (``standing.needs_action``, ``standing.significant_change``); stored rows only, no
image is read, so the list can ask it for every lesion on the GUI thread."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from dermadesk.domain.dates import human_date
from dermadesk.domain.follow_up import FollowUp
from dermadesk.domain.records import Capture
from dermadesk.services import register_ops as ops
from dermadesk.services import standing, tracking
from dermadesk.services.follow_up import overdue_follow_up
from dermadesk.storage.register import Register

STILL_MONITORING = "status still 'monitoring'"


@dataclass(frozen=True)
class Flagged:
    """What raises the lesion's flag (``flag_state``), for each wording of it (the app's ``lesion_flag``, a report's
    ``report_flag``): ``held`` an URGENT/REFER result nobody acted on, ``target`` the capture whose decision answers it
    (``_to_answer``); ``change`` a SIGNIFICANT change nobody answered; ``overdue`` a follow-up whose date has passed
    (only where neither stands). ``flag``: "⚠ URGENT", "⚠ REFER", "⚠ CHANGED", "⚠ OVERDUE" or '' (none)."""

    flag: str
    held: standing.Standing | None = None
    target: Capture | None = None
    change: standing.StandingChange | None = None
    overdue: FollowUp | None = None


def flag_state(register: Register, lesion_id: int, today: dt.date | None = None) -> Flagged:
    """The lesion's flag and what raises it, from the standing results (``today``: for an overdue follow-up)."""
    result = standing.standing_result(register, lesion_id)  # read once for both flags (each list row, each refresh)
    held = standing.needs_action(register, lesion_id, result)
    change = standing.significant_change(register, lesion_id)
    if held is not None or change is not None:
        return Flagged(standing.flag_word(held, change), held, _to_answer(held) if held is not None else None, change)
    due = overdue_follow_up(register, lesion_id, today=today, held=result)
    return Flagged("⚠ OVERDUE", overdue=due) if due else Flagged("")


def lesion_flag(register: Register, lesion_id: int, command: bool = False) -> tuple[str, str]:
    """The lesion's flag and why (``flag_line`` joins them): an URGENT/REFER result nobody acted on (even under a
    later capture that is not assessable), else a SIGNIFICANT change since the baseline nobody answered, else a
    follow-up whose date has passed ("follow-up was due 8 Jun 2026 (3-month re-check)"); ('', '') when none. Where an
    URGENT/REFER result and a change both stand, the flag names the result and the why says both. The why names a
    result by its date ("result on 10 Mar 2026": the flag says its tier) and ends with what answers the flag ("—
    answer it with a decision (monitor, discharge) on the 10 Mar 2026 capture, or mark the lesion referred or
    excised"; for an URGENT/REFER result "(refer, monitor, discharge)"), the URGENT/REFER result's capture first.
    ``command``: for the command line (what confirms an estimated change named as a command, ``to_confirm``)."""
    state = flag_state(register, lesion_id)
    held, change, target, flag = state.held, state.change, state.target, state.flag
    confirm = to_confirm(register, change, command)
    if held is not None:
        dated = f"result on {human_date(target.taken_at)}" if target is not None else "result"
        both = f"; {change.note}{confirm}" if change is not None else ""
        answer = f" — {standing.answer_on(target, act_now=True)}" if target is not None else ""
        return flag, f"{held.note or dated}{both}; {STILL_MONITORING}{answer}"
    if change is not None:
        return flag, f"{change.note}{confirm}; {STILL_MONITORING} — {change.answer}"
    return (flag, f"follow-up {state.overdue.words(human_date)}") if state.overdue else ("", "")


def report_flag(register: Register, lesion_id: int, today: dt.date | None = None) -> tuple[str, str]:
    """The lesion's flag and why as a printed report says them to a referrer or a patient: what stands and why, from
    the same standing as ``lesion_flag``, without what the app's user is to do next (no menu, command or transfer
    package's file name, which may name the patient): "significant change on 15 Oct 2025 (area grew by 51% since the
    reviewed capture of 15 Apr 2025); not yet answered by a clinician's decision"; an estimate "..., not confirmed yet
    (estimated: ...); an estimate until the capture is compared directly with the reviewed capture; ..."; "result on 10
    Mar 2026; not yet acted on by a clinician's decision"; "...; decision refer on the 10 Mar 2026 capture, the lesion
    not marked referred yet"; "follow-up was due 8 Jun 2026 (3-month re-check)". ('', '') when none stands."""
    state = flag_state(register, lesion_id, today)
    held, change, target = state.held, state.change, state.target
    if held is not None:
        said = held.note or (f"result on {human_date(target.taken_at)}" if target is not None else "result")
        both = f"; {_change_words(change)}" if change is not None else ""
        return state.flag, f"{said}{both}; {_not_answered(target, 'acted on')}"
    if change is not None:
        return state.flag, f"{_change_words(change)}; {_not_answered(change.capture, 'answered')}"
    if state.overdue is not None:  # what else to do ("assess the latest capture") is the app user's, left out
        return state.flag, f"follow-up {replace(state.overdue, also='').words(human_date)}"
    return "", ""


def _change_words(change: standing.StandingChange) -> str:
    """The change as it stands (``StandingChange.note``), and why an estimate is one."""
    estimate = "; an estimate until the capture is compared directly with the reviewed capture"
    return change.note + (estimate if change.unconfirmed else "")


def _not_answered(capture: Capture | None, verb: str) -> str:
    """ "not yet answered by a clinician's decision", or where the capture's decision is 'refer' or 'excise' (which
    ends the flag once the lesion is marked so): "decision refer on the 10 Mar 2026 capture, the lesion not marked
    referred yet"."""
    if capture is not None and capture.decision in standing.TO_MARK:
        decided, marked = f"decision {capture.decision}", standing.TO_MARK[capture.decision]
        return f"{decided} on the {human_date(capture.taken_at)} capture, the lesion not marked {marked} yet"
    return f"not yet {verb} by a clinician's decision"


def to_confirm(register: Register, change: standing.StandingChange | None, command: bool = False) -> str:
    """What confirms a change estimated until a comparison is made (``StandingChange.unconfirmed``; "" for another):
    "; to confirm it, import p6.ddtx again: it finishes comparing (nothing is imported twice)" where a cancelled
    import of that package left it (``transfer_left.finishing_package``), else "; to confirm it, compare the 1 Nov
    2026 capture with the reviewed capture (Patient > Compare with the reviewed capture)", or, for the command line
    (``command``), "(dermadesk compare 5 7)" (``confirm_change.how_to_confirm``). The flag stands meanwhile: that
    comparison may end it."""
    if change is None or not change.unconfirmed:
        return ""
    from dermadesk.services.confirm_change import how_to_confirm
    from dermadesk.services.transfer_left import finishing_package

    package = finishing_package(register, change.capture)
    if package:
        return f"; to confirm it, import {package} again: it finishes comparing (nothing is imported twice)"
    return how_to_confirm(change, command)


def confirm_brief(register: Register, change: standing.StandingChange) -> str:
    """An estimated change (``change.unconfirmed``) short, with what confirms it, for the app's referral prompt, whose
    line above the tabs took three lines at 150 % without it: "significant change on 10 Dec 2025, not confirmed yet:
    Patient > Compare with the reviewed capture" (or "...: import p6.ddtx again"); its figures and the whole words
    (``to_confirm``) in the prompt's tooltip."""
    from dermadesk.services.confirm_change import IN_APP
    from dermadesk.services.transfer_left import finishing_package

    package = finishing_package(register, change.capture)
    how = f"import {package} again" if package else IN_APP
    later = f"; latest capture's change: {change.later or 'not compared yet'}" if change.carried else ""
    return f"significant change on {human_date(change.capture.taken_at)}, not confirmed yet: {how}{later}"


def flag_line(flag: str, why: str) -> str:
    """The flag and why, as the lesion list's and the body map's tooltips and ``patient show`` say it: "⚠ URGENT:
    result on 10 Mar 2026; status still 'monitoring' — answer it ..." (not "⚠ URGENT: URGENT result")."""
    return f"{flag}: {why}" if why else flag


def referral_reason(register: Register, lesion_id: int, capture_id: int | None) -> str:
    """Why to mark the lesion referred, with ``capture_id`` on screen ('' when nothing asks): that capture's own
    URGENT/REFER result or SIGNIFICANT change (none where a decision 'monitor' or 'discharge' answered it), then
    what stands for the lesion whichever capture is shown: its URGENT/REFER result nobody acted on (carried over a
    later capture that is not assessable, or an earlier more severe one without a decision) and its SIGNIFICANT
    change since the baseline nobody answered (an estimate with what confirms it: ``to_confirm``)."""
    return referral_words(register, lesion_id, capture_id)[0]


def referral_words(register: Register, lesion_id: int, capture_id: int | None) -> tuple[str, str]:
    """(``referral_reason``, the same short for the prompt's line where a change is an estimate: "significant change
    on 10 Dec 2025, not confirmed yet: Patient > Compare with the reviewed capture", ``confirm_brief``; else the
    same words)."""
    tier, verdict = None, None
    if capture_id is not None:
        entry = ops.capture_entry(register, capture_id)
        tier = entry.assessment.risk_tier if entry.assessment and entry.assessment.assessable else None
        line = tracking.change_line(register, capture_id)
        verdict = line.verdict if line else None
        if entry.capture.decision in standing.ANSWERED:  # reviewed, and decided: nothing of its own to propose
            tier, verdict = None, None
        if any(x.capture.id == capture_id for x in standing.standing_result(register, lesion_id).answered):
            tier = None  # a decision on a later capture answered its result
        if verdict == "significant" and standing.answered_by_review(register, lesion_id, capture_id):
            verdict = None  # a change reviewed on an earlier capture, nothing new since
    parts = []
    if ops.needs_referral(register, lesion_id, tier, verdict):
        parts.append(f"{(tier or '').upper()} result" if tier in standing.ACT_NOW else "SIGNIFICANT change")
    held = standing.needs_action(register, lesion_id)
    if held is not None and held.note:  # nor hides the result that stands, or an earlier URGENT one
        named = {c.id for c in (held.earlier_capture, held.carried and held.stands_capture) if c}
        if capture_id not in named or not parts:
            parts.append(held.note)
    elif held is not None and held.stands_capture is not None and held.stands_capture.id != capture_id:
        result, day = f"{(held.tier or '').upper()} result", human_date(held.stands_capture.taken_at)
        if result in parts:  # the capture on screen says the same: "URGENT result here and on 1 Sep 2025"
            parts[parts.index(result)] = f"{result} here and on {day}"
        else:
            parts.append(f"{result} on {day}")
    change = standing.significant_change(register, lesion_id)
    if change is not None and change.reviewed is not None and change.capture.id == capture_id:
        parts = [
            p for p in parts if p != "SIGNIFICANT change"
        ]  # what is new since the reviewed capture: the change's note says it
    brief = list(parts)
    if change is not None and not (capture_id == change.capture.id and "SIGNIFICANT change" in parts):
        parts.append(change.note + to_confirm(register, change))
        brief.append(confirm_brief(register, change) if change.unconfirmed else change.note)
    return "; ".join(parts), "; ".join(brief)


def referral_answer(register: Register, lesion_id: int, capture_id: int | None) -> tuple[str, int | None]:
    """What answers the flag that stands: ("answer it with a decision (monitor, discharge) on the 3 Mar 2026
    capture, or mark the lesion referred or excised", that capture's id) where another than ``capture_id`` is on
    screen; ('', None) where it is (the prompt stays beside the tab titles at 1280x720), or where nothing stands.
    An URGENT/REFER result nobody acted on first, as the flag names it, its decisions "(refer, monitor, discharge)"."""
    held = standing.needs_action(register, lesion_id)
    acted_on = _to_answer(held) if held is not None else None
    if acted_on:
        target = acted_on
    elif change := standing.significant_change(register, lesion_id):
        target = change.capture
    else:
        return "", None
    if target.id == capture_id:  # its Clinician review on screen answers it: the prompt's words kept short
        return "", None
    return standing.answer_on(target, act_now=target is acted_on), target.id


def _to_answer(held: standing.Standing) -> Capture | None:
    """The capture whose decision answers an URGENT/REFER result nobody acted on: an earlier, more severe one's,
    else the standing one's; where a decision 'refer' or 'excise' covers it (on that capture or a later one), that
    decision's capture (what is left is to mark the lesion)."""
    if held.answered_by is not None:
        return held.answered_by
    return held.earlier_capture if held.earlier is not None else held.stands_capture


def status_to_mark(register: Register, lesion_id: int) -> str:
    """The status the referral prompt offers: 'excised' where the lesion's latest decision is 'excise' (the
    clinician decided to excise and declined marking it so then), else 'referred'."""
    decided = [c.decision for c in register.captures.for_lesion(lesion_id) if c.decision]
    return "excised" if decided and decided[-1] == "excise" else "referred"


def referral_step(register: Register, lesion_id: int, capture_id: int | None) -> str:
    """What the referral prompt says after its reason for the capture on screen: "status still 'monitoring'", or,
    where that capture's saved decision is 'refer' or 'excise' and nothing else stands to answer on another capture,
    the decision and what is left, as the command line says it: "decision refer saved: arrange it, then mark the
    lesion referred" (it read "status still 'monitoring'" as if nobody had decided)."""
    if capture_id is None or referral_answer(register, lesion_id, capture_id)[1] is not None:
        return STILL_MONITORING
    decision = register.captures.get(capture_id).decision
    if decision not in standing.TO_MARK:
        return STILL_MONITORING
    return f"decision {decision} saved: {standing.mark_after(decision)}"
