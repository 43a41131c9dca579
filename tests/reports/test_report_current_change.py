"""The lesion report's "Change since" is the reported visit against the baseline as they are now: never the
newest stored comparison as such (a deleted capture's, or one made with dates corrected since). On the command
line (the PDF read back with pypdf) and through the services, in a real SQLite register."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader

from dermadesk.config import Settings
from dermadesk.domain.dates import human_date
from dermadesk.main import main
from dermadesk.services import register_ops as ops
from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.services.reports import lesion_report_data, patient_summary_data
from dermadesk.services.tracking import baseline_change, refresh_baseline_comparison
from dermadesk.storage.register import Register
from tests.conftest import lesion_jpeg

BASE, FOLLOW = "2026-05-10", "2026-11-22"  # 196 days apart; 2026-09-01 to 2026-11-22 is 82 days


def run(capsys: pytest.CaptureFixture, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def report_text(capsys: pytest.CaptureFixture, out: Path) -> str:
    code, _, err = run(capsys, "report", "--lesion", "1", "--out", str(out))
    assert code == 0, err
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(str(out)).pages)


def images(tmp_path: Path) -> list[Path]:
    """Baseline, a follow-up grown by ~70 % (SIGNIFICANT), a smaller third image (NOT SIGNIFICANT)."""
    paths = []
    for name, scale in (("base", 1.0), ("grown", 1.3), ("third", 0.9)):
        p = tmp_path / f"{name}.jpg"
        p.write_bytes(lesion_jpeg(seed=40, scale=scale))
        paths.append(p)
    return paths


@pytest.fixture
def cli_lesion(capsys, data_dir: Path, tmp_path: Path) -> list[Path]:
    files = images(tmp_path)
    run(capsys, "patient", "add", "--mrn", "R-1", "--name", "Re Port")
    run(capsys, "lesion", "add", "--patient", "R-1", "--site", "anterior torso")
    for f, day in zip(files[:2], (BASE, FOLLOW)):
        assert run(capsys, "capture", "add", "--lesion", "1", "--no-assess", "--taken", day, str(f))[0] == 0
    assert "SIGNIFICANT" in run(capsys, "compare", "1", "2")[1]
    return files


def assert_reports_visit_2_significant(text: str) -> None:
    assert f"Visit of {human_date(FOLLOW)} (the latest of 2 captures of lesion 1)" in text  # as the app
    assert f"Change since {human_date(BASE)} (196 days): SIGNIFICANT" in text
    assert "NOT SIGNIFICANT" not in text and "shrank" not in text and "82 days" not in text


def test_cli_report_leaves_out_a_deleted_captures_comparison(capsys, cli_lesion: list[Path], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "capture", "add", "--lesion", "1", "--no-assess", "--taken", FOLLOW, str(cli_lesion[2]))
    assert code == 0 and out.startswith("capture 3 (") and ") added (" in out
    with_third = report_text(capsys, tmp_path / "with-third.pdf")
    # named as the app names it: the second capture that day
    visit = f"Visit of {human_date(FOLLOW)}, 2 of 2 that day (the latest of 3 captures of lesion 1)"
    assert visit in with_third and "NOT SIGNIFICANT" in with_third
    assert run(capsys, "capture", "delete", "3")[0] == 0
    assert_reports_visit_2_significant(report_text(capsys, tmp_path / "after-delete.pdf"))


def test_cli_report_after_a_date_changed_and_changed_back(capsys, cli_lesion: list[Path], tmp_path: Path) -> None:
    assert run(capsys, "capture", "edit", "1", "--taken-at", "2026-09-01")[0] == 0
    moved = report_text(capsys, tmp_path / "moved.pdf")
    assert "Change since 1 Sep 2026 (82 days)" in moved
    assert run(capsys, "capture", "edit", "1", "--taken-at", BASE)[0] == 0
    assert_reports_visit_2_significant(report_text(capsys, tmp_path / "back.pdf"))
    code, out, _ = run(capsys, "compare", "1", "2")
    assert code == 0 and "same result as comparison 1" in out and "no new row stored" in out
    assert_reports_visit_2_significant(report_text(capsys, tmp_path / "after-compare.pdf"))


@pytest.fixture
def lesion(register: Register, tmp_path: Path) -> int:
    files = images(tmp_path)
    lid = register.lesions.add("t", register.patients.add("t", "R-2", "Ser Vice").id, "head/neck").id
    for f, day in zip(files[:2], (BASE, FOLLOW)):
        import_files(register, "t", lid, [f], CaptureMeta(taken_at=day))
    return lid


def report_change(register: Register, lid: int) -> tuple[str, str, int | None, str, str]:
    c = lesion_report_data(register, Settings(), lid, today=dt.date(2026, 11, 22)).comparison
    assert c is not None
    return c.verdict, c.baseline_date, c.interval_days, c.followup_date, " ".join(c.reasons)


def test_service_report_and_summary_ignore_an_undone_import(register: Register, lesion: int, tmp_path: Path) -> None:
    imported = import_files(register, "t", lesion, [tmp_path / "third.jpg"], CaptureMeta(taken_at=FOLLOW))
    assert report_change(register, lesion)[0] == "not significant"  # capture 3 is the visit reported now
    ops.delete_capture(register, "t", imported.captures[0].id)  # what undoing the import does
    verdict, since, days, on, reasons = report_change(register, lesion)
    assert (verdict, since, days, on) == ("significant", BASE, 196, FOLLOW) and "shrank" not in reasons
    summary = patient_summary_data(register, Settings(), "R-2", today=dt.date(2026, 11, 22))
    assert summary.lesions[0].latest_verdict == "significant"


def test_service_report_uses_the_current_dates(register: Register, lesion: int) -> None:
    for day in ("2026-09-01", BASE):  # changed and changed back (Edit > Undo), each correction recompared
        ops.edit_capture(register, "t", 1, {"taken_at": day})
        refresh_baseline_comparison(register, "t", lesion)
    assert [c.interval_days for c in register.comparisons.for_lesion(lesion)] == [196, 82]  # the newest is stale
    verdict, since, days, on, reasons = report_change(register, lesion)
    assert (verdict, since, days, on) == ("significant", BASE, 196, FOLLOW) and "82 days" not in reasons
    change = baseline_change(register, lesion)
    assert change is not None and change.comparison_id == 1


def test_service_report_computes_the_change_when_no_current_row_is_stored(register: Register, lesion: int) -> None:
    ops.edit_capture(register, "t", 1, {"taken_at": "2026-09-01"})  # no recompare: every stored row is stale
    rows = len(register.comparisons.for_lesion(lesion))
    change = baseline_change(register, lesion)
    assert change is not None and change.comparison_id is None and change.interval_days == 82
    verdict, since, days, _, _ = report_change(register, lesion)
    assert (since, days) == ("2026-09-01", 82) and verdict == change.verdict
    assert len(register.comparisons.for_lesion(lesion)) == rows  # a report stores nothing
    assert baseline_change(register, lesion, compute=False) is None
