"""A capture's modality is a field a transfer import brings (``transfer_fields.UPDATABLE``). What the two registers last
agreed on it comes from the import's audit rows as for any field; an "import-update" row written before an import
brought modalities records no modality in its ``agreed``: the modality of the row before it (the capture as it first
arrived) is still the one agreed, so a correction made on one side since is brought, not taken for a conflict."""

from __future__ import annotations

import json

from dermadesk.storage.transfer_fields import agreed_base, merge_record

ME, THEM = "clinic-uid", "laptop-uid"
PACKAGE = {"package_uid": "p1", "workstation": {"uid": THEM, "hostname": "laptop"}}
ROW = {"uid": "c1", "taken_at": "2026-03-03", "decision": None, "clinician_notes": None, "notes": None,
       "mm_per_px": 0.02, "modality": "dermoscopic"}  # fmt: skip


def entries_here() -> list[dict]:
    """The capture imported from the laptop, then a decision brought by an import before modalities were brought."""
    arrived = {"row": {"id": 7, **ROW}, "package": PACKAGE, "history": []}
    agreed = {k: v for k, v in {**ROW, "decision": "monitor"}.items() if k not in ("uid", "modality")}
    update = {"decision": "monitor", "changed_at": "2026-03-05T10:00:00Z", "package": PACKAGE, "agreed": agreed}
    return [
        {"at": "2026-03-04T09:00:00Z", "action": "import", "after": json.dumps(arrived)},
        {"at": "2026-03-06T09:00:00Z", "action": "import-update", "after": json.dumps({**update, "seen": ""})},
    ]


def test_an_agreed_without_the_modality_keeps_the_one_agreed_before() -> None:
    base = agreed_base("captures", entries_here(), [], ME, THEM)
    assert base.values["modality"] == "dermoscopic" and base.values["decision"] == "monitor"


def test_a_modality_corrected_in_the_package_since_is_brought_not_a_conflict() -> None:
    here = {"id": 7, **ROW, "decision": "monitor"}
    package = {**ROW, "decision": "monitor", "modality": "clinical"}
    update, notes, conflicts = merge_record("captures", here, package, (entries_here(), [], ME, THEM), "capture")
    assert conflicts == [] and notes == []
    assert update is not None and update.changes == {"modality": "clinical"}
    assert update.lines == [
        "capture: modality 'dermoscopic' → 'clinical' (changed in the package since the two registers last agreed, "
        "not here)"
    ]
    assert update.agreed["modality"] == "clinical"  # the next import's last agreed value
