"""``compare A B`` of two captures names them first, as the other commands name a capture ("capture 3 (25 Aug 2026) →
capture 4 (23 Nov 2026)"), and says when it put them in date order (given the later first); --json gives the pair
as compared. A real register, the real command."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dermadesk.domain.dates import human_datetime
from dermadesk.storage.register import Register
from tests.conftest import lesion_jpeg
from tests.test_cli import run


@pytest.fixture
def two_visits(capsys, tmp_path: Path) -> None:
    run(capsys, "patient", "add", "--mrn", "V-1", "--name", "Two Visits")
    run(capsys, "lesion", "add", "--patient", "V-1", "--site", "posterior torso")
    for day, scale in (("2026-08-25", 1.0), ("2026-11-23", 1.3)):
        image = tmp_path / f"{day}.jpg"
        image.write_bytes(lesion_jpeg(seed=40, scale=scale))
        assert run(capsys, "capture", "add", "--lesion", "1", "--no-assess", "--taken", day, str(image))[0] == 0


def test_the_pair_is_named_with_its_dates_first(capsys, two_visits) -> None:
    code, out, _ = run(capsys, "compare", "1", "2")
    lines = out.splitlines()
    assert code == 0 and lines[0] == "capture 1 (25 Aug 2026) → capture 2 (23 Nov 2026)"
    assert lines[1] == "verdict: SIGNIFICANT"


def test_given_the_later_first_it_says_it_put_them_in_date_order(capsys, two_visits) -> None:
    in_order = run(capsys, "compare", "1", "2")[1].splitlines()
    code, out, _ = run(capsys, "compare", "2", "1")
    lines = out.splitlines()
    assert code == 0 and lines[0] == (
        "capture 1 (25 Aug 2026) → capture 2 (23 Nov 2026) (given as 2 1: put in date order, the earlier as the "
        "baseline)"
    )
    assert lines[1:] == in_order[1:]  # the same comparison, nothing else said differently
    shown = json.loads(run(capsys, "compare", "2", "1", "--json")[1])
    assert (shown["baseline_capture_id"], shown["followup_capture_id"], shown["reordered"]) == (1, 2, True)
    shown = json.loads(run(capsys, "compare", "1", "2", "--json")[1])
    assert shown["reordered"] is False and shown["verdict"] == "significant"


def test_the_same_result_again_says_when_it_was_stored_as_dates_are_said(capsys, data_dir: Path, two_visits) -> None:
    """ "same result as comparison 1 (stored 23 Nov 2026 18:34)", the workstation's time, not the stored stamp
    "2026-11-23T18:34" (in UTC)."""
    code, out, _ = run(capsys, "compare", "1", "2")  # the import stored this pair's comparison already
    with Register(data_dir) as reg:
        (row,) = reg.comparisons.for_lesion(1)
    (note,) = [line for line in out.splitlines() if line.startswith("same result")]
    assert (
        code == 0
        and note == f"same result as comparison {row.id} (stored {human_datetime(row.created_at)}): no new row stored"
    )
    assert re.fullmatch(r"same result as comparison 1 \(stored \d{1,2} [A-Z][a-z]{2} \d{4} \d\d:\d\d\): .*", note)
