"""The audit log's hash chain: each row holds the sha256 of the previous row's hash and its own content.

Rewriting, removing or reordering a row breaks every hash after it, which ``db check`` reports. The
chain makes tampering evident, not impossible: whoever can write the file could recompute the whole
chain, so ``db check`` prints the head hash for keeping elsewhere.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Iterable, Mapping

GENESIS = "0" * 64
COLUMNS = ("id", "at", "actor", "action", "entity", "entity_id", "before", "after")


def row_hash(prev_hash: str, row: Mapping[str, Any]) -> str:
    """sha256 over the previous hash and the row's stored values (TEXT as stored, not re-encoded)."""
    payload = json.dumps([prev_hash] + [row[c] for c in COLUMNS], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def verify_chain(rows: Iterable[Mapping[str, Any]]) -> tuple[int, str, list[str]]:
    """Walk rows in id order: (rows checked, head hash, problems in words)."""
    prev, count, problems = GENESIS, 0, []
    for row in rows:
        count += 1
        if row["prev_hash"] != prev:
            problems.append(f"audit row {row['id']} does not follow the row before it (a row was removed or "
                            "reordered)")
        expected = row_hash(row["prev_hash"], row)
        if row["hash"] != expected:
            problems.append(f"audit row {row['id']} was changed after it was written (hash mismatch)")
        prev = row["hash"]
    return count, prev, problems
