"""Corrections in the app: edit, move, delete and restore captures and lesions from the Edit menu, Undo and
Redo, each change (and each undo) audited in the real register; no view keeps what was deleted; the prompt to
mark a lesion referred."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QKeySequence

from dermadesk.services import register_ops as ops
from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.domain.lesion_name import lesion_name
from tests.conftest import lesion_jpeg
from tests.ui.helpers import add_patient, settled

SHOTS = Path(__file__).resolve().parents[2] / "runs" / "shots16b"


def shot(widget, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SHOTS / f"{name}.png"))


@pytest.fixture
def filled(qtbot, window, dialogs, tmp_path: Path):
    """A patient with two lesions; the first holds two captures (2026-01-10 and 2026-04-10), no model."""
    reg = window.session.register
    pid = add_patient(window, dialogs)
    first = reg.lesions.add("t", pid, "anterior torso", "chest")
    second = reg.lesions.add("t", pid, "upper extremity", "arm")
    for i, day in enumerate(("2026-01-10", "2026-04-10")):
        f = tmp_path / f"c{i}.jpg"
        f.write_bytes(lesion_jpeg(seed=5, scale=1.0 + 0.3 * i))
        import_files(reg, "t", first.id, [f], CaptureMeta(taken_at=day), compare=False)
    window.refresh(pid)
    window.show_lesion(first.id)
    assert window.timeline.count() == 2
    return pid, first.id, second.id


def trigger(window, key: str) -> None:
    window.corrections.actions[key].trigger()


def test_edit_capture_undo_redo_audited(qtbot, window, dialogs, filled) -> None:
    reg = window.session.register
    window.timeline.setCurrentRow(1)
    cid = window.selection.capture_id

    def edit(d) -> bool:
        shot(d, "edit_capture")
        d.taken.set_iso("2026-02-10")
        d.modality.setCurrentText("clinical")
        d.mm_per_px.setValue(0.02)
        return True

    dialogs.fillers.append(edit)
    trigger(window, "edit_capture")
    said = "Capture of 10 Apr 2026 corrected: date taken (now 10 Feb 2026), modality, mm per pixel"
    assert window.statusBar().currentMessage().startswith(said)  # "; comparison updated" once compared again
    c = reg.captures.get(cid)
    assert (c.taken_at, c.modality, c.mm_per_px) == ("2026-02-10", "clinical", 0.02) and not dialogs.errors
    row = reg.audit.entries("capture", cid)[0]
    assert row.action == "update" and row.before["taken_at"] == "2026-04-10" and row.after["mm_per_px"] == 0.02
    assert window.timeline.current_capture_id() == cid and "10 Feb 2026" in window.timeline.currentItem().text()

    edit_menu = next(a for a in window.menuBar().actions() if a.text() == "&Edit").menu()
    undo = next(a for a in edit_menu.actions() if a.text().startswith("&Undo"))
    redo = next(a for a in edit_menu.actions() if a.text().startswith("&Redo"))
    assert undo.shortcut() == QKeySequence(QKeySequence.StandardKey.Undo) and undo.isEnabled()
    assert QKeySequence("Ctrl+Shift+Z") in redo.shortcuts()
    undo.trigger()
    c = reg.captures.get(cid)
    assert (c.taken_at, c.modality, c.mm_per_px) == ("2026-04-10", "dermoscopic", None)
    row = reg.audit.entries("capture", cid)[0]
    assert row.action == "undo" and row.before["taken_at"] == "2026-02-10" and row.after["taken_at"] == "2026-04-10"
    redo.trigger()
    assert reg.captures.get(cid).taken_at == "2026-02-10" and reg.audit.entries("capture", cid)[0].action == "update"


def test_move_delete_restore_capture_and_lesion(qtbot, window, dialogs, filled) -> None:
    pid, first, second = filled
    reg, fixes = window.session.register, window.corrections
    window.timeline.setCurrentRow(0)
    cid = window.selection.capture_id

    def move(d) -> bool:
        shot(d, "move_capture")
        d.lesion.setCurrentIndex(d.lesion.findData(second))
        return True

    dialogs.fillers.append(move)
    trigger(window, "move_capture")
    assert reg.captures.get(cid).lesion_id == second and reg.audit.entries("capture", cid)[0].action == "move"
    assert window.selection.lesion_id == second and window.timeline.count() == 1  # shown where it went
    fixes.stack.undo()
    assert reg.captures.get(cid).lesion_id == first and window.timeline.count() == 2

    window.timeline.setCurrentRow(1)
    gone = window.selection.capture_id
    dialogs.confirms.append(True)
    trigger(window, "delete_capture")
    assert reg.captures.get(gone).deleted_at is not None and window.timeline.count() == 1
    assert reg.audit.entries("capture", gone)[0].action == "delete"
    fixes.stack.undo()
    assert reg.captures.get(gone).deleted_at is None and window.timeline.count() == 2
    assert reg.audit.entries("capture", gone)[0].action == "restore"

    dialogs.confirms.append(True)
    trigger(window, "delete_lesion")
    assert reg.lesions.get(first).deleted_at is not None and window.lesions.list.count() == 1
    assert window.selection.lesion_id is None and window.timeline.count() == 0

    def restore(d) -> bool:
        shot(d, "restore_deleted")
        d.check("lesion", first)
        return True

    dialogs.fillers.append(restore)
    trigger(window, "restore_deleted")
    assert reg.lesions.get(first).deleted_at is None and window.lesions.list.count() == 2
    assert [e.action for e in reg.audit.entries("lesion", first)][:2] == ["restore", "delete"]


def test_edit_lesion_and_undo(qtbot, window, dialogs, filled) -> None:
    _, first, _ = filled
    reg = window.session.register

    def edit(d) -> bool:
        shot(d, "edit_lesion")
        d.label.setText("left chest")
        d.status.setCurrentText("excised")
        return True

    dialogs.fillers.append(edit)
    trigger(window, "edit_lesion")
    les = reg.lesions.get(first)
    assert (les.label, les.status) == ("left chest", "excised")
    assert reg.audit.entries("lesion", first)[0].after == {"label": "left chest", "status": "excised"}
    window.corrections.stack.undo()
    assert reg.lesions.get(first).status == "monitoring" and reg.audit.entries("lesion", first)[0].action == "undo"


def test_no_capture_selected_says_how(window, dialogs) -> None:
    trigger(window, "edit_capture")
    assert not dialogs.errors and "Click a capture in the timeline" in dialogs.infos[-1][1]  # a hint, no error


def test_urgent_result_proposes_referral_in_one_click(qtbot, window, dialogs, filled) -> None:
    _, first, _ = filled
    reg = window.session.register
    cid = reg.captures.for_lesion(first)[-1].id
    reg.assessments.add("t", cid, model_name="m", model_version="1", provider="CPU", probabilities={"mel": 0.9},
                        top_class="mel", malignant_probability=0.9, melanoma_probability=0.9, risk_tier="urgent",
                        recommendation="see a specialist", ood_score=0.0, ood_flag=False)  # fmt: skip
    window.show_lesion(first, cid)
    prompt = window.referral_prompt
    assert prompt.isVisible() and "URGENT" in prompt.text.text()
    window.resize(1280, 720)
    settled(qtbot, window)  # the panes fitted and the prompt placed after the resize (a condition, not a delay)
    bar = window.tabs.tabBar()

    def beside_the_tab_titles() -> bool:  # once the tab widget has laid its corner out
        left, right = prompt.mapTo(window, prompt.rect().topLeft()), prompt.mapTo(window, prompt.rect().topRight())
        return (
            left.x() >= bar.mapTo(window, bar.rect().topRight()).x()
            and right.x() <= window.tabs.mapTo(window, window.tabs.rect().topRight()).x()
        )

    qtbot.waitUntil(beside_the_tab_titles)
    shot(window, "referral_prompt_1280x720")
    prompt.button.click()
    assert reg.lesions.get(first).status == "referred" and not prompt.isVisible()
    assert reg.audit.entries("lesion", first)[0].after == {"status": "referred"}


def test_deleting_the_patient_leaves_no_verdict_picture_or_chart(qtbot, window, dialogs, filled) -> None:
    _, first, _ = filled
    window.tabs.setCurrentWidget(window.comparison)
    with qtbot.waitSignal(window.comparisons.compared, timeout=60000):
        window.show_lesion(first)
    qtbot.waitUntil(lambda: window.comparison.result is not None, timeout=60000)
    assert window.comparison.chart.chart().series()
    dialogs.confirms.append(True)
    window.delete_patient()
    qtbot.wait(50)
    assert window.comparison.result is None and window.comparison.pictures is None
    assert "Select a lesion" in window.comparison.verdict_text()
    assert all(s.count() == 0 for s in window.comparison.chart.chart().series())
    assert window.assessment.capture is None and window.timeline.count() == 0


def test_change_tab_follows_a_redated_and_a_deleted_capture(qtbot, window, dialogs, filled) -> None:
    _, first, _ = filled
    window.tabs.setCurrentWidget(window.comparison)
    with qtbot.waitSignal(window.comparisons.compared, timeout=60000):
        window.show_lesion(first)
    assert "10 Apr 2026" in window.comparison.verdict_text()
    window.timeline.setCurrentRow(1)
    qtbot.waitUntil(lambda: window.comparison.result is not None, timeout=60000)

    def redate(d) -> bool:
        d.taken.set_iso("2026-02-20")
        return True

    dialogs.fillers.append(redate)
    with qtbot.waitSignal(window.comparisons.compared, timeout=60000):
        trigger(window, "edit_capture")
    qtbot.waitUntil(lambda: "20 Feb 2026" in window.comparison.verdict_text(), timeout=60000)
    window.timeline.setCurrentRow(0)
    dialogs.confirms.append(True)
    with qtbot.waitSignal(window.comparisons.compared, timeout=60000):
        trigger(window, "delete_capture")
    qtbot.waitUntil(lambda: window.comparison.result is None, timeout=60000)
    assert window.comparison.verdict_text().startswith("Only one capture: a follow-up is compared with it")
    assert window.comparisons.compared_pair is None


def test_the_same_image_in_another_lesion_is_refused_naming_it(qtbot, window, dialogs, filled, tmp_path) -> None:
    _, first, second = filled
    window.show_lesion(second)
    dialogs.files.append([str(tmp_path / "c0.jpg")])  # already capture 1 of the chest lesion
    window.c.import_images()
    qtbot.waitUntil(lambda: bool(dialogs.infos), timeout=30000)  # said before any import dialog asks
    assert dialogs.infos[-1][0] == "Nothing to import"
    assert window.session.register.captures.for_lesion(second) == []
    shown = " ".join(m for _, m in dialogs.warnings + dialogs.infos) + " ".join(dialogs.details)
    named = lesion_name(window.session.register.lesions.get(first))  # as the app names it: "Lesion 1 · chest · ..."
    assert named.startswith("Lesion 1 · chest · anterior torso") and f"{named} of Ui Tester (MRN UI-1)" in shown


def test_undo_of_another_patients_change_opens_that_patient(qtbot, window, dialogs, filled) -> None:
    """Found by a new user: Edit capture on one patient, a new patient opened, Undo: the other patient's
    lesion was shown under the new patient's name, and import and report went to the wrong patient."""
    reg = window.session.register
    first_patient, lesion_id, _ = filled
    window.timeline.setCurrentRow(1)
    cid = window.selection.capture_id
    dialogs.fillers.append(lambda d: d.taken.set_iso("2026-02-10") or True)
    trigger(window, "edit_capture")
    assert reg.captures.get(cid).taken_at == "2026-02-10"
    other = ops.add_patient(reg, "t", "UI-2", "Other Patient").id  # opened, not by the undoable New patient
    window.refresh(other)
    assert window.selection.patient_id == other and window.selection.lesion_id is None
    window.corrections.stack.undo()
    assert reg.captures.get(cid).taken_at == "2026-04-10"
    # the undone change's patient is on screen with its lesion: header, selection and lesion list agree
    assert window.selection.patient_id == first_patient and window.selection.lesion_id == lesion_id
    assert reg.lesions.get(window.selection.lesion_id).patient_id == window.selection.patient_id
    assert window.patients.current_patient_id() == first_patient
