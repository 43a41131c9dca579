"""The lesion report's "Reviews": the lesion's flag and why, in a report's words (what stands and why, not what to do
in the app), then every clinician decision and note on its captures, newest first. Without it a referrer read
"Decision: not recorded" (the latest capture's) under a lesion reviewed twice and flagged ⚠ CHANGED for its growth
since the reviewed capture, and saw neither. Page 1 names a flag that stands and the page "Reviews" is on
(``flag_pointer``)."""

from __future__ import annotations

from typing import Any, Callable

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph
from reportlab.platypus.flowables import _listWrapOn

from dermadesk.domain.dates import human_date, local_day
from dermadesk.domain.follow_up import FollowUp, recheck_words
from dermadesk.reports.common import year_only
from dermadesk.reports.data import LesionReportData, VisitData
from dermadesk.reports.notes import dates_kept, esc, notes_paragraph


def follow_up_text(follow_up: FollowUp, date: Callable[[str], str]) -> str:
    """The next follow-up as report markup, its date written by ``date``: an overdue one starts with a red, bold
    "OVERDUE" ("OVERDUE: was due 8 Jun 2026 (3-month re-check)"), the date kept on one line (``dates_kept``)."""
    said = dates_kept(esc(follow_up.words(date)))
    return f"<font color='#b00020'><b>OVERDUE</b></font>: {said}" if follow_up.overdue else said


def recheck_said(v: VisitData) -> str:
    """ ", re-check in 12 months" after a 'monitor' decision the clinician gave its own interval, ", re-check as the
    tier suggests" after one that left it to the tier's (``recheck_words``, as ``lesion show`` says it); ''
    otherwise."""
    return recheck_words(v.capture.decision, v.capture.recheck_months)


def decided_by(v: VisitData, day: Callable[[str], str]) -> str:
    """ ", by dr.walk on 15 Apr 2025" after a capture's decision: who saved it and the day (``day`` says when, "on 15
    Apr 2025"; a de-identified report by the days since the first capture: ", 561 days after the first capture",
    naming no clinician unless the settings ask); '' where the audit log does not say or the capture has no
    decision."""
    if not (v.decided and v.capture.decision):
        return ""
    who, at = v.decided
    said = day(local_day(at) or at[:10])
    said = (f", by {esc(who)}" if who else "") + (f" {said}" if who and said.startswith("on ") else f", {said}")
    return dates_kept(said)  # "on 24 Nov 2026" never ends a line at "Nov"


def decision_lines(data: LesionReportData, st: dict[str, Any], day: Callable[[str], str]) -> list[Paragraph]:
    """Page 1's lines under the risk tier, the visit's review as the app shows it under the tier: "Decision: monitor,
    re-check in 3 months, by Dr Fresh on 24 Nov 2026" ("Decision: not recorded" for none) and "Next follow-up: 24 Feb
    2027 (3 months, clinician's decision)" (``follow_up_text``; years only de-identified). They stood on page 2 under
    "Clinician notes", and a referrer reading page 1 alone saw the model's "Consider urgent specialist review" and
    not what the clinician decided. ``day`` says when the decision was saved ("on 24 Nov 2026")."""
    v = data.visits[-1]
    said = [f"<b>Decision:</b> {esc(v.capture.decision or 'not recorded')}{recheck_said(v)}{decided_by(v, day)}"]
    if data.next_follow_up is not None:  # the date the summary gives: the clinician's interval where one was given
        date = year_only if data.patient.deidentified else human_date
        said.append(f"<b>Next follow-up:</b> {follow_up_text(data.next_follow_up, date)}")
    return [Paragraph(text, st["body"]) for text in said]


class KeptWithStart(KeepTogether):
    """Flowables kept on one page, as a KeepTogether keeps them (a heading, what it says first), except that the last
    (notes, which may be long) may run on to the next page where all before it and its first lines fit on this one:
    long notes do not leave the rest of a page empty. A KeepTogether: a heading just before it is kept with it too
    (``common.headings_kept``)."""

    def __init__(self, flowables: list[Any]) -> None:
        super().__init__(flowables)
        for flowable in self._content[:-1]:  # laid out one by one where they fit: none keeps with the next again
            flowable.__dict__["keepWithNext"] = 0  # as reportlab's own keepWithNext does (a KeepTogether of the
            # entry's head and its long notes would break the page there)

    def split(self, width: float, height: float) -> list[Any]:
        if getattr(self, "_wrapInfo", None) != (width, height):
            self.wrap(width, height)
        *kept, last = self._content
        if kept and self._H > height:
            used = _listWrapOn(kept, width, self.canv)[1]
            room = height - used - max(last.getSpaceBefore(), kept[-1].getSpaceAfter()) - 1  # 1 pt to spare
            if room > 0:
                last.wrapOn(self.canv, width, room)
                if last.split(width, room):  # its first lines (two at least) fit here: the rest runs on
                    return [*kept, last]
        return list(super().split(width, height))


REVIEWS_PAGE = "reviews"  # the key under which "Reviews" notes the page it is printed on
POINTED = "pointed"  # the key under which page 1's line notes the page it named


class PageNoted(Paragraph):
    """A paragraph that notes in ``pages[key]`` the number of the page it is drawn on (a heading: one line, never
    split)."""

    def __init__(self, text: str, style: Any, pages: dict[str, int], key: str) -> None:
        super().__init__(text, style)
        self.pages, self.key = pages, key

    def draw(self) -> None:
        super().draw()
        self.pages[self.key] = self.canv.getPageNumber()


def flag_pointer(data: LesionReportData, st: dict[str, Any], pages: dict[str, int]) -> list[Any]:
    """Page 1's line where a flag stands, beside the tier and recommendation: "This lesion is flagged ⚠ CHANGED: see
    “Reviews” on page 2 for what stands and why" (the page "Reviews" was printed on when last laid out, noted in
    ``pages``; "below" where that is this page); nothing where none stands."""
    if not data.flag:
        return []
    page = pages[POINTED] = pages.get(REVIEWS_PAGE, 2)
    where = "below" if page == 1 else f"on page {page}"
    text = f"This lesion is flagged <b>{esc(data.flag)}</b>: see “Reviews” {where} for what stands and why."
    return [Paragraph(text, st["warn"])]


def flag_paragraph(data: LesionReportData, st: dict[str, Any], capture: Callable[[int], str]) -> Paragraph:
    """ "⚠ CHANGED: significant change on 15 Oct 2025 (... since the reviewed capture of 15 Apr 2025); not yet answered
    by a clinician's decision" (services.attention.report_flag: no menu, command or file name), years only
    de-identified; else that no flag stands. Then each URGENT or REFER result a decision on a later capture answered
    (``answered_words``: a referrer read "not yet acted on" under the 'monitor' of a later visit)."""
    answered = answered_words(data, capture)
    if not data.flag:
        said = f"No ⚠ flag stands on this lesion (status: {esc(data.status)})."
        return Paragraph(dates_kept(f"{said} {esc(answered)}" if answered else said), st["body"])
    why = year_only(data.flag_why) if data.patient.deidentified else data.flag_why
    said = f"<b>{esc(data.flag)}</b>" + (f"<b>:</b> {esc(why)}" if why else "")
    return Paragraph(dates_kept(f"{said}. {esc(answered)}" if answered else said), st["warn"])


def answered_words(data: LesionReportData, capture: Callable[[int], str]) -> str:
    """ "The REFER result of the 17 Nov 2025 capture was answered by the decision monitor on the 16 Nov 2026
    capture." for each such result (``data.answered``); ``capture`` names a capture by its id as the report does
    ("the 17 Nov 2025 capture"; de-identified "the capture taken 189 days after the first"); '' for none."""
    said = [
        f"The {tier.upper()} result of {capture(result)} was answered by the decision {esc(decision)} on {capture(by)}."
        for result, tier, by, decision in data.answered
    ]
    return " ".join(said)


def reviews_part(
    data: LesionReportData,
    st: dict[str, Any],
    name: Callable[[VisitData], str],
    day: Callable[[str], str],
    capture: Callable[[int], str],
    pages: dict[str, int] | None = None,
) -> list[Any]:
    """The "Reviews" heading, the lesion's flag, then each capture with a decision or notes, newest first: "15 Apr
    2025: decision monitor, re-check in 12 months, by dr.walk on 15 Apr 2025" (its interval where the clinician gave
    one) and its notes under it (the visit reported's are printed just above; none de-identified: free text may name
    the patient or a date). ``name`` names a capture as the report does, ``day`` says when a decision was saved ("on
    15 Apr 2025"), ``capture`` a capture by its id in a sentence ("the 17 Nov 2025 capture"); ``pages``: where the
    heading notes its page (``flag_pointer`` names it).
    Plain paragraphs: long notes wrap, and many reviews go on to the next page; the heading, the flag, the intro and
    the first entry are kept together (the heading and intro stood alone at a page's foot), its notes may run on."""
    heading = (
        PageNoted("Reviews", st["h2"], pages, REVIEWS_PAGE) if pages is not None else Paragraph("Reviews", st["h2"])
    )
    out: list[Any] = [heading, flag_paragraph(data, st, capture)]
    reviewed = [v for v in reversed(data.visits) if v.capture.decision or v.capture.clinician_notes]
    if not reviewed:
        out.append(Paragraph("No clinician decision or note is recorded on any capture of this lesion.", st["body"]))
        return [KeptWithStart(out)]
    count = f"{len(reviewed)} capture{'s' * (len(reviewed) != 1)}"
    out.append(
        Paragraph(f"Clinician decisions and notes on this lesion's captures ({count}), newest first:", st["small"])
    )
    notes_style = st["body"].clone("review_notes", leftIndent=5 * mm, spaceAfter=2)
    deidentified, left_out, first = data.patient.deidentified, False, 0
    for v in reviewed:
        decision, latest = v.capture.decision, v is data.visits[-1]
        said = f"decision <b>{esc(decision)}</b>{recheck_said(v)}{decided_by(v, day)}" if decision else ""
        said = said or "no decision recorded"
        notes = v.capture.clinician_notes if (v.capture.clinician_notes or "").strip() else ""
        # its notes are above only where printed: a de-identified report leaves them out (and says so above)
        this = (" (this visit, its notes above)" if notes and not deidentified else " (this visit)") if latest else ""
        shown = bool(notes) and not latest and not deidentified  # the visit's own notes: printed just above
        head = st["body"].clone("review", keepWithNext=int(shown), spaceBefore=2)
        out.append(Paragraph(dates_kept(f"<b>{esc(name(v))}</b>{this}: {said}"), head))  # "24 Nov 2026" on one line
        if shown:
            out.append(notes_paragraph(notes, notes_style))
        first = first or len(out)  # the first entry ends here (its notes with it)
        left_out = left_out or (bool(notes) and deidentified and not latest)
    if left_out:
        out.append(Paragraph("Notes are left out of a de-identified report.", st["small"]))
    return [KeptWithStart(out[:first]), *out[first:]]  # the heading, the flag and the intro not alone at a page end
