"""Corrections on the command line (capture/lesion edit and delete, --restore), audited in the real register;
compare stores a row only when the result differs; the smaller messages of issue 16."""

import json
from pathlib import Path

import pytest

from dermadesk.main import main
from dermadesk.storage.register import Register
from tests.conftest import lesion_jpeg


def run(capsys: pytest.CaptureFixture, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def lesion_with_two(capsys, tmp_path: Path) -> list[Path]:
    files = []
    for i in range(3):
        p = tmp_path / f"c{i}.jpg"
        p.write_bytes(lesion_jpeg(seed=7, scale=1.0 + 0.25 * i))
        files.append(p)
    run(capsys, "patient", "add", "--mrn", "C-1", "--name", "Cor Rection")
    run(capsys, "lesion", "add", "--patient", "C-1", "--site", "anterior torso", "--label", "chest")
    run(capsys, "lesion", "add", "--patient", "C-1", "--site", "upper extremity", "--label", "arm")
    for f, day in zip(files[:2], ("2026-01-10", "2026-04-10")):
        assert run(capsys, "capture", "add", "--lesion", "1", "--no-assess", "--taken", day, str(f))[0] == 0
    return files


def test_capture_edit_move_delete_restore_audited(capsys, data_dir: Path, lesion_with_two: list[Path]) -> None:
    code, out, _ = run(
        capsys, "capture", "edit", "2", "--taken-at", "2026-02-10", "--modality", "clinical", "--mm-per-px", "0.02"
    )
    assert code == 0 and out.splitlines()[0] == (
        "capture 2 (10 Feb 2026): date taken 10 Apr 2026 → 10 Feb 2026, modality dermoscopic → clinical, "
        "scale not recorded → 0.02 mm per pixel"
    )
    with Register(data_dir) as reg:
        entry = reg.audit.entries("capture", 2)[0]
        assert entry.action == "update"
        assert entry.before == {"taken_at": "2026-04-10", "modality": "dermoscopic", "mm_per_px": None}
        assert entry.after == {"taken_at": "2026-02-10", "modality": "clinical", "mm_per_px": 0.02}
        assert reg.captures.get(2).taken_at == "2026-02-10"
    code, out, err = run(capsys, "capture", "edit", "2", "--taken-at", "2023-02-30")
    assert code == 1 and "'2023-02-30' is not a real date" in err
    code, out, _ = run(capsys, "capture", "edit", "2", "--lesion", "2")
    assert code == 0 and out.splitlines()[0] == "capture 2 (10 Feb 2026): lesion id 1 → 2"
    assert run(capsys, "capture", "delete", "1")[0] == 0
    with Register(data_dir) as reg:
        assert reg.captures.get(2).lesion_id == 2
        assert reg.audit.entries("capture", 2)[0].before == {"lesion_id": 1}
        assert reg.captures.for_lesion(1) == [] and reg.audit.entries("capture", 1)[0].action == "delete"
    code, out, _ = run(capsys, "capture", "delete", "1", "--restore", "--json")
    assert code == 0 and json.loads(out)["deleted_at"] is None


def test_a_capture_moves_only_within_its_patient(capsys, data_dir: Path, lesion_with_two: list[Path]) -> None:
    run(capsys, "patient", "add", "--mrn", "O-1", "--name", "Other")
    run(capsys, "lesion", "add", "--patient", "O-1", "--site", "head/neck")
    code, _, err = run(capsys, "capture", "edit", "1", "--lesion", "3")
    assert code == 1 and "another patient" in err


def test_lesion_edit_delete_restore(capsys, data_dir: Path, lesion_with_two: list[Path]) -> None:
    code, out, _ = run(capsys, "lesion", "edit", "1", "--status", "referred", "--label", "left chest")
    assert code == 0 and out == "Lesion 1 (id 1): label chest → left chest, status monitoring → referred\n"
    assert run(capsys, "lesion", "delete", "1")[0] == 0
    detail = json.loads(run(capsys, "patient", "show", "C-1", "--json")[1])
    assert [les["lesion"]["deleted_at"] is not None for les in detail["lesions"]] == [True, False]
    assert run(capsys, "lesion", "delete", "1", "--restore")[0] == 0
    with Register(data_dir) as reg:
        assert [e.action for e in reg.audit.entries("lesion", 1)][:3] == ["restore", "delete", "update"]
        assert reg.lesions.get(1).status == "referred" and reg.lesions.get(1).label == "left chest"


def test_compare_twice_stores_one_row_and_a_redated_capture_makes_it_stale(
    capsys, data_dir: Path, lesion_with_two: list[Path]
) -> None:
    from dermadesk.services.tracking import current_comparisons

    with Register(data_dir) as reg:
        rows = len(reg.comparisons.for_lesion(1))  # the import compared the follow-up with the baseline
    code, out, _ = run(capsys, "compare", "1", "2", "--json")
    assert code == 0 and json.loads(out)["new_row"] is False
    code, out, _ = run(capsys, "compare", "1", "2")
    assert "no new row stored" in out
    with Register(data_dir) as reg:
        assert len(reg.comparisons.for_lesion(1)) == rows == 1
    run(capsys, "capture", "edit", "2", "--taken-at", "2026-06-10")  # another interval: compared again
    with Register(data_dir) as reg:
        current = current_comparisons(reg, 1)
        assert len(reg.comparisons.for_lesion(1)) == 2 and [c.interval_days for c in current] == [151]


def test_same_image_in_another_lesion_is_refused_naming_it(capsys, data_dir: Path, lesion_with_two: list[Path]) -> None:
    code, _, err = run(capsys, "capture", "add", "--lesion", "2", "--no-assess", str(lesion_with_two[0]))
    assert code == 1 and "same image is the capture of 10 Jan 2026 in Lesion 1 · chest · anterior torso of " in err


def test_backup_and_check_count_the_same_image_files_and_restore_into_an_empty_folder(
    capsys, tmp_path: Path, lesion_with_two: list[Path]
) -> None:
    _, out, _ = run(capsys, "backup", str(tmp_path / "b.zip"))
    assert "2 image files (photographs and their heat maps)" in out  # as restore counts them
    _, out, _ = run(capsys, "db", "check")
    assert "image files checked: 2 (2 capture images, 0 heat maps)" in out
    _, out, _ = run(capsys, "--data-dir", str(tmp_path / "empty"), "restore", str(tmp_path / "b.zip"))
    assert "nothing to keep aside" in out and "(none)" not in out


def test_significant_change_while_monitoring_suggests_referral(capsys, data_dir: Path, tmp_path: Path) -> None:
    run(capsys, "patient", "add", "--mrn", "S-1", "--name", "Grow Ing")
    run(capsys, "lesion", "add", "--patient", "S-1", "--site", "head/neck")
    for i, (scale, day) in enumerate(((1.0, "2026-01-01"), (1.5, "2026-04-01"))):
        f = tmp_path / f"g{i}.jpg"
        f.write_bytes(lesion_jpeg(seed=40, scale=scale))
        code, out, _ = run(capsys, "capture", "add", "--lesion", "1", "--no-assess", "--taken", day, str(f))
    assert "suggestion: the lesion's status is still 'monitoring': mark it referred?" in out
    assert "lesion edit 1 --status referred" in out
    code, out, _ = run(capsys, "compare", "1", "2")
    assert "SIGNIFICANT" in out and "suggestion:" in out
    run(capsys, "lesion", "edit", "1", "--status", "referred")
    assert "suggestion:" not in run(capsys, "compare", "1", "2")[1]


def test_a_deleted_capture_takes_its_comparisons_out_of_the_trend(capsys, data_dir: Path, tmp_path: Path) -> None:
    from dermadesk.services.tracking import change_line, current_comparisons, lesion_trend

    run(capsys, "patient", "add", "--mrn", "T-1", "--name", "Trend")
    run(capsys, "lesion", "add", "--patient", "T-1", "--site", "head/neck")
    for i, (scale, day) in enumerate(((1.0, "2026-01-01"), (1.5, "2026-04-01"), (1.2, "2026-06-01"))):
        f = tmp_path / f"t{i}.jpg"
        f.write_bytes(lesion_jpeg(seed=40, scale=scale))
        run(capsys, "capture", "add", "--lesion", "1", "--no-assess", "--taken", day, str(f))
    run(capsys, "capture", "delete", "1")  # the baseline: capture 2 is the baseline now
    with Register(data_dir) as reg:
        assert all(1 not in (c.baseline_capture_id, c.followup_capture_id) for c in current_comparisons(reg, 1))
        assert lesion_trend(reg, 1).dates == ["2026-04-01", "2026-06-01"]
        line = change_line(reg, 3)
        assert line is not None and line.since == "2026-04-01"  # compared again with the new baseline


def test_lesion_edit_says_what_it_changed_in_plain_words(capsys, data_dir: Path, lesion_with_two: list[Path]) -> None:
    """As capture edit says its corrections: the field's name and both values, an arrow between them; a label that
    was empty, or is cleared, is "(none)"; a value given again is not listed."""
    run(capsys, "lesion", "add", "--patient", "C-1", "--site", "head/neck")  # lesion 3: no label
    code, out, _ = run(
        capsys, "lesion", "edit", "3", "--label", "scalp", "--site", "upper extremity", "--status", "monitoring"
    )
    assert code == 0 and out == "Lesion 3 (id 3): site head/neck → upper extremity, label (none) → scalp\n"
    code, out, _ = run(capsys, "lesion", "edit", "3", "--label", "")
    assert code == 0 and out == "Lesion 3 (id 3): label scalp → (none)\n"
    code, out, _ = run(capsys, "lesion", "edit", "3", "--status", "monitoring")
    assert code == 0 and out == "Lesion 3 (id 3): nothing changed\n"
    shown = json.loads(run(capsys, "lesion", "edit", "3", "--status", "excised", "--json")[1])
    assert (shown["before"]["status"], shown["after"]["status"]) == ("monitoring", "excised")  # --json as it was


def test_capture_edit_mm_per_px_none_clears_the_scale(capsys, data_dir: Path, lesion_with_two: list[Path]) -> None:
    """--mm-per-px none clears a scale recorded by mistake, as the app's Edit capture can and as --polarisation none
    and --magnification none clear theirs (it was refused: "invalid float value: 'none'"); audited before and
    after. A word other than none is still refused."""
    assert run(capsys, "capture", "edit", "2", "--mm-per-px", "0.02")[0] == 0
    code, out, err = run(capsys, "capture", "edit", "2", "--mm-per-px", "none")
    assert (code, err) == (0, "") and out.splitlines()[0] == (
        "capture 2 (10 Apr 2026): scale 0.02 mm per pixel → not recorded"
    )
    with Register(data_dir) as reg:
        entry = reg.audit.entries("capture", 2)[0]
        assert (entry.action, entry.before, entry.after) == ("update", {"mm_per_px": 0.02}, {"mm_per_px": None})
        assert reg.captures.get(2).mm_per_px is None
    with pytest.raises(SystemExit):
        run(capsys, "capture", "edit", "2", "--mm-per-px", "abc")
    assert "argument --mm-per-px: invalid scale value: 'abc'" in capsys.readouterr().err
