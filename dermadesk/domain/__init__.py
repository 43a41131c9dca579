"""Plain data shared by every layer: vocabularies, records and errors (no I/O here)."""

from dermadesk.domain.errors import (BadImageError, Cancelled, DermaDeskError, DuplicateError, IntegrityError,
                                     ModelError, NotFoundError, PassphraseError, RegisterVersionError,
                                     ValidationError)
from dermadesk.domain.records import (DECISIONS, LESION_STATUSES, MODALITIES, POLARISATIONS, SEXES, SITES,
                                      SKIN_TYPES, Assessment, AuditEntry, Capture, Comparison, Lesion, Patient)

__all__ = [
    "Assessment", "AuditEntry", "BadImageError", "Cancelled", "Capture", "Comparison", "DECISIONS", "DermaDeskError",
    "DuplicateError", "IntegrityError", "LESION_STATUSES", "Lesion", "MODALITIES", "ModelError", "NotFoundError",
    "POLARISATIONS", "PassphraseError", "Patient", "RegisterVersionError", "SEXES", "SITES", "SKIN_TYPES",
    "ValidationError",
]
