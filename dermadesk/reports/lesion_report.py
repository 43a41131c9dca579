"""The lesion report: one visit with its history, as PDF bytes."""

from __future__ import annotations

from functools import partial
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Table, TableStyle

from dermadesk.contract import NOT_ASSESSABLE_NOTE, OOD_WARNING
from dermadesk.domain.dates import human_date
from dermadesk.domain.lesion_name import SEPARATOR
from dermadesk.domain.recorded import recorded_text
from dermadesk.domain.text import figures_unsaid
from dermadesk.reports.body_map import body_map_drawing
from dermadesk.reports.capture_names import named, on_day, short_name, the_capture, when
from dermadesk.reports.common import (
    TIER_COLOURS,
    ReportDoc,
    build_with_page_count,
    image_flowable,
    styles,
    text_width,
    year_only,
)
from dermadesk.reports.data import LesionReportData, ModelFacts, PatientInfo
from dermadesk.reports.earlier import earlier_captures, visit_capture_notes
from dermadesk.reports.notes import dates_kept
from dermadesk.reports.probabilities import probability_block
from dermadesk.reports.reviews import (
    POINTED,
    REVIEWS_PAGE,
    KeptWithStart,
    decision_lines,
    flag_pointer,
    notes_paragraph,
    reviews_part,
)
from dermadesk.reports.tier_key import KeySlot, ResultMark, placed_key, tier_key
from dermadesk.reports.trend import trend_block


DEIDENTIFIED_LESION = (
    "De-identified: no name, MRN, birth date, free-text label or notes; dates of care as years and "
    "days from the first capture. The lesion is identified by its number and anatomic site only."
)
DEIDENTIFIED_SUMMARY = (
    "De-identified: no name, MRN, birth date, free-text labels or notes; dates of care as years. "
    "Lesions are identified by number and anatomic site only."
)


NBSP = "\u00a0"


def labelled(label: str, value: str) -> str:
    """ "<b>MRN:</b> MRN-0042" with non-breaking spaces in the label and after its colon: a line wraps before the
    label or inside its value, never leaving "MRN:" at a line's end and its value on the next."""
    return f"<b>{label.replace(' ', NBSP)}:</b>{NBSP}{value}"


def patient_lines(p: PatientInfo) -> str:
    """The patient line both reports print under their title, each label kept with its value (``labelled``)."""
    if p.deidentified:
        said = f"{_esc(p.pseudonym)} (de-identified)"
        return f"{labelled('Patient', said)} &nbsp; {labelled('Age band', p.age_band or 'unknown')}"
    born = human_date(p.birth_date) if p.birth_date else "unknown"  # "1 Dec 1959", as the app writes dates
    # the name and MRN as typed ("Ann <Smith>" printed "Ann"); "1 Dec 1959" never split over two lines
    pairs = [("Patient", _esc(p.name)), ("MRN", _esc(p.mrn)), ("Born", born), ("Sex", _esc(p.sex or "unknown"))]
    return dates_kept(" &nbsp; ".join(labelled(label, value) for label, value in pairs))


def _esc(text: str) -> str:
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def story(data: LesionReportData, pages: dict[str, int] | None = None) -> list[Any]:
    """The report's flowables; ``pages``: where "Reviews" notes the page it is printed on, which page 1's line about
    a flag that stands names (``build_lesion_report`` lays the report out again where it moved)."""
    st = styles()
    pages = {} if pages is None else pages
    out: list[Any] = [Paragraph("Lesion report", st["h1"]), Paragraph(patient_lines(data.patient), st["body"])]
    if data.patient.deidentified:
        out.append(Paragraph(DEIDENTIFIED_LESION, st["small"]))
    out.append(Paragraph(f"<b>{_esc(lesion_name_text(data))}</b> &nbsp; {labelled('Status', data.status)}", st["body"]))
    if not data.visits:
        out.append(Paragraph("No captures recorded for this lesion.", st["body"]))
        return out
    v = data.visits[-1]
    a = v.assessment
    out.append(Paragraph(dates_kept(f"Visit of {named(data, v)} ({capture_title(data)})"), st["h2"]))
    img_w = 62 * mm
    pictures = [image_flowable(v.image_jpeg, img_w, 50 * mm)]
    assessable = a is None or a.assessable
    # no heat map, no class probabilities on paper for an image the model cannot back: a referrer read "Vascular
    # lesion 46.0%" as a finding (helper 52); the app still shows them for reference, greyed, with the warning
    no_cam = (
        "No heat map (not assessed)."
        if a is None
        else "No heat map: the image is not assessable."
        if not a.assessable
        else "No heat map: the model gave none for this image."
    )  # a model without Grad-CAM
    cam = v.cam_overlay_jpeg if assessable else None
    drawn = bool(cam)
    pictures.append(image_flowable(cam, img_w, 50 * mm) if cam else Paragraph(no_cam, st["small"]))
    number = str(data.lesion_number) if data.lesion_number is not None else ""
    pictures.append(body_map_drawing(data.body_view, data.body_x, data.body_y, label=number))
    cam_caption = "Heat map (Grad-CAM): regions that drove the top class" if drawn else ""  # the line says why none
    # each caption right under its picture (in a row of their own they sat under the taller body map)
    taken = f"Capture: {recorded_text(v.capture, every=True)}"  # as recorded: "polarisation not recorded"
    captions = [Paragraph(text, st["small"]) for text in (taken, cam_caption, "Body map")]
    table = Table(
        [[[picture, caption] for picture, caption in zip(pictures, captions)]],
        colWidths=[img_w + 3 * mm, img_w + 3 * mm, 42 * mm],
    )
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    out.append(table)
    out += visit_capture_notes(data, v, st)  # typed with the capture: not the review notes ("Notes:") further down
    start = len(out)  # the result begins here
    if a is None:
        said = "This capture has not been assessed."
        if v.outdated:  # the assessment made before its modality was corrected is out of date: no tier from it
            said = dates_kept(_esc(v.outdated[:1].upper() + v.outdated[1:] + "."))
        out.append(Paragraph(said, st["warn"]))
        out += standing_note(data, st)
        out += flag_pointer(data, st, pages)  # the flag that stands, what and why under "Reviews"
        result_kept(data, st, out, start)  # the clinician's review under the result, on its page
    elif not assessable:
        out += [
            Paragraph("<font color='#b00020'>NOT ASSESSABLE: no risk tier, no recommendation</font>", st["tier"]),
        ]
        out += [Paragraph("• " + _esc(r), st["body"]) for r in a.status_reasons]
        out.append(Paragraph(_esc(NOT_ASSESSABLE_NOTE), st["warn"]))
        out += standing_note(data, st)
        out += flag_pointer(data, st, pages)
        result_kept(data, st, out, start)  # the clinician's review under the result, on its page
        if a.probabilities:
            out.append(
                Paragraph("Class probabilities are not printed for an image the model cannot back.", st["small"])
            )
    else:
        colour = TIER_COLOURS.get(a.risk_tier or "", "#444444")
        mal, mel = v.chances or (f"{a.malignant_probability or 0.0:.0%}", f"{a.melanoma_probability or 0.0:.0%}")
        out += [
            Paragraph(
                f"<font color='{colour}'>Risk tier: {(a.risk_tier or '').upper()}</font> &nbsp; "
                f"malignant probability {mal} (melanoma {mel})",
                st["tier"],
            ),
        ]
        if v.advice:  # a SIGNIFICANT change beside the tier: no "re-check in about 12 months" on page 1
            advice = year_only(v.advice) if data.patient.deidentified else v.advice
            out.append(Paragraph(f"<b>{dates_kept(_esc(advice))}</b>", st["warn" if v.advice_warns else "body"]))
        if v.tier_reason:
            out.append(Paragraph(dates_kept(_esc(v.tier_reason)), st["body"]))
        if not v.advice:
            out.append(Paragraph(_esc(a.recommendation or ""), st["body"]))
        warnings = []
        if a.ood_flag:
            warnings.append(OOD_WARNING)
        if a.quality_problems:
            warnings.append(f"IMAGE QUALITY {a.quality_status.upper()}: " + "; ".join(a.quality_problems))
        for w in warnings:
            out.append(Paragraph("⚠ " + _esc(w), st["warn"]))
        out += standing_note(data, st)  # milder here: an earlier URGENT result nobody decided on stands
        out += flag_pointer(data, st, pages)
        result_kept(data, st, out, start)  # the clinician's review under the result, on its page
        out += probability_block(a, st, text_width(data.header.paper_size))
    # the tiers' key right under the result it explains where it adds no page (else further down); where the page has
    # no room left for it, it starts the next, saying the result's page (tier_key.ResultKey)
    out.append(KeySlot(0))
    if data.comparison:
        c = data.comparison
        # not measured, or said by a reason already: left out (never the same figures twice in a row)
        figures = [
            f
            for f in [
                figures_unsaid(
                    c.reasons,
                    c.area_change_percent,
                    c.diameter_change_percent,
                    c.delta_e,
                    colour="colour ΔE",
                    cut_off=c.cut_off,
                )
            ]
            if f
        ]
        days = c.interval_days if c.interval_days is not None else "?"
        base = next((p for p in data.visits if p.capture.id == c.baseline_id), None)
        since = named(data, base) if base is not None else when(data, c.baseline_date, first=True)
        out.append(
            KeepTogether(
                [
                    Paragraph(dates_kept(f"Change since {since} ({days} days): {c.verdict.upper()}"), st["h2"]),
                    *[Paragraph(dates_kept("• " + _esc(r)), st["body"]) for r in c.reasons],
                    *[Paragraph(f, st["small"]) for f in figures],
                    *([Paragraph(dates_kept(_esc(c.area_line)), st["small"])] if c.area_line else []),
                ]
            )
        )
    if note := data.change_note:  # an earlier capture's SIGNIFICANT change is not hidden by this comparison
        note = year_only(note) if data.patient.deidentified else note
        said = dates_kept(_esc(note[0].upper() + note[1:]))  # "3 Mar 2026" on one line
        out.append(Paragraph(f"<b>{said}</b> (status: {data.status})", st["warn"]))
    out += earlier_captures(data, v, st)
    if len(data.visits) >= 2:
        after = " (days after the first capture)" if data.patient.deidentified else ""
        parts = [short_name(data, p) for p in data.visits]  # each capture by its day, as the thumbnails name them
        labels = [f"{day}\n{rest}" if rest else day for day, rest in parts]
        # each capture's name in the notes under the charts; de-identified, as its axis names it ("day 94")
        names = [(f"{day}, {rest}" if rest else day) if data.patient.deidentified else named(data, p)
                 for (day, rest), p in zip(parts, data.visits)]  # fmt: skip
        out += [
            Paragraph(f"Trend over visits{after}", st["h2"]),
            *trend_block(data.visits, labels, names, data.area, st),
        ]
    # the visit's review notes, the heading with their first lines (long notes run on); its decision and next
    # follow-up stand on page 1 under the tier (``decision_lines``): said once, not again here
    decided: list[Any] = [Paragraph("Clinician notes", st["h2"])]
    if data.patient.deidentified and v.capture.clinician_notes:  # free text may name the patient or a date
        decided.append(Paragraph("Notes are left out of a de-identified report.", st["small"]))
    else:
        decided.append(notes_paragraph(v.capture.clinician_notes, st["body"]))
    out.append(KeptWithStart(decided))
    # the flag and every decision on the lesion's captures: the one above is the latest capture's only
    out += reviews_part(
        data,
        st,
        lambda p: named(data, p),
        lambda day: on_day(data, day),
        lambda capture_id: the_capture(data, capture_id),
        pages,
    )
    out.append(KeySlot(1))
    if data.model:
        out.append(Paragraph("About the model", st["h2"]))
        out.append(Paragraph(model_paragraph(data.model), st["small"]))
    return [*out, KeySlot(2)]


def _per_source(rates: dict[str, float], tail: str = "") -> str:
    """ " (96 in 100 on HAM10000, 82 in 100 on ISIC 2017``tail``)", or "" without rates per data set."""
    each = ", ".join(f"{round(100 * rate)} in 100 on {_esc(src)}" for src, rate in rates.items())
    return f" ({each}{tail})" if each else ""


def model_paragraph(m: ModelFacts) -> str:
    """The model's test figures in words a referrer or a patient can read: how often it raised the alarm for
    malignant and for benign lesions first (a REFER or URGENT result is a reason to look, not a diagnosis), then
    the summary figures."""
    text = f"{_esc(m.name)} {_esc(m.version)}, tested on images kept apart from its training (no lesion in both)."
    if m.benign_referred is not None:
        # each group split by data set: the malignant rate differs between them as much as the benign one (3.1.0:
        # 96 in 100 on HAM10000, 82 on ISIC 2017), and a split printed for benign lesions alone hid that
        malignant = (
            f"{round(100 * m.malignant_referred)} in 100 malignant lesions"
            f"{_per_source(m.malignant_referred_per_source)} and "
            if m.malignant_referred is not None
            else ""
        )
        sets = "; collections from different clinics and dermatoscopes"
        text += (
            f" It rated REFER or URGENT {malignant}{round(100 * m.benign_referred)} in 100 benign ones"
            f"{_per_source(m.benign_referred_per_source, sets)}"
            ": a REFER or URGENT result is a reason to look closely, not a diagnosis."
        )
    figures = []
    if m.balanced_accuracy is not None:
        figures.append(f"balanced accuracy over its seven classes {m.balanced_accuracy:.2f}")
    if m.auroc is not None:
        figures.append(f"malignant vs benign AUROC {m.auroc:.2f}")
    if m.malignant_sensitivity is not None and m.malignant_specificity is not None:
        # not the rates above: those count the tier, which also refers on the melanoma probability (helper 52 read
        # "95 in 100" beside "sensitivity 0.93" as two answers to one question)
        tiers = m.benign_referred is not None
        also = " (the tier also refers on the melanoma probability, hence the rates above)" if tiers else ""
        figures.append(
            f"on the malignant probability alone, at its refer threshold, sensitivity "
            f"{m.malignant_sensitivity:.2f} / specificity {m.malignant_specificity:.2f}{also}"
        )
    if figures:
        text += " Test figures: " + "; ".join(figures) + "."
    return text + " The data sets are named in its model card; performance in your clinic may differ."


def lesion_title(data: LesionReportData) -> str:
    """ "Lesion 2": the patient's lesion number (the database id only for a lesion that has none)."""
    return f"Lesion {data.lesion_number}" if data.lesion_number is not None else f"Lesion (id {data.lesion_id})"


def lesion_name_text(data: LesionReportData) -> str:
    """ "Lesion 1 · left scapula · posterior torso (left)": the lesion as the app names it (domain.lesion_name; was
    "Lesion 1: posterior torso (left), left scapula", the site before the label); de-identified, no label (free
    text: a clinic may have typed a name into it)."""
    label = "" if data.patient.deidentified else data.label
    return SEPARATOR.join(data.name or [part for part in (lesion_title(data), label, data.site) if part])


def capture_title(data: LesionReportData) -> str:
    """ "the latest of 3 captures of lesion 2", "the only capture of lesion 2": the visit reported (the lesion's
    latest capture) among its lesion's captures in words, never "capture 3", which the command line would read as the
    capture whose register id is 3."""
    lesion = lesion_title(data).lower()
    if len(data.visits) == 1:
        return f"the only capture of {lesion}"
    return f"the latest of {len(data.visits)} captures of {lesion}"


def result_kept(data: LesionReportData, st: dict[str, Any], out: list[Any], start: int) -> None:
    """``out`` from ``start`` (the result: tier, advice, why, warnings, the result that stands, the flag) with the
    clinician's decision and the next follow-up under it (``decision_lines``), kept on one page, as the app shows them
    under the tier, then the mark of the result's page (``ResultMark``: the page the tiers' key explains)."""
    result = [*out[start:], *decision_lines(data, st, lambda day: on_day(data, day))]
    out[start:] = [KeepTogether(result), ResultMark()]


def standing_note(data: LesionReportData, st: dict[str, Any]) -> list[Any]:
    """The result that stands where the visit reported does not show it (services.standing): "Latest capture not
    assessable; last assessable result: URGENT on ...", or "Earlier result URGENT on ... without a recorded
    decision" under a milder result; year only when de-identified."""
    if not (note := data.standing_note):
        return []
    note = year_only(note) if data.patient.deidentified else note  # "URGENT in 2026"
    said = dates_kept(_esc(note[0].upper() + note[1:]))  # "URGENT on 10 Mar 2026": the date on one line
    return [Paragraph(f"<b>{said}</b> (status: {data.status})", st["warn"])]


def build_lesion_report(data: LesionReportData) -> bytes:
    """PDF bytes of the lesion report."""
    title = f"Lesion report, {lesion_name_text(data)}"  # each page's header: cut with "…" where it is too long
    paper = data.header.paper_size

    def doc(buffer: Any) -> ReportDoc:
        return ReportDoc(buffer, title, data.header)

    pages: dict[str, int] = {}  # the page "Reviews" fell on in the last layout, and the one page 1 named
    # the tiers' key where it adds no page; none beside a change nobody answered (its advice asks for a review: no
    # "re-check in about 12 months" may stand on that report, services.advice)
    key = placed_key(
        doc,
        lambda: story(data, dict(pages)),
        partial(tier_key, styles(), text_width(paper)),
        left_out=bool(data.visits) and data.visits[-1].advice_warns,
    )
    pdf = build_with_page_count(doc, lambda: key(story(data, pages)))
    if POINTED in pages and pages[POINTED] != pages.get(REVIEWS_PAGE):  # page 1 named another page than it is on
        pdf = build_with_page_count(doc, lambda: key(story(data, pages)))
    return pdf
