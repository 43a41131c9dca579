"""The register's rows as plain dicts, for File > Export register (CSV or JSON)."""

from __future__ import annotations

from typing import Any

from dermadesk.storage.register import Register

EXPORT_TABLES = ("patients", "lesions", "captures", "assessments")


def table_rows(register: Register, table: str) -> list[dict[str, Any]]:
    """Every row of one of ``EXPORT_TABLES``, oldest first (soft-deleted rows included, with their deleted_at)."""
    if table not in EXPORT_TABLES:
        raise ValueError(f"not an exported table: {table}")
    return [dict(r) for r in register.database.query(f"SELECT * FROM {table} ORDER BY id")]
