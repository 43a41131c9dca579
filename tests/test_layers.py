"""The layer rules of ARCHITECTURE.md, machine-checked with import-linter."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_linter_contracts_hold() -> None:
    exe = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    proc = subprocess.run([exe, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 broken" in proc.stdout


def test_core_imports_without_qt_or_torch() -> None:
    code = ("import sys, dermadesk.cli, dermadesk.services.captures, dermadesk.services.assessment, "
            "dermadesk.inference.engine, dermadesk.storage.backup; "
            "bad = [m for m in ('PySide6', 'torch', 'torchvision', 'training') if m in sys.modules]; "
            "print(bad); sys.exit(1 if bad else 0)")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
