"""Before a patient is added (or a patient's name or birth date changed): patients who may already be that person,
so that a lesion history is not split over two records. The app asks (open the existing patient, add anyway,
cancel), the command line refuses unless told to add anyway.

Likely: born the same day, and the name the same (accents, case, punctuation, word order, Latin or Cyrillic/Greek
spelling ignored) or alike (fewer names, or an initial for one: "J. Nunez" for José Antonio Núñez); see
``domain.names``. Deleted patients count too: the words say so, and how to restore one. Without a birth date
nothing is looked for (a name alone is shared by too many people)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dermadesk.domain.dates import human_date
from dermadesk.domain.errors import NotFoundError, ValidationError
from dermadesk.domain.names import SAME
from dermadesk.domain.records import Patient
from dermadesk.storage.duplicates import likely_same
from dermadesk.storage.register import Register

TWIN = "if this is another person (e.g. a twin), add anyway"
MOST_NAMED = 5  # patients named in a message; more are counted


@dataclass(frozen=True)
class Likely:
    """A patient who may be the one being added, and whether the name is the same (else alike)."""

    patient: Patient
    same_name: bool

    @property
    def why(self) -> str:
        return "same name and birth date" if self.same_name else "similar name, same birth date"


def likely_duplicates(
    register: Register, name: str, birth_date: str | None, other_than: int | None = None
) -> list[Likely]:
    """The patients who may be the one named (the most likely first), other than ``other_than`` (the patient being
    edited); [] without a birth date, or where the name or birth date is not valid (saving it says why)."""
    try:
        values = register.patients.clean({"name": name, "birth_date": birth_date})
    except ValidationError:
        return []
    if values["birth_date"] is None:
        return []
    found = likely_same(register.database, values["name"], values["birth_date"], other_than)
    patients = register.patients.get_many([id_ for id_, _ in found])
    return [Likely(p, how == SAME) for p, (_, how) in zip(patients, found)]


def likely_before_adding(register: Register, values: Mapping[str, Any]) -> list[Likely]:
    """``likely_duplicates`` of a new patient (``add_patient``'s values); [] where adding it would be refused
    anyway (a value not valid, the MRN taken), so that the refusal is said first, not a question."""
    try:
        clean = register.patients.clean(dict(values))
        register.patients.by_mrn(clean.get("mrn") or "", include_deleted=True)
        return []  # the MRN is taken: adding says so
    except ValidationError:
        return []
    except NotFoundError:
        pass
    return likely_duplicates(register, clean["name"], clean.get("birth_date"))


def patient_words(p: Patient) -> str:
    """'C-1001 José Núñez, born 12 Mar 1961'."""
    return f"{p.mrn} {p.name}" + (f", born {human_date(p.birth_date)}" if p.birth_date else "")


def likely_lines(found: list[Likely], restore: str) -> list[str]:
    """A line per patient (the first ``MOST_NAMED``, then how many more), a deleted one with how to restore it:
    ``restore`` with {mrn} where the patient's MRN goes."""
    lines = [
        f"{patient_words(f.patient)} ({f.why})"
        + (f" — deleted: {restore.format(mrn=f.patient.mrn)}" if f.patient.deleted_at else "")
        for f in found[:MOST_NAMED]
    ]
    if len(found) > MOST_NAMED:
        lines.append(f"and {len(found) - MOST_NAMED} more born that day with a name alike")
    return lines
