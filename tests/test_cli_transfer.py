"""``dermadesk transfer``: export, preview, confirmation, import, re-import; the one-line refusals."""

import io
import json
from pathlib import Path

import pytest

from dermadesk.main import main
from dermadesk.storage.register import Register


def run(capsys: pytest.CaptureFixture, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _one_patient(capsys, data_dir: str, image: Path, mrn: str = "T-1") -> None:
    run(capsys, "--data-dir", data_dir, "patient", "add", "--mrn", mrn, "--name", "Tess Transfer")
    code, out, _ = run(
        capsys, "--data-dir", data_dir, "lesion", "add", "--patient", mrn, "--site", "anterior torso", "--json"
    )
    lesion = str(json.loads(out)["id"])
    assert run(capsys, "--data-dir", data_dir, "capture", "add", "--lesion", lesion, "--no-assess", str(image))[0] == 0


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_transfer_export_then_import_preview_import_and_reimport(
    capsys, tmp_path: Path, lesion_files: list[Path]
) -> None:
    a, b = str(tmp_path / "A"), str(tmp_path / "B")
    _one_patient(capsys, a, lesion_files[0])
    secret, wrong = tmp_path / "secret.txt", tmp_path / "wrong.txt"
    secret.write_text("field team passphrase\n")
    wrong.write_text("something else\n")
    package = str(tmp_path / "week.ddtx")
    code, out, _ = run(capsys, "--data-dir", a, "transfer", "export", package, "--passphrase-file", str(secret))
    assert code == 0 and "1 patient, 1 lesion, 1 capture" in out and "encrypted" in out
    assert " kB, " in out and "0.0 MB" not in out
    code, out, _ = run(
        capsys, "--data-dir", b, "transfer", "import", package, "--passphrase-file", str(secret), "--dry-run"
    )
    assert code == 0 and "T-1" in out and "NEW" in out and "dry run: nothing was written" in out
    assert not Path(b).exists()  # previewed as into a new register: none left behind
    code, out, err = run(capsys, "--data-dir", b, "transfer", "import", package, "--passphrase-file", str(wrong))
    assert code == 1 and err == "dermadesk: error: wrong passphrase for week.ddtx; nothing was changed\n"
    code, out, err = run(capsys, "--data-dir", b, "transfer", "import", package, "--passphrase-file", str(secret))
    assert code == 1 and "NEW" in out and err.count("\n") == 1 and "give --yes" in err  # not a terminal: stops
    assert not Path(b).exists()  # nothing imported: no empty register made
    code, out, err = run(
        capsys, "--data-dir", b, "transfer", "import", package, "--passphrase-file", str(secret), "--json", "--yes"
    )
    result = json.loads(out)
    assert code == 0 and result["applied"] and result["add"]["captures"] == 1
    assert err == f"dermadesk: note: a new, empty register was created at {b}\n"  # said once, as it was made
    code, out, _ = run(capsys, "--data-dir", b, "transfer", "import", package, "--passphrase-file", str(secret))
    assert code == 0 and "nothing new to import; the register is unchanged" in out  # nothing to ask about
    assert run(capsys, "--data-dir", b, "db", "check")[0] == 0
    shown = json.loads(run(capsys, "--data-dir", b, "patient", "show", "T-1", "--json")[1])
    assert shown["lesions"][0]["captures"][0]["original_name"] == lesion_files[0].name


def reviewed_in_the_field(capsys, tmp_path: Path, image: Path, decision: str) -> tuple[str, str]:
    """A clinic's patient sent to a field laptop, its capture given ``decision`` there, and sent back: (the clinic's
    data folder, the package from the field, not yet imported)."""
    clinic, field = str(tmp_path / "clinic"), str(tmp_path / "field")
    _one_patient(capsys, clinic, image)
    package = str(tmp_path / "p.ddtx")
    assert run(capsys, "--data-dir", clinic, "transfer", "export", package, "--no-encrypt")[0] == 0
    assert run(capsys, "--data-dir", field, "transfer", "import", package, "--yes")[0] == 0
    with Register(Path(field)) as reg:
        reg.captures.review("nurse", 1, decision, "")
    assert run(capsys, "--data-dir", field, "transfer", "export", package, "--no-encrypt", "--overwrite")[0] == 0
    return clinic, package


def test_import_asks_on_a_terminal_and_a_review_comes_across(
    capsys, monkeypatch, tmp_path: Path, lesion_files: list[Path]
) -> None:
    clinic, package = reviewed_in_the_field(capsys, tmp_path, lesion_files[0], "excise")
    monkeypatch.setattr("sys.stdin", _Terminal("n\n"))
    code, out, _ = run(capsys, "--data-dir", clinic, "transfer", "import", package)
    assert code == 0 and "to update:       1 capture" in out and "not imported; nothing was written" in out
    assert "will update: capture" in out and "decision filled in from the package (here: (empty)" in out
    monkeypatch.setattr("sys.stdin", _Terminal("y\n"))
    code, out, _ = run(capsys, "--data-dir", clinic, "transfer", "import", package)
    assert code == 0 and out.strip().endswith("updated 1 capture")
    with Register(Path(clinic)) as reg:
        assert reg.captures.get(1).decision == "excise"


def test_export_refuses_to_overwrite_and_names_a_missing_folder(
    capsys, tmp_path: Path, lesion_files: list[Path]
) -> None:
    a = str(tmp_path / "A")
    _one_patient(capsys, a, lesion_files[0])
    _one_patient(capsys, a, lesion_files[1], mrn="T-2")
    out = tmp_path / "out.ddtx"
    out.write_bytes(b"keep me")
    code, _, err = run(capsys, "--data-dir", a, "transfer", "export", str(out), "--no-encrypt")
    assert code == 1 and err == (
        f"dermadesk: error: {out} already exists; give --overwrite to replace it; nothing was written\n"
    )
    assert out.read_bytes() == b"keep me"
    code, text, _ = run(
        capsys, "--data-dir", a, "transfer", "export", "--patient", "T-2", str(out), "--no-encrypt", "--overwrite"
    )
    assert code == 0 and "exported 1 patient, 1 lesion, 1 capture" in text
    code, text, _ = run(capsys, "--data-dir", a, "transfer", "export", str(tmp_path / "week12"), "--no-encrypt")
    assert code == 0 and text.startswith("exported 2 patients") and not (tmp_path / "week12").exists()
    assert f"to {tmp_path / 'week12.ddtx'} (" in text and "NOT encrypted; .ddtx added to the name given)" in text
    code, text, _ = run(capsys, "--data-dir", a, "transfer", "export", str(tmp_path / "week13.DDTX"), "--no-encrypt")
    assert code == 0 and (tmp_path / "week13.DDTX").is_file() and "added to the name" not in text  # any case: kept
    assert not (tmp_path / "week13.DDTX.ddtx").exists()
    code, _, err = run(
        capsys, "--data-dir", a, "transfer", "export", str(tmp_path / "nowhere" / "x.ddtx"), "--no-encrypt"
    )
    nowhere = tmp_path / "nowhere"
    assert code == 1 and err == (
        f"dermadesk: error: folder {nowhere} does not exist (is the drive connected?); nothing was written\n"
    )
    assert not (tmp_path / "nowhere").exists()
    code, text, _ = run(
        capsys,
        "--data-dir",
        a,
        "transfer",
        "export",
        "--patient",
        "T-1",
        "--patient",
        "T-2",
        str(tmp_path / "two.ddtx"),
        "--no-encrypt",
    )
    assert code == 0 and "exported 2 patients" in text


def test_passphrase_asked_twice_on_export_once_on_import(
    capsys, monkeypatch, tmp_path: Path, lesion_files: list[Path]
) -> None:
    import getpass

    a, b = str(tmp_path / "A"), str(tmp_path / "B")
    _one_patient(capsys, a, lesion_files[0])
    answers = iter(
        ["first passphrase", "second passphrase", "same passphrase", "same passphrase", "same passphrase", ""]
    )
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": next(answers))
    package = tmp_path / "p.ddtx"
    code, _, err = run(capsys, "--data-dir", a, "transfer", "export", str(package))
    assert code == 1 and "the two passphrases differ" in err and not package.exists()
    assert run(capsys, "--data-dir", a, "transfer", "export", str(package))[0] == 0
    code, out, _ = run(capsys, "--data-dir", b, "transfer", "import", str(package), "--yes")
    assert code == 0 and "imported 1 patient" in out
    code, _, err = run(capsys, "--data-dir", b, "transfer", "import", str(package), "--yes")
    assert code == 1 and err == "dermadesk: error: a passphrase is needed for p.ddtx; nothing was changed\n"
    code, _, err = run(capsys, "--data-dir", a, "transfer", "export", str(tmp_path / "clear.ddtx"), "--no-encrypt")
    from dermadesk.storage.sealed import read_header

    assert code == 0 and read_header(tmp_path / "clear.ddtx").fields["cipher"] == "none"  # only when asked


def test_a_monitor_decision_brought_back_counts_its_follow_up_from_the_day_it_was_saved_there(
    capsys, tmp_path: Path, lesion_files: list[Path]
) -> None:
    """A 'monitor' decided on a field laptop comes back in a package: its audit row here is dated by the import, so
    the day comes from the laptop's own audit row, carried in the package (helper 49 saw a lesion due months ago
    shown as not due when the import's day counted; helper 75 saw it shown overdue at the clinic when none did)."""
    from dermadesk.domain.dates import local_day
    from dermadesk.services.follow_up import decision_day

    clinic, package = reviewed_in_the_field(capsys, tmp_path, lesion_files[0], "monitor")
    with Register(tmp_path / "field") as reg:
        saved_there = local_day(reg.audit.entries("capture", 1)[0].at)
        assert decision_day(reg, reg.captures.get(1)) == saved_there
    assert run(capsys, "--data-dir", clinic, "transfer", "import", package, "--yes")[0] == 0
    with Register(Path(clinic)) as reg:
        capture = reg.captures.get(1)
        assert capture.decision == "monitor" and reg.audit.entries("capture", 1)[0].action == "import-update"
        assert decision_day(reg, capture) == saved_there


def test_an_import_that_leaves_patients_out_exits_1_and_says_what_to_keep(
    capsys, tmp_path: Path, lesion_files: list[Path]
) -> None:
    """A script that wipes the laptop after a successful import must not see success when a patient was left out
    (its new captures with it): audit 51 saw exit 0 and 'imported 1 patient' as the last line."""
    clinic, field = str(tmp_path / "clinic"), str(tmp_path / "field")
    _one_patient(capsys, clinic, lesion_files[0])
    package = str(tmp_path / "p.ddtx")
    assert run(capsys, "--data-dir", clinic, "transfer", "export", package, "--no-encrypt")[0] == 0
    assert run(capsys, "--data-dir", field, "transfer", "import", package, "--yes")[0] == 0
    with Register(Path(clinic)) as reg:  # a spelling corrected at the clinic meanwhile
        reg.patients.update("clerk", reg.patients.by_mrn("T-1").id, name="Tess Transfer-Smith")
    new_capture = ("capture", "add", "--lesion", "1", "--no-assess", str(lesion_files[1]))
    assert run(capsys, "--data-dir", field, *new_capture)[0] == 0
    run(capsys, "--data-dir", field, "patient", "add", "--mrn", "N-9", "--name", "New Field Patient")
    assert run(capsys, "--data-dir", field, "transfer", "export", package, "--no-encrypt", "--overwrite")[0] == 0
    code, out, err = run(capsys, "--data-dir", clinic, "transfer", "import", package, "--yes")
    assert code == 1 and out.strip().endswith("imported 1 patient")
    assert "N-9            New Field Patient              NEW       adds the patient (no lesions yet)" in out
    assert err.startswith("dermadesk: NOT everything was imported: left out 1 patient, 1 lesion, 2 captures")
    assert "(patients T-1)" in err and "Keep the package and the other register's data" in err
    code, out, err = run(capsys, "--data-dir", clinic, "--json", "transfer", "import", package, "--yes")
    assert code == 1 and json.loads(out)["complete"] is False and "NOT everything was imported" in err
