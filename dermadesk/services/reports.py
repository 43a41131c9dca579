"""Report use cases: gather plain data from the register, build the PDF, write it."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import replace
from pathlib import Path

import numpy as np

from dermadesk.analysis.decode import decode_image
from dermadesk.analysis.imaging import jpeg
from dermadesk.analysis.overlays import cam_overlay, heat_from_png
from dermadesk.config import Settings
from dermadesk.domain.dates import human_date, human_datetime
from dermadesk.domain.errors import DermaDeskError
from dermadesk.domain.lesion_name import name_parts
from dermadesk.domain.records import Assessment, Capture, Patient
from dermadesk.inference.registry import ModelRegistry
from dermadesk.reports.common import clinic_left_out, page_size, write_pdf
from dermadesk.reports.data import (
    ComparisonData,
    LesionReportData,
    LesionRow,
    PatientInfo,
    PatientSummaryData,
    ReportHeader,
    VisitData,
)
from dermadesk.reports.lesion_report import build_lesion_report
from dermadesk.reports.patient_summary import build_patient_summary
from dermadesk.services.advice import advice, change_state
from dermadesk.services.attention import report_flag
from dermadesk.services.explain import area_line, model_thresholds, tier_chances, tier_reason
from dermadesk.services.follow_up import decision_record, lesion_next_follow_up, tier_label
from dermadesk.services.modality import outdated_words
from dermadesk.services.models import model_facts
from dermadesk.services.progress import NEVER, CancelLike, ProgressFn, no_progress
from dermadesk.services.risk_record import said_once
from dermadesk.services.standing import (
    Standing,
    StandingChange,
    flag_word,
    needs_action,
    significant_change,
    standing_result,
)
from dermadesk.services.stored_comparisons import area_trend
from dermadesk.services.tracking import BaselineChange, baseline_change, capture_areas
from dermadesk.storage.register import Register

PRINT_SIDE = 600  # pixels on the longer side: ~250 dpi at the 62 mm the report prints a capture
THUMB_SIDE = 240


def _jpeg(rgb: np.ndarray, side: int) -> bytes:
    try:
        return jpeg(rgb, side)
    except ValueError as exc:
        raise DermaDeskError("could not encode an image for the report") from exc


def age_band(birth_date: str | None, today: dt.date) -> str:
    if not birth_date:
        return ""
    born = dt.date.fromisoformat(birth_date)
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    low = (age // 10) * 10
    return f"{low}-{low + 9}"


def pseudonym(register: Register, patient_id: int) -> str:
    """A de-identified report's name for the patient, "Patient-3F2A9C1B": a digest of the patient's random uid (the
    same on every workstation a transfer brings the patient to), so it cannot be worked back to an MRN by trying
    MRNs (it was a digest of the MRN itself) and each patient's files and reports have their own."""
    row = register.database.one("SELECT uid FROM patients WHERE id = ?", (patient_id,))
    key = row["uid"] if row is not None and row["uid"] else f"id:{patient_id}"
    return "Patient-" + hashlib.sha256(f"dermadesk-pseudonym:{key}".encode()).hexdigest()[:8].upper()


def patient_info(register: Register, p: Patient, deidentified: bool, today: dt.date) -> PatientInfo:
    if not deidentified:
        return PatientInfo(p.name, p.mrn, p.birth_date, p.sex)
    return PatientInfo("", "", None, None, True, pseudonym(register, p.id), age_band(p.birth_date, today))


def visit_data(
    register: Register,
    capture: Capture,
    areas: dict[int, tuple[float | None, float]],
    registry: ModelRegistry | None = None,
) -> VisitData:
    """One capture for a report, with its latest assessment, heat map and the tier's reason in words."""
    rgb = decode_image(register.images.read(capture.image_sha256), capture.original_name).rgb
    a = register.assessments.latest(capture.id)
    cam_jpeg = None
    if a and a.cam_sha256:
        heat = heat_from_png(register.images.read(a.cam_sha256), rgb.shape[1], rgb.shape[0])
        cam_jpeg = _jpeg(cam_overlay(rgb, heat, 0.55), PRINT_SIDE)
    area_mm2, area_px = areas.get(capture.id, (None, None))
    thresholds = model_thresholds(registry, a.model_name, a.model_version) if a and registry else None
    reason = tier_reason(a, thresholds) if a else ""
    decided = decision_record(register, capture) if capture.decision else None
    chances = tier_chances(a, thresholds) if a else None  # the tier line's figures, as the reason says them
    stale = outdated_words(register, capture.id) if a is None else ""  # made before its modality was corrected
    image = _jpeg(rgb, PRINT_SIDE)
    return VisitData(capture, a, image, cam_jpeg, area_mm2, area_px, reason, decided, chances=chances, outdated=stale)


def visit_advice(
    register: Register, visit: VisitData, change: BaselineChange | None, standing: StandingChange | None
) -> VisitData:
    """The visit with its advice where the lesion's SIGNIFICANT change shapes it (``advice``): ``change``, the visit's
    change since the baseline as the report prints it; ``standing``, the lesion's change nobody answered. Captures
    named by their day (a de-identified report's builder keeps their years)."""
    a = visit.assessment
    if a is None or not a.assessable or not a.risk_tier:
        return visit
    own = change if change is not None and change.followup.id == visit.capture.id else None
    state = change_state(
        register,
        visit.capture,
        own.verdict if own else None,
        own.baseline if own else None,
        standing,
        lambda c: human_date(c.taken_at),
    )
    said = advice(a.risk_tier, a.recommendation or "", state)
    return replace(visit, advice=said.text, advice_warns=said.unanswered) if said.change else visit


def lesion_report_data(
    register: Register,
    settings: Settings,
    lesion_id: int,
    deidentified: bool = False,
    registry: ModelRegistry | None = None,
    progress: ProgressFn = no_progress,
    today: dt.date | None = None,
    cancel: CancelLike = NEVER,
) -> LesionReportData:
    today = today or dt.date.today()
    lesion = register.lesions.get(lesion_id)
    patient = register.patients.get(lesion.patient_id)
    captures = register.captures.for_lesion(lesion_id)
    areas = capture_areas(register, lesion_id)
    registry = registry or ModelRegistry(register.data_dir)
    visits = []
    for i, c in enumerate(captures):
        cancel.raise_if_cancelled()
        visits.append(visit_data(register, c, areas, registry))
        progress((i + 1) / max(len(captures), 1) * 0.8, f"capture {i + 1} of {len(captures)}")
    if deidentified and not settings.operator_on_deidentified:  # who decided: named only as the header's operator is
        visits = [replace(v, decided=("", v.decided[1])) if v.decided else v for v in visits]
    # the reported visit (the latest capture) against the baseline as they are now: never the newest stored row
    # as such, which may be a deleted capture's or one made with dates corrected since
    change = baseline_change(register, lesion_id, cancel=cancel)
    comparison = None
    if change is not None:
        m = change.metrics
        comparison = ComparisonData(
            change.verdict,
            said_once(change.reasons),  # neither capture assessable, for the same reasons: said once
            change.interval_days,
            m.get("area_change_percent"),
            m.get("diameter_change_percent"),
            m.get("delta_e"),
            m.get("new_colours") or [],
            change.baseline.taken_at,
            change.followup.taken_at,
            area_line(m),
            baseline_id=change.baseline.id,
            cut_off=bool(m.get("cut_off")),
        )
    standing_change = significant_change(register, lesion_id, change)  # an earlier one the latest cannot tell
    # the trend's area as the app charts it; the reported visit's change as its section prints it (computed where
    # none is stored)
    m = change.metrics if change else {}  # with its cut_off: a value of the part both images show is charted so
    latest = (
        (change.followup.id, change.verdict, m.get("area_change_percent"), bool(m.get("cut_off"))) if change else None
    )
    if visits:  # the reported visit's advice beside that change: never "re-check in about 12 months" above it
        visits[-1] = visit_advice(register, visits[-1], change, standing_change)
    # the lesion's flag as the app's lists raise it, in a report's words: what stands and why, never what to do in the
    # app nor a transfer package's file name (which may name the patient)
    flag, why = report_flag(register, lesion_id, today)
    held = standing_result(register, lesion_id)
    return LesionReportData(
        report_header(settings, deidentified),
        patient_info(register, patient, deidentified, today),
        lesion.id,
        lesion.site_text,  # with the side from the body map
        lesion.label,
        lesion.status,
        lesion.body_view,
        lesion.body_x,
        lesion.body_y,
        visits,
        comparison,
        model_facts(registry, settings.model or None),
        lesion.number,
        held.note,
        standing_change.note if standing_change and standing_change.carried else "",
        area=area_trend(register, lesion_id, latest=latest),
        name=name_parts(replace(lesion, label="") if deidentified else lesion),  # a label may hold a name
        flag=flag,
        flag_why=why,
        answered=tuple(
            (x.capture.id, x.assessment.risk_tier or "", x.by.id, x.by.decision or "") for x in held.answered
        ),
        next_follow_up=lesion_next_follow_up(register, lesion_id, today, held=held, fresh=change),
    )


def report_header(settings: Settings, deidentified: bool = False) -> ReportHeader:
    """The page header. The operator is the one set in the settings, never the OS account; a de-identified
    report names none unless the settings ask for it (``operator_on_deidentified``), and is dated by its year only,
    as its visits are (a report made on the day of a visit dated the visit)."""
    logo_path = Path(settings.clinic_logo) if settings.clinic_logo else None
    logo = logo_path.read_bytes() if logo_path and logo_path.is_file() else None
    operator = settings.operator.strip()
    if deidentified and not settings.operator_on_deidentified:
        operator = ""
    now = dt.datetime.now()  # "23 Nov 2026 10:05", as the app writes dates; de-identified, the year as its visits
    when = now.strftime("%Y") if deidentified else human_datetime(now.strftime("%Y-%m-%dT%H:%M"))
    return ReportHeader(settings.clinic_name, logo, operator, when, settings.paper_size, deidentified)


def clinic_cut(settings: Settings, deidentified: bool = False) -> str:
    """Where the clinic line is too long for the report header even in its smallest face, what the report leaves out
    in words ("the clinic line is too long for the report header: 'nurse line +44 20 7946 0000' left out", its words
    whole: ``shortened``); "" where it is printed whole. The callers say how to shorten it (the command line's
    --clinic, the app's Settings)."""
    if not (cut := clinic_left_out(report_header(settings, deidentified))):
        return ""
    return f"the clinic line is too long for the report header: '{shortened(cut)}' left out"


def shortened(text: str, most: int = 80, start: int = 30, end: int = 45) -> str:
    """``text`` whole where it is ``most`` characters or fewer, else its first and last whole words with " … "
    between (about ``start`` and ``end`` characters of them, at least one word each; its end kept longer: a clinic
    line ends with its phone number, often). Never a word cut ("'…dermatology.appointm … artholomew-regional-..."
    was hard to read)."""
    words = text.split()
    if len(text) <= most or len(words) < 3:
        return text
    head, rest, tail = words[:1], words[1:-1], words[-1:]
    while rest and len(" ".join([*head, rest[0]])) <= start:
        head.append(rest.pop(0))
    while rest and len(" ".join([rest[-1], *tail])) <= end:
        tail.insert(0, rest.pop())
    return " ".join([*head, *rest, *tail]) if not rest else f"{' '.join(head)} … {' '.join(tail)}"


def page_points(settings: Settings) -> tuple[float, float]:
    """The reports' page, portrait (width, height) in points: A4, or Letter where the settings say so."""
    return page_size(settings.paper_size)


def action_flag(register: Register, lesion_id: int, held: Standing, change: StandingChange | None) -> str:
    """The lesion's flag as the app's lesion list names it, where something asks for action: "⚠ URGENT" or "⚠ REFER"
    (a result nobody acted on), else "⚠ CHANGED" (a SIGNIFICANT change nobody answered); '' otherwise. An overdue
    follow-up is not one here: the summary's follow-up column says it."""
    return flag_word(needs_action(register, lesion_id, held), change)


def malignant_text(a: Assessment | None, registry: ModelRegistry) -> str | None:
    """An assessed result's malignant chance as the app's tier line prints it (``tier_chances``: "6.9%" beside a
    threshold of 7 %, with the thresholds of the model that made it); None without one."""
    if a is None or not a.assessable or a.malignant_probability is None:
        return None
    return tier_chances(a, model_thresholds(registry, a.model_name, a.model_version))[0]


def patient_summary_data(
    register: Register,
    settings: Settings,
    mrn: str,
    deidentified: bool = False,
    today: dt.date | None = None,
    progress: ProgressFn = no_progress,
    cancel: CancelLike = NEVER,
    registry: ModelRegistry | None = None,
) -> PatientSummaryData:
    today = today or dt.date.today()
    patient = register.patients.by_mrn(mrn)
    registry = registry or ModelRegistry(register.data_dir)  # the thresholds that set how precise a chance reads
    rows = []
    lesions = register.lesions.for_patient(patient.id)
    for i, lesion in enumerate(lesions):
        cancel.raise_if_cancelled()
        progress(i / max(len(lesions), 1) * 0.8, f"lesion {i + 1} of {len(lesions)}")
        held = standing_result(register, lesion.id)  # a later capture not assessable hides no earlier result
        last, a = held.latest, held.stands or held.latest_assessment
        change = baseline_change(register, lesion.id, cancel=cancel)
        standing_change = significant_change(register, lesion.id, change)  # nor a later one that cannot tell
        pictured = held.stands_capture or last  # the image the result shown is of (not a not-assessable retake's)
        thumb = _jpeg(decode_image(register.images.read(pictured.image_sha256)).rgb, THUMB_SIDE) if pictured else None
        rows.append(
            LesionRow(
                lesion.id,
                lesion.site_text,  # with the side from the body map
                lesion.label,
                lesion.status,
                thumb,
                last.taken_at if last else None,
                tier_label(a),
                malignant_text(a, registry),
                change.verdict if change else None,
                lesion_next_follow_up(register, lesion.id, today, held=held, fresh=change),
                lesion.number,
                held.note,
                pictured.decision if pictured else None,
                standing_change.note if standing_change else "",
                lesion.body_view,
                lesion.body_x,
                lesion.body_y,
                action_flag(register, lesion.id, held, standing_change),
                name_parts(replace(lesion, label="") if deidentified else lesion),  # a label may hold a name
            )
        )
    header, info = report_header(settings, deidentified), patient_info(register, patient, deidentified, today)
    return PatientSummaryData(header, info, rows)


def write_lesion_report(
    register: Register,
    settings: Settings,
    lesion_id: int,
    out: Path,
    deidentified: bool = False,
    progress: ProgressFn = no_progress,
    cancel: CancelLike = NEVER,
) -> Path:
    """Build the lesion report and write it to ``out``; a cancel before the end writes nothing."""
    data = lesion_report_data(register, settings, lesion_id, deidentified, progress=progress, cancel=cancel)
    progress(0.9, "laying out the PDF")
    pdf = build_lesion_report(data)
    cancel.raise_if_cancelled()  # the last moment to stop: the file is written whole, or not at all
    return write_pdf(pdf, out)


def write_patient_summary(
    register: Register,
    settings: Settings,
    mrn: str,
    out: Path,
    deidentified: bool = False,
    progress: ProgressFn = no_progress,
    cancel: CancelLike = NEVER,
) -> Path:
    """Build the patient summary and write it to ``out``; a cancel before the end writes nothing."""
    data = patient_summary_data(register, settings, mrn, deidentified, progress=progress, cancel=cancel)
    progress(0.9, "laying out the PDF")
    pdf = build_patient_summary(data)
    cancel.raise_if_cancelled()
    return write_pdf(pdf, out)
