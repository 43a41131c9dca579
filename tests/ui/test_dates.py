"""Dates you can trust: a typed "Taken on" date is the one stored (EXIF only when chosen), the dialog says per
file which date will be used, and date fields take typing (a fresh field, a clicked part) and a calendar."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QPoint, Qt

from tests.conftest import lesion_jpeg
from tests.ui.helpers import add_patient, wait_import
from tests.ui.test_corrections import shot


def _exif_jpeg(path: Path, stamp: str) -> None:
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = stamp
    buf = io.BytesIO()
    Image.open(io.BytesIO(lesion_jpeg(seed=3))).save(buf, "JPEG", exif=exif)
    path.write_bytes(buf.getvalue())


def lesion_shown(window, dialogs) -> int:
    """A new patient's lesion, shown: where File > Import images puts the files."""
    reg = window.session.register
    pid = add_patient(window, dialogs)
    lesion = reg.lesions.add("t", pid, "anterior torso")
    window.refresh(pid)
    window.show_lesion(lesion.id)
    return lesion.id


def test_typed_date_is_stored_and_each_file_says_its_date(qtbot, window, dialogs, tmp_path: Path) -> None:
    lesion_shown(window, dialogs)
    plain, dated = tmp_path / "no_exif.jpg", tmp_path / "exif.jpg"
    plain.write_bytes(lesion_jpeg(seed=1))
    _exif_jpeg(dated, "2025:05:01 10:00:00")
    seen: list[str] = []

    def fill(d) -> bool:
        d.show()
        qtbot.waitExposed(d)
        d.taken.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.keyClicks(d.taken, "2026-08-20")
        assert d.taken.iso() == "2026-08-20" and d.taken.calendarPopup()
        seen.extend(d.dates.item(i).text() for i in range(d.dates.count()))
        seen.append(d.target.text())  # the dialog names where the images go
        shot(d, "import_dialog_typed")
        d.use_exif.setChecked(True)
        seen.extend(d.dates.item(i).text() for i in range(d.dates.count()))
        shot(d, "import_dialog_exif")
        d.use_typed.setChecked(True)  # the typed date for every image
        return True

    dialogs.files.append([str(plain), str(dated)])
    dialogs.fillers.append(fill)
    window.c.import_images()
    result = wait_import(qtbot, window)
    assert sorted(c.taken_at for c in result.captures) == ["2026-08-20", "2026-08-20"]
    assert (
        "no_exif.jpg: 2026-08-20 (date above)" in seen
        and "exif.jpg: 2026-08-20 (date above); EXIF says 2025-05-01" in seen
    )
    assert "no_exif.jpg: 2026-08-20: no EXIF date (the file has no EXIF data); the date above is used" in seen
    assert "exif.jpg: 2025-05-01 (EXIF date)" in seen
    assert any(line.startswith("Into: <b>Lesion ") and " · anterior torso of " in line for line in seen)


def test_clicking_a_date_part_and_typing_replaces_it(qtbot) -> None:
    from dermadesk.ui.date_edit import DateEdit

    field = DateEdit()
    field.set_iso("2026-03-15")
    field.resize(180, 30)
    qtbot.addWidget(field)
    field.show()
    qtbot.waitExposed(field)
    line = field.lineEdit()
    x = line.fontMetrics().horizontalAdvance("2026-0") + 4  # inside the month
    qtbot.mouseClick(line, Qt.MouseButton.LeftButton, pos=QPoint(x, line.height() // 2))
    qtbot.wait(20)
    qtbot.keyClicks(field, "07")
    assert field.iso() == "2026-07-15"


def test_a_future_date_is_kept_as_typed_and_refused_not_rewritten(qtbot) -> None:
    """'2027-05-01' typed had become 2026-05-01 (Qt drops digits past a maximum date), turning a follow-up
    into the baseline; now the field keeps what was typed, shows it in red and the dialog's button is off."""
    from PySide6.QtCore import QDate
    from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout

    from dermadesk.ui.date_edit import DateEdit

    dialog = QDialog()
    field = DateEdit()
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
    field.valid_changed.connect(buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled)
    layout = QVBoxLayout(dialog)
    layout.addWidget(field)
    layout.addWidget(buttons)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    next_year = QDate.currentDate().year() + 1
    field.setFocus()
    field.setSelectedSection(field.Section.YearSection)
    qtbot.keyClicks(field, f"{next_year}-05-01")
    assert field.iso() == f"{next_year}-05-01"
    assert "after today" in field.problem() and "after today" in field.toolTip()
    assert not buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    field.set_iso(QDate.currentDate().toString("yyyy-MM-dd"))
    assert field.problem() == "" and buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()


def test_typing_over_a_whole_selected_date_replaces_it(qtbot) -> None:
    """Ctrl+A (or Shift+End from the start, or a drag over month and day) then a full date typed: Qt had kept
    the year it could not re-read ("2025-03-10" typed over 2026-11-22 stored 2026-03-10)."""
    from PySide6.QtGui import QGuiApplication

    from dermadesk.ui.date_edit import DateEdit

    field = DateEdit()
    qtbot.addWidget(field)
    field.show()
    qtbot.waitExposed(field)

    def fresh() -> None:
        field.set_iso("2026-11-22")
        field.setFocus(Qt.FocusReason.TabFocusReason)

    fresh()
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert field.lineEdit().selectedText() == "2026-11-22"
    qtbot.keyClicks(field, "2025-03-10")
    assert field.iso() == "2025-03-10"
    fresh()
    qtbot.keyClick(field, Qt.Key.Key_Home)
    qtbot.keyClick(field, Qt.Key.Key_End, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(field, "2024-01-31")
    assert field.iso() == "2024-01-31"
    fresh()
    field.lineEdit().setSelection(5, 5)  # "11-22" dragged over
    qtbot.keyClicks(field, "03-10")
    assert field.iso() == "2026-03-10"
    fresh()
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert field.lineEdit().selectedText() == "2026-11-22", field.lineEdit().selectedText()
    QGuiApplication.clipboard().setText("2025-03-10")
    qtbot.keyClick(field, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert field.iso() == "2025-03-10"


def test_a_camera_date_that_cannot_be_right_is_not_offered(qtbot, window, dialogs, tmp_path: Path) -> None:
    lesion_shown(window, dialogs)
    wrong = tmp_path / "wrong-clock.jpg"
    _exif_jpeg(wrong, "2099:01:01 10:00:00")
    seen: list[str] = []

    def fill(d) -> bool:
        d.use_exif.setChecked(True)
        seen.extend(d.dates.item(i).text() for i in range(d.dates.count()))
        seen.append(d.taken.iso())
        return True

    dialogs.files.append([str(wrong)])
    dialogs.fillers.append(fill)
    window.c.import_images()
    result = wait_import(qtbot, window)
    today = dt.date.today().isoformat()
    assert seen == [
        f"wrong-clock.jpg: {today}: camera date 2099-01-01 is in the future, not used; the date above is used",
        today,
    ]
    assert [c.taken_at for c in result.captures] == [today]
    [(title, message)] = dialogs.warnings
    assert "check the capture dates" in title and "camera's date 2099-01-01 is in the future" in message


def test_the_import_dialog_refuses_a_date_before_the_birth_date(qtbot) -> None:
    from dermadesk.ui.forms import CaptureDialog

    dialog = CaptureDialog(["/tmp/a.jpg"], {"/tmp/a.jpg": None}, None, "Lesion 1 of P-1", ("Lesion 1", []),
                           None, {}, birth_date="1961-03-12")  # fmt: skip
    qtbot.addWidget(dialog)
    assert dialog.import_button.isEnabled()
    dialog.taken.set_iso("1950-01-01")
    assert not dialog.import_button.isEnabled()
    assert dialog.taken.toolTip() == "1950-01-01 is before the patient's birth date (1961-03-12)"
    dialog.taken.set_iso("1961-03-12")
    assert dialog.import_button.isEnabled()
