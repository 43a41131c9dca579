"""Shared fixtures: real registers in tmp_path, a tiny ONNX model, synthetic images."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).parent))

from dermadesk.analysis.synthetic import LesionSpec, jpeg_bytes, synthetic_lesion  # noqa: E402
from dermadesk.storage.register import Register  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data directory; nothing touches the user's real data."""
    data_dir = tmp_path / "data"
    monkeypatch.setenv("DERMADESK_DATA_DIR", str(data_dir))
    monkeypatch.setenv("DERMADESK_CONFIG_DIR", str(tmp_path / "workstation"))  # nor the user's own config folder
    return data_dir


@pytest.fixture
def data_dir(_isolated_data_dir: Path) -> Path:
    return _isolated_data_dir


@pytest.fixture
def register(data_dir: Path):
    reg = Register(data_dir)
    yield reg
    reg.close()


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from modelgen import write_tiny_model

    folder = tmp_path_factory.mktemp("tiny-model")
    write_tiny_model(folder)
    return folder


@pytest.fixture
def installed_model(tiny_model_dir: Path, data_dir: Path) -> Path:
    """The tiny model installed as a user model in this test's data directory."""
    from dermadesk.inference.registry import install_model

    return install_model(tiny_model_dir / "tiny-test.json", data_dir).manifest_path


def lesion_jpeg(seed: int = 0, width: int = 320, height: int = 240, **spec: object) -> bytes:
    return jpeg_bytes(synthetic_lesion(LesionSpec(seed=seed, **spec), width, height))  # type: ignore[arg-type]


@pytest.fixture
def lesion_files(tmp_path: Path) -> list[Path]:
    paths = []
    for i in range(3):
        p = tmp_path / f"lesion_{i}.jpg"
        p.write_bytes(lesion_jpeg(seed=i))
        paths.append(p)
    return paths


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(0)
