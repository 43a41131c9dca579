"""Registers for the transfer tests: real SQLite files, real JPEGs, assessment rows with heat-map PNGs."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from dermadesk.domain.dates import human_date
from dermadesk.services.captures import CaptureMeta, import_capture
from dermadesk.services.transfer import ImportOutcome, export_patients, import_package
from dermadesk.storage.register import Register
from dermadesk.storage.sealed import KdfParams
from dermadesk.storage.transfer import FOREIGN_KEYS, TABLES
from dermadesk.storage.transfer_answers import NO_ANSWERS, Answers
from tests.conftest import lesion_jpeg

CHEAP_KDF = KdfParams(n=2**10, r=8, p=1)  # tests only: the real default costs ~0.2 s per key
PASSPHRASE = "correct horse battery"


def today() -> str:
    """The day the tests' reviews are saved, as the app says a day: "24 Nov 2026"."""
    return human_date(dt.datetime.now(dt.timezone.utc).isoformat())


def set_by(who: str) -> str:
    """What a conflict of a review says after a side's values of who saved it there and when: " — by dr.x on 24 Nov
    2026"."""
    return f" — by {who} on {today()}"


def day_only(text: str) -> str:
    """``text`` with the time dropped that a conflict says after each side's day where both sides are of one day
    ("by dr.x on 24 Nov 2026 20:10", "dr.x, 24 Nov 2026 20:10"): these tests save both sides' reviews today, at times
    they cannot know, and compare with ``set_by`` (tests/test_cli_transfer_review_who.py checks the times)."""
    return re.sub(rf"\b({re.escape(today())}) \d\d:\d\d\b", r"\1", text)


def add_assessment(reg: Register, capture_id: int, seed: int = 0) -> None:
    """An assessment row like the engine's, with a tiny heat-map PNG, stored without a model."""
    mean = (seed % 50) / 100
    ok, png = cv2.imencode(".png", np.full((8, 8), seed % 256, np.uint8))
    reg.assessments.add("clinic", capture_id, cam_sha256=reg.images.put(png.tobytes()), model_name="tiny-test",
                        model_version="0.0.1", provider="CPUExecutionProvider",
                        probabilities={"nv": 1 - mean, "mel": mean}, top_class="nv", malignant_probability=mean,
                        melanoma_probability=mean, risk_tier="low", recommendation="routine follow-up",
                        quality={"status": "pass", "checks": []}, ood_score=0.1, ood_flag=False, status="assessed",
                        status_reasons=[])


def fill(reg: Register, mrn: str, name: str, lesions: int = 2, captures: int = 2, seed: int = 0,
         birth_date: str = "1960-05-01") -> int:
    """A patient with lesions, captures (real JPEGs), assessments, a review and stored comparisons."""
    patient = reg.patients.add("clinic", mrn, name, birth_date, "female", "II")
    for j in range(lesions):
        lesion = reg.lesions.add("clinic", patient.id, "posterior torso", f"lesion {j}", body_view="back",
                                 body_x=0.4, body_y=0.3 + j / 10)
        ids = []
        for k in range(captures):
            data = lesion_jpeg(seed=seed * 100 + j * 10 + k, width=160, height=120)
            capture, _ = import_capture(reg, "clinic", lesion.id, data, f"{mrn}-{j}-{k}.jpg",
                                        CaptureMeta(taken_at=f"2025-0{k + 1}-15", mm_per_px=0.02))
            add_assessment(reg, capture.id, seed * 100 + j * 10 + k)
            ids.append(capture.id)
        reg.captures.review("clinic", ids[0], "monitor", "watch the border")
        for follow in ids[1:]:
            reg.comparisons.add("clinic", lesion.id, ids[0], follow, 31, "not significant", ["no change"],
                                {"area_change_percent": 1.5}, [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    return patient.id


def dump(reg: Register) -> dict[str, dict[str, dict[str, Any]]]:
    """Every record by uid, row ids replaced by the uids they point at (comparable across registers)."""
    uid_of = {(t, r["id"]): r["uid"] for t in TABLES for r in reg.database.query(f"SELECT id, uid FROM {t}")}
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for table in TABLES:
        rows = {}
        for r in reg.database.query(f"SELECT * FROM {table}"):
            row = dict(r)
            row.pop("id")
            for column, (link, parent) in FOREIGN_KEYS[table].items():
                row[link] = uid_of[(parent, row.pop(column))]
            rows[row["uid"]] = row
        out[table] = rows
    return out


def images(reg: Register) -> dict[str, bytes]:
    return {sha: reg.images.read(sha) for sha in reg.images}


def counts(reg: Register) -> dict[str, int]:
    return {t: int(reg.database.one(f"SELECT count(*) FROM {t}")[0]) for t in (*TABLES, "audit_log")}


def snapshot(data_dir: Path) -> tuple[dict, dict, int]:
    """What 'the register is unchanged' compares: records, image bytes, audit rows."""
    with Register(data_dir) as reg:
        return dump(reg), images(reg), counts(reg)["audit_log"]


def move(source: Path, target: Path, package: Path, answers: Answers = NO_ANSWERS) -> ImportOutcome:
    """Export every patient of ``source`` (not encrypted) and import the package into ``target``, fields changed
    on both sides answered by ``answers``."""
    with Register(source) as reg:
        export_patients(reg, package, None, overwrite=True)
    with Register(target) as reg:
        return import_package(reg, package, None, "importer", answers=answers)


def state(data_dir: Path) -> dict[str, Any]:
    """Patient P-1's fields that both sides edit in the tests (its first lesion's and first capture's)."""
    with Register(data_dir) as reg:
        patient = reg.patients.by_mrn("P-1")
        lesion = reg.lesions.for_patient(patient.id)[0]
        capture = reg.captures.for_lesion(lesion.id)[0]
        return {"skin_type": patient.skin_type, "notes": patient.notes, "status": lesion.status,
                "label": lesion.label, "decision": capture.decision, "mm_per_px": capture.mm_per_px}


def edit(data_dir: Path, **fields: Any) -> None:
    """Change fields of patient P-1 (skin_type, notes), its first lesion (status, label) and capture (decision,
    mm_per_px) as a user of that register would."""
    with Register(data_dir) as reg:
        patient = reg.patients.by_mrn("P-1")
        lesion = reg.lesions.for_patient(patient.id)[0]
        capture = reg.captures.for_lesion(lesion.id)[0]
        if "skin_type" in fields or "notes" in fields:
            reg.patients.update("someone", patient.id, **{k: fields[k] for k in ("skin_type", "notes") if k in fields})
        if "status" in fields or "label" in fields:
            reg.lesions.update("someone", lesion.id, **{k: fields[k] for k in ("status", "label") if k in fields})
        if "decision" in fields:
            reg.captures.review("someone", capture.id, fields["decision"], capture.clinician_notes)
        if "mm_per_px" in fields:
            reg.captures.update("someone", capture.id, mm_per_px=fields["mm_per_px"])
