"""``report --out FILE`` follows the rule of ``backup`` and ``transfer export`` (``cli.output.refuse_to_write``): a
folder that is not there is refused, never made (a USB drive not connected), and an existing file is replaced only
with ``--overwrite``; before the report is built, nothing written either way. A real register, the real command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dermadesk.domain.text import size_text
from tests.test_cli import run


@pytest.fixture
def lesion(capsys, lesion_files: list[Path]) -> None:
    run(capsys, "patient", "add", "--mrn", "R-1", "--name", "Re Port")
    run(capsys, "lesion", "add", "--patient", "R-1", "--site", "head/neck")
    assert run(capsys, "capture", "add", "--lesion", "1", "--no-assess", str(lesion_files[0]))[0] == 0


def test_a_folder_not_there_is_refused_never_made(capsys, lesion, tmp_path: Path) -> None:
    usb = tmp_path / "media" / "usb"
    said = f"folder {usb} does not exist (is the drive connected?); nothing was written"
    code, _, err = run(capsys, "report", "--lesion", "1", "--out", str(usb / "x.pdf"))
    assert code == 1 and err == f"dermadesk: error: {said}\n"
    code, out, _ = run(capsys, "report", "--patient", "R-1", "--out", str(usb / "x.pdf"), "--json")
    assert code == 1 and json.loads(out) == {"error": said}
    assert not (tmp_path / "media").exists()


def test_an_existing_file_is_replaced_only_with_overwrite(capsys, lesion, tmp_path: Path) -> None:
    pdf = tmp_path / "lesion.pdf"
    pdf.write_bytes(b"last week's report")
    code, _, err = run(capsys, "report", "--lesion", "1", "--out", str(pdf))
    assert code == 1 and err == (
        f"dermadesk: error: {pdf} already exists; give --overwrite to replace it; nothing was written\n"
    )
    assert pdf.read_bytes() == b"last week's report"
    code, out, _ = run(capsys, "report", "--lesion", "1", "--out", str(pdf), "--overwrite")
    assert code == 0 and out.startswith(f"report written to {pdf} (") and pdf.read_bytes().startswith(b"%PDF")
    assert out == f"report written to {pdf} ({size_text(pdf.stat().st_size)})\n"  # decimal units, as a backup's


def test_a_folder_given_asks_for_a_file_name(capsys, lesion, tmp_path: Path) -> None:
    code, _, err = run(capsys, "report", "--lesion", "1", "--out", str(tmp_path), "--overwrite")
    assert code == 1 and f"{tmp_path} is a folder: give the report's file name, e.g. " in err
    assert not list(tmp_path.glob("*.pdf"))


def test_the_help_names_the_file_and_the_option(capsys) -> None:
    with pytest.raises(SystemExit):
        run(capsys, "report", "--help")
    out = " ".join(capsys.readouterr().out.split())
    assert "--out FILE" in out and "OUT" not in out and "replace FILE if it exists" in out
