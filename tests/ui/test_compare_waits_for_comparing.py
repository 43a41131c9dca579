"""Patient > Compare with the reviewed capture waits while the comparing that follows a decision runs for that lesion,
or while an import from another workstation, which compares what it brought, runs (both would compare the same pair):
disabled from its start, and offered again once it has ended (done, cancelled or failed) with the pair still to
make; made, nothing is left to offer. Another lesion's comparing after a decision leaves it alone. The
real task runner, window and register; the worker held at the pair's comparing (then the real comparing, or a fault
injected) so that the test looks while it runs."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

import dermadesk.services.tracking as tracking
from dermadesk.domain.errors import BadImageError, DermaDeskError
from dermadesk.services.confirm_change import missing_pairs
from dermadesk.services.transfer import export_patients
from dermadesk.storage.register import Register
from dermadesk.ui.confirm_change import NOT_MADE, TIP, WAITS
from dermadesk.analysis.synthetic import LesionSpec, jpeg_bytes, synthetic_lesion
from dermadesk.services.captures import CaptureMeta, import_files
from tests.services.test_since_review import GROWN, pairs
from tests.transfer_data import CHEAP_KDF, PASSPHRASE, fill
from tests.ui.test_review_compares_in_background import shown_late

TASK = "Comparing with the reviewed capture"  # the comparing after a decision


class Held:
    """``tracking.compare_captures`` held on the runner's worker until ``release`` is set; then the real one, or
    ``fault`` raised in its place. Records the thread it ran on."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, fault: Exception | None = None) -> None:
        self.entered, self.release, self.fault = threading.Event(), threading.Event(), fault
        self.on_gui: list[bool] = []
        real = tracking.compare_captures

        def held(*args: Any, **kwargs: Any) -> Any:
            self.on_gui.append(threading.current_thread() is threading.main_thread())
            self.entered.set()
            self.release.wait(120)  # set by the test (in a finally): never a worker left waiting
            if self.fault is not None:
                raise self.fault
            return real(*args, **kwargs)

        monkeypatch.setattr(tracking, "compare_captures", held)


def other_lesion(register: Any, folder: Path) -> tuple[int, int, int]:
    """Another patient's lesion (another seed: not the same images) grown as ``late_imports``'s, its grown capture
    answered 'monitor' without its comparing (as saved before it was cancelled): (lesion, reviewed, later)."""
    patient = register.patients.add("t", "OTHER-1", "Other Patient").id
    lid = register.lesions.add("t", patient, "upper extremity").id
    ids = []
    for scale, day in ((1.0, "2025-06-02"), (GROWN, "2025-07-14"), (GROWN * 1.2**0.5, "2025-12-11")):
        path = folder / f"other-{day}.jpg"
        path.write_bytes(jpeg_bytes(synthetic_lesion(LesionSpec(seed=11, scale=scale), 320, 240)))
        ids.append(import_files(register, "t", lid, [path], CaptureMeta(taken_at=day, mm_per_px=0.02)).captures[0].id)
    register.captures.review("t", ids[1], "monitor", "")
    assert (ids[1], ids[2]) not in pairs(register, lid)
    return lid, ids[1], ids[2]


def decide_held(qtbot, window, held: Held) -> Any:
    """'monitor' saved on the capture on screen; back once its comparing holds on the worker: that task."""
    started: list[tuple[Any, bool]] = []  # each task as it starts, and whether the action was enabled then
    action = window.compare_with_reviewed.action
    window.session.runner.started.connect(lambda task: started.append((task, action.isEnabled())))
    window.assessment.decision.setCurrentText("monitor")
    window.assessment.save.click()
    qtbot.waitUntil(held.entered.is_set)
    [(task, enabled)] = started
    assert task.title == TASK and not enabled  # disabled as it started
    return task


@pytest.mark.parametrize(
    ("outcome", "fault", "made"),
    [
        ("done", None, True),
        ("done", BadImageError("image 3f2a is not a readable image"), False),  # the pair left out, said after
        ("cancelled", None, False),
        ("failed", RuntimeError("disk gone"), False),
    ],
)
def test_disabled_while_the_decisions_comparing_runs_and_offered_again_after_it(
    qtbot, window, dialogs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, outcome: str, fault: Any, made: bool
) -> None:
    reg, runner = window.session.register, window.session.runner
    action, compare = window.compare_with_reviewed.action, window.compare_with_reviewed
    lid, _, reviewed, later = shown_late(window, tmp_path)
    assert not action.isEnabled()  # no decision yet: no reviewed capture
    held = Held(monkeypatch, fault)
    try:
        task = decide_held(qtbot, window, held)
        # while it runs: the pair is still missing, yet the action waits (both would compare it)
        assert task in runner.running and task.comparing == {lid}
        assert [(r.id, c.id) for r, c in missing_pairs(reg, lid)] == [(reviewed, later)]
        assert not action.isEnabled() and action in window.lesions.list.actions()  # the right-click menu's too
        assert compare.run() is None and runner.running == [task]  # asked all the same: no second comparing
        if outcome == "cancelled":
            window.cancel_btn.click()
            assert not action.isEnabled()  # asked to stop, not stopped yet
        with qtbot.waitSignal(window.c.review_compared, timeout=120000):
            held.release.set()
    finally:
        held.release.set()
    qtbot.waitUntil(lambda: not runner.running)
    assert task.outcome == outcome and held.on_gui == [False]  # compared on the worker
    assert ((reviewed, later) in pairs(reg, lid)) == made
    assert action.isEnabled() == (not made)  # ended: offered again where the pair is still to make
    if outcome == "failed":
        [(title, message)] = dialogs.errors
        assert title == NOT_MADE and "disk gone" in message and "Patient > Compare with the reviewed capture" in message


def test_another_lesions_comparing_leaves_the_action_to_this_lesion(
    qtbot, window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While lesion A's comparing after its decision runs, lesion B (its decision saved before, its comparing never
    made) is offered it; A, shown again meanwhile, is not."""
    reg, runner = window.session.register, window.session.runner
    action = window.compare_with_reviewed.action
    lid_b, reviewed_b, later_b = other_lesion(reg, tmp_path)
    lid_a, _, reviewed_a, later_a = shown_late(window, tmp_path)
    held = Held(monkeypatch)
    try:
        task = decide_held(qtbot, window, held)
        assert task.comparing == {lid_a} and not action.isEnabled()
        window.refresh(reg.lesions.get(lid_b).patient_id)
        window.show_lesion(lid_b, later_b)
        assert window.selection.lesion_id == lid_b and task in runner.running
        assert action.isEnabled()  # B's pair: nothing compares it
        window.refresh(reg.lesions.get(lid_a).patient_id)
        window.show_lesion(lid_a, later_a)
        assert window.selection.lesion_id == lid_a and task in runner.running and not action.isEnabled()
        with qtbot.waitSignal(window.c.review_compared, timeout=120000):
            held.release.set()
    finally:
        held.release.set()
    qtbot.waitUntil(lambda: not runner.running)
    assert (reviewed_a, later_a) in pairs(reg, lid_a) and not action.isEnabled()  # made: nothing left for A
    assert (reviewed_b, later_b) not in pairs(reg, lid_b)


@pytest.mark.parametrize("fault", [None, DermaDeskError("the package's images could not be read")])
def test_disabled_while_an_import_from_another_workstation_runs_and_offered_again_after_it(
    qtbot, window, dialogs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fault: Exception | None
) -> None:
    """An import compares the captures it brought with their reviewed captures in its own task, its lesions known
    only once it has merged: the action waits while it runs, whichever lesion is selected, with the reason in its
    tips, and is offered again once the import ends, done or failed."""
    import dermadesk.ui.transfer_dialog as transfer_dialog

    reg, runner = window.session.register, window.session.runner
    action = window.compare_with_reviewed.action
    lid, _reviewed, later = other_lesion(reg, tmp_path)
    window.refresh(reg.lesions.get(lid).patient_id)
    window.show_lesion(lid, later)
    assert action.isEnabled() and action.statusTip() == TIP  # its pair is missing: offered
    with Register(tmp_path / "field") as field:
        fill(field, "FLD-1", "Field Patient", lesions=1, captures=2, seed=4)
        export_patients(field, tmp_path / "in.ddtx", PASSPHRASE, kdf=CHEAP_KDF)
    entered, release = threading.Event(), threading.Event()
    real = transfer_dialog.import_opened

    def held(*args: Any, **kwargs: Any) -> Any:  # the real import, held on the worker while the test looks
        entered.set()
        release.wait(120)
        if fault is not None:
            raise fault
        return real(*args, **kwargs)

    monkeypatch.setattr(transfer_dialog, "import_opened", held)

    def passphrase(d: Any) -> bool:
        d.passphrase.setText(PASSPHRASE)
        return True

    dialogs.files.append([str(tmp_path / "in.ddtx")])
    dialogs.fillers.extend([passphrase, lambda _preview: True])  # the preview's Import
    try:
        window.transfer_actions.import_patients()
        qtbot.waitUntil(entered.is_set, timeout=60000)
        [task] = runner.running
        assert task.title == "Importing patients" and lid in task.comparing
        assert not action.isEnabled() and action.statusTip() == WAITS and WAITS in action.toolTip()
        assert window.compare_with_reviewed.run() is None and runner.running == [task]  # no second comparing
    finally:
        release.set()
    qtbot.waitUntil(lambda: not runner.running, timeout=120000)
    assert task.outcome == ("failed" if fault else "done")
    if fault:
        assert dialogs.errors == [("Import patients: not done", str(fault))]
    else:
        assert dialogs.infos[-1][1].startswith("Imported 1 patient")
    assert missing_pairs(reg, lid) and action.isEnabled() and action.statusTip() == TIP  # its pair, not the import's
