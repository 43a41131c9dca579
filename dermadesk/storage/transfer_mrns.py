"""Which patient here a package patient is (``match_patient``), and a package patient whose MRN is another person's
here: two clinics that gave the same number to different people.

Such a patient is never merged into the one here. Unanswered it is a conflict, left out and listed, with a free MRN
suggested ("P-1-2": the MRN and the first free "-2", "-3"..., held neither here nor in the package). Answered
(``Answers.renames``: package uid -> MRN, in the preview or with ``--rename-mrn OLD=NEW``, split where OLD is an MRN
of the package: ``split_rename``) it is imported as a new patient under that MRN; its "import" audit row says so
(``renamed``: {package_mrn, mrn, why}). From then on the same package patient is recognised by its uid as that
patient here, whatever MRN the package gives it, and so is this register's patient in a package from there: the
other register's rename is in the history the package carries. A patient held here under another MRN without such a
rename (its MRN changed by hand in one register) is still a conflict, as before.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import AbstractSet, Any, Iterable, Mapping

from dermadesk.domain.errors import DermaDeskError, ValidationError
from dermadesk.storage.repositories import Patients
from dermadesk.storage.transfer_agreed import audit_after
from dermadesk.storage.transfer_names import deleted_here, identity_problem, key

IMPORT_MENU = "File > Import patients from another workstation..."


@dataclass
class Match:
    """A package patient against this register: ``here``, the patient it is (None: new); ``problem``, why it is
    left out ("" when not); ``mrn``, the MRN it has or gets here where that differs from the package's; ``suggested``,
    a free MRN to import it under where its MRN is another patient's here; ``why``, why it was so renamed."""

    here: sqlite3.Row | None
    problem: str = ""
    mrn: str = ""
    suggested: str = ""
    why: str = ""


def renamed_from(entries: Iterable[Mapping[str, Any]]) -> set[str]:
    """The package MRNs (``key``) that audit entries say a patient was imported under another MRN from."""
    found = set()
    for entry in entries:
        renamed = audit_after(entry).get("renamed") if entry.get("action") == "import" else None
        if isinstance(renamed, dict) and renamed.get("package_mrn"):
            found.add(key(str(renamed["package_mrn"])))
    return found


def mrn_problem(db: Any, mrn: str, package: set[str], claimed: Iterable[str] = ()) -> str:
    """Why ``mrn`` cannot be a new patient's here ("" when it can): not an MRN, held here (a deleted patient too),
    another patient's in the package (``package``: its MRNs, ``key``), or chosen for another patient already."""
    try:
        mrn = Patients.clean({"mrn": mrn})["mrn"]
    except DermaDeskError as exc:
        return str(exc)
    held = db.one("SELECT name, deleted_at FROM patients WHERE mrn = ? COLLATE NOCASE LIMIT 1", (mrn,))
    if held is not None:
        return f"MRN {mrn} is held here by {'a deleted patient' if held[1] else repr(held[0])}"
    if key(mrn) in package:
        return f"MRN {mrn} is another patient's in the package"
    if key(mrn) in {key(c) for c in claimed}:
        return f"MRN {mrn} is chosen for another patient of the package"
    return ""


def suggest_mrn(db: Any, mrn: str, package: set[str], claimed: Iterable[str] = ()) -> str:
    """The first of "P-1-2", "P-1-3", ... that can be a new patient's MRN here."""
    taken = list(claimed)
    for n in range(2, 1000):
        candidate = f"{mrn}-{n}"
        if not mrn_problem(db, candidate, package, taken):
            return candidate
    return ""


def match_patient(
    db: Any,
    row: Mapping[str, Any],
    package: set[str],
    history: list[Any],
    renames: Mapping[str, str],
    offered: set[str],
) -> Match:
    """Which patient here the package patient ``row`` is, or why it is left out, or the MRN it is imported under.
    ``package``: the package's MRNs (``key``); ``history``: its audit entries in the package; ``renames``: the answers
    (package uid -> MRN); ``offered``: MRNs suggested to other package patients of this import (added to)."""
    mrn = str(row.get("mrn") or "")
    by_mrn = db.one("SELECT * FROM patients WHERE mrn = ? COLLATE NOCASE ORDER BY mrn = ? DESC, id LIMIT 1", (mrn, mrn))
    by_uid = db.one("SELECT * FROM patients WHERE uid = ?", (row["uid"],))
    if by_uid is not None and (by_mrn is None or by_mrn["id"] != by_uid["id"]):
        entries = db.query(
            "SELECT action, after FROM audit_log WHERE entity = 'patient' AND entity_id = ?", (by_uid["id"],)
        )
        if key(mrn) in renamed_from(dict(e) for e in entries) or key(by_uid["mrn"]) in renamed_from(history):
            if by_uid["deleted_at"]:
                return Match(None, deleted_here("patient", by_uid["deleted_at"]))
            return Match(by_uid, mrn=by_uid["mrn"])  # imported under another MRN before (here or there)
        return Match(None, f"this register holds the same patient record under MRN {by_uid['mrn']}")  # never renamed
    if by_mrn is None:
        return Match(None)
    if by_mrn["deleted_at"]:
        return Match(None, deleted_here("patient", by_mrn["deleted_at"]))
    problem = identity_problem(by_mrn, row)
    if not problem:
        return Match(by_mrn)
    new, others = renames.get(row["uid"]), [m for uid, m in renames.items() if uid != row["uid"]]
    refused = mrn_problem(db, new, package, others) if new else ""
    if new and not refused:
        born = f", born {by_mrn['birth_date']}" if by_mrn["birth_date"] else ""
        why = f"MRN {mrn} is another patient's here: {by_mrn['name']!r}{born}"
        return Match(None, mrn=Patients.clean({"mrn": new})["mrn"], why=why)
    suggested = suggest_mrn(db, mrn, package, [*renames.values(), *offered])
    offered.add(suggested)
    if refused:  # taken since it was chosen: left out, and said so
        problem += f"; {refused}, so it was not imported under it"
    return Match(None, problem, suggested=suggested)


def split_rename(pair: str, package: AbstractSet[str]) -> tuple[str, str]:
    """OLD and NEW of ``--rename-mrn OLD=NEW``. An MRN may hold "=", so it is split at the "=" before which stands an
    MRN of the package (``package``: its MRNs, ``key``): "AB=12=P-9" is AB=12 -> P-9 where the package holds AB=12.
    ValidationError where no "=" does, or more than one (it holds AB and AB=12): ambiguous, never guessed (a wrong
    guess would import a patient under an MRN nobody meant)."""
    splits = [(pair[:i], pair[i + 1 :]) for i, c in enumerate(pair) if c == "="]
    splits = [(old, new) for old, new in splits if old.strip() and new.strip()]
    if not splits:
        raise ValidationError(f"--rename-mrn takes OLD=NEW (the MRN in the package, then the new one), not {pair!r}")
    found = [(old, new) for old, new in splits if key(old) in package]
    if len(found) > 1:
        readings = " or ".join(f"{old.strip()} → {new.strip()}" for old, new in found)
        raise ValidationError(
            f"--rename-mrn {pair} is ambiguous: it reads {readings}, and the package holds each of those MRNs; "
            f"give the new MRN in the import preview instead ({IMPORT_MENU})"
        )
    if not found:
        olds = " or ".join(old.strip() for old, _ in splits)
        raise ValidationError(f"the package holds no patient with MRN {olds}")
    return found[0]


def rename_option(rows: list[dict[str, Any]]) -> dict[str, str]:
    """The ``--rename-mrn OLD=NEW`` that imports each package patient awaiting a new MRN under the one suggested
    (``rows``: the plan's patients as plain data; by package MRN), or "" where ``split_rename`` cannot read it so."""
    package = {key(p["mrn"]) for p in rows}
    options = {}
    for p in (p for p in rows if p["suggested"]):
        option = f"{p['mrn']}={p['suggested']}"
        try:
            readable = split_rename(option, package) == (p["mrn"], p["suggested"])
        except ValidationError:
            readable = False
        options[p["mrn"]] = option if readable else ""
    return options


def renames_given(patients: Iterable[Any], db: Any, pairs: Iterable[str]) -> dict[str, str]:
    """``--rename-mrn OLD=NEW`` answers (``split_rename``) as ``Answers.renames`` (package uid -> MRN), checked
    against a plan's patients (``PatientPlan``: OLD must be one whose MRN is another patient's here);
    ValidationError otherwise."""
    patients = list(patients)
    package = {key(p.mrn) for p in patients}
    chosen: dict[str, str] = {}
    for pair in pairs:
        old, new = split_rename(pair, package)
        [p] = [p for p in patients if key(p.mrn) == key(old)][:1]
        if p.renamed and not p.suggested:
            raise ValidationError(
                f"patient {p.mrn} of the package is patient {p.renamed} here already: nothing to rename"
            )
        if not p.suggested:
            raise ValidationError(
                f"patient {p.mrn} of the package is not one whose MRN is another patient's here: nothing to rename"
            )
        problem = mrn_problem(db, new, package, chosen.values())
        if problem:
            raise ValidationError(f"{problem}: choose another MRN for patient {p.mrn} (free: {p.suggested})")
        chosen[p.uid] = new.strip()
    return chosen
