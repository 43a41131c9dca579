"""``capture review`` saves what it is given: a flag left out keeps the capture's decision or notes (adding notes
no longer wipes the decision), ``--decision none`` and ``--notes ''`` clear one, and a call with neither saves
nothing and says so. A real SQLite register, the real command."""

from __future__ import annotations

from pathlib import Path

import pytest

from dermadesk.main import main
from dermadesk.storage.register import Register
from tests.conftest import lesion_jpeg


def run(capsys: pytest.CaptureFixture, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


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
    assert code == 0 and "decision refer" in out and "(notes kept)" in out
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
    assert code == 0 and "decision none" in out and review(data_dir)[0] is None
