"""``models`` lists every model found and marks with '*' the one file that would assess: with a user copy of the
bundled model installed (same name and version) the user copy, not both rows; a model refused (a damaged file)
is listed with why and the command exits 1, so a script notices; the way out names the install command's argument.
The real command, the real bundled model and a real copy of it installed, tiny real models."""

from __future__ import annotations

import json
from pathlib import Path

from dermadesk.inference.registry import ModelRegistry, install_model
from tests.test_cli import run


def test_a_user_copy_of_the_bundled_model_is_the_only_one_marked(capsys, data_dir: Path) -> None:
    (bundled,) = ModelRegistry(None).entries()
    data_dir.mkdir(parents=True)
    install_model(bundled.manifest_path, data_dir)  # the same model, installed as a user model
    code, out, err = run(capsys, "models")
    what = f"{bundled.manifest.name} {bundled.manifest.version}"
    assert code == 0 and err == ""
    assert out.splitlines() == [f"  {what} (bundled)", f"* {what} (user)"]  # the user copy assesses
    code, out, _ = run(capsys, "models", "--json")
    rows = json.loads(out)["models"]
    assert code == 0 and [(r["source"], r["default"]) for r in rows] == [("bundled", False), ("user", True)]
    assert ModelRegistry(data_dir).get().source == "user"  # the one marked is the one that assesses


def test_a_damaged_model_is_listed_and_the_command_exits_1(capsys, data_dir: Path, tiny_model_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    onnx = install_model(tiny_model_dir / "tiny-test.json", data_dir).onnx_path  # the default: the newest user model
    onnx.write_bytes(onnx.read_bytes()[:-10] + b"tampered!!")
    code, out, err = run(capsys, "models")
    lines = out.splitlines()
    assert code == 1 and err == ""
    assert f"  {ModelRegistry(None).entries()[0].manifest.name}" in out  # everything listed still
    assert lines[-2].startswith("* tiny-test ") and " (user) refused: tiny-test.onnx does not match" in lines[-2]
    assert lines[-1].endswith(
        "cannot be used; reinstall it (dermadesk models --install PATH/TO/MANIFEST.json), or name another model "
        "with --model or in Settings"
    )
    code, out, _ = run(capsys, "models", "--json")
    assert code == 1 and json.loads(out)["problems"][0].startswith("the default model tiny-test")


def test_the_advice_is_a_command_that_works(capsys, data_dir: Path, tiny_model_dir: Path) -> None:
    # the advice's form, PATH/TO/MANIFEST.json, is what --install takes: the manifest reinstalls the damaged model
    data_dir.mkdir(parents=True)
    onnx = install_model(tiny_model_dir / "tiny-test.json", data_dir).onnx_path
    onnx.write_bytes(b"damaged")
    assert run(capsys, "models")[0] == 1
    code, out, _ = run(capsys, "models", "--install", str(tiny_model_dir / "tiny-test.json"))
    assert code == 0 and out.startswith("installed tiny-test@")
    code, out, _ = run(capsys, "models")
    assert code == 0 and [line for line in out.splitlines() if line.startswith("*")] == [
        line for line in out.splitlines() if "tiny-test" in line
    ]
