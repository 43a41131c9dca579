"""A capture is named by its date ("the capture of 5 Jan 2026"), with its time where the lesion has another that day,
and by its place that day where no time tells them apart; never by a place in the lesion ("capture 1 of 1"), which
shifted to another capture when an earlier-dated image came in, nor worded before an import was done. Real register,
real files."""

from __future__ import annotations

from pathlib import Path

from dermadesk.domain.dates import capture_when
from dermadesk.domain.records import Capture
from dermadesk.services.captures import CaptureMeta, import_files, when_taken
from dermadesk.services.stored_comparisons import change_line
from dermadesk.storage.register import Register
from tests.conftest import lesion_jpeg
from tests.services.test_camera_dates import exif_jpeg


def _capture(id_: int, taken_at: str) -> Capture:
    return Capture(id_, 1, taken_at, "0" * 64, 320, 240, 1000, "JPEG")


def test_the_name_is_the_day_its_time_where_the_day_is_shared_else_its_place_that_day() -> None:
    early, late, other = (
        _capture(1, "2026-01-05T09:15:00"),
        _capture(2, "2026-01-05T14:40:00"),
        _capture(3, "2026-02-01"),
    )
    assert capture_when(other, [early, late, other]) == "1 Feb 2026"
    assert [capture_when(c, [early, late, other]) for c in (early, late)] == ["5 Jan 2026 09:15", "5 Jan 2026 14:40"]
    typed, again = _capture(4, "2026-03-01"), _capture(5, "2026-03-01")  # dates typed: no time to tell them apart
    assert [capture_when(c, [typed, again]) for c in (typed, again)] == [
        "1 Mar 2026, 1 of 2 that day",
        "1 Mar 2026, 2 of 2 that day",
    ]
    deleted = _capture(6, "2026-03-01")  # not among the lesion's captures any more: still told apart from them
    assert capture_when(deleted, [typed, again]) == "1 Mar 2026, 3 of 3 that day"


def _lesion(register: Register) -> int:
    patient = register.patients.add("t", "NAME-1", "Named Capture", "1960-01-01")
    return register.lesions.add("t", patient.id, "posterior torso").id


def test_an_earlier_dated_image_added_later_shifts_no_name(register: Register, tmp_path: Path) -> None:
    """The duplicate said "capture 1 of 1" for the 1 Mar capture; once a January image came in, "capture 1 of 2"
    was the January one. By date, the name stays the capture's own."""
    lid = _lesion(register)
    march, january = tmp_path / "march.jpg", tmp_path / "january.jpg"
    march.write_bytes(lesion_jpeg(seed=1))
    january.write_bytes(lesion_jpeg(seed=2))
    import_files(register, "t", lid, [march], CaptureMeta(taken_at="2026-03-01"))
    copy = tmp_path / "copy.jpg"
    copy.write_bytes(march.read_bytes())
    before = import_files(register, "t", lid, [copy], compare=False).skipped
    import_files(register, "t", lid, [january], CaptureMeta(taken_at="2026-01-01"))  # the new baseline
    after = import_files(register, "t", lid, [copy], compare=False).skipped
    line = (
        "copy.jpg: this image is already in this lesion (the capture of 1 Mar 2026, from march.jpg); not imported again"
    )
    assert before == after == [(str(copy), line)]
    march_capture = next(c for c in register.captures.for_lesion(lid) if c.original_name == "march.jpg")
    assert when_taken(register, march_capture) == "1 Mar 2026"
    changed = change_line(register, march_capture.id)  # its change since the baseline names the baseline by date
    assert changed is not None and changed.baseline == "1 Jan 2026" and changed.since == "2026-01-01"


def test_two_captures_of_one_day_are_told_apart_by_their_time(register: Register, tmp_path: Path) -> None:
    lid = _lesion(register)
    morning = exif_jpeg(tmp_path / "morning.jpg", "2026:01:05 09:15:00", seed=1)
    import_files(register, "t", lid, [morning], compare=False)  # no date typed: the camera's
    (alone,) = register.captures.for_lesion(lid)
    assert when_taken(register, alone) == "5 Jan 2026"  # the only one that day: its date says which
    afternoon = exif_jpeg(tmp_path / "afternoon.jpg", "2026:01:05 14:40:00", seed=2)
    import_files(register, "t", lid, [afternoon], compare=False)
    assert [when_taken(register, c) for c in register.captures.for_lesion(lid)] == [
        "5 Jan 2026 09:15",
        "5 Jan 2026 14:40",
    ]


def test_an_import_names_the_capture_as_it_is_once_all_is_imported(register: Register, tmp_path: Path) -> None:
    """The line for a file already in the lesion was worded when the import reached it ("the capture of 5 Jan 2026",
    as "capture 1 of 1" was): an image of the same day imported after it left that name telling neither apart."""
    lid = _lesion(register)
    morning = exif_jpeg(tmp_path / "morning.jpg", "2026:01:05 09:15:00", seed=1)
    import_files(register, "t", lid, [morning], compare=False)
    again = tmp_path / "again.jpg"
    again.write_bytes(morning.read_bytes())
    afternoon = exif_jpeg(tmp_path / "afternoon.jpg", "2026:01:05 14:40:00", seed=2)
    result = import_files(register, "t", lid, [again, afternoon], compare=False)  # the copy is met first
    assert [c.original_name for c in result.captures] == ["afternoon.jpg"]
    assert result.skipped == [
        (
            str(again),
            "again.jpg: this image is already in this lesion (the capture of 5 Jan 2026 09:15, from morning.jpg); "
            "not imported again",
        )
    ]
