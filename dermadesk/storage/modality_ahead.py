"""A transfer import's preview says what bringing a capture's modality does to its assessment (``transfer_merge``):
"will update: capture of 3 Mar 2026, ...: modality 'dermoscopic' → 'clinical' (...); then its assessment is the one
made in the package for a clinical image: NOT ASSESSABLE, no risk tier", or "...; then its assessment (made for a
dermoscopic image) is out of date: no risk tier shows until it is assessed again after the import".

Once imported, a capture's assessment is the newest made for the modality it has now (``assessments.CURRENT``),
among the rows held here and those the package brings; where none is, the one made before is out of date and shows
nowhere, and an import assesses nothing (``services.transfer_modality`` says so after it, with how to assess it).
Read ahead from the rows here and the package's rows: nothing is written."""

from __future__ import annotations

from typing import Any

from dermadesk.storage.assessments import made_for


def _result(row: dict[str, Any]) -> str:
    """ "tier MONITOR", or "NOT ASSESSABLE, no risk tier", as the import's result line says it."""
    tier = row.get("risk_tier")
    assessable = row.get("status", "assessed") == "assessed" and tier
    return f"tier {str(tier).upper()}" if assessable else "NOT ASSESSABLE, no risk tier"


def assessment_ahead(db: Any, capture_id: int, modality: str, brought: list[dict[str, Any]]) -> str:
    """What the capture ``capture_id`` here has as its assessment once an import makes it ``modality``, ``brought``
    being the package's assessment rows of it: "; then its assessment is ..." to end the preview's line, '' where it
    was never assessed, here or there."""
    sql = "SELECT uid, modality, risk_tier, status, created_at, id FROM assessments WHERE capture_id = ?"
    here = [dict(r) for r in db.query(sql, (capture_id,))]
    uids = {r["uid"] for r in here}
    rows = [(r, "here before") for r in here] + [(r, "in the package") for r in brought if r.get("uid") not in uids]
    if not rows:
        return ""

    def newest(pair: tuple[dict[str, Any], str]) -> tuple[str, int, int]:  # as NEWEST: one brought has a later id
        row, where = pair
        return str(row.get("created_at") or ""), int(where == "in the package"), int(row.get("id") or 0)

    current = [p for p in rows if made_for(p[0].get("modality"), p[0].get("risk_tier"), modality)]
    if current:
        row, where = max(current, key=newest)
        return f"; then its assessment is the one made {where} for a {modality} image: {_result(row)}"
    old = max(rows, key=newest)[0].get("modality")
    made = f"made for a {old} image" if old else "made before its modality was corrected"
    return (
        f"; then its assessment ({made}) is out of date: no risk tier shows until it is assessed again after the import"
    )
