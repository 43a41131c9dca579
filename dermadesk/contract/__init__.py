"""The model contract shared by the app and ``training/``.

One class list, one preprocessing function and one manifest schema, so that the model training
writes and the model the app loads agree by construction. This package imports only numpy (and
OpenCV, lazily, for resizing) and the standard library: ``training`` may import it, and nothing
here may import the rest of ``dermadesk``. ``from dermadesk.contract import X`` is the way in:

- ``classes``: class list, risk tiers and recommendations, the assessment status rule;
- ``preprocessing``: the input spec and the one preprocessing function;
- ``manifest``: thresholds, out-of-distribution statistics and the model manifest;
- ``evaluation``: the manifest's typed evaluation summary.
"""

from dermadesk.contract.classes import (
    ASSESSED,
    ASSESSMENT_STATUSES,
    CLASS_CODES,
    CLASSES,
    DISCLAIMER,
    MALIGNANT_CODES,
    MALIGNANT_MASK,
    MELANOMA_INDEX,
    NOT_ASSESSABLE,
    NOT_ASSESSABLE_NOTE,
    NOT_ASSESSABLE_REASONS,
    OOD_WARNING,
    RECOMMENDATIONS,
    RISK_TIERS,
    TIER_ACTIONS,
    NO_HEAT_MAP_NOTE,
    PROBABILITIES_WITHHELD_NOTE,
    AssessmentStatus,
    ClassInfo,
    assessment_status,
    not_assessable_reason,
    output_problem,
)
from dermadesk.contract.errors import ContractError
from dermadesk.contract.evaluation import EvaluationSummary, OperatingPoint
from dermadesk.contract.manifest import (
    INPUT_NAME,
    MANIFEST_SCHEMA_VERSION,
    OUTPUT_NAMES,
    ModelManifest,
    OODStats,
    RiskThresholds,
    sha256_file,
)
from dermadesk.contract.preprocessing import (
    COLOUR_CONSTANCY,
    DARK_FRAME_LEVEL,
    POSES,
    SHADES_OF_GREY_P,
    InputSpec,
    View,
    apply_view,
    canonical_view,
    normalise,
    preprocess,
    preprocess_with_view,
    resize_rgb,
    shades_of_grey,
    softmax,
    undo_view,
)

__all__ = [
    "ASSESSED",
    "ASSESSMENT_STATUSES",
    "CLASSES",
    "CLASS_CODES",
    "COLOUR_CONSTANCY",
    "ContractError",
    "DARK_FRAME_LEVEL",
    "DISCLAIMER",
    "EvaluationSummary",
    "INPUT_NAME",
    "InputSpec",
    "MALIGNANT_CODES",
    "MALIGNANT_MASK",
    "MANIFEST_SCHEMA_VERSION",
    "MELANOMA_INDEX",
    "ModelManifest",
    "NOT_ASSESSABLE",
    "NOT_ASSESSABLE_NOTE",
    "NOT_ASSESSABLE_REASONS",
    "OODStats",
    "OOD_WARNING",
    "OUTPUT_NAMES",
    "OperatingPoint",
    "RECOMMENDATIONS",
    "RISK_TIERS",
    "TIER_ACTIONS",
    "RiskThresholds",
    "POSES",
    "SHADES_OF_GREY_P",
    "View",
    "NO_HEAT_MAP_NOTE",
    "PROBABILITIES_WITHHELD_NOTE",
    "AssessmentStatus",
    "ClassInfo",
    "assessment_status",
    "apply_view",
    "canonical_view",
    "normalise",
    "not_assessable_reason",
    "output_problem",
    "preprocess",
    "preprocess_with_view",
    "resize_rgb",
    "sha256_file",
    "shades_of_grey",
    "softmax",
    "undo_view",
]
