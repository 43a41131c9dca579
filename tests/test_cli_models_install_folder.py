"""``models --install`` installs into a data folder that is there: a mistyped --data-dir or a drive not connected is
refused as the commands that only read refuse it ("no register at DIR (the folder does not exist: ...); nothing was
created"), never made, with models/ in it, on the local disk. The real command, a tiny real model."""

from __future__ import annotations

import json
from pathlib import Path

from dermadesk.inference.registry import ModelRegistry
from tests.test_cli import run


def test_a_data_folder_not_there_is_refused_and_nothing_made(capsys, tiny_model_dir: Path, tmp_path: Path) -> None:
    typo = tmp_path / "DermaDeskDta"
    manifest = str(tiny_model_dir / "tiny-test.json")
    said = (
        f"no register at {typo} (the folder does not exist: is the drive connected, and the folder's name right?); "
        "a new register is made by 'dermadesk patient add' or the app; nothing was created"
    )
    assert run(capsys, "models", "--install", manifest, "--data-dir", str(typo)) == (
        1,
        "",
        f"dermadesk: error: {said}\n",
    )
    code, out, _ = run(capsys, "models", "--install", manifest, "--data-dir", str(typo), "--json")
    assert code == 1 and json.loads(out) == {"error": said}
    assert not typo.exists()
    # the same words as a command that only reads
    assert run(capsys, "patient", "list", "--data-dir", str(typo))[2] == f"dermadesk: error: {said}\n"


def test_a_data_folder_that_is_there_gets_the_model(capsys, tiny_model_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "clinic"
    folder.mkdir()  # there, with no register yet: the model is installed (nothing else is made)
    code, out, _ = run(capsys, "models", "--install", str(tiny_model_dir / "tiny-test.json"), "--data-dir", str(folder))
    assert code == 0 and out == "installed tiny-test@0.0.1\n"
    assert [e.key for e in ModelRegistry(folder, bundled_dir=folder / "none").entries()] == ["tiny-test@0.0.1"]
    assert sorted(p.name for p in folder.iterdir()) == ["models"]
