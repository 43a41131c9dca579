"""Findings of a new user's first session: what is enabled with nothing selected, units, dates, restore, numbers."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog

from tests.ui.helpers import add_patient
from tests.ui.test_layout import lesion_with
from tests.ui.test_maintenance import filled, finish


def test_save_lesion_is_disabled_until_a_patient_and_lesion_are_chosen(qtbot, window, dialogs) -> None:
    save = window.lesions.apply
    assert not save.isEnabled() and "Select a patient" in save.toolTip()  # a restart: nothing selected yet
    add_patient(window, dialogs)
    assert not save.isEnabled()  # a patient without lesions: still nothing to save
    bm = window.lesions.body_map
    dialogs.confirms.append(True)
    window.place_lesion("back", 0.5, 0.3, "posterior torso")
    assert window.lesions.current_lesion() is not None and bm.lesions
    assert save.isEnabled() and "Saves" in save.toolTip()


def area_series_name(chart) -> str:
    return next(s.name() for s in chart.chart().series() if s.name().startswith("area"))


def test_a_lone_capture_with_a_scale_charts_its_area_in_mm2(qtbot, window, tmp_path: Path) -> None:
    lesion_with(window, tmp_path, ["2026-01-01"], mm_per_px=0.02)
    qtbot.waitUntil(lambda: window.assessment.capture is not None)
    chart = window.comparison.chart
    chart.set_points([], [], [], "pixels")
    window.tabs.setCurrentWidget(window.comparison)
    qtbot.waitUntil(lambda: chart.chart().series() and "mm²" in area_series_name(chart), timeout=30000)
    assert "px" not in area_series_name(chart)


def test_a_lone_capture_without_a_scale_charts_the_area_change(qtbot, window, tmp_path: Path) -> None:
    """Not areas in pixels, which images of other resolutions cannot be compared with."""
    lesion_with(window, tmp_path, ["2026-01-01"], mm_per_px=None)
    qtbot.waitUntil(lambda: window.assessment.capture is not None)
    chart = window.comparison.chart
    window.tabs.setCurrentWidget(window.comparison)
    qtbot.waitUntil(lambda: chart.chart().series() and "change" in area_series_name(chart), timeout=30000)
    assert "px" not in area_series_name(chart) and "it needs a second capture" in chart.toolTip()


def test_the_restore_question_names_the_folder_the_current_data_is_moved_to(
    qtbot, window, dialogs, monkeypatch, tmp_path: Path
) -> None:
    filled(window, tmp_path)
    archive = tmp_path / "b.zip"
    dialogs.saves.append(str(archive))
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("", True)))  # no passphrase
    window.maintenance.back_up()
    finish(qtbot, window)
    asked: list[str] = []
    dialogs.confirm = lambda title, message, default_yes=False: asked.append(message) or True
    dialogs.files.append([str(archive)])
    window.maintenance.restore()
    finish(qtbot, window)
    data_dir = window.session.data_dir
    assert f"as they are now) in a new folder in\n{data_dir}\nnamed previous-<date>-<time>" in asked[-1]
    assert "not deleted" in asked[-1]
    kept = [p.name for p in Path(data_dir).iterdir() if p.name.startswith("previous-")]
    said = dialogs.infos[-1][1]
    assert len(kept) == 1 and kept[0] in said and kept[0][:17] in asked[-1]  # the same day


def test_after_a_date_correction_the_timeline_is_in_date_order_with_aligned_labels(
    qtbot, window, dialogs, tmp_path: Path
) -> None:
    lesion_with(window, tmp_path, ["2026-01-10", "2026-04-10"], mm_per_px=None)
    window.timeline.setCurrentRow(0)
    cid = window.selection.capture_id

    def redate(d) -> bool:
        d.taken.set_iso("2026-06-01")  # the first capture becomes the last
        return True

    dialogs.fillers.append(redate)
    window.corrections.actions["edit_capture"].trigger()
    t = window.timeline
    items = [t.item(i) for i in range(t.count())]
    assert [i.text().split("\n")[0] for i in items] == ["10 Apr 2026", "1 Jun 2026"]
    assert items[1].data(Qt.ItemDataRole.UserRole) == cid and t.current_capture_id() == cid
    rects = [t.visualItemRect(i) for i in items]
    assert rects[0].top() == rects[1].top() and rects[0].height() == rects[1].height()
    assert rects[0].right() < rects[1].left()
