"""Showing stored results (``lesion show``, ``capture add``'s lines, reports) reads a model's thresholds from its
manifest without hashing its ONNX file (the bundled model is ~30 MB); a damaged model is still refused where it would
assess. The tiny ONNX model, a real register."""

from __future__ import annotations

from pathlib import Path

import pytest

from dermadesk.inference import registry as registry_module
from dermadesk.inference.registry import ModelRegistry
from tests.conftest import lesion_jpeg
from tests.test_cli import run


@pytest.fixture
def hashed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the model files hashed from now on (the real hash, counted)."""
    names: list[str] = []
    real = registry_module.sha256_file

    def counting(path: Path, *args: object) -> str:
        names.append(Path(path).name)
        return real(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(registry_module, "sha256_file", counting)
    return names


@pytest.fixture
def assessed_capture(capsys, installed_model: Path, tmp_path: Path) -> None:
    """Capture 1 of lesion 1, assessed by the tiny model."""
    image = tmp_path / "base.jpg"
    image.write_bytes(lesion_jpeg(seed=40))
    run(capsys, "patient", "add", "--mrn", "H-1", "--name", "Hal Ash")
    run(capsys, "lesion", "add", "--patient", "H-1", "--site", "upper extremity")
    code, out, err = run(capsys, "capture", "add", "--lesion", "1", "--device", "cpu", str(image))
    assert code == 0 and "tier " in out, err


def _damage(onnx: Path) -> None:
    onnx.write_bytes(onnx.read_bytes()[:-10] + b"tampered!!")


def test_lesion_show_hashes_no_model_and_a_damaged_model_is_still_refused_for_assessment(
    capsys, assessed_capture, installed_model: Path, hashed: list[str]
) -> None:
    code, shown, err = run(capsys, "lesion", "show", "1")
    assert code == 0 and err == "" and "    tier " in shown
    assert hashed == []  # a read-only view: no model file read whole
    onnx = installed_model.with_suffix(".onnx")
    _damage(onnx)
    code, again, _ = run(capsys, "lesion", "show", "1")
    assert code == 0 and again == shown  # the stored result as before, with its model's stated precision
    code, _, err = run(capsys, "assess", "--capture", "1", "--device", "cpu", "--model", "tiny-test")
    assert code != 0 and "tiny-test.onnx does not match the sha256 in its manifest (damaged or tampered file)" in err
    assert onnx.name in hashed  # checked where it would assess


def test_stated_reads_manifests_unhashed_and_entries_still_refuse_a_damaged_model(
    installed_model: Path, data_dir: Path, tmp_path: Path, hashed: list[str]
) -> None:
    empty = tmp_path / "no-bundled-models"
    sound = ModelRegistry(data_dir, bundled_dir=empty)
    assert [e.key for e in sound.entries()] == ["tiny-test@0.0.1"] and hashed == ["tiny-test.onnx"]
    assert [m.name for m in sound.stated()] == ["tiny-test"] and len(hashed) == 1  # checked once: not again
    _damage(installed_model.with_suffix(".onnx"))
    models = ModelRegistry(data_dir, bundled_dir=empty)
    (stated,) = models.stated()
    assert (stated.name, stated.version) == ("tiny-test", "0.0.1") and stated.thresholds is not None
    assert len(hashed) == 1  # read as it states itself: its file not hashed
    assert models.entries() == [] and "damaged or tampered" in models.refused[0].message
    assert [m.name for m in models.stated()] == ["tiny-test"]  # what it stated still reads, as before the check
