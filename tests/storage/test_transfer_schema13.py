"""Schema 13 (m013: a 'monitor' decision's re-check interval) and transfer packages between DermaDesks either side of
it: a package a schema-12 DermaDesk wrote (no ``captures.recheck_months``) imports into a schema-13 register, its
captures with no interval; the DermaDesk before this schema (12 when m013 shipped) refuses a package of this one with
the words it has for any package of a newer DermaDesk, its register unchanged. Real registers, real packages."""

from __future__ import annotations

from pathlib import Path

import pytest

from dermadesk.domain.errors import IntegrityError
from dermadesk.services.transfer import export_patients, import_package
from dermadesk.storage import transfer
from dermadesk.storage.migrations import SCHEMA_VERSION
from dermadesk.storage.register import Register
from dermadesk.storage.transfer import collect_records, write_package
from tests.transfer_data import fill, snapshot


def test_a_package_of_a_schema_12_dermadesk_imports_into_schema_13(tmp_path: Path) -> None:
    with Register(tmp_path / "old") as reg:
        fill(reg, "P-1", "Ann Smith", lesions=1, captures=2)
        records = collect_records(reg.database, [reg.patients.by_mrn("P-1").id])
        for row in records["captures"]:  # what a schema-12 DermaDesk's export selects: no re-check interval
            del row["recheck_months"]
        manifest = write_package(reg.database, reg.images, tmp_path / "old.ddtx", records, None, schema_version=12)
    assert manifest["schema_version"] == 12
    with Register(tmp_path / "new") as reg:
        outcome = import_package(reg, tmp_path / "old.ddtx", None, "importer")
        assert outcome.applied and outcome.plan.added["captures"] == 2 and outcome.plan.complete
        captures = reg.captures.for_lesion(reg.lesions.for_patient(reg.patients.by_mrn("P-1").id)[0].id)
        assert [(c.decision, c.clinician_notes, c.recheck_months) for c in captures] == [
            ("monitor", "watch the border", None),  # as the tier suggests: the package's register kept no interval
            (None, "", None),
        ]


def test_the_dermadesk_before_refuses_a_package_of_this_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Register(tmp_path / "new") as reg:
        fill(reg, "P-1", "Ann Smith", lesions=1, captures=1)
        reg.captures.review("dr.a", reg.captures.for_lesion(1)[0].id, "monitor", "stable", 12)
        export_patients(reg, tmp_path / "new.ddtx", None)
    with Register(tmp_path / "old") as reg:
        fill(reg, "Q-1", "Bo Berg", lesions=1, captures=1)
    before = snapshot(tmp_path / "old")
    monkeypatch.setattr(transfer, "SCHEMA_VERSION", SCHEMA_VERSION - 1)  # the schema the DermaDesk before knows
    with Register(tmp_path / "old") as reg, pytest.raises(IntegrityError) as refused:
        import_package(reg, tmp_path / "new.ddtx", None, "importer", dry_run=True)
    assert str(refused.value) == (
        f"new.ddtx was made by a newer DermaDesk (register schema {SCHEMA_VERSION}, this app knows "
        f"{SCHEMA_VERSION - 1}); update DermaDesk to open it; nothing was changed"
    )
    assert snapshot(tmp_path / "old") == before
