"""File > Import patients...: a package that brought assessments for captures here (the laptop assessed them LOW)
leaves the comparison made here with no tier for the baseline outdated; the import's own task compares it again on
its worker (no second task, no image decoded on the GUI thread), by the rule Re-assess capture follows, and its
notice says so; the lesion report then says the tier rise. Real window, real registers, a real package, the tiny ONNX
models, comparisons by the real pipeline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dermadesk.services.stored_comparisons import latest_change
from dermadesk.services.transfer import export_patients
from dermadesk.storage.register import Register
from tests.services.test_advice import low_model  # noqa: F401  (a fixture: the tiny model that says LOW)
from tests.services.test_since_review import DAYS, pairs
from tests.services.test_transfer_assessed_compares import (
    AGAIN,
    RISE,
    assessed_and_decided_on_the_laptop,
    assessed_on_the_laptop,
    tiers,
)
from tests.services.test_transfer_review_compares import MRN, REVIEWED, ids_by_day
from tests.ui.helpers import saved_report_text
from tests.ui.test_review_compares_in_background import decoded_where
from tests.ui.test_transfer_corrections import import_it

SAID = "1 lesion compared again: the package brought assessments that changed its captures' risk tiers."
FINISH = (  # what is left, and how to finish it
    "Still to compare: Lesion 1 of T-9 Tom Transfer. Import back.ddtx again to finish: nothing is imported twice, and "
    "what is left is compared."
)


@pytest.fixture
def laptop_package(data_dir: Path, tmp_path: Path, tiny_model_dir: Path, low_model: Path) -> Path:  # noqa: F811
    """The window's register is the clinic's (see ``assessed_on_the_laptop``): the laptop's package."""
    _, laptop = assessed_on_the_laptop(tmp_path, tiny_model_dir, low_model, clinic=data_dir)
    with Register(laptop) as reg:
        export_patients(reg, tmp_path / "back.ddtx", None)
    return tmp_path / "back.ddtx"


def test_the_import_task_compares_again_on_its_worker_and_the_report_says_the_rise(
    laptop_package: Path, qtbot, window, dialogs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reg = window.session.register
    lid, here = ids_by_day(reg.data_dir)
    base, later = here[DAYS[0]], here[DAYS[2]]
    window.refresh(reg.patients.by_mrn(MRN).id)
    window.show_lesion(lid, later)
    assert window.selection.capture_id == later
    decodes = decoded_where(monkeypatch)
    started: list[Any] = []
    window.session.runner.started.connect(started.append)
    import_it(window, dialogs, laptop_package)
    qtbot.waitUntil(lambda: bool(dialogs.infos) and not window.session.runner.running, timeout=120000)
    assert [t.name for t in started] == ["Checking package", "Importing patients"]  # one task imports and compares
    task = started[1]
    assert task.outcome == "done" and AGAIN in task.messages
    assert {name for name, _ in decodes} == {f"{DAYS[0]}.jpg", f"{DAYS[2]}.jpg"}
    assert not any(on_gui for _, on_gui in decodes)  # decoded on the import's worker, none on the GUI thread
    text = dialogs.infos[0][1]
    assert text == f"Imported 2 assessments, 1 comparison from back.ddtx. {SAID}"
    assert dialogs.errors == []
    row = latest_change(reg, later)
    assert row is not None and row.baseline_capture_id == base
    assert row.metrics["risk_tier"] == {"before": "low", "after": "monitor"}
    window.show_lesion(lid, later)
    assert RISE in saved_report_text(qtbot, window, dialogs, tmp_path / "report.pdf")  # the comparison made again


def cancelled_at(window, dialogs, qtbot, tmp_path: Path, laptop: Path, said: str) -> str:
    """The laptop's package imported, Cancel pressed the moment the import's task says ``said`` (the user's Cancel,
    never a time): the import's notice."""
    with Register(laptop) as reg:
        export_patients(reg, tmp_path / "back.ddtx", None)

    def cancel_when_comparing(task: Any) -> None:
        if task.name == "Importing patients":
            job = task.job

            def pressed(progress: Any, cancel: Any) -> Any:
                def told(fraction: float, message: str) -> None:
                    progress(fraction, message)
                    if message == said:
                        cancel.cancel()

                return job(told, cancel)

            task.job = pressed

    window.session.runner.started.connect(cancel_when_comparing)
    import_it(window, dialogs, tmp_path / "back.ddtx")
    qtbot.waitUntil(lambda: bool(dialogs.infos) and not window.session.runner.running, timeout=120000)
    window.session.runner.started.disconnect(cancel_when_comparing)  # a later import is not cancelled
    assert dialogs.errors == []
    return dialogs.infos[0][1]


def test_cancel_while_comparing_with_the_reviewed_capture_says_the_tiers_were_compared_again(
    qtbot,
    window,
    dialogs,
    data_dir: Path,
    tmp_path: Path,
    tiny_model_dir: Path,
    low_model: Path,  # noqa: F811
) -> None:
    """The package also brings the decision that makes the grown capture the later one's reviewed capture. Cancel
    pressed as the later capture is compared with it, after the comparison the tiers outdated was compared again: the
    notice says that comparing again was done and is kept (each in the details, with its result), and that the
    comparing with the reviewed capture was cancelled."""
    _, laptop = assessed_and_decided_on_the_laptop(tmp_path, tiny_model_dir, low_model, clinic=data_dir)
    reg = window.session.register
    lid, here = ids_by_day(reg.data_dir)
    base, reviewed, later = (here[day] for day in DAYS[:3])
    assert cancelled_at(window, dialogs, qtbot, tmp_path, laptop, REVIEWED) == (
        "Imported 2 assessments, 1 comparison and updated 1 capture from back.ddtx. "
        f"{SAID} Comparing the later captures with the reviewed capture was cancelled: until they are compared, a "
        f"lesion's ⚠ CHANGED flag estimates the change since it from the comparisons with the baseline. {FINISH} The "
        "comparisons made before the cancel are kept (see details)."
    )
    row = max(reg.comparisons.for_lesion(lid), key=lambda r: r.id)
    assert (
        f"Lesion 1 of T-9 Tom Transfer: 5 Jan 2026 → 30 Mar 2026 compared again with the baseline: "
        f"{row.verdict.upper()} ({row.reasons[0]})"
    ) in dialogs.details[0].splitlines()
    assert tiers(reg, lid, base, later) == {"before": "low", "after": "monitor"}  # compared again, as it says
    assert reg.captures.get(reviewed).decision == "monitor" and (reviewed, later) not in pairs(reg, lid)


def test_cancel_while_comparing_again_for_the_tiers_says_so_once(
    qtbot,
    window,
    dialogs,
    data_dir: Path,
    tmp_path: Path,
    tiny_model_dir: Path,
    low_model: Path,  # noqa: F811
) -> None:
    """Cancel pressed as the comparison the tiers outdated is compared again: the notice says that step was
    cancelled, and the comparing with the reviewed capture after it with it, in one sentence (nothing said done)."""
    _, laptop = assessed_and_decided_on_the_laptop(tmp_path, tiny_model_dir, low_model, clinic=data_dir)
    reg = window.session.register
    lid, here = ids_by_day(reg.data_dir)
    base, reviewed, later = (here[day] for day in DAYS[:3])
    assert cancelled_at(window, dialogs, qtbot, tmp_path, laptop, AGAIN) == (
        "Imported 2 assessments, 1 comparison and updated 1 capture from back.ddtx. Comparing the comparisons made "
        "with the risk tiers before the assessments it brought again was cancelled, and so was comparing the later "
        "captures with a reviewed capture: until they are compared, the change since the baseline, the trend chart "
        f"and a lesion's ⚠ flag may read the tier before. {FINISH}"
    )
    assert tiers(reg, lid, base, later) == {"before": None, "after": "monitor"}  # as before: not compared again
    assert (reviewed, later) not in pairs(reg, lid)
