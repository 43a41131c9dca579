"""The benchmark scripts still run (tiny sizes; the figures themselves come from running them by hand)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def test_register_benchmark_runs(capsys) -> None:
    from dermadesk.bench.register import main

    assert main(["--patients", "1500", "--queries", "20"]) == 0
    out = capsys.readouterr().out
    assert "p95" in out and "database size" in out


def test_report_benchmark_runs(capsys) -> None:
    from dermadesk.bench.report import main

    assert main(["--visits", "2", "--repeat", "1"]) == 0
    assert "MiB" in capsys.readouterr().out


def test_inference_benchmark_runs(capsys, tiny_model_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dermadesk.bench import inference

    monkeypatch.setattr("dermadesk.inference.registry.bundled_models_dir", lambda: tiny_model_dir)
    assert inference.main(["--images", "4", "--batch", "2", "--device", "cpu"]) == 0
    out = capsys.readouterr().out
    assert "inference" in out and "images/s" in out and "peak RSS" in out


def test_transfer_benchmark_runs(capsys) -> None:
    from dermadesk.bench.transfer import main

    assert main(["--patients", "2", "--lesions", "1", "--captures", "2"]) == 0
    out = capsys.readouterr().out
    assert "package" in out and "MB" in out and "re-import" in out and "applied: False" in out
