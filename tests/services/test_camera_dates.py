"""A camera's clock can be wrong: an EXIF date in the future, before the patient was born or before cameras
recorded dates is not used (the typed date, else today), and the import says so; no capture is ever stored with
a date in the future, whichever way it comes in."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from PIL import Image

from dermadesk.domain.errors import ValidationError
from dermadesk.main import main
from dermadesk.services.captures import CaptureMeta, camera_date_problem, import_files
from dermadesk.storage.register import Register
from dermadesk.ui.notices import import_notice
from tests.conftest import lesion_jpeg


def exif_jpeg(path: Path, stamp: str, seed: int = 3) -> Path:
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = stamp
    Image.open(io.BytesIO(lesion_jpeg(seed=seed))).save(path, "JPEG", exif=exif.tobytes())
    return path


@pytest.fixture
def lesion_id(register: Register) -> int:
    patient = register.patients.add("t", "CAM-1", "Camera Person", "1950-03-01")
    return register.lesions.add("t", patient.id, "posterior torso").id


def test_which_camera_dates_cannot_be_right() -> None:
    today = dt.date(2026, 11, 23)
    assert camera_date_problem("2099-01-01T10:00:00", None, today) == "in the future"
    assert camera_date_problem("2026-11-24T00:00:00", None, today) == "in the future"
    assert camera_date_problem("1949-05-01T10:00:00", "1950-03-01", today) == (
        "before the patient's birth date (1950-03-01)"
    )
    assert camera_date_problem("1980-01-01T00:00:00", None, today) == "before digital cameras recorded dates"
    assert camera_date_problem("2026-11-23T09:00:00", "1950-03-01", today) is None
    assert camera_date_problem(None, "1950-03-01", today) is None


@pytest.mark.parametrize(
    ("stamp", "why"),
    [("2099:01:01 10:00:00", "is in the future"), ("1949:01:01 10:00:00", "is before the patient's birth date")],
)
def test_a_wrong_camera_date_is_not_stored_and_the_import_says_so(
    register: Register, lesion_id: int, tmp_path: Path, stamp: str, why: str
) -> None:
    image = exif_jpeg(tmp_path / "wrong-clock.jpg", stamp)
    result = import_files(register, "t", lesion_id, [image], CaptureMeta(), compare=False)
    assert [c.taken_at for c in result.captures] == [dt.date.today().isoformat()]
    [(path, note)] = result.notes
    assert (
        path == str(image)
        and why in note
        and note.endswith(f"today's date, {dt.date.today().isoformat()}, was used instead")
    )
    assert note.startswith(f"wrong-clock.jpg: the camera's date {stamp[:4]}-01-01 ")
    kind, title, message, _ = import_notice(result)  # type: ignore[misc]
    assert kind == "warning" and "check the capture dates" in title and note in message

    # "each image's EXIF date" chosen: the typed date stands in for the wrong one, and the note names it
    again = exif_jpeg(tmp_path / "again.jpg", stamp, seed=4)
    result = import_files(register, "t", lesion_id, [again], CaptureMeta("2025-06-01", exif_first=True), compare=False)
    assert [c.taken_at for c in result.captures] == ["2025-06-01"]
    assert result.notes[0][1].endswith("the import's date, 2025-06-01, was used instead")


def test_a_right_camera_date_is_used_without_a_note(register: Register, lesion_id: int, tmp_path: Path) -> None:
    result = import_files(register, "t", lesion_id, [exif_jpeg(tmp_path / "ok.jpg", "2024:06:01 10:00:00")],
                          CaptureMeta(), compare=False)  # fmt: skip
    assert [c.taken_at for c in result.captures] == ["2024-06-01T10:00:00"] and result.notes == []
    assert import_notice(result) is None


def test_no_capture_row_is_dated_in_the_future(register: Register, lesion_id: int) -> None:
    sha = register.images.put(lesion_jpeg(seed=5))
    with pytest.raises(ValidationError, match="in the future"):
        register.captures.add("t", lesion_id, "2099-01-01T10:00:00", sha, 64, 64, 100, "JPEG")
    assert register.captures.for_lesion(lesion_id) == []


def test_the_command_line_warns(capsys, register: Register, lesion_id: int, tmp_path: Path) -> None:
    image = exif_jpeg(tmp_path / "clock.jpg", "2099:01:01 10:00:00")
    assert main(["capture", "add", "--lesion", str(lesion_id), "--no-assess", str(image)]) == 0
    err = capsys.readouterr().err
    assert "dermadesk: warning: clock.jpg: the camera's date 2099-01-01 is in the future; today's date, " in err
    assert register.captures.for_lesion(lesion_id)[0].taken_at == dt.date.today().isoformat()


def test_a_typed_date_before_the_patients_birth_is_refused(register: Register, lesion_id: int, tmp_path: Path) -> None:
    from dermadesk.services.register_ops import edit_capture

    image = tmp_path / "visit.jpg"
    image.write_bytes(lesion_jpeg(seed=6))
    result = import_files(register, "t", lesion_id, [image], CaptureMeta("1950-01-01"), compare=False)
    assert result.captures == [] and result.errors == [
        (str(image), "visit.jpg: capture date 1950-01-01 is before the patient's birth date (1950-03-01)")
    ]
    result = import_files(register, "t", lesion_id, [image], CaptureMeta("2024-05-01"), compare=False)
    [capture] = result.captures
    with pytest.raises(ValidationError, match="before the patient's birth date"):
        edit_capture(register, "t", capture.id, {"taken_at": "1949-12-31"})
    assert register.captures.get(capture.id).taken_at == "2024-05-01"
