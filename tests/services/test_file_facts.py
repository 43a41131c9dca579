"""What the import dialog shows of the chosen files is read by one service (header and EXIF date, no pixels), with
progress and a cancel token, so the UI can run it off the GUI thread."""

from __future__ import annotations

from pathlib import Path

import pytest

from dermadesk.analysis.decode import NO_EXIF
from dermadesk.domain.errors import Cancelled
from dermadesk.services.captures import read_file_facts
from dermadesk.services.progress import CancelToken
from tests.analysis.test_exif_reasons import exif_tags, jpeg_with


def test_dates_reasons_and_refusals_per_file(tmp_path: Path) -> None:
    dated, plain, letter = tmp_path / "dated.jpg", tmp_path / "plain.jpg", tmp_path / "letter.jpg"
    dated.write_bytes(jpeg_with(exif_tags("2024:06:30 09:00:00")))
    plain.write_bytes(jpeg_with(None))
    letter.write_text("Dear colleague, ...")
    said: list[tuple[float, str]] = []
    facts = read_file_facts([dated, plain, letter], lambda f, m: said.append((f, m)))
    assert facts.exif_dates == {str(dated): "2024-06-30T09:00:00", str(plain): None}
    assert facts.no_exif_why == {str(plain): NO_EXIF}
    assert list(facts.problems) == [str(letter)]  # skipped by the import: no date read, the refusal said
    assert facts.problems[str(letter)].startswith("letter.jpg: not an image file")
    assert [m for _, m in said] == [
        "reading dated.jpg (1 of 3)",
        "reading plain.jpg (2 of 3)",
        "reading letter.jpg (3 of 3)",
        "read 3 files",
    ]
    assert [f for f, _ in said] == sorted(f for f, _ in said) and said[-1][0] == 1.0


def test_cancel_stops_between_files(tmp_path: Path) -> None:
    files = [tmp_path / f"{i}.jpg" for i in range(3)]
    for f in files:
        f.write_bytes(jpeg_with(None))
    cancel = CancelToken()
    read: list[str] = []

    def progress(_: float, message: str) -> None:
        read.append(message)
        cancel.cancel()  # pressed while the first file is read

    with pytest.raises(Cancelled):
        read_file_facts(files, progress, cancel)
    assert read == ["reading 0.jpg (1 of 3)"]
