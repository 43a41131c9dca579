"""Assessments: one row per model run on a capture (the history is kept), and which of them is current.

An assessment is made for the modality its capture had then (``modality``: dermoscopic or clinical). A capture whose
modality is corrected later (Edit capture, ``capture edit --modality``, an undo of it) keeps its rows, but only one
made for the modality it has now is current: every reader (the assessment panel, the lesion list and body map flags,
``lesion show``, ``patient show``, the reports, a comparison's risk part) takes ``latest``, so a tier made for a
dermoscopic image is never shown for a capture now said to be clinical. Until one is made for its modality now,
``outdated`` gives the one left behind, for the views to say "assessment out of date" and what to do.

A row with no modality recorded (one a transfer package of an older DermaDesk brought) counts as made for a
dermoscopic image where it has a tier: never a tier for a clinical capture it may not have been made for.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from dermadesk.domain.records import Assessment, assessment_values
from dermadesk.storage.db import utc_now
from dermadesk.storage.repositories import _constraint_error, _record, _Repo

# made for the capture's modality now (``a``: the assessment, ``c``: its capture)
CURRENT = "(a.modality = c.modality OR (a.modality IS NULL AND (c.modality = 'dermoscopic' OR a.risk_tier IS NULL)))"
NEWEST = "ORDER BY a.created_at DESC, a.id DESC LIMIT 1"  # by time, not by row: one imported later is older


def made_for(made: str | None, risk_tier: str | None, capture_modality: str) -> bool:
    """``CURRENT`` for a row not stored yet (a transfer package's, in its import's preview): an assessment made for
    the ``made`` modality (None: not recorded) counts for a capture that is ``capture_modality``."""
    if made is None:
        return capture_modality == "dermoscopic" or risk_tier is None
    return made == capture_modality


class Assessments(_Repo):
    table, record = "assessments", Assessment

    def add(self, actor: str, capture_id: int, **values: Any) -> Assessment:
        """A new row of ``capture_id``; made for the capture's modality now unless ``modality`` says another."""
        row = {"capture_id": capture_id, **values, "created_at": utc_now()}
        for key in ("probabilities", "quality"):
            row[key] = json.dumps(row.get(key) or {}, allow_nan=False)
        row["status_reasons"] = json.dumps(row.get("status_reasons") or [])
        row["ood_flag"] = int(bool(row.get("ood_flag")))
        if row.get("modality") is None:
            found = self.db.one("SELECT modality FROM captures WHERE id = ?", (capture_id,))
            row["modality"] = found[0] if found is not None else None
        try:
            new_id = self._insert(actor, row)
        except sqlite3.IntegrityError as exc:
            raise _constraint_error(exc, f"capture {capture_id}") from None
        return self.get(new_id)

    def store(self, actor: str, capture_id: int, assessment: Assessment, cam_sha256: str | None = None) -> Assessment:
        """Store the engine's assessment (its Assessment fields, the modality it was made for) as a new row."""
        return self.add(actor, capture_id, cam_sha256=cam_sha256, **assessment_values(assessment))

    def for_capture(self, capture_id: int) -> list[Assessment]:
        """Every row of the capture, current or not, oldest first."""
        rows = self.db.query("SELECT * FROM assessments WHERE capture_id = ? ORDER BY id", (capture_id,))
        return [_record(Assessment, r) for r in rows]

    def any_for(self, capture_id: int) -> bool:
        """Whether the capture has any row, current or not (one EXISTS query: no row read)."""
        row = self.db.one("SELECT EXISTS (SELECT 1 FROM assessments WHERE capture_id = ?)", (capture_id,))
        return bool(row and row[0])

    def latest(self, capture_id: int) -> Assessment | None:
        """The capture's current assessment: the newest made for the modality it has now (None: none yet)."""
        row = self.db.one(
            f"SELECT a.* FROM assessments a JOIN captures c ON c.id = a.capture_id WHERE a.capture_id = ? "
            f"AND {CURRENT} {NEWEST}",
            (capture_id,),
        )
        return _record(Assessment, row) if row is not None else None

    def outdated(self, capture_id: int) -> Assessment | None:
        """Where the capture has no current assessment, the newest one made for another modality (its modality
        corrected since); None where one is current, or none was ever made."""
        row = self.db.one(
            f"SELECT a.* FROM assessments a JOIN captures c ON c.id = a.capture_id WHERE a.capture_id = ? "
            f"AND NOT EXISTS (SELECT 1 FROM assessments a WHERE a.capture_id = c.id AND {CURRENT}) {NEWEST}",
            (capture_id,),
        )
        return _record(Assessment, row) if row is not None else None
