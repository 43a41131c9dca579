"""``capture edit`` corrects what ``capture add`` records with a capture: its polarisation, magnification and notes
(--notes '' clears them, --magnification none), saved through the service the app's Edit capture uses and audited
before and after; a correction of these leaves the capture's comparisons as they are (none made again)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dermadesk.main import main
from dermadesk.services import register_ops as ops
from dermadesk.storage.register import Register
from tests.conftest import lesion_jpeg


def run(capsys: pytest.CaptureFixture, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def two_captures(capsys, data_dir: Path, tmp_path: Path) -> None:
    """Lesion 1 with captures 1 (polarised, notes "first visit") and 2, not assessed."""
    run(capsys, "patient", "add", "--mrn", "E-1", "--name", "Edith Edit")
    run(capsys, "lesion", "add", "--patient", "E-1", "--site", "anterior torso")
    for i, day in enumerate(("2026-01-10", "2026-04-10")):
        image = tmp_path / f"c{i}.jpg"
        image.write_bytes(lesion_jpeg(seed=7, scale=1.0 + 0.25 * i))
        extra = ["--polarisation", "polarised", "--notes", "first visit"] if i == 0 else []
        assert run(capsys, "capture", "add", "--lesion", "1", "--no-assess", "--taken", day, *extra, str(image))[0] == 0


def comparisons(data_dir: Path) -> int:
    with Register(data_dir) as reg:
        return int(reg.database.one("SELECT count(*) FROM comparisons")[0])


def test_polarisation_is_corrected_and_audited(capsys, data_dir: Path, two_captures: None) -> None:
    made = comparisons(data_dir)
    code, out, err = run(capsys, "capture", "edit", "1", "--polarisation", "non-polarised")
    assert (code, err) == (0, "") and out == "capture 1 (10 Jan 2026): polarisation polarised → non-polarised\n"
    with Register(data_dir) as reg:
        entry = reg.audit.entries("capture", 1)[0]
        assert (entry.action, entry.before, entry.after) == (
            "update",
            {"polarisation": "polarised"},
            {"polarisation": "non-polarised"},
        )
        assert reg.captures.get(1).polarisation == "non-polarised"
    assert comparisons(data_dir) == made  # recorded only: nothing compared again


def test_polarisation_none_clears_it_back_to_not_recorded(capsys, data_dir: Path, two_captures: None) -> None:
    """--polarisation none clears it, as --magnification none and 'capture review --recheck none' do: stored as none
    (what the app shows "not recorded"), not as 'unknown', a choice of its own that stays one."""
    code, out, err = run(capsys, "capture", "edit", "1", "--polarisation", "none")
    assert (code, err) == (0, "") and out == "capture 1 (10 Jan 2026): polarisation polarised → not recorded\n"
    code, out, _ = run(capsys, "capture", "edit", "2", "--polarisation", "unknown")
    assert code == 0 and out == "capture 2 (10 Apr 2026): polarisation not recorded → unknown\n"
    with Register(data_dir) as reg:
        assert (reg.captures.get(1).polarisation, reg.captures.get(2).polarisation) == (None, "unknown")
        entry = reg.audit.entries("capture", 1)[0]
        assert (entry.before, entry.after) == ({"polarisation": "polarised"}, {"polarisation": None})
    code, out, _ = run(capsys, "capture", "edit", "1", "--polarisation", "none")
    assert code == 0 and out == "capture 1 (10 Jan 2026): nothing changed\n"
    with pytest.raises(SystemExit) as refused:
        main(["capture", "edit", "1", "--polarisation", "cross"])
    assert refused.value.code == 2 and "'none'" in capsys.readouterr().err  # the choices named, none among them


def test_magnification_is_set_and_cleared(capsys, data_dir: Path, two_captures: None) -> None:
    code, out, _ = run(capsys, "capture", "edit", "2", "--magnification", "10")
    assert code == 0 and out == "capture 2 (10 Apr 2026): magnification not recorded → ×10\n"
    code, out, _ = run(capsys, "capture", "edit", "2", "--magnification", "none", "--json")
    said = json.loads(out)
    assert code == 0 and (said["before"]["magnification"], said["after"]["magnification"]) == (10.0, None)
    assert said["compared_again"] == [] and said["in_use_again"] == []
    with Register(data_dir) as reg:
        assert [(e.before, e.after) for e in reg.audit.entries("capture", 2)[:2]] == [
            ({"magnification": 10.0}, {"magnification": None}),
            ({"magnification": None}, {"magnification": 10.0}),
        ]


def test_a_magnification_out_of_range_or_not_a_number_changes_nothing(
    capsys, data_dir: Path, two_captures: None
) -> None:
    with Register(data_dir) as reg:
        audited = len(reg.audit.entries("capture", 2))
    for given, said in (("0", "0"), ("1500", "1500"), ("×0.5e4", "5000")):  # the range said ("out of range" only)
        code, out, err = run(capsys, "capture", "edit", "2", "--magnification", given)
        assert (code, out) == (1, "") and err == (
            f"dermadesk: error: --magnification: {said} is out of range: give the dermatoscope's magnification, "
            "e.g. 10 (above 0, up to 1000)\n"
        )
    for given in ("ten", "xx10", "10x10"):
        with pytest.raises(SystemExit) as refused:
            main(["capture", "edit", "2", "--magnification", given])
        assert refused.value.code == 2
        assert f"argument --magnification: invalid magnification value: '{given}'" in capsys.readouterr().err
    with Register(data_dir) as reg:
        assert len(reg.audit.entries("capture", 2)) == audited and reg.captures.get(2).magnification is None


def test_notes_are_replaced_and_cleared(capsys, data_dir: Path, two_captures: None) -> None:
    made = comparisons(data_dir)
    code, out, _ = run(capsys, "capture", "edit", "1", "--notes", "seen by Dr B\nbleeds when scratched")
    assert code == 0 and out == "capture 1 (10 Jan 2026): notes saved\n"
    code, out, _ = run(capsys, "capture", "edit", "1", "--notes", "", "--json")
    said = json.loads(out)
    assert code == 0 and said["before"]["notes"] == "seen by Dr B\nbleeds when scratched"
    assert said["after"]["notes"] == "" and said["after"]["polarisation"] == "polarised"  # only what was given
    code, out, _ = run(capsys, "capture", "edit", "1", "--notes", "")
    assert code == 0 and out == "capture 1 (10 Jan 2026): nothing changed\n"  # no audit row for it
    with Register(data_dir) as reg:
        entries = reg.audit.entries("capture", 1)
        assert len(entries) == 3 and [(e.before, e.after) for e in entries[:2]] == [  # and the one of its adding
            ({"notes": "seen by Dr B\nbleeds when scratched"}, {"notes": ""}),
            ({"notes": "first visit"}, {"notes": "seen by Dr B\nbleeds when scratched"}),
        ]
    assert comparisons(data_dir) == made


def test_notes_with_control_characters_are_refused(capsys, data_dir: Path, two_captures: None) -> None:
    code, _, err = run(capsys, "capture", "edit", "1", "--notes", "bad\x1b[31m")
    assert code == 1 and err.startswith("dermadesk: error: capture notes") and "first visit" not in err
    with Register(data_dir) as reg:
        assert reg.captures.get(1).notes == "first visit"


def test_nothing_given_says_every_option(capsys, data_dir: Path, two_captures: None) -> None:
    code, _, err = run(capsys, "capture", "edit", "1")
    assert code == 1 and err == (
        "dermadesk: error: nothing to change: give --taken-at, --modality, --mm-per-px, --lesion, --polarisation, "
        "--magnification or --notes\n"
    )


def test_the_apps_undo_puts_them_back(capsys, data_dir: Path, two_captures: None) -> None:
    """The app's Edit capture saves through ``ops.edit_capture`` and undoes with the values before: so do these."""
    with Register(data_dir) as reg:
        before = reg.captures.get(1)
        changes = {"polarisation": "unknown", "magnification": 20.0, "notes": "recheck in 3 months"}
        ops.edit_capture(reg, "t", 1, changes)
        ops.edit_capture(reg, "t", 1, {k: getattr(before, k) for k in changes}, action="undo")
        after = reg.captures.get(1)
        assert (after.polarisation, after.magnification, after.notes) == ("polarised", None, "first visit")
        assert reg.audit.entries("capture", 1)[0].action == "undo"


@pytest.mark.parametrize("given", ["10x", "×10", "x10", "10 ×", "X10"])
def test_a_magnification_written_as_the_command_line_prints_it_is_read(
    capsys, data_dir: Path, two_captures: None, given: str
) -> None:
    """The command line prints a magnification as "×10": given back so (or "x10", "10x"), it is 10."""
    code, out, err = run(capsys, "capture", "edit", "2", "--magnification", given)
    assert (code, err) == (0, "") and out == "capture 2 (10 Apr 2026): magnification not recorded → ×10\n"
    with Register(data_dir) as reg:
        assert reg.captures.get(2).magnification == 10.0


def test_capture_add_reads_x10_and_says_the_range(capsys, data_dir: Path, two_captures: None, tmp_path: Path) -> None:
    image = tmp_path / "c9.jpg"
    image.write_bytes(lesion_jpeg(seed=9))
    code, out, err = run(capsys, "capture", "add", "--lesion", "1", "--no-assess", "--magnification", "0", str(image))
    assert (code, out) == (1, "") and err == (
        "dermadesk: error: --magnification: 0 is out of range: give the dermatoscope's magnification, e.g. 10 "
        "(above 0, up to 1000)\n"
    )
    with Register(data_dir) as reg:
        assert len(reg.captures.for_lesion(1)) == 2  # nothing imported
    code, _, err = run(capsys, "capture", "add", "--lesion", "1", "--no-assess", "--magnification", "×20", str(image))
    assert (code, err) == (0, "")
    with Register(data_dir) as reg:
        assert [c.magnification for c in reg.captures.for_lesion(1)] == [None, None, 20.0]
