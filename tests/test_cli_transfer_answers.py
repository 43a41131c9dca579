"""``dermadesk transfer import --keep N / --take N / --conflicts keep|take``: a field changed on both sides answered
from the command line, numbered as the preview numbers it; the answer audited, and the next import quiet."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dermadesk.domain.dates import human_date
from dermadesk.storage.register import Register
from tests.test_cli_transfer import reviewed_in_the_field, run
from tests.transfer_data import day_only, set_by

CONFLICT = (
    "conflict 1: capture of {day} ({name}), lesion 1 (anterior torso) of patient T-1: decision changed on both sides "
    "(here: 'refer'{here}, in the package: 'excise'{there}, last agreed: (empty)); left as it is here until answered "
    "(keep this register's value, or take the package's)"
)


def _both_reviewed(capsys: pytest.CaptureFixture, tmp_path: Path, image: Path) -> tuple[str, str, str]:
    """The field laptop decided 'excise', the clinic meanwhile 'refer': (clinic, package, conflict line)."""
    clinic, package = reviewed_in_the_field(capsys, tmp_path, image, "excise")
    with Register(Path(clinic)) as reg:
        reg.captures.review("doctor", 1, "refer", "")
        capture = reg.captures.get(1)
    said = CONFLICT.format(
        name=capture.original_name, day=human_date(capture.taken_at), here=set_by("doctor"), there=set_by("nurse")
    )  # who decided on each side, and when
    return clinic, package, said


def _decision(clinic: str) -> str | None:
    with Register(Path(clinic)) as reg:
        return reg.captures.get(1).decision


def test_keep_by_number_is_recorded_and_the_next_import_asks_no_more(
    capsys, tmp_path: Path, lesion_files: list[Path]
) -> None:
    clinic, package, conflict = _both_reviewed(capsys, tmp_path, lesion_files[0])
    code, out, _ = run(capsys, "--data-dir", clinic, "transfer", "import", package, "--dry-run")
    assert code == 0 and conflict in day_only(out).splitlines()
    assert "answer a field conflict with --keep N (this register's value stays" in out
    code, _, err = run(capsys, "--data-dir", clinic, "transfer", "import", package, "--keep", "2", "--yes")
    assert code == 1 and err == (
        "dermadesk: error: there is no conflict 2 to answer: this package's preview has conflict 1\n"
    )
    code, _, err = run(capsys, "--data-dir", clinic, "transfer", "import", package, "--keep", "1", "--take", "1")
    assert code == 1 and "conflict 1 is given both answers, keep and take: give one" in err

    code, out, err = run(capsys, "--data-dir", clinic, "--json", "transfer", "import", package, "--keep", "1", "--yes")
    result = json.loads(out)
    assert code == 0 and err == "" and result["complete"] and result["conflicts"] == []
    [answered] = result["field_conflicts"]
    assert (answered["number"], answered["field"], answered["answer"]) == (1, "decision", "keep")
    assert (answered["here"], answered["package"], answered["last_agreed"]) == ("refer", "excise", None)
    assert _decision(clinic) == "refer"
    with Register(Path(clinic)) as reg:
        entry = reg.audit.entries("capture", 1)[0]  # newest first
        assert entry.action == "import-update" and entry.actor
        after = entry.after or {}
        assert after["kept"] == {"decision": "excise"} and after["agreed"]["decision"] == "excise"

    code, out, err = run(capsys, "--data-dir", clinic, "transfer", "import", package)  # next week: nothing to ask
    assert code == 0 and err == "" and "nothing new to import; the register is unchanged" in out
    assert "conflict" not in out and "as answered at an earlier import (keep this register's value)" in out


def test_conflicts_take_writes_the_packages_value_and_unanswered_ones_exit_1(
    capsys, tmp_path: Path, lesion_files: list[Path]
) -> None:
    clinic, package, conflict = _both_reviewed(capsys, tmp_path, lesion_files[0])
    code, out, err = run(capsys, "--data-dir", clinic, "transfer", "import", package, "--yes")  # not answered
    assert code == 1 and conflict in day_only(out).splitlines() and _decision(clinic) == "refer"
    assert "kept this register's value for 1 field changed on both sides, not answered" in err
    assert "answer a field with --keep N or --take N, or all of them with --conflicts keep|take" in err

    code, out, err = run(capsys, "--data-dir", clinic, "transfer", "import", package, "--conflicts", "take", "--yes")
    assert code == 0 and err == "" and out.strip().endswith("updated 1 capture")
    assert "(changed on both sides: the package's value taken, as answered)" in out and "conflict 1:" not in out
    assert _decision(clinic) == "excise"
    with Register(Path(clinic)) as reg:
        entry = reg.audit.entries("capture", 1)[0]
        assert entry.action == "import-update"
        assert entry.before == {"decision": "refer"}
    code, out, _ = run(capsys, "--data-dir", clinic, "transfer", "import", package, "--conflicts", "keep")
    assert code == 0 and "nothing new to import" in out  # the values are equal now: nothing to answer


def test_the_patient_line_counts_its_conflicts_and_the_laptop_is_told_its_value_was_overruled(
    capsys, tmp_path: Path, lesion_files: list[Path]
) -> None:
    clinic, package, _ = _both_reviewed(capsys, tmp_path, lesion_files[0])
    code, out, _ = run(capsys, "--data-dir", clinic, "transfer", "import", package, "--dry-run")
    [line] = [line for line in out.splitlines() if line.startswith("  T-1 ")]
    assert line.endswith(" present   1 conflict to answer (conflict 1 below)")  # was 'nothing new'
    code, out, _ = run(capsys, "--data-dir", clinic, "transfer", "import", package, "--keep", "1", "--dry-run")
    assert " present   1 conflict answered: 1 keeps this register's value\n" in out
    assert run(capsys, "--data-dir", clinic, "transfer", "import", package, "--keep", "1", "--yes")[0] == 0

    back, field = str(tmp_path / "back.ddtx"), str(tmp_path / "field")  # the clinic's answer goes to the laptop
    assert run(capsys, "--data-dir", clinic, "transfer", "export", back, "--no-encrypt")[0] == 0
    with Register(Path(clinic)) as reg:
        host = reg.database.one("SELECT hostname FROM workstations WHERE is_self = 1")[0]
        day = human_date(reg.audit.entries("capture", 1)[0].at)
        capture = reg.captures.get(1)
    said = (
        f"capture of {human_date(capture.taken_at)} ({capture.original_name}), lesion 1 (anterior torso) of patient "
        f"T-1: decision: your 'excise' replaced by workstation {host}'s 'refer' (answered at {host} on {day}: keep its "
        "own value over yours)"
    )
    code, out, _ = run(capsys, "--data-dir", field, "--json", "transfer", "import", back, "--dry-run")
    result = json.loads(out)
    assert (result["overruled"], result["field_conflicts"], result["patients"][0]["overruled"]) == ([said], [], 1)
    code, out, err = run(capsys, "--data-dir", field, "transfer", "import", back, "--yes")
    assert code == 0 and err == "" and "conflict" not in out and "will update" not in out
    assert f" present   updates 1 record; 1 of your values overruled at {host} (below)\n" in out
    assert f"overruled: {said}\n" in out
    assert out.endswith(
        f"updated 1 capture; replaced 1 of your values by workstation {host}'s, as answered there (keep its own)\n"
    )
    with Register(Path(field)) as reg:
        assert reg.captures.get(1).decision == "refer"
    again = str(tmp_path / "again.ddtx")  # and the laptop's next package: both agree, nothing to ask
    assert run(capsys, "--data-dir", field, "transfer", "export", again, "--no-encrypt")[0] == 0
    code, out, _ = run(capsys, "--data-dir", clinic, "transfer", "import", again)
    assert code == 0 and "nothing new to import" in out and "conflict" not in out
