"""The register export readable on its own: each row says its patient's MRN and its lesion's number (not only
database ids) and its lesion's site and side, a capture its place in its lesion by date, an assessment its
capture's date, and in CSV an assessment one column per class probability. In CSV the columns that say whose
row it is (MRN, lesion and capture number) come first, as a spreadsheet shows them; the stored columns follow
unchanged (names and values), for the programs that read them by name."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from dermadesk.contract.classes import CLASSES
from dermadesk.domain.bodymap import SIDELESS_SITES, patient_side

Tables = dict[str, list[dict[str, Any]]]

README = """DermaDesk register export: the register's records, one CSV file per table (no images).
Each row starts with the columns that say whose it is (patient_mrn, lesion_number, capture_number), then
keeps the columns as stored (ids link the files: lesions.patient_id = patients.id, captures.lesion_id =
lesions.id, assessments.capture_id = captures.id), then more readable ones:

patients.csv     one row per patient (deleted ones too, with their deleted_at).
lesions.csv      one row per lesion; patient_mrn, lesion_number (as the app says "Lesion 2"), and side: the
                 patient's left or right from where it was placed on the body map (midline, or empty where
                 the site has no side or the lesion has no map position); site is the ISIC site, body_view,
                 body_x and body_y its place on the map (0-1).
captures.csv     one row per image; patient_mrn, lesion_number, site and side (its lesion's, as in lesions.csv),
                 and capture_number: its place in its lesion by date (1 = the baseline; empty for a deleted
                 capture). taken_at is the capture's date, created_at when it was imported (UTC); mm_per_px the
                 image scale.
assessments.csv  one row per model run on a capture; patient_mrn, lesion_number, site, side, capture_number,
                 taken_at (the capture's date: the visit; created_at is when the model ran), and one
                 prob_<class> column per class (0-1; the same numbers as the probabilities column):
{classes}
                 risk_tier and recommendation are the model's decision support, not a diagnosis. A row
                 whose status is "not assessable" (status_reasons say why) has no risk_tier: its
                 probabilities are kept as stored, but the model cannot back them (the app and the
                 reports show none for it). modality is the capture modality the model ran for: a row
                 made before the capture's modality was corrected is out of date (the app, the reports and
                 the command line use only one made for the capture's modality now).

Times ending in +00:00 are UTC. A text value that starts with =, +, -, @ (which a spreadsheet would run as a
formula) is written with a ' in front; the JSON export (register.json) keeps every value as stored.
Decision support, not a diagnosis.
"""


def readme_text() -> str:
    """What each file and its added columns are, for README.txt beside the CSV files."""
    return README.format(classes="\n".join(f"                   prob_{c.code}: {c.name}" for c in CLASSES))


def _side(lesion: dict[str, Any]) -> str:
    view, x = lesion.get("body_view"), lesion.get("body_x")
    if view not in ("front", "back") or x is None or lesion.get("site") in SIDELESS_SITES:
        return ""
    return patient_side(view, x)


def _probabilities(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    try:
        loaded = json.loads(value or "{}")
    except (TypeError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def add_readable_columns(tables: Tables, csv: bool) -> Tables:
    """``tables`` (as read, by table name) with the readable columns added to each row; an assessment's class
    probabilities as prob_<class> columns with ``csv``, else as one nested ``class_probabilities`` object."""
    mrn = {p["id"]: p.get("mrn") for p in tables.get("patients", [])}
    lesions = {les["id"]: les for les in tables.get("lesions", [])}
    for les in tables.get("lesions", []):
        les.update(patient_mrn=mrn.get(les["patient_id"]), lesion_number=les.get("number"), side=_side(les))
    by_lesion: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for cap in tables.get("captures", []):
        if not cap.get("deleted_at"):
            by_lesion[cap["lesion_id"]].append(cap)
    place: dict[int, int] = {}
    for caps in by_lesion.values():
        for i, cap in enumerate(sorted(caps, key=lambda c: (c["taken_at"], c["id"]))):
            place[cap["id"]] = i + 1
    captures = {cap["id"]: cap for cap in tables.get("captures", [])}
    for cap in tables.get("captures", []):
        les = lesions.get(cap["lesion_id"], {})
        cap.update(
            patient_mrn=les.get("patient_mrn"),
            lesion_number=les.get("number"),
            site=les.get("site"),
            side=les.get("side", ""),
            capture_number=place.get(cap["id"]),
        )
    for a in tables.get("assessments", []):
        cap = captures.get(a["capture_id"], {})
        for key in ("patient_mrn", "lesion_number", "site", "side", "capture_number", "taken_at"):
            a[key] = cap.get(key)
        probs = _probabilities(a.get("probabilities"))
        if csv:
            a.update({f"prob_{c.code}": probs.get(c.code) for c in CLASSES})
        else:  # the stored column is JSON text (kept as it is): its numbers also as a nested object
            a["class_probabilities"] = {c.code: probs.get(c.code) for c in CLASSES}
    if csv:  # whose row it is first, as a spreadsheet shows it
        for rows in tables.values():
            rows[:] = [{**{k: r[k] for k in LEADING if k in r}, **r} for r in rows]
    return tables


LEADING = ("patient_mrn", "lesion_number", "capture_number")
