"""The PyInstaller bundle builds, holds no torch, and its frozen self-test passes; portable mode."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dermadesk import config

ROOT = Path(__file__).resolve().parents[2]


def test_portable_marker_keeps_data_beside_the_program(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    exe = tmp_path / "DermaDesk" / "DermaDesk"
    exe.parent.mkdir()
    exe.write_text("")
    monkeypatch.delenv(config.DATA_DIR_ENV, raising=False)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(exe))
    assert config.resolve_data_dir() != exe.parent / "DermaDeskData"
    (exe.parent / config.PORTABLE_MARKER).write_text("")
    assert config.resolve_data_dir() == exe.parent / "DermaDeskData"
    assert config.resolve_data_dir(tmp_path / "explicit") == (tmp_path / "explicit").resolve()  # flag still wins


def test_forbidden_check_catches_torch(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "installer"))
    from build import forbidden_in

    (tmp_path / "_internal" / "torch" / "lib").mkdir(parents=True)
    (tmp_path / "_internal" / "numpy").mkdir(parents=True)
    assert forbidden_in(tmp_path) == ["_internal/torch", "_internal/torch/lib"]


@pytest.mark.slow
def test_bundle_builds_and_frozen_self_test_passes(tmp_path: Path) -> None:
    pytest.importorskip("PyInstaller", reason="needs the build extra (pyinstaller)")
    dist = tmp_path / "dist"
    proc = subprocess.run([sys.executable, str(ROOT / "installer" / "build.py"), "--dist", str(dist), "--work",
                           str(tmp_path / "work")], capture_output=True, text=True, timeout=1200, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "self-test passed" in proc.stdout and "bundle:" in proc.stdout
    sys.path.insert(0, str(ROOT / "installer"))
    from build import gpu_provider_files

    if gpu_provider_files():  # onnxruntime-gpu: the CUDA provider goes into the GPU pack, not the core
        assert "the GPU pack is not installed" in proc.stdout
        pack_line = next(line for line in proc.stdout.splitlines() if line.startswith("GPU pack:"))
        assert "self-test passed" in pack_line and "could not start" in pack_line  # found and tried, no CUDA here
        assert not list((dist / "DermaDesk").rglob("*providers_cuda*"))  # the core stays CPU-only
        assert list((dist / "DermaDesk-GPU-pack" / "_internal" / "onnxruntime" / "capi").glob("*providers_cuda*"))
    exe = dist / "DermaDesk" / ("DermaDesk.exe" if os.name == "nt" else "DermaDesk")
    assert (dist / "DermaDesk" / "_internal" / "dermadesk" / "ui" / "user_guide.html").is_file()  # Help > User guide
    keep = tmp_path / "kept"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    run = subprocess.run([str(exe), "self-test", "--keep", str(keep)], capture_output=True, text=True, timeout=300,
                         env=env)
    assert run.returncode == 0, run.stdout + run.stderr
    assert (keep / "report.pdf").read_bytes()[:5] == b"%PDF-"
    assert "device CPU" in run.stdout or "device CUDA" in run.stdout
    version = subprocess.run([str(exe), "--version"], capture_output=True, text=True, timeout=60, env=env)
    assert version.stdout.strip().startswith("DermaDesk ")
