"""The class list, risk tiers and the assessment status rule every surface shows."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ClassInfo:
    """One diagnostic class of the HAM10000 label set."""

    code: str
    name: str
    isic_term: str
    malignant: bool
    short: str  # a word or two a nurse reads, where the full name does not fit (the app's compact bars)


CLASSES: tuple[ClassInfo, ...] = (
    ClassInfo(
        "akiec",
        "Actinic keratosis / intraepithelial carcinoma",
        "Actinic keratosis; Squamous cell carcinoma in situ",
        True,
        short="AK / IEC",
    ),
    ClassInfo("bcc", "Basal cell carcinoma", "Basal cell carcinoma", True, short="BCC"),
    ClassInfo(
        "bkl",
        "Benign keratosis-like lesion",
        "Seborrheic keratosis; Solar lentigo; Lichen planus like keratosis",
        False,
        short="benign ker.",
    ),
    ClassInfo("df", "Dermatofibroma", "Dermatofibroma", False, short="dermatofib."),
    ClassInfo("mel", "Melanoma", "Melanoma", True, short="melanoma"),
    ClassInfo("nv", "Melanocytic nevus", "Nevus", False, short="nevus"),
    ClassInfo("vasc", "Vascular lesion", "Vascular lesion", False, short="vascular"),
)
CLASS_CODES: tuple[str, ...] = tuple(c.code for c in CLASSES)
MALIGNANT_CODES: tuple[str, ...] = tuple(c.code for c in CLASSES if c.malignant)
MALIGNANT_MASK: np.ndarray = np.array([c.malignant for c in CLASSES], dtype=bool)
MELANOMA_INDEX = CLASS_CODES.index("mel")

# Risk tiers from least to most concerning, with plain-language advice that never claims a diagnosis.
RISK_TIERS: tuple[str, ...] = ("low", "monitor", "refer", "urgent")
RECOMMENDATIONS: dict[str, str] = {
    "low": "Low estimated risk. Routine care: re-check in about 12 months, sooner if the lesion changes or the "
    "patient is worried.",
    "monitor": "Somewhat raised estimated risk. Consider short-term dermoscopic follow-up (about 3 months).",
    "refer": "Raised estimated risk of malignancy. Consider referral for specialist review.",
    "urgent": "High estimated risk of malignancy. Consider urgent specialist review.",
}
# each recommendation's action in a few words (the line under the tier where the text pane is small); one edit
# changes both: tests/inference/test_contract.py checks that each names its recommendation's action and interval
TIER_ACTIONS: dict[str, str] = {
    "urgent": "Consider urgent specialist review",
    "refer": "Consider referral for specialist review",
    "monitor": "Consider follow-up in about 3 months",
    "low": "Routine care, re-check in about 12 months",
}
OOD_WARNING = (
    "OUT OF DISTRIBUTION: this image is unlike the images the model was trained on; the estimate may be meaningless."
)

# An assessment's status: a tier and a recommendation are given only when "assessed".
ASSESSED, NOT_ASSESSABLE = "assessed", "not assessable"
ASSESSMENT_STATUSES: tuple[str, ...] = (ASSESSED, NOT_ASSESSABLE)
NOT_ASSESSABLE_NOTE = (
    "NOT ASSESSABLE: no risk tier and no recommendation are given for this image. This is not "
    "'low risk': the lesion has not been assessed."
)
# for a NOT ASSESSABLE image the app and the CLI show no class probabilities and no heat map, as the printed report
# (a clinician read "malignant 0.07" or a tidy hotspot on a declined image as reassurance)
PROBABILITIES_WITHHELD_NOTE = "Class probabilities are not shown for an image the model cannot back."
NO_HEAT_MAP_NOTE = "No heat map: the image is not assessable."
# reason code -> (what happened, what to do next)
NOT_ASSESSABLE_REASONS: dict[str, tuple[str, str]] = {
    "quality": (
        "the image failed the quality check ({detail})",
        "retake the image in focus, evenly lit and exposed, with the whole lesion in view",
    ),
    "greyscale": (
        "the image has no colour (greyscale); dermoscopy needs a colour image",
        "import the colour original, or retake the image in colour",
    ),
    "out_of_distribution": (
        "the image is unlike the dermoscopic images the model was validated on",
        "retake it with a dermatoscope; an image that is not a skin lesion cannot be assessed",
    ),
    "modality": (
        "this model was validated on {supported} images only, and this capture is {detail}",
        "capture the lesion with a dermatoscope, or install a model validated on {detail} images",
    ),
    "invalid_output": (
        "the model gave invalid output ({detail})",
        "reinstall or replace the model (dermadesk models --install PATH/TO/MANIFEST.json); report the problem",
    ),
}


@dataclass(frozen=True)
class AssessmentStatus:
    """``assessed``, or ``not assessable`` with reason codes and plain sentences (each with a next step)."""

    status: str
    codes: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()

    @property
    def assessable(self) -> bool:
        return self.status == ASSESSED


def not_assessable_reason(code: str, detail: str = "", supported: str = "") -> str:
    what, then = NOT_ASSESSABLE_REASONS[code]
    return f"{what.format(detail=detail, supported=supported)}: {then.format(detail=detail, supported=supported)}"


def assessment_status(
    quality_failures: list[str],
    ood_flag: bool,
    modality: str,
    modalities: tuple[str, ...],
    output_problem: str = "",
    greyscale: bool = False,
) -> AssessmentStatus:
    """The one rule every surface shows: any failed quality check, an out-of-distribution image, a modality
    the model was not validated on, or invalid model output withholds the tier and the recommendation. A
    ``greyscale`` image is said so (its cause and next step), not called "unlike the validated images"."""
    found: list[tuple[str, str]] = []
    if output_problem:
        found.append(("invalid_output", not_assessable_reason("invalid_output", output_problem)))
    if modality not in modalities:
        found.append(("modality", not_assessable_reason("modality", modality, " / ".join(modalities))))
    if greyscale:
        found.append(("greyscale", not_assessable_reason("greyscale")))
    if quality_failures:
        found.append(("quality", not_assessable_reason("quality", "; ".join(quality_failures))))
    if ood_flag and not greyscale:  # the missing colour is why the image looks unlike the validated ones
        found.append(("out_of_distribution", not_assessable_reason("out_of_distribution")))
    if not found:
        return AssessmentStatus(ASSESSED)
    return AssessmentStatus(NOT_ASSESSABLE, tuple(c for c, _ in found), tuple(r for _, r in found))


def output_problem(
    logits: np.ndarray, probabilities: np.ndarray, cams: np.ndarray | None, classes: int = len(CLASS_CODES)
) -> str:
    """Why one image's model output is unusable ("" when it is fine): shape, non-finite, not normalised."""
    if logits.shape != (classes,) or probabilities.shape != (classes,):
        return f"expected {classes} class scores, got shape {tuple(logits.shape)}"
    if not np.isfinite(logits).all() or not np.isfinite(probabilities).all():
        return "scores that are not finite numbers (NaN or infinity)"
    if abs(float(probabilities.sum()) - 1.0) > 1e-3 or probabilities.min() < 0:
        return f"probabilities summing to {float(probabilities.sum()):.3f}, not 1"
    if cams is None or cams.ndim != 3 or cams.shape[0] != classes or not np.isfinite(cams).all():
        return "a missing or invalid heat map (cams)"
    return ""


DISCLAIMER = (
    "DermaDesk is decision support, not a diagnosis. Its estimates can be wrong; "
    "the clinician examining the patient makes every clinical decision."
)
