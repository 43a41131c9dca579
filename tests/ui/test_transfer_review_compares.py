"""File > Import patients...: a decision the package brought on a capture after which this register holds a later one
has that capture compared with the reviewed capture within the import's own task (no second task, no image decoded on
the GUI thread); the lesion list's flag then reads the comparison (here it ends the estimate's ⚠ CHANGED: 150 days
apart, long-term rules). Real window, real registers, a real package, comparisons by the real pipeline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dermadesk.services.transfer import export_patients
from dermadesk.storage.register import Register
from tests.services.test_review_compares import LONG
from tests.services.test_since_review import GROWN, pairs
from tests.services.test_transfer_review_compares import MRN, decided_on_the_laptop, ids_by_day
from tests.ui.test_review_compares_in_background import decoded_where


@pytest.fixture
def laptop_package(data_dir: Path, tmp_path: Path) -> Path:
    """The window's register is the clinic of ``decided_on_the_laptop`` (long intervals); the laptop's package."""
    _, laptop = decided_on_the_laptop(tmp_path, data_dir, LONG, GROWN * 1.2**0.5)
    with Register(laptop) as reg:
        export_patients(reg, tmp_path / "back.ddtx", None)
    return tmp_path / "back.ddtx"


def test_the_import_task_compares_on_its_worker_and_the_flag_follows(
    laptop_package: Path, qtbot, window, dialogs, monkeypatch: pytest.MonkeyPatch
) -> None:
    reg = window.session.register
    lid, here = ids_by_day(reg.data_dir)
    reviewed, later = here[LONG[1]], here[LONG[2]]
    window.refresh(reg.patients.by_mrn(MRN).id)
    window.show_lesion(lid)
    assert window.lesions.list.item(0).text().startswith("⚠ CHANGED")  # +52 % since the baseline, not answered
    decodes = decoded_where(monkeypatch)
    started: list[Any] = []
    window.session.runner.started.connect(started.append)
    dialogs.files.append([str(laptop_package)])
    dialogs.fillers.append(lambda d: True)  # Import, in the preview
    window.transfer_actions.import_patients()
    qtbot.waitUntil(lambda: bool(dialogs.infos) and not window.session.runner.running, timeout=120000)
    assert [t.name for t in started] == ["Checking package", "Importing patients"]  # one task imports and compares
    task = started[1]
    assert task.outcome == "done" and "comparing with the reviewed capture of 13 Jul 2025" in task.messages
    assert {name for name, _ in decodes} == {f"{LONG[1]}.jpg", f"{LONG[2]}.jpg"}
    assert not any(on_gui for _, on_gui in decodes)  # decoded on the worker, none on the GUI thread
    assert dialogs.infos[0][1].startswith("Updated 1 capture from back.ddtx") and dialogs.errors == []
    assert reg.captures.get(reviewed).decision == "monitor" and pairs(reg, lid)[(reviewed, later)] == "not significant"
    window.show_lesion(lid)
    assert "CHANGED" not in window.lesions.list.item(0).text()  # the stored comparison read: nothing new since


def test_cancel_while_comparing_keeps_the_import_and_says_so(laptop_package: Path, qtbot, window, dialogs) -> None:
    """Cancel pressed once the import is written, as the comparison starts: the task ends done (the patients are
    imported), the notice says the comparing was cancelled and the flag estimates the change meanwhile."""
    reg = window.session.register
    lid, here = ids_by_day(reg.data_dir)

    def cancel_when_comparing(task: Any) -> None:  # the user's Cancel, the moment the comparison is said
        if task.name == "Importing patients":
            job = task.job

            def pressed(progress: Any, cancel: Any) -> Any:
                def said(fraction: float, message: str) -> None:
                    progress(fraction, message)
                    if message.startswith("comparing with the reviewed capture"):
                        cancel.cancel()

                return job(said, cancel)

            task.job = pressed

    window.session.runner.started.connect(cancel_when_comparing)
    dialogs.files.append([str(laptop_package)])
    dialogs.fillers.append(lambda d: True)
    window.transfer_actions.import_patients()
    qtbot.waitUntil(lambda: bool(dialogs.infos) and not window.session.runner.running, timeout=120000)
    text = dialogs.infos[0][1]
    assert text.startswith("Updated 1 capture from back.ddtx") and "with the reviewed capture was cancelled" in text
    assert reg.captures.get(here[LONG[1]]).decision == "monitor" and (here[LONG[1]], here[LONG[2]]) not in pairs(
        reg, lid
    )
    window.refresh(reg.patients.by_mrn(MRN).id)
    window.show_lesion(lid)
    assert window.lesions.list.item(0).text().startswith("⚠ CHANGED")  # the estimate, until compared
