"""``capture review`` saves what it is given: a flag left out keeps the capture's decision or notes (adding notes
no longer wipes the decision), ``--decision none`` and ``--notes ''`` clear one, and a call with neither saves
nothing and says so; values equal to the stored ones change nothing (no audit row) and say so. A real SQLite
register, the real command."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dermadesk.domain.dates import human_date
from dermadesk.storage.register import Register
from tests.conftest import lesion_jpeg
from tests.test_cli import run

TODAY = human_date(dt.date.today().isoformat())  # the capture's date: it is imported without one
NEXT = "next: arrange it, then mark the lesion referred: dermadesk lesion edit 1 --status referred\n"


def review(data_dir: Path) -> tuple[str | None, str | None]:
    """Capture 1's stored (decision, clinician notes)."""
    with Register(data_dir) as reg:
        c = reg.captures.get(1)
        return c.decision, c.clinician_notes


@pytest.fixture
def capture(capsys, data_dir: Path, tmp_path: Path) -> None:
    image = tmp_path / "a.jpg"
    image.write_bytes(lesion_jpeg(seed=3))
    run(capsys, "patient", "add", "--mrn", "R-1", "--name", "Rev Iew")
    run(capsys, "lesion", "add", "--patient", "R-1", "--site", "anterior torso")
    assert run(capsys, "capture", "add", "--lesion", "1", "--no-assess", str(image))[0] == 0


def test_notes_alone_keep_the_decision_and_a_decision_alone_keeps_the_notes(capsys, capture, data_dir: Path) -> None:
    code, out, _ = run(capsys, "capture", "review", "--capture", "1", "--decision", "refer")
    assert code == 0 and "decision refer" in out and "notes" not in out  # it has none: nothing kept to say
    code, out, _ = run(capsys, "capture", "review", "--capture", "1", "--notes", "seen with Dr B")
    assert code == 0 and "notes saved (decision kept)" in out
    assert review(data_dir) == ("refer", "seen with Dr B")
    assert run(capsys, "capture", "review", "--capture", "1", "--decision", "excise")[0] == 0
    assert review(data_dir) == ("excise", "seen with Dr B")


def test_none_and_empty_notes_clear_and_nothing_given_saves_nothing(capsys, capture, data_dir: Path) -> None:
    run(capsys, "capture", "review", "--capture", "1", "--decision", "monitor", "--notes", "recheck in 3 months")
    code, out, err = run(capsys, "capture", "review", "--capture", "1")
    assert code != 0 and "nothing saved" in (out + err) and review(data_dir) == ("monitor", "recheck in 3 months")
    code, out, _ = run(capsys, "capture", "review", "--capture", "1", "--notes", "")
    assert code == 0 and "notes cleared" in out and review(data_dir)[0] == "monitor" and not review(data_dir)[1]
    code, out, _ = run(capsys, "capture", "review", "--capture", "1", "--decision", "none")
    assert code == 0 and out == f"capture 1 ({TODAY}): decision cleared\n" and review(data_dir)[0] is None


def actors(data_dir: Path) -> list[str]:
    """Who the audit log names for capture 1's changes, oldest first."""
    with Register(data_dir) as reg:
        return [e.actor for e in reversed(reg.audit.entries("capture", 1)) if e.action == "update"]


def test_operator_names_who_decided_and_no_operator_is_said(
    capsys, capture, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--operator NAME`` (else $DERMADESK_OPERATOR) names who decided, for that command only; with neither and
    none set in the app, the decision is the computer account's and stderr says so and how to name a person."""
    monkeypatch.delenv("DERMADESK_OPERATOR", raising=False)
    code, _, err = run(capsys, "capture", "review", "--capture", "1", "--decision", "refer", "--operator", "Dr B. Ng")
    assert code == 0 and "no operator is set" not in err
    monkeypatch.setenv("DERMADESK_OPERATOR", "Nurse K")
    assert run(capsys, "capture", "review", "--capture", "1", "--notes", "seen")[0] == 0
    monkeypatch.delenv("DERMADESK_OPERATOR")
    code, _, err = run(capsys, "capture", "review", "--capture", "1", "--decision", "monitor")
    assert code == 0 and "no operator is set; give --operator NAME" in err
    assert actors(data_dir)[-3:][:2] == ["Dr B. Ng", "Nurse K"] and actors(data_dir)[-1] not in ("Dr B. Ng", "Nurse K")
    code, out, err = run(capsys, "capture", "review", "--capture", "1", "--notes", "x", "--operator", "bad\x07name")
    assert code != 0 and "--operator" in (out + err)


def test_values_equal_to_the_stored_ones_change_nothing_and_say_so(capsys, capture, data_dir: Path) -> None:
    """The same decision and notes again write no audit row and say the capture already has them (exit 0)."""
    run(capsys, "capture", "review", "--capture", "1", "--decision", "refer", "--notes", "seen with Dr B")
    rows = len(actors(data_dir))
    code, out, _ = run(
        capsys, "capture", "review", "--capture", "1", "--decision", "refer", "--notes", "seen with Dr B "
    )
    assert (
        code == 0 and out == f"nothing changed: capture 1 ({TODAY}) already has decision refer and these notes\n{NEXT}"
    )
    code, out, _ = run(capsys, "capture", "review", "--capture", "1", "--decision", "refer")
    assert code == 0 and out == f"nothing changed: capture 1 ({TODAY}) already has decision refer\n{NEXT}"
    assert len(actors(data_dir)) == rows and review(data_dir) == ("refer", "seen with Dr B")
    run(capsys, "capture", "review", "--capture", "1", "--decision", "none", "--notes", "")
    code, out, _ = run(capsys, "capture", "review", "--capture", "1", "--decision", "none", "--notes", "")
    assert code == 0 and out == f"nothing changed: capture 1 ({TODAY}) already has no decision and no notes\n"
    assert len(actors(data_dir)) == rows + 1  # the clearing only
    code, out, _ = run(capsys, "capture", "review", "--capture", "1", "--notes", "seen again")  # a change is saved
    assert code == 0 and out == f"capture 1 ({TODAY}): notes saved\n"  # no decision: none kept to say
    assert len(actors(data_dir)) == rows + 2
