"""Model installs: plain file names only, a test inference at install, the newest model as the default, and
a damaged default refused by name (never silently replaced by another model)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from modelgen import write_tiny_model

from dermadesk.main import main
from dermadesk.domain.errors import ModelError
from dermadesk.inference.registry import ModelRegistry, install_model
from tests.conftest import lesion_jpeg


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("models")
    return {key: write_tiny_model(root / key, name=name, version=version) for key, name, version in [
        ("old-z", "zeta-model", "1.2.0"), ("new-a", "alpha-model", "1.10.0"), ("a-same", "alpha-model", "1.10.0")]}


def _edited(manifest: Path, tmp_path: Path, **changes: object) -> Path:
    folder = tmp_path / "edited"
    shutil.copytree(manifest.parent, folder)
    data = json.loads((folder / manifest.name).read_text())
    data.update(changes)
    (folder / manifest.name).write_text(json.dumps(data))
    return folder / manifest.name


@pytest.mark.parametrize("onnx_file", ["../victim.onnx", "/tmp/elsewhere.onnx", "sub/model.onnx", "..", ""])
def test_onnx_file_must_be_a_plain_name_in_the_models_folder(models, tmp_path: Path, data_dir: Path,
                                                             onnx_file: str) -> None:
    manifest = _edited(models["new-a"], tmp_path, onnx_file=onnx_file)
    (tmp_path / "victim.onnx").write_bytes(b"someone else's file")
    with pytest.raises(ModelError, match="onnx_file|missing"):
        install_model(manifest, data_dir)
    assert (tmp_path / "victim.onnx").read_bytes() == b"someone else's file"
    assert not (data_dir / "models").exists() or not any((data_dir / "models").iterdir())


def test_installing_cannot_replace_another_models_file(models, tmp_path: Path, data_dir: Path) -> None:
    install_model(models["old-z"], data_dir)
    import onnx

    from dermadesk.contract import sha256_file

    other = tmp_path / "other"
    manifest = write_tiny_model(other, name="other-model", version="9.0")
    graph = onnx.load(other / "other-model.onnx")
    graph.doc_string = "a different model"  # different bytes under the installed model's file name
    onnx.save(graph, other / "zeta-model.onnx")
    data = json.loads(manifest.read_text())
    data.update(onnx_file="zeta-model.onnx", sha256=sha256_file(other / "zeta-model.onnx"))
    manifest.write_text(json.dumps(data))
    with pytest.raises(ModelError, match="would replace the file of the installed model zeta-model@1.2.0"):
        install_model(manifest, data_dir)
    assert ModelRegistry(data_dir).get("zeta-model").manifest.version == "1.2.0"  # still intact


def test_default_is_the_newest_by_version_then_install_time(models, data_dir: Path) -> None:
    install_model(models["new-a"], data_dir)
    install_model(models["old-z"], data_dir)  # alphabetically last and installed last, but older
    assert ModelRegistry(data_dir).get().key == "alpha-model@1.10.0"
    shutil.copy(models["old-z"], data_dir / "models" / "zeta-model.json")
    data = json.loads((data_dir / "models" / "zeta-model.json").read_text())
    data["version"] = "1.10.0"  # same version: the later install wins
    (data_dir / "models" / "zeta-model.json").write_text(json.dumps(data))
    os.utime(data_dir / "models" / "alpha-model.json", (1_000_000, 1_000_000))
    os.utime(data_dir / "models" / "zeta-model.json", (2_000_000, 2_000_000))
    assert ModelRegistry(data_dir).get().key == "zeta-model@1.10.0"


def test_damaged_default_model_is_refused_by_name_not_switched(models, data_dir: Path, tmp_path: Path,
                                                               capsys) -> None:
    install_model(models["old-z"], data_dir)
    install_model(models["new-a"], data_dir)  # the default
    onnx = data_dir / "models" / "alpha-model.onnx"
    onnx.write_bytes(onnx.read_bytes()[:-10] + b"tampered!!")
    image = tmp_path / "lesion.jpg"
    image.write_bytes(lesion_jpeg(3))
    assert main(["analyze", str(image)]) == 1
    out, err = capsys.readouterr()
    assert "zeta-model" not in out and err.count("\n") == 1
    assert "the default model alpha-model 1.10.0 cannot be used" in err and "tampered" in err
    assert main(["analyze", str(image), "--model", "zeta-model"]) == 0  # another model only when named
    assert "zeta-model@1.2.0" in capsys.readouterr().out
    assert main(["models"]) == 1  # everything listed, and a script notices the refusal
    lines = capsys.readouterr().out.splitlines()
    assert "  zeta-model 1.2.0 (user)" in lines
    (refused,) = [line for line in lines if "refused" in line]  # the damaged default in one line, why once
    assert refused == ("* alpha-model 1.10.0 (user) refused: alpha-model.onnx does not match the sha256 in its "
                       "manifest (damaged or tampered file)")
    assert lines[-1] == ("the default model alpha-model 1.10.0 cannot be used; reinstall it (dermadesk models "
                         "--install PATH/TO/MANIFEST.json), or name another model with --model or in Settings")
    assert "tampered" not in lines[-1]


def test_a_damaged_model_that_is_not_the_default_is_listed_once(models, data_dir: Path, capsys) -> None:
    install_model(models["old-z"], data_dir)
    install_model(models["new-a"], data_dir)  # the default
    onnx = data_dir / "models" / "zeta-model.onnx"
    onnx.write_bytes(onnx.read_bytes()[:-10] + b"tampered!!")
    assert main(["models"]) == 1  # not the default, but refused: said by the exit status too
    lines = capsys.readouterr().out.splitlines()
    assert "* alpha-model 1.10.0 (user)" in lines
    assert [line for line in lines if "zeta" in line] == [
        "  zeta-model 1.2.0 (user) refused: zeta-model.onnx does not match the sha256 in its manifest (damaged or "
        "tampered file)"]
    assert main(["models", "--json"]) == 1
    (problem,) = json.loads(capsys.readouterr().out)["problems"]  # --json as before: the registry's message
    assert problem.startswith("model zeta-model refused: zeta-model.onnx does not match")


def test_capture_add_with_a_damaged_default_saves_unassessed_and_says_why(models, data_dir: Path,
                                                                          lesion_files: list[Path], capsys) -> None:
    install_model(models["new-a"], data_dir)
    (data_dir / "models" / "alpha-model.onnx").write_bytes(b"not a model any more")
    main(["patient", "add", "--mrn", "D-1", "--name", "Damaged Model"])
    main(["lesion", "add", "--patient", "D-1", "--site", "head/neck"])
    capsys.readouterr()
    assert main(["capture", "add", "--lesion", "1", str(lesion_files[0])]) == 0
    out, err = capsys.readouterr()
    assert "not assessed: the default model alpha-model 1.10.0 cannot be used" in err
    assert "assessed with" not in out


def test_non_onnx_file_with_matching_hash_is_refused_by_the_test_inference(models, tmp_path: Path,
                                                                           data_dir: Path) -> None:
    from dermadesk.contract import sha256_file

    manifest = _edited(models["new-a"], tmp_path)
    junk = manifest.parent / "alpha-model.onnx"
    junk.write_bytes(b"\x08\x01 this is not an ONNX graph" * 50)
    data = json.loads(manifest.read_text())
    data["sha256"] = sha256_file(junk)
    manifest.write_text(json.dumps(data))
    with pytest.raises(ModelError, match="cannot be run on a test image"):
        install_model(manifest, data_dir)
    assert not (data_dir / "models" / "alpha-model.onnx").exists()
