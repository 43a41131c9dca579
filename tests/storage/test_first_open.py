"""First open races: several processes on a new data directory; migrations read their list under the lock."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import pytest

import dermadesk.storage.migrations as migrations
from dermadesk.storage.db import Database, open_db
from dermadesk.storage.migrations import MIGRATIONS, applied, migrate


def _add_patient(data_dir: str, i: int, barrier, errors) -> None:  # type: ignore[no-untyped-def]
    from dermadesk.storage.register import Register

    try:
        barrier.wait(timeout=60)  # every process opens the new directory at the same moment
        with Register(Path(data_dir)) as reg:
            reg.patients.add("t", f"RACE-{i}", f"Racer {i}")
    except BaseException as exc:  # noqa: BLE001 - reported to the parent
        errors.put(f"{type(exc).__name__}: {exc}")


@pytest.mark.slow
def test_processes_started_together_on_a_new_directory(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    for trial in range(3):
        data_dir = tmp_path / f"new-{trial}"
        n = 4
        barrier, errors = ctx.Barrier(n), ctx.Queue()
        procs = [ctx.Process(target=_add_patient, args=(str(data_dir), i, barrier, errors)) for i in range(n)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(timeout=120)
        found = []
        while not errors.empty():
            found.append(errors.get())
        assert found == [] and all(p.exitcode == 0 for p in procs)
        db = open_db(data_dir / "register.sqlite3")
        assert sorted(r[0] for r in db.query("SELECT mrn FROM patients")) == [f"RACE-{i}" for i in range(n)]
        assert applied(db.db) == [m.__name__ for m in MIGRATIONS]  # each once, in order
        db.close()


def test_migration_list_read_before_the_lock_is_read_again(tmp_path: Path, monkeypatch) -> None:
    """Another process migrated between our first look and our write lock: nothing is applied twice."""
    open_db(tmp_path / "r.sqlite3").close()  # "the other process": fully migrated
    database = Database(tmp_path / "r.sqlite3")
    real, calls = migrations.applied, [0]

    def stale_then_real(db):  # type: ignore[no-untyped-def]
        calls[0] += 1
        return [] if calls[0] == 1 else real(db)

    monkeypatch.setattr(migrations, "applied", stale_then_real)
    try:
        assert migrate(database.db) == []  # no "table patients already exists"
    except sqlite3.OperationalError as exc:  # pragma: no cover - the bug this guards against
        pytest.fail(f"migrated twice: {exc}")
    finally:
        database.close()
