"""Layout at 1280x720 and 150 %: the tier in sight after every selection, readable names and dates, scales."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from dermadesk.contract import CLASSES
from dermadesk.analysis.synthetic import LesionSpec, jpeg_bytes, synthetic_lesion
from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.ui.assessment_view import ProbabilityBars
from dermadesk.domain.dates import human_date, human_datetime
from dermadesk.ui.trend_chart import TrendChart


def lesion_with(window, tmp_path: Path, dates: list[str], mm_per_px: float | None = 0.02) -> int:
    reg = window.session.register
    lesion = reg.lesions.add("t", reg.patients.add("t", f"LAY-{len(dates)}", "Layout Test").id, "posterior torso")
    for i, date in enumerate(dates):
        f = tmp_path / f"l{len(dates)}-{i}.jpg"
        f.write_bytes(jpeg_bytes(synthetic_lesion(LesionSpec(seed=21, scale=1.0 + 0.2 * i))))
        import_files(reg, "t", lesion.id, [f], CaptureMeta(taken_at=date, mm_per_px=mm_per_px))
    window.refresh(lesion.patient_id)
    window.show_lesion(lesion.id)
    return lesion.id


def test_the_window_fits_a_1280x720_screen(window) -> None:
    hint = window.minimumSizeHint()
    assert hint.width() <= 1280 and hint.height() <= 720 - 80  # room for a title bar and a panel


def test_scroll_back_to_the_top_and_the_tier_in_sight_on_every_selection(qtbot, window, tmp_path: Path) -> None:
    window.resize(1280, 720)
    lesion_with(window, tmp_path, ["2026-01-01", "2026-03-01"])
    view = window.assessment
    qtbot.waitUntil(lambda: view.capture is not None)
    bar = view.scroll.verticalScrollBar()
    view.scroll.widget().setMinimumHeight(2000)  # whatever the screen: the panel scrolls
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    bar.setValue(bar.maximum())
    window.timeline.step(-1)  # another capture
    assert bar.value() == 0
    assert view.tier.isVisible() and view.tier.text()
    assert not view.scroll.widget().isAncestorOf(view.tier)  # above the scrolling part, never scrolled away


def test_class_names_wrap_instead_of_eliding(qtbot) -> None:
    bars = ProbabilityBars()
    qtbot.addWidget(bars)
    bars.resize(600, 200)
    bars.show()
    one_line = bars.minimumHeight()
    bars.resize(220, 200)  # "Benign keratosis-like lesion (bkl)" does not fit beside a bar: its own line
    qtbot.waitUntil(lambda: bars.minimumHeight() > one_line)
    assert bars._stacked(220) and not bars._stacked(600)
    assert "Benign keratosis-like lesion (bkl)" in [bars._label(c) for c in CLASSES]


def test_human_dates() -> None:
    assert human_date("2026-11-22") == "22 Nov 2026"
    assert human_datetime("2026-11-22T07:56:13") == "22 Nov 2026 07:56"
    assert human_datetime("2026-11-22") == "22 Nov 2026" and human_date("") == ""


def test_timeline_and_assessment_show_human_dates(qtbot, window, tmp_path: Path) -> None:
    lesion_with(window, tmp_path, ["2026-01-01", "2026-03-01"])
    texts = [window.timeline.item(i).text() for i in range(window.timeline.count())]
    assert texts[0].startswith("1 Jan 2026") and texts[1].startswith("1 Mar 2026")
    assert "T" not in window.assessment.model_label.text().split(",")[-1]


def test_one_capture_trend_has_no_1970_and_large_areas_have_no_decimals(qtbot) -> None:
    chart = TrendChart()
    qtbot.addWidget(chart)
    chart.set_points(["2026-11-22T07:56:00"], [6591.6], [12.0], "mm²")
    x_axis = chart.chart().axes(Qt.Orientation.Horizontal)[0]
    assert x_axis.min() < chart.chart().series()[0].at(0).x() < x_axis.max()  # the point in the middle, no 1970
    assert not x_axis.labelsVisible() and chart.chart().title() == "22 Nov 2026"  # the date once, in the title
    area_axis = chart.chart().axes(Qt.Orientation.Vertical)[0]
    assert area_axis.labelFormat() == "%.0f"
    assert "area (mm²)" in [s.name() for s in chart.chart().series()]


def test_difference_view_has_a_labelled_colour_bar(qtbot, window, tmp_path: Path) -> None:
    lesion_with(window, tmp_path, ["2026-01-01", "2026-03-01"])
    with qtbot.waitSignal(window.comparisons.compared, timeout=60000):
        window.tabs.setCurrentWidget(window.comparison)
    view = window.comparison
    assert view.pictures is not None and view.pictures.aligned
    view.mode.setCurrentText("Difference")
    assert view.colour_bar.isVisible()
    labels = " ".join(text for _, text in view.colour_bar.labels())
    assert "no change" in labels and "large change" in labels
    view.mode.setCurrentText("Side by side")
    assert not view.colour_bar.isVisible()


def test_patient_list_shows_a_human_birth_date(qtbot, window) -> None:
    from dermadesk.services import register_ops as ops

    ops.add_patient(window.session.register, "t", "HD-1", "Human Date", "1977-03-04")
    window.refresh()
    model = window.patients.model
    assert model.data(model.index(0, 0)) == "Human Date\nHD-1  b. 4 Mar 1977"  # as dates are written; whole at 150 %
    tip = model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole)  # the row whole where a narrow list elides it
    assert tip == "Human Date, MRN HD-1, born 4 Mar 1977"
    assert model.data(model.index(0, 0), Qt.ItemDataRole.AccessibleTextRole) == tip  # what a screen reader says
