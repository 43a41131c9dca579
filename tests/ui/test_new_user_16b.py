"""A new user's smaller findings (#16): Add patient is undoable, Undo and Redo say what they did in the status
bar; the print dialog names the report; reports are owner-only."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter

from dermadesk.services import register_ops as ops
from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.ui.correction_dialogs import LesionEditDialog
from dermadesk.ui.notices import same_day_warning
from tests.conftest import lesion_jpeg
from tests.ui.helpers import add_patient, saved_report_text, wait_import


def test_add_patient_is_undone_as_a_soft_delete_and_undo_redo_say_so(qtbot, window, dialogs) -> None:
    reg, stack, bar = window.session.register, window.corrections.stack, window.statusBar()
    pid = add_patient(window, dialogs, mrn="NEW-1", name="New Person")
    assert stack.undoText() == "Add patient NEW-1" and window.selection.patient_id == pid
    stack.undo()  # soft, audited, restorable: as Delete patient does
    assert reg.patients.get(pid).deleted_at is not None and window.selection.patient_id is None
    assert reg.audit.entries("patient", pid)[0].action != "create" and window.patients.model.rowCount() == 0
    assert bar.currentMessage() == "Undone: Add patient NEW-1"
    stack.redo()
    assert reg.patients.get(pid).deleted_at is None and window.selection.patient_id == pid
    assert window.patients.model.rowCount() == 1 and bar.currentMessage() == "Redone: Add patient NEW-1"
    assert [e.action for e in reg.audit.entries("patient", pid)][:2] == ["restore", "delete"]


SHOTS = Path(os.environ.get("DERMADESK_SHOTS", "/nonexistent"))  # screenshots for a person to look at, when set


def one_capture(window, dialogs, tmp_path: Path, mrn: str = "PR-7", x: float = 0.8) -> tuple[int, int]:
    """A patient whose lesion 1 (placed at ``x`` on the front view's arm) holds one capture of 2026-02-03."""
    reg = window.session.register
    pid = add_patient(window, dialogs, mrn=mrn)
    les = reg.lesions.add("t", pid, "upper extremity", "", body_view="front", body_x=x, body_y=0.2)
    f = tmp_path / f"{mrn}.jpg"
    f.write_bytes(lesion_jpeg(seed=5))
    import_files(reg, "t", les.id, [f], CaptureMeta(taken_at="2026-02-03"), compare=False)
    window.refresh(pid)
    window.show_lesion(les.id)
    return pid, les.id


def test_print_dialog_names_the_report_and_written_reports_are_owner_only(qtbot, window, dialogs, tmp_path) -> None:
    one_capture(window, dialogs, tmp_path)
    seen: list[tuple[str, str]] = []
    printed = tmp_path / "printed.pdf"

    def print_to_file(d) -> bool:
        seen.append((d.windowTitle(), d.printer().docName()))
        d.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        d.printer().setOutputFileName(str(printed))
        return True

    dialogs.fillers.append(print_to_file)
    window.reports.print_lesion_report()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Report printed"), timeout=60000)
    assert seen == [("Print report – Lesion 1, PR-7", "DermaDesk report – Lesion 1, PR-7")]
    assert stat.S_IMODE(printed.stat().st_mode) == 0o600  # as backups: patient data
    saved = tmp_path / "saved.pdf"
    dialogs.saves.append(str(saved))
    window.reports.save_lesion_report()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == f"Report saved: {saved}", timeout=60000)
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600


def test_hints_to_select_something_first_are_information_not_errors(qtbot, window, dialogs) -> None:
    window.reports.save_patient_summary()  # nothing selected at all
    add_patient(window, dialogs, mrn="HINT-1")
    window.c.import_images()  # no lesion yet
    window.reports.save_lesion_report()
    window.reports.print_lesion_report()
    window.corrections.actions["edit_capture"].trigger()
    window.corrections.actions["delete_lesion"].trigger()
    assert not dialogs.errors
    assert [t for t, _ in dialogs.infos] == [
        "No patient selected",
        "No lesion selected",
        "No lesion selected",
        "No lesion selected",
        "No capture selected",
        "No lesion selected",
    ]


def test_an_import_opens_the_assessment_of_the_new_capture(qtbot, window, dialogs, tmp_path) -> None:
    _pid, lid = one_capture(window, dialogs, tmp_path)
    window.tabs.setCurrentWidget(window.comparison)  # looking at the change when the next photo comes in
    f = tmp_path / "follow-up.jpg"
    f.write_bytes(lesion_jpeg(seed=5, scale=1.2))
    window.c.import_paths(lid, [str(f)], ask=False)
    result = wait_import(qtbot, window)
    qtbot.waitUntil(lambda: not window.session.runner.running, timeout=60000)
    assert window.tabs.currentWidget() is window.assessment
    assert window.selection.capture_id == result.captures[-1].id == window.assessment.capture.id


def test_the_import_dialog_warns_of_a_second_capture_of_one_day(qtbot, window, dialogs, tmp_path) -> None:
    _pid, lid = one_capture(window, dialogs, tmp_path)  # its baseline: 2026-02-03
    f = tmp_path / "again.jpg"
    f.write_bytes(lesion_jpeg(seed=6))
    said: list[str] = []

    def look(d) -> bool:
        d.taken.set_iso("2026-05-03")
        said.append(d.same_day.text())
        d.taken.set_iso("2026-02-03")
        said.append(d.same_day.text())
        d.resize(560, d.layout().heightForWidth(560))
        d.grab().save(str(SHOTS / "import_same_day.png")) if SHOTS.is_dir() else None
        return True  # a warning, not a refusal

    dialogs.fillers.append(look)
    window.c.import_paths(lid, [str(f)])
    wait_import(qtbot, window)
    assert said[0] == "" and said[1].startswith("⚠ Lesion 1 already has a capture taken on 2026-02-03. Two captures")
    assert "show no change over time" in said[1] and said[1].endswith("import it, then delete the poorer one.")
    assert len(window.session.register.captures.for_lesion(lid)) == 2
    later = same_day_warning("Lesion 2", ["2026-01-05", "2026-08-20"], ["2026-08-20"])
    assert later is not None and "compared with the baseline of 2026-01-05" in later and "0 days" not in later
    assert "2 of these images will be stored as taken on 2026-09-01" in (
        same_day_warning("Lesion 2", ["2026-01-05"], ["2026-09-01", "2026-09-01"]) or ""
    )
    assert same_day_warning("Lesion 2", ["2026-01-05"], ["2026-09-01"]) is None
    assert "show that day twice" in later and later.endswith("import it, then delete the poorer one.")
    four = same_day_warning("Lesion 2", ["2025-06-01"], ["2026-11-23"] * 4) or ""  # helper 48: not "twice"
    assert "the timeline and trend show that day 4 times" in four and four.endswith("delete the poorer ones.")


def test_sites_shown_name_the_patients_side_from_the_body_map(qtbot, window, dialogs, tmp_path) -> None:
    reg = window.session.register
    pid, left = one_capture(window, dialogs, tmp_path, x=0.8)  # front view, viewer's right: the patient's left
    right = reg.lesions.add("t", pid, "upper extremity", "", body_view="back", body_x=0.8, body_y=0.2).id
    reg.lesions.add("t", pid, "anterior torso", "", body_view="front", body_x=0.5, body_y=0.3)  # the midline
    window.refresh(pid)
    window.show_lesion(left)
    items = [window.lesions.list.item(i) for i in range(3)]
    rows = [i.data(Qt.ItemDataRole.UserRole + 1)[0] for i in items]  # the rows' full names (the short: narrow lists)
    assert rows == [
        "Lesion 1 · upper extremity (left, front)",  # the face too: a front and a back lesion of one arm differ
        "Lesion 2 · upper extremity (right, back)",
        "Lesion 3 · anterior torso",
    ]  # stored as the ISIC site, without a side
    assert ops.lesion(reg, right).site == "upper extremity"
    assert window.c._lesion_words(left).startswith("Lesion 1 · upper extremity (left, front) of PR-7")
    assert ops.lesion_in_patient_text(reg, right).startswith("Lesion 2 · upper extremity (right, back) of ")
    dialog = LesionEditDialog(ops.lesion(reg, left))  # the side it gives, as the position changes
    assert dialog.side.text() == "left, from the position on the body map"
    dialog.view.setCurrentText("back")
    assert dialog.side.text().startswith("right") and not dialog.changes().get("site")
    dialog.deleteLater()
    text = saved_report_text(qtbot, window, dialogs, tmp_path / "sided.pdf")
    assert "Lesion 1 · upper extremity (left, front) Status: monitoring" in text


def test_undone_stays_in_the_status_bar_past_the_comparison_made_again(qtbot, window, dialogs, tmp_path) -> None:
    _pid, lid = one_capture(window, dialogs, tmp_path)
    f = tmp_path / "later.jpg"
    f.write_bytes(lesion_jpeg(seed=5, scale=1.2))
    import_files(window.session.register, "t", lid, [f], CaptureMeta(taken_at="2026-05-03"), compare=False)
    window.show_lesion(lid)
    dialogs.confirms.append(True)
    window.corrections.actions["delete_capture"].trigger()  # the follow-up: compared again after the undo
    window.corrections.stack.undo()
    qtbot.waitUntil(lambda: not window.session.runner.running, timeout=60000)
    assert window.session.register.comparisons.for_lesion(lid)  # compared again in the background
    assert window.statusBar().currentMessage() == "Undone: Delete capture; comparison updated"
