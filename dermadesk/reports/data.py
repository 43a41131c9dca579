"""Plain data a report is built from (the builders never touch the database)."""

from __future__ import annotations

from dataclasses import dataclass, field

from dermadesk.domain.follow_up import FollowUp
from dermadesk.domain.records import Assessment, Capture
from dermadesk.domain.trend import AreaTrend


@dataclass(frozen=True)
class ReportHeader:
    """What every page's header says: clinic, logo, operator, when; and the paper size."""

    clinic_name: str
    clinic_logo: bytes | None
    operator: str
    generated_at: str
    paper_size: str
    deidentified: bool = False  # no clock time anywhere: the PDF's own creation date is a fixed one too


@dataclass(frozen=True)
class PatientInfo:
    name: str
    mrn: str
    birth_date: str | None
    sex: str | None
    deidentified: bool = False
    pseudonym: str = ""
    age_band: str = ""


@dataclass(frozen=True)
class VisitData:
    """One capture with its latest assessment (None: never assessed); the images already sized for print."""

    capture: Capture
    assessment: Assessment | None
    image_jpeg: bytes
    cam_overlay_jpeg: bytes | None = None
    area_mm2: float | None = None
    area_px: float | None = None
    tier_reason: str = ""  # why the risk tier is what it is, in words (services.explain.tier_reason)
    decided: tuple[str, str] | None = None  # who saved the decision, and when (audit stamp); None: not known here
    # the recommendation as the lesion's change shapes it (services.advice), printed instead of the model's; "": the
    # model's own (no SIGNIFICANT change to name)
    advice: str = ""
    advice_warns: bool = False  # the change nobody answered yet: the advice printed as a warning
    # the malignant and melanoma chances as the tier line prints them, in the words of ``tier_reason`` ("19.6%" beside
    # a threshold of 20 %: services.explain.tier_chances); None: whole percent
    chances: tuple[str, str] | None = None
    # where ``assessment`` is None as the one made before its modality was corrected is out of date, that in words
    # (services.modality.outdated_words): said instead of "not assessed"
    outdated: str = ""


@dataclass(frozen=True)
class ComparisonData:
    verdict: str
    reasons: list[str]
    interval_days: int | None
    area_change_percent: float | None
    diameter_change_percent: float | None
    delta_e: float | None
    new_colours: list[str]
    baseline_date: str
    followup_date: str
    area_line: str = ""  # each capture's area in one unit, and which change the verdict used (services.explain)
    baseline_id: int | None = None  # the baseline capture's id, to name it as the app does
    cut_off: bool = False  # the lesion reaches the edge of an image: less area in view is no shrinking (figures line)


@dataclass(frozen=True)
class ModelFacts:
    name: str
    version: str
    balanced_accuracy: float | None
    malignant_sensitivity: float | None
    malignant_specificity: float | None
    auroc: float | None
    split: str
    # the share of benign test lesions referred (tier refer or urgent), pooled then per source name
    benign_referred: float | None = None
    benign_referred_per_source: dict[str, float] = field(default_factory=dict)
    malignant_referred: float | None = None  # the share of malignant test lesions referred, pooled
    malignant_referred_per_source: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class LesionReportData:
    header: ReportHeader
    patient: PatientInfo
    lesion_id: int
    site: str
    label: str
    status: str
    body_view: str | None
    body_x: float | None
    body_y: float | None
    visits: list[VisitData]  # oldest first; the last one is the visit reported
    comparison: ComparisonData | None
    model: ModelFacts | None
    lesion_number: int | None = None  # the patient's "Lesion 2" (``lesion_id`` is the database id)
    # "latest capture not assessable; last assessable result: URGENT on 10 Mar 2026" (services.standing)
    standing_note: str = ""
    # an earlier capture's SIGNIFICANT change nobody answered, which the reported visit's comparison does not tell:
    # "significant change on 3 Mar 2026 (area grew by 44%); latest capture's change: cannot tell" (services.standing)
    change_note: str = ""
    # the area at each visit as the app's trend chart plots it: in mm², or the area change since the baseline in %
    # (``services.stored_comparisons.area_trend``); None: not measured
    area: AreaTrend | None = None
    # its name, as the app names it (domain.lesion_name.name_parts): number, label (none de-identified), site
    name: tuple[str, ...] = ()
    # the lesion's flag as the app's lesion list raises it, why in a report's words (services.attention.report_flag):
    # "⚠ CHANGED", "significant change on 15 Oct 2025 (...); not yet answered by a clinician's decision"; "": none
    flag: str = ""
    flag_why: str = ""
    # URGENT or REFER results a decision 'monitor' or 'discharge' on a later capture answered (services.standing_result
    # ``Standing.answered``): (the result's capture id, its tier, the deciding capture's id, its decision)
    answered: tuple[tuple[int, str, int, str], ...] = ()
    # when to see the lesion next, as the patient summary says it (services.follow_up.lesion_follow_up); None: not known
    next_follow_up: FollowUp | None = None


@dataclass(frozen=True)
class LesionRow:
    lesion_id: int
    site: str
    label: str
    status: str
    thumbnail_jpeg: bytes | None
    latest_date: str | None
    latest_tier: str | None
    latest_malignant: str | None  # its chance as the app prints it ("6.9%": services.explain.tier_chances)
    latest_verdict: str | None
    next_follow_up: FollowUp  # its date worded by the summary (OVERDUE in red where it has passed)
    number: int | None = None  # the patient's "Lesion 2"
    standing_note: str = ""  # the tier above is an earlier capture's: the latest one is not assessable
    decision: str | None = None  # the clinician's decision on the capture whose result is shown
    change_note: str = ""  # a SIGNIFICANT change nobody answered, as the app's lesion list says it
    body_view: str | None = None  # where the lesion is on the body map ("front" or "back"; None: not placed)
    body_x: float | None = None
    body_y: float | None = None
    flag: str = ""  # "⚠ URGENT", "⚠ REFER" (a result nobody acted on) or "⚠ CHANGED", as the app's lesion list flags it
    name: tuple[str, ...] = ()  # domain.lesion_name.name_parts: number, label (none de-identified), site


@dataclass(frozen=True)
class PatientSummaryData:
    header: ReportHeader
    patient: PatientInfo
    lesions: list[LesionRow] = field(default_factory=list)
