"""A register's workstation identity belongs to the machine it was made on: a copy opened elsewhere (a backup
restored on another machine) takes a new identity, and its packages no longer claim to come from the first."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dermadesk.services.transfer import export_patients, import_package
from dermadesk.storage import identity
from dermadesk.storage.register import Register
from dermadesk.storage.transfer import workstation
from tests.transfer_data import fill


def test_a_register_copied_to_another_machine_gets_a_new_identity(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(identity, "machine_id", lambda: "clinic-machine")
    clinic = tmp_path / "clinic"
    with Register(clinic) as reg:
        fill(reg, "P-1", "Ann Smith", lesions=1, captures=1)
        first = workstation(reg.database)
        assert reg.identity_note is None
    with Register(clinic) as reg:  # opened again on the same machine: the same identity
        assert workstation(reg.database) == first and reg.identity_note is None
    clone = tmp_path / "clone"
    shutil.copytree(clinic, clone)  # as a restored backup would be
    monkeypatch.setattr(identity, "machine_id", lambda: "laptop-machine")
    with Register(clone) as reg:
        assert reg.identity_note is not None and first["uid"][:8] in reg.identity_note
        moved = workstation(reg.database)
        assert moved["uid"] != first["uid"]
        known = {r[0]: r[1] for r in reg.database.query("SELECT uid, is_self FROM workstations")}
        assert known == {first["uid"]: 0, moved["uid"]: 1}  # the old one stays known
        assert export_patients(reg, tmp_path / "from-clone.ddtx", None).package_uid
    with Register(clone) as reg:
        assert workstation(reg.database) == moved and reg.identity_note is None  # stable on the new machine
    monkeypatch.setattr(identity, "machine_id", lambda: "clinic-machine")
    with Register(clinic) as reg:
        outcome = import_package(reg, tmp_path / "from-clone.ddtx", None, "clinic", dry_run=True)
        assert outcome.source["uid"] == moved["uid"] != workstation(reg.database)["uid"]


def test_a_register_made_before_identities_were_tied_keeps_its_identity(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(identity, "machine_id", lambda: "m1")
    with Register(tmp_path / "r") as reg:
        uid = workstation(reg.database)["uid"]
        reg.database.conn.execute("UPDATE workstations SET machine = NULL")  # as after migration m009
    with Register(tmp_path / "r") as reg:
        assert workstation(reg.database)["uid"] == uid and reg.identity_note is None
        assert reg.database.one("SELECT machine FROM workstations WHERE is_self = 1")[0] == "m1"


@pytest.mark.parametrize("contents", ["", None])
def test_machine_id_falls_back_to_an_id_in_the_config_folder(tmp_path: Path, monkeypatch, contents) -> None:
    import platformdirs

    missing = tmp_path / "no-machine-id"
    if contents is not None:
        missing.write_text(contents)
    monkeypatch.setattr(identity, "MACHINE_ID_FILES", (missing,))
    monkeypatch.setattr(platformdirs, "user_config_dir", lambda *a, **k: str(tmp_path / "config"))
    first = identity.machine_id()
    assert first == identity.machine_id() and (tmp_path / "config" / "machine-id").exists()


def test_the_command_line_says_when_the_identity_changed(tmp_path: Path, monkeypatch, capsys) -> None:
    from dermadesk.main import main

    monkeypatch.setattr(identity, "machine_id", lambda: "one")
    assert main(["--data-dir", str(tmp_path / "r"), "patient", "add", "--mrn", "I-1", "--name", "Ida Ident"]) == 0
    monkeypatch.setattr(identity, "machine_id", lambda: "two")
    capsys.readouterr()
    assert main(["--data-dir", str(tmp_path / "r"), "patient", "list"]) == 0
    assert "has a new workstation identity here" in capsys.readouterr().err
