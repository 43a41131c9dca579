"""The corrections name a lesion as the rest of the app does (``domain.lesion_name``): the lesion choices of Edit
capture and Move capture read "Lesion 1: chest, anterior torso (monitoring)", the delete question "lesion 1
(chest)", Restore deleted "lesion 1 (anterior torso)" for a capture's lesion and "by root" for a decision saved
under the computer's account (elsewhere "root (the computer's account)"). Real window, real register."""

from __future__ import annotations

from dermadesk.domain.dates import human_date, human_datetime
from dermadesk.domain.lesion_name import lesion_name
from dermadesk.services import register_ops as ops
from tests.ui.test_corrections import filled, trigger  # noqa: F401 - the fixture, used by name


def test_move_and_edit_capture_offer_each_lesion_by_its_name_and_status(qtbot, window, dialogs, filled) -> None:  # noqa: F811
    _, first, second = filled
    reg = window.session.register
    reg.lesions.update("t", second, status="excised")
    window.timeline.setCurrentRow(0)
    offered: list[list[str]] = []

    def look(d) -> bool:
        offered.append([d.lesion.itemText(i) for i in range(d.lesion.count())])
        return False

    dialogs.fillers.extend([look, look])
    trigger(window, "move_capture")
    trigger(window, "edit_capture")
    arm = reg.lesions.get(second)
    assert offered[0] == [f"{lesion_name(arm)}, excised"] == ["Lesion 2 · arm · upper extremity, excised"]
    assert offered[1] == ["Lesion 1 · chest · anterior torso, monitoring", "Lesion 2 · arm · upper extremity, excised"]


def test_the_delete_question_names_the_lesion(qtbot, window, dialogs, filled) -> None:  # noqa: F811
    _, first, _ = filled
    dialogs.confirms.append(False)
    trigger(window, "delete_lesion")
    title, question = dialogs.questions[-1]
    assert title == "Delete lesion 1"  # named, as the Edit lesion 1 dialog is
    assert question.startswith("Delete Lesion 1 · chest · anterior torso with its 2 captures? ")
    assert window.session.register.lesions.get(first).deleted_at is None  # not asked: nothing deleted


def test_restore_deleted_names_lesions_and_the_computer_account_as_elsewhere(qtbot, window, dialogs, filled) -> None:  # noqa: F811
    pid, first, second = filled
    reg = window.session.register
    capture = reg.captures.for_lesion(first)[-1]
    ops.delete_capture(reg, "Nurse Kim Lee", capture.id)
    ops.delete_lesion(reg, "root", second)
    window.refresh(pid)
    seen: list[str] = []

    def look(d) -> bool:
        seen.extend(d.items.item(i).text() for i in range(d.items.count()))
        return False

    dialogs.fillers.append(look)
    window.corrections.restore_deleted()
    arm, gone = reg.lesions.get(second), reg.captures.get(capture.id)
    assert seen == [
        f"Lesion 2 · arm · upper extremity, monitoring, deleted {human_datetime(arm.deleted_at)} "
        "by root (the computer's account)",
        f"Capture of {human_date(gone.taken_at)} ({gone.original_name}), Lesion 1 · chest · anterior torso, "
        f"deleted {human_datetime(gone.deleted_at)} by Nurse Kim Lee",
    ]
