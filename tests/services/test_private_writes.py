"""Files holding patient data that the app writes for people (reports, register exports, transfer packages, heat
maps) are owner-only (0600) as backups are, under a usual umask (#16: saved PDF reports were 0644)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dermadesk.main import main
from dermadesk.services.maintenance import export_register
from dermadesk.storage.register import Register

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")


def test_reports_exports_packages_and_heat_maps_are_owner_only(
    data_dir: Path, lesion_files: list[Path], tmp_path: Path, installed_model: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    old_umask = os.umask(0o022)  # files would be 0644 without care
    try:
        assert main(["patient", "add", "--mrn", "P-1", "--name", "Private Person"]) == 0
        assert main(["lesion", "add", "--patient", "P-1", "--site", "head/neck"]) == 0
        assert main(["capture", "add", "--lesion", "1", str(lesion_files[0])]) == 0
        assert main(["report", "--lesion", "1", "--out", str(out / "lesion.pdf")]) == 0
        assert main(["report", "--patient", "P-1", "--out", str(out / "summary.pdf")]) == 0
        assert main(["transfer", "export", "--no-encrypt", str(out / "week.ddtx")]) == 0
        assert main(["analyze", "--cam-dir", str(out / "cams"), str(lesion_files[1])]) == 0
        with Register(data_dir) as reg:
            export_register(reg, out / "csv")
            export_register(reg, out / "json", "json")
    finally:
        os.umask(old_umask)
    files = [p for p in out.rglob("*") if p.is_file()]
    assert {p.suffix for p in files} == {".pdf", ".ddtx", ".png", ".csv", ".json", ".txt"}
    assert [(p.name, oct(p.stat().st_mode & 0o777)) for p in files if p.stat().st_mode & 0o777 != 0o600] == []
