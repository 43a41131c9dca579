"""bench.faults runs end to end (one trial of each kind) and finds nothing wrong."""

from __future__ import annotations

import os

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.skipif(os.name == "nt", reason="SIGKILL and cp -a are POSIX")]


def test_fault_bench_runs_and_reports_zeros(capsys) -> None:
    from dermadesk.bench.faults import main

    assert main(["--crash", "1", "--concurrency", "1", "--processes", "2"]) == 0
    out = capsys.readouterr().out
    assert "integrity errors: 0\nlost captures: 0\ntracebacks: 0" in out
