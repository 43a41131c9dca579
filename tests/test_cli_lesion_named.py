"""``lesion edit`` and ``lesion delete`` name the lesion as ``patient show`` and every other command name it, "Lesion 1
(id 3)", not "lesion 3" (the id typed, read as the patient's third lesion); ``db check`` says a row pointing at one
that is not there with the arrow the other commands use ("captures row 1 → lesions"). A real register, the real
commands."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from dermadesk.config import REGISTER_FILE
from dermadesk.storage.register import Register
from tests.conftest import lesion_jpeg
from tests.test_cli import run


def two_patients(capsys) -> None:
    """Patient A-1 with lesions 1 and 2; patient B-1 with its Lesion 1, id 3."""
    for mrn, sites in (("A-1", ("anterior torso", "head/neck")), ("B-1", ("upper extremity",))):
        assert run(capsys, "patient", "add", "--mrn", mrn, "--name", f"Patient {mrn}")[0] == 0
        for site in sites:
            assert run(capsys, "lesion", "add", "--patient", mrn, "--site", site)[0] == 0


def test_lesion_edit_names_the_lesion_as_patient_show_does(capsys, data_dir: Path) -> None:
    two_patients(capsys)
    code, out, err = run(capsys, "lesion", "edit", "3", "--label", "left wrist")
    assert code == 0 and err == ""
    assert out == "Lesion 1 (id 3): label (none) → left wrist\n"  # B-1's only lesion, never "lesion 3"
    code, out, _ = run(capsys, "lesion", "edit", "3", "--label", "left wrist")
    assert code == 0 and out == "Lesion 1 (id 3): nothing changed\n"
    shown = json.loads(run(capsys, "--json", "lesion", "edit", "3", "--status", "excised")[1])
    assert (shown["before"]["id"], shown["after"]["status"]) == (3, "excised")  # --json as it was


def test_lesion_delete_and_restore_name_the_lesion(capsys, data_dir: Path) -> None:
    two_patients(capsys)
    code, out, err = run(capsys, "lesion", "delete", "3")
    assert code == 0 and err == ""
    assert out == "Lesion 1 (id 3) deleted with its captures (restore with --restore)\n"
    code, out, _ = run(capsys, "lesion", "delete", "3", "--restore")
    assert code == 0 and out == "Lesion 1 (id 3) restored\n"
    with Register(data_dir) as reg:
        assert reg.lesions.get(3).deleted_at is None


def test_db_check_says_a_broken_link_with_the_arrow(capsys, data_dir: Path, tmp_path: Path) -> None:
    two_patients(capsys)
    image = tmp_path / "a.jpg"
    image.write_bytes(lesion_jpeg(seed=1))
    assert run(capsys, "capture", "add", "--lesion", "3", "--no-assess", "--taken", "2026-01-05", str(image))[0] == 0
    with sqlite3.connect(data_dir / REGISTER_FILE) as db:  # foreign keys off: the fault a tool outside the app makes
        db.execute("DELETE FROM lesions WHERE id = 3")
    code, out, _ = run(capsys, "db", "check")
    lines = out.splitlines()
    assert code == 1 and "foreign keys: captures row 1 → lesions" in lines
    assert "->" not in out and "register has PROBLEMS" in lines
