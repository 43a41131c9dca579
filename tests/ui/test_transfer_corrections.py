"""File > Import patients...: a package whose capture scale was corrected on the other workstation leaves this
register's comparisons with that capture stale; the import's own task compares the lesion again on its worker (no
second task, no image decoded on the GUI thread), as the app's own corrections do, and its notice says so; the
Assessment tab's change line then reads the comparison made with the scale as it is now. Cancelled while comparing
again, the import stands and the notice says what is left. Real window, real registers, a real package,
comparisons by the real pipeline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dermadesk.services.stored_comparisons import current_comparisons
from dermadesk.services.transfer import export_patients
from dermadesk.storage.register import Register
from tests.services.test_since_review import DAYS
from tests.services.test_transfer_corrections import WITH_BASELINE, corrected_on_the_laptop
from tests.services.test_transfer_review_compares import MRN, ids_by_day
from tests.ui.test_review_compares_in_background import decoded_where

AGAIN = "1 lesion compared again: the package corrected the date or scale of its captures."


@pytest.fixture
def laptop_package(data_dir: Path, tmp_path: Path) -> Path:
    """The window's register is the clinic; the laptop corrected the baseline's scale (0.02 -> 0.025 mm per pixel)
    after the clinic took a later capture: the laptop's package."""
    _, laptop = corrected_on_the_laptop(tmp_path, {"mm_per_px": 0.025}, clinic=data_dir)
    with Register(laptop) as reg:
        export_patients(reg, tmp_path / "back.ddtx", None)
    return tmp_path / "back.ddtx"


def import_it(window, dialogs, package: Path) -> None:
    dialogs.files.append([str(package)])
    dialogs.fillers.append(lambda d: True)  # Import, in the preview
    window.transfer_actions.import_patients()


def test_the_import_task_compares_again_on_its_worker_and_the_change_line_follows(
    laptop_package: Path, qtbot, window, dialogs, monkeypatch: pytest.MonkeyPatch
) -> None:
    reg = window.session.register
    lid, here = ids_by_day(reg.data_dir)
    base, later = here[DAYS[0]], here[DAYS[2]]
    window.refresh(reg.patients.by_mrn(MRN).id)
    window.show_lesion(lid, later)
    assert window.selection.capture_id == later and "SIGNIFICANT" in window.assessment.change.text()
    decodes = decoded_where(monkeypatch)
    started: list[Any] = []
    window.session.runner.started.connect(started.append)
    import_it(window, dialogs, laptop_package)
    qtbot.waitUntil(lambda: bool(dialogs.infos) and not window.session.runner.running, timeout=120000)
    assert [t.name for t in started] == ["Checking package", "Importing patients"]  # one task imports and compares
    task = started[1]
    assert task.outcome == "done" and WITH_BASELINE in task.messages
    assert {name for name, _ in decodes} == {f"{DAYS[0]}.jpg", f"{DAYS[2]}.jpg"}
    assert not any(on_gui for _, on_gui in decodes)  # decoded on the import's worker, none on the GUI thread
    text = dialogs.infos[0][1]
    assert text.startswith("Imported 1 comparison and updated 1 capture from back.ddtx") and text.endswith(AGAIN)
    assert dialogs.errors == [] and reg.captures.get(base).mm_per_px == 0.025
    [row] = [
        r for r in current_comparisons(reg, lid) if (r.baseline_capture_id, r.followup_capture_id) == (base, later)
    ]
    assert row.metrics["scales"] == {"baseline": 0.025, "followup": 0.02}
    window.show_lesion(lid, later)
    assert "SIGNIFICANT" in window.assessment.change.text()  # a current comparison read, not an empty line


def test_cancel_while_comparing_again_keeps_the_import_and_says_what_is_left(
    laptop_package: Path, qtbot, window, dialogs
) -> None:
    reg = window.session.register
    lid, here = ids_by_day(reg.data_dir)

    def cancel_when_comparing(task: Any) -> None:  # the user's Cancel, the moment comparing again is said
        if task.name == "Importing patients":
            job = task.job

            def pressed(progress: Any, cancel: Any) -> Any:
                def said(fraction: float, message: str) -> None:
                    progress(fraction, message)
                    if message == WITH_BASELINE:
                        cancel.cancel()

                return job(said, cancel)

            task.job = pressed

    window.session.runner.started.connect(cancel_when_comparing)
    import_it(window, dialogs, laptop_package)
    qtbot.waitUntil(lambda: bool(dialogs.infos) and not window.session.runner.running, timeout=120000)
    text = dialogs.infos[0][1]
    assert text.startswith("Imported 1 comparison and updated 1 capture") and AGAIN not in text
    assert "Comparing the captures whose dates or scales it corrected again was cancelled" in text
    assert reg.captures.get(here[DAYS[0]]).mm_per_px == 0.025  # the import is written
    assert not any(r.followup_capture_id == here[DAYS[2]] for r in current_comparisons(reg, lid))
