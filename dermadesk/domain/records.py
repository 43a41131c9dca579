"""Vocabularies and frozen records for patients, lesions, captures, assessments and comparisons."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from typing import Any

from dermadesk.domain.bodymap import site_with_side
from dermadesk.domain.dates import MONTHS, WRITTEN_DATE, date_readings
from dermadesk.domain.errors import ValidationError

# ISIC anatom_site_general vocabulary.
SITES: tuple[str, ...] = (
    "head/neck",
    "upper extremity",
    "lower extremity",
    "anterior torso",
    "posterior torso",
    "lateral torso",
    "palms/soles",
    "oral/genital",
)
SEXES: tuple[str, ...] = ("female", "male", "other", "unknown")
SKIN_TYPES: tuple[str, ...] = ("I", "II", "III", "IV", "V", "VI")
LESION_STATUSES: tuple[str, ...] = ("monitoring", "excised", "referred", "discharged")
MODALITIES: tuple[str, ...] = ("dermoscopic", "clinical")
POLARISATIONS: tuple[str, ...] = ("polarised", "non-polarised", "unknown")  # "unknown": a choice, stored as such
NOT_RECORDED = "not recorded"  # a capture's field nobody entered (stored as none): polarisation, magnification, scale
DECISIONS: tuple[str, ...] = ("monitor", "excise", "refer", "discharge")
RECHECK_MONTHS = range(1, 61)  # a 'monitor' decision's re-check interval, whole months (``Capture.recheck_months``)


def check_choice(value: str | None, allowed: tuple[str, ...], what: str, optional: bool = True) -> str | None:
    """Normalise a vocabulary value (case-insensitive) or raise ValidationError listing the choices."""
    if value is None or value == "":
        if optional:
            return None
        raise ValidationError(f"{what} is required (one of: {', '.join(allowed)})")
    for choice in allowed:
        if value.strip().lower() == choice.lower():
            return choice
    raise ValidationError(f"unknown {what} {value!r}; use one of: {', '.join(allowed)}")


def check_recheck(months: int | str | None, decision: str | None) -> int | None:
    """A 'monitor' decision's re-check interval in whole months (1..60), or None: the tier's interval stands. Refused
    with another decision, or none: the interval is the clinician's 'monitor' decision's, nothing else's."""
    if months is None or months == "":
        return None
    try:
        value = int(str(months).strip())
    except ValueError:
        raise ValidationError(f"re-check interval {months!r} is not a whole number of months (1 to 60)") from None
    if value not in RECHECK_MONTHS:
        raise ValidationError(f"re-check interval {value} months is out of range: give 1 to 60 months")
    if decision != "monitor":
        now = f"the decision is {decision!r}" if decision else "no decision is given"
        raise ValidationError(f"a re-check interval goes with the decision 'monitor' only ({now}): leave it out")
    return value


def check_date(value: str | None, what: str) -> str | None:
    """ISO date YYYY-MM-DD, not in the future; None stays None."""
    if value is None or value == "":
        return None
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        form = len(value.strip()) == 10 and value.strip()[4::3] == "--" and value.strip().replace("-", "").isdigit()
        raise ValidationError(
            f"{what} {value!r} is not " + ("a real date" if form else "a date in the form YYYY-MM-DD")
        ) from None
    if day > dt.date.today():
        raise ValidationError(f"{what} {value} is in the future")
    return day.isoformat()


EARLIEST_BIRTH = dt.date(1900, 1, 1)
BIRTH_DATE_FORMS = "YYYY-MM-DD, or 12.03.1961 (day first), or 12 Mar 1961"  # what ``check_birth_date`` takes


def check_birth_date(value: str | None) -> str | None:
    """A birth date as ISO (YYYY-MM-DD): typed so, or as 12.03.1961 (day first) or 12 Mar 1961, or with slashes
    where only one reading is a date (31/12/1999); 12/03/1961 (12 March or 3 December?) is refused. Not in the
    future, not before 1900 (a year typed wrong)."""
    text = (value or "").strip()
    if not text:
        return None
    written = WRITTEN_DATE.fullmatch(text)
    if written and not written["iy"] and written["sep"] != "-":  # ISO (and 12-03-1961) as check_date takes them
        readings = date_readings(written)
        if not readings:
            raise ValidationError(f"birth date {value!r} is not a real date")
        if len(readings) > 1:
            first, second = (f"{d.day} {MONTHS[d.month - 1]}" for d in readings)
            day_first, year = readings[0], readings[0].year
            raise ValidationError(
                f"birth date {text} could be {first} or {second} {year}: type it as YYYY-MM-DD "
                f"({day_first.isoformat()}) or day first as {day_first.day:02d}.{day_first.month:02d}.{year}"
            )
        text = readings[0].isoformat()
    try:
        day = check_date(text, "birth date")
    except ValidationError as exc:  # a form it does not know: name those it takes, not only the ISO one
        if "in the form" not in str(exc):
            raise
        raise ValidationError(f"{exc} (or 12.03.1961, or 12 Mar 1961)") from None
    if day is not None and day < EARLIEST_BIRTH.isoformat():
        raise ValidationError(f"birth date {day} is before 1900: check the year")
    return day


def check_after_birth(taken: str | None, birth_date: str | None) -> None:
    """ValidationError when a typed capture date is before the patient's birth date (a typo that would make the
    capture the lesion's baseline)."""
    if taken and birth_date and taken[:10] < birth_date[:10]:
        raise ValidationError(f"capture date {taken[:10]} is before the patient's birth date ({birth_date[:10]})")


def check_taken_at(value: str | None, what: str = "capture date") -> str:
    """A capture's date (YYYY-MM-DD, not in the future), or the date and time an import stored (ISO)."""
    text = str(value or "").strip()
    try:
        timed = len(text) > 10 and bool(dt.datetime.fromisoformat(text))
    except ValueError:
        timed = False
    day = check_date(text[:10] if timed else text, what)
    if day is None:
        raise ValidationError(f"{what} is required")
    return text if timed else day


@dataclass(frozen=True)
class Patient:
    id: int
    mrn: str
    name: str
    birth_date: str | None = None
    sex: str | None = None
    skin_type: str | None = None
    notes: str = ""
    deleted_at: str | None = None


@dataclass(frozen=True)
class Lesion:
    id: int
    patient_id: int
    site: str
    label: str = ""
    status: str = "monitoring"
    body_view: str | None = None  # "front" or "back"
    body_x: float | None = None  # 0..1 across the body-map drawing
    body_y: float | None = None
    deleted_at: str | None = None
    number: int | None = None  # within the patient, in creation order, never given out again (migration m010)

    @property
    def title(self) -> str:
        """What a user calls it: "Lesion 2" (the database id stays for the command line)."""
        return f"Lesion {self.number}" if self.number is not None else f"Lesion (id {self.id})"

    @property
    def site_text(self) -> str:
        """The site as shown to a person, with the patient's side from the body map: "upper extremity (left)"."""
        return site_with_side(self.site, self.body_view, self.body_x)

    @property
    def sided_site(self) -> str:
        """The same for text already in brackets: "left upper extremity"."""
        return site_with_side(self.site, self.body_view, self.body_x, before=True)


@dataclass(frozen=True)
class Capture:
    id: int
    lesion_id: int
    taken_at: str
    image_sha256: str
    width: int
    height: int
    file_size: int
    image_format: str
    modality: str = "dermoscopic"
    polarisation: str | None = None
    magnification: float | None = None
    mm_per_px: float | None = None
    operator: str = ""
    notes: str = ""
    original_name: str = ""
    decision: str | None = None
    clinician_notes: str = ""
    recheck_months: int | None = None  # a 'monitor' decision's re-check interval, months; None: the tier's
    deleted_at: str | None = None


@dataclass(frozen=True, kw_only=True)
class Assessment:
    """One model's assessment of one image: the one record from the engine to the register, CLI and report.

    The engine makes it (``inference.engine.Result`` adds what only the engine has); the register stores its
    fields as one ``assessments`` row and fills in the fields below the line. ``status`` is "assessed" or
    "not assessable" (``status_reasons`` say why and what to do next): then ``risk_tier`` and
    ``recommendation`` are None, and with invalid model output ``probabilities`` is empty too.
    """

    model_name: str
    model_version: str
    provider: str
    probabilities: dict[str, float]
    top_class: str
    malignant_probability: float | None
    melanoma_probability: float | None
    risk_tier: str | None  # None when not assessable
    recommendation: str | None
    quality: dict[str, Any] = field(default_factory=dict)  # analysis.quality.QualityReport.to_dict()
    ood_score: float | None = 0.0
    ood_flag: bool = False
    status: str = "assessed"  # or "not assessable" (contract.ASSESSMENT_STATUSES)
    status_reasons: list[str] = field(default_factory=list)
    modality: str | None = None  # the capture modality it was made for (``Assessments.latest``: current or not)
    # -- set when stored ----------------------------------------------------------------------------------
    id: int = 0
    capture_id: int = 0
    cam_sha256: str | None = None
    created_at: str = ""

    @property
    def assessable(self) -> bool:
        return self.status == "assessed"

    @property
    def quality_status(self) -> str:
        return str(self.quality.get("status", "pass"))

    @property
    def quality_problems(self) -> list[str]:
        """The quality checks that did not pass, in words."""
        return [c["message"] for c in self.quality.get("checks", []) if c.get("status") != "pass"]


STORED_BY_REGISTER = ("id", "capture_id", "cam_sha256", "created_at")  # Assessment fields the register fills


def assessment_values(assessment: Assessment) -> dict[str, Any]:
    """The fields of ``assessment`` that the engine sets (the register adds those in STORED_BY_REGISTER)."""
    return {f.name: getattr(assessment, f.name) for f in fields(Assessment) if f.name not in STORED_BY_REGISTER}


@dataclass(frozen=True)
class Comparison:
    id: int
    lesion_id: int
    baseline_capture_id: int
    followup_capture_id: int
    interval_days: int | None
    verdict: str
    reasons: list[str]
    metrics: dict[str, Any]
    transform: list[list[float]] | None = None
    created_at: str = ""


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    actor: str
    action: str
    entity: str
    entity_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
