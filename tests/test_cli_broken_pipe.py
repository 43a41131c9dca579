"""Output piped into a reader that stops reading (``dermadesk --json patient show C-1001 | head -c 10``) ends the
command quietly, as other command-line tools end: no traceback, exit code 141 (was two BrokenPipeError tracebacks,
exit 1). The real entry point in a child process, its stdout a pipe whose reading end is already closed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from dermadesk.main import READER_GONE, main


def test_a_reader_gone_ends_the_command_quietly(capsys, data_dir: Path) -> None:
    assert main(["patient", "add", "--mrn", "C-1001", "--name", "Pipe Reader"]) == 0
    capsys.readouterr()
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader stopped before the first byte: every write fails with EPIPE
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "dermadesk", "--json", "patient", "show", "C-1001"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            env={**os.environ, "DERMADESK_DATA_DIR": str(data_dir)},
        )
    finally:
        os.close(write_end)
    assert proc.returncode == READER_GONE == 141
    assert "Traceback" not in proc.stderr and "BrokenPipeError" not in proc.stderr
    assert proc.stderr == ""  # nothing to say: the reader chose to stop


def test_the_output_still_reaches_a_reader_that_reads_it_all(capsys, data_dir: Path) -> None:
    assert main(["patient", "add", "--mrn", "C-1002", "--name", "Whole Reader"]) == 0
    capsys.readouterr()
    proc = subprocess.run(
        [sys.executable, "-m", "dermadesk", "patient", "show", "C-1002"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "DERMADESK_DATA_DIR": str(data_dir)},
    )
    assert proc.returncode == 0 and proc.stdout.startswith("C-1002 Whole Reader") and proc.stderr == ""
