"""The Comparison tab open on a hand-aligned pair while its follow-up's date is corrected (then undone and redone):
what the tab shows is stored and read by every view, whatever order the background comparisons end in (issue #16:
the tab showed SIGNIFICANT (64 days) while no comparison row was stored)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from dermadesk.domain.errors import Cancelled
from dermadesk.services import tracking
from tests.services.test_comparison_of_record import third_capture
from tests.services.test_hand_aligned_corrections import CORRECTED, hand_aligned_lesion


def open_on(qtbot, window, lid: int, capture_id: int) -> None:  # noqa: ANN001
    window.session.runner.pool.setMaxThreadCount(4)  # comparisons side by side, as on a desktop
    window.refresh(window.session.register.lesions.get(lid).patient_id)
    with qtbot.waitSignal(window.comparisons.compared, timeout=60000):
        window.show_lesion(lid, capture_id)
        window.tabs.setCurrentWidget(window.comparison)
    idle(qtbot, window)


def idle(qtbot, window) -> None:  # noqa: ANN001
    qtbot.waitUntil(lambda: not window.session.runner.running, timeout=60000)


def agree(window, follow_id: int, days: int, verdict: str) -> None:  # noqa: ANN001
    """The tab's verdict is the pair's current stored row, and the change line says the same."""
    reg, shown = window.session.register, window.comparison.result
    row = tracking.latest_change(reg, follow_id)
    assert row is not None, "the tab shows a verdict that no stored comparison holds"
    assert shown is not None and (shown.verdict, shown.interval_days) == (row.verdict, row.interval_days)
    assert (row.verdict, row.interval_days, row.metrics["registration"]["method"]) == (verdict, days, "manual")
    line = window.assessment.change.text()
    assert verdict.upper() in line and (verdict != "significant" or "NOT SIGNIFICANT" not in line)


def redate(window, dialogs, qtbot, wait_idle: bool = True) -> None:  # noqa: ANN001
    def fill(d) -> bool:  # noqa: ANN001
        d.taken.set_iso(CORRECTED)
        return True

    dialogs.fillers.append(fill)
    with qtbot.waitSignal(window.corrections.recompared, timeout=60000):
        window.corrections.actions["edit_capture"].trigger()
    if wait_idle:
        idle(qtbot, window)


@pytest.mark.slow  # over ~10 s: runs with the slow tests (.ci/run runs them), keeping the default run near ~10 minutes
def test_tab_open_during_a_date_correction_that_moves_the_capture_before_another(
    qtbot, window, dialogs, tmp_path: Path
) -> None:
    """The corrected follow-up is no longer the latest capture: comparing again used to redo only the latest
    capture's pair, so the tab computed SIGNIFICANT (64 days) for the corrected one and nothing stored it."""
    reg = window.session.register
    lid, _base_id, follow_id = hand_aligned_lesion(reg, tmp_path)
    third_capture(reg, lid, tmp_path)
    open_on(qtbot, window, lid, follow_id)
    agree(window, follow_id, 186, "not significant")

    redate(window, dialogs, qtbot)
    assert reg.captures.get(follow_id).taken_at[:10] == CORRECTED and not dialogs.errors
    assert window.selection.capture_id == follow_id
    agree(window, follow_id, 64, "significant")
    assert window.referral_prompt.isVisibleTo(window)

    for step, (days, verdict) in ((window.corrections.stack.undo, (186, "not significant")),
                                  (window.corrections.stack.redo, (64, "significant"))):  # fmt: skip
        with qtbot.waitSignal(window.corrections.recompared, timeout=60000):
            step()
        idle(qtbot, window)
        agree(window, follow_id, days, verdict)
    assert not dialogs.errors


def test_comparing_again_cancelled_the_tab_stores_what_it_shows(qtbot, window, dialogs, tmp_path, monkeypatch) -> None:
    """The status bar's Cancel (or closing the app) stops comparing again after a correction; the tab open on the
    pair then stores its comparison, so the change line, prompt and trend are not left empty."""
    reg = window.session.register
    lid, _base_id, follow_id = hand_aligned_lesion(reg, tmp_path)
    open_on(qtbot, window, lid, follow_id)

    def cancelled(*_args: object, **_kw: object) -> None:
        raise Cancelled("cancelled")

    monkeypatch.setattr(tracking, "refresh_baseline_comparison", cancelled)
    redate(window, dialogs, qtbot)
    assert any("cancelled" in title for title, _ in dialogs.infos)
    agree(window, follow_id, 64, "significant")
    assert tracking.lesion_trend(reg, lid).area.values[-1] is not None


def test_a_comparison_asked_for_before_the_correction_and_ending_after_it_is_not_shown(
    qtbot, window, dialogs, tmp_path, monkeypatch
) -> None:
    """Comparisons run side by side and end in any order: the tab shows the latest request's result only."""
    reg = window.session.register
    lid, _base_id, follow_id = hand_aligned_lesion(reg, tmp_path)
    open_on(qtbot, window, lid, follow_id)
    release, started, real = threading.Event(), threading.Event(), tracking.compare_for_view
    calls: list[int] = []

    def first_one_waits(*args: object, **kw: object):  # noqa: ANN202
        calls.append(1)
        if len(calls) == 1:  # the comparison asked for before the correction: held until the later ones end
            result = real(*args, **kw)  # made with the old date
            started.set()
            assert release.wait(60)
            return result
        return real(*args, **kw)

    monkeypatch.setattr(tracking, "compare_for_view", first_one_waits)
    window.refresh_comparison()
    qtbot.waitUntil(started.is_set, timeout=60000)
    redate(window, dialogs, qtbot, wait_idle=False)  # its own comparisons end while the first is held
    qtbot.waitUntil(lambda: len(window.session.runner.running) == 1, timeout=60000)
    agree(window, follow_id, 64, "significant")
    with qtbot.waitSignal(window.session.runner.ended, timeout=60000):
        release.set()
    agree(window, follow_id, 64, "significant")  # the held 186-day result came last and was not shown
    assert not dialogs.errors


@pytest.fixture(autouse=True)
def _no_stray_tasks(window, qtbot):  # noqa: ANN001, ANN202
    yield
    qtbot.waitUntil(lambda: not window.session.runner.running, timeout=60000)
