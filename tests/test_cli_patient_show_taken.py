"""``patient show`` says when each lesion's captures were taken, under the lesion's line: each day for a few ("taken
5 Jan 2026, 10 Feb 2026 and 12 May 2026", a day with more than one counted), the first and latest for many; a lesion
with none has no such line. --json keeps its fields (the captures with their stored dates). A real SQLite register,
the real command."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from dermadesk.storage.register import Register
from tests.services.test_significant_change import grown_lesion
from tests.test_cli import run


def _add_captures(data_dir: Path, lesion: int, days: list[str]) -> None:
    """Captures stored as ``capture add`` stores them, without decoding an image for each (seconds on a busy
    machine): the dates are what is under test."""
    with Register(data_dir) as reg:
        for day in days:
            sha = reg.images.put(f"lesion {lesion} image {len(reg.captures.for_lesion(lesion))}".encode())
            reg.captures.add("test", lesion, day, sha, 600, 450, 7, "JPEG")


@pytest.fixture
def lesions_of_0_1_3_12_and_a_busy_day(capsys: pytest.CaptureFixture, data_dir: Path) -> None:
    """Patient T-1: lesion 1 without captures, lesion 2 with one, lesion 3 with three (added out of date order),
    lesion 4 with twelve over two years, lesion 5 with two the same day and one later."""
    run(capsys, "patient", "add", "--mrn", "T-1", "--name", "Tess Taken", "--birth-date", "1968-04-12")
    for site in ("head/neck", "anterior torso", "upper extremity", "posterior torso", "lower extremity"):
        run(capsys, "lesion", "add", "--patient", "T-1", "--site", site)
    _add_captures(data_dir, 2, ["2026-01-05"])
    _add_captures(data_dir, 3, ["2026-05-12", "2026-01-05", "2026-02-10"])
    _add_captures(data_dir, 4, [f"{2024 + i // 6}-{i % 6 * 2 + 1:02d}-{i % 3 + 1:02d}" for i in range(12)])
    _add_captures(data_dir, 5, ["2026-01-05", "2026-02-10", "2026-01-05"])
    capsys.readouterr()


NOT_ASSESSED = "    next follow-up: assess at next visit"  # as the patient summary says it for a lesion never assessed


@pytest.mark.usefixtures("lesions_of_0_1_3_12_and_a_busy_day")
def test_each_lesion_says_when_its_captures_were_taken(capsys: pytest.CaptureFixture) -> None:
    code, out, _ = run(capsys, "patient", "show", "T-1")
    assert code == 0 and out.splitlines()[1:] == [
        "  id 1: Lesion 1 · head/neck, monitoring, 0 captures",  # nothing taken: no dates line
        "  id 2: Lesion 2 · anterior torso, monitoring, 1 capture (lesion show 2 for its captures)",
        "    taken 5 Jan 2026",
        NOT_ASSESSED,  # then when to see it again (not assessed: at the next visit)
        "  id 3: Lesion 3 · upper extremity, monitoring, 3 captures (lesion show 3 for its captures)",
        "    taken 5 Jan 2026, 10 Feb 2026 and 12 May 2026",  # in date order, whatever order they were added in
        NOT_ASSESSED,
        "  id 4: Lesion 4 · posterior torso, monitoring, 12 captures (lesion show 4 for its captures)",
        "    first taken 1 Jan 2024, latest 3 Nov 2025",
        NOT_ASSESSED,
        "  id 5: Lesion 5 · lower extremity, monitoring, 3 captures (lesion show 5 for its captures)",
        "    taken 5 Jan 2026 (2 that day) and 10 Feb 2026",
        NOT_ASSESSED,
    ]


@pytest.mark.usefixtures("lesions_of_0_1_3_12_and_a_busy_day")
def test_json_keeps_its_fields_and_the_stored_dates(capsys: pytest.CaptureFixture) -> None:
    code, out, _ = run(capsys, "--json", "patient", "show", "T-1")
    shown = json.loads(out)
    assert code == 0 and set(shown) == {"patient", "lesions"}
    assert all(set(item) == {"lesion", "captures", "flag", "flag_why", "next_follow_up"} for item in shown["lesions"])
    assert [c["taken_at"] for c in shown["lesions"][2]["captures"]] == ["2026-01-05", "2026-02-10", "2026-05-12"]
    assert [len(item["captures"]) for item in shown["lesions"]] == [0, 1, 3, 12, 3]


def test_captures_of_one_day_are_said_once(capsys: pytest.CaptureFixture, data_dir: Path) -> None:
    run(capsys, "patient", "add", "--mrn", "O-1", "--name", "One Day")
    run(capsys, "lesion", "add", "--patient", "O-1", "--site", "head/neck")
    _add_captures(data_dir, 1, ["2026-03-03"] * 3)
    code, out, _ = run(capsys, "patient", "show", "O-1")
    assert code == 0 and out.splitlines()[2] == "    all taken 3 Mar 2026"


def test_the_days_are_the_workstations_days(capsys: pytest.CaptureFixture, data_dir: Path, monkeypatch) -> None:
    """Camera times stored in UTC: 23:30 UTC on 5 Jan and 08:00 UTC on 6 Jan are both 6 Jan in Auckland, as the
    app's timeline says them, not two days."""
    monkeypatch.setenv("TZ", "Pacific/Auckland")
    time.tzset()
    try:
        run(capsys, "patient", "add", "--mrn", "Z-1", "--name", "Zone Day")
        run(capsys, "lesion", "add", "--patient", "Z-1", "--site", "head/neck")
        _add_captures(data_dir, 1, ["2026-01-05T23:30:00+00:00", "2026-01-06T08:00:00+00:00", "2026-02-10"])
        code, out, _ = run(capsys, "patient", "show", "Z-1")
        assert code == 0 and out.splitlines()[2] == "    taken 6 Jan 2026 (2 that day) and 10 Feb 2026"
    finally:
        monkeypatch.undo()
        time.tzset()


def test_a_flagged_lesion_says_its_flag_first_then_the_days(capsys: pytest.CaptureFixture, register, tmp_path) -> None:
    """The flag and why stay right under the lesion (as the app's list flags it); the days follow."""
    lid = grown_lesion(register, tmp_path)  # 10 Jan 2026 and 3 Mar 2026, grown: ⚠ CHANGED
    register.close()
    code, out, _ = run(capsys, "patient", "show", "G-1")
    lines = out.splitlines()
    assert (
        code == 0 and lines[1].startswith(f"  id {lid}: ⚠ CHANGED Lesion 1") and lines[2].startswith("    ⚠ CHANGED:")
    )
    assert lines[3:] == [
        "    taken 10 Jan 2026 and 3 Mar 2026",
        "    next follow-up: specialist review now (significant change)",
    ]
