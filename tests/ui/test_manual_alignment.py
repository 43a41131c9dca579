"""The comparison view: a refused pair aligned by hand with mouse clicks, stored, audited and reset."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from PySide6.QtCore import Qt

from dermadesk.analysis.change import NO_IMAGE_GREY, NO_IMAGE_HATCH
from dermadesk.analysis.synthetic import LesionSpec, synthetic_lesion
from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.ui.manual_align import ManualAlignDialog


def refused_pair(tmp_path: Path) -> tuple[list[Path], np.ndarray]:
    """The same lesion outline on skin that looks different at the follow-up (grown 30 %), turned 40 degrees."""
    base = synthetic_lesion(LesionSpec(seed=13))
    grown = synthetic_lesion(LesionSpec(seed=13, scale=float(np.sqrt(1.3)), skin_seed=77))
    m = cv2.getRotationMatrix2D((300, 225), 40, 1.1)
    m[:, 2] += (20, -10)
    follow = cv2.warpAffine(grown, m, (600, 450), borderMode=cv2.BORDER_REFLECT)
    paths = []
    for i, img in enumerate((base, follow)):
        paths.append(tmp_path / f"visit{i}.png")
        paths[-1].write_bytes(cv2.imencode(".png", img[..., ::-1])[1].tobytes())
    return paths, m


def click_image(qtbot, picker, x: float, y: float) -> None:
    pos = picker.mapFromScene(x, y)
    qtbot.mouseClick(picker.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def show_refused_pair(qtbot, window, tmp_path: Path, mrn: str) -> tuple[object, np.ndarray]:
    """A patient with the refused pair imported, shown on the comparison tab: (lesion, follow-up warp)."""
    reg = window.session.register
    paths, m = refused_pair(tmp_path)
    pid = reg.patients.add("t", mrn, "Align Tester").id
    lesion = reg.lesions.add("t", pid, "posterior torso")
    import_files(reg, "t", lesion.id, paths[:1], CaptureMeta(taken_at="2026-01-05"))
    import_files(reg, "t", lesion.id, paths[1:], CaptureMeta(taken_at="2026-03-05"))
    window.refresh(pid)
    window.show_lesion(lesion.id)
    with qtbot.waitSignal(window.comparisons.compared, timeout=60000):
        window.tabs.setCurrentWidget(window.comparison)
    return lesion, m


@pytest.mark.slow  # over ~10 s: runs with the slow tests (.ci/run runs them), keeping the default run near ~10 minutes
def test_align_refused_pair_by_hand_then_reset(qtbot, window, dialogs, tmp_path: Path) -> None:
    reg = window.session.register
    lesion, m = show_refused_pair(qtbot, window, tmp_path, "ALN-1")
    view = window.comparison
    assert view.result is not None and not view.result.alignment.ok
    assert "CANNOT TELL" in view.verdict_text() and "align the images by hand" in view.verdict_text()
    assert view.align_button.isEnabled() and not view.reset_button.isEnabled()
    assert not view.right.base.pixmap().isNull()  # both images shown, so the user can see what to mark

    spots = [(150.0, 120.0), (450.0, 140.0), (300.0, 380.0)]
    seen: dict[str, object] = {}

    def mark(dialog: ManualAlignDialog) -> bool:
        dialog.show()
        qtbot.waitExposed(dialog)
        assert not dialog.apply_button.isEnabled()
        click_image(qtbot, dialog.right, 10, 10)  # the follow-up first: ignored, the baseline comes first
        assert dialog.follow_points == []
        for x, y in spots:
            click_image(qtbot, dialog.left, x, y)
            fx, fy = m @ np.array([x, y, 1.0])
            click_image(qtbot, dialog.right, fx, fy)
        seen["pairs"] = dialog.pairs()
        assert dialog.apply_button.isEnabled() and "3 pairs marked" in dialog.instructions.text()
        return True

    dialogs.fillers.append(mark)
    with qtbot.waitSignal(window.comparisons.compared, timeout=60000) as blocker:
        view.align_button.click()
    assert len(seen["pairs"]) == 3  # type: ignore[arg-type]
    for (xb, yb), _ in seen["pairs"]:  # type: ignore[union-attr]
        assert min(abs(xb - sx) + abs(yb - sy) for sx, sy in spots) < 3  # clicks land where aimed (view pixels)
    result = blocker.args[1]
    assert result.alignment.method == "manual" and result.verdict == "significant"
    assert result.area_change_percent == pytest.approx(30, abs=6)
    assert view.reset_button.isEnabled() and view.align_button.text() == "Adjust alignment by hand…"
    assert any("aligned by hand" in r for r in result.reasons)
    # the assessment panel says so too, so a significant change is not on the other tab only
    window.tabs.setCurrentIndex(0)  # the Assessment tab (no comparison runs while it is shown)
    window.show_capture(reg.captures.for_lesion(lesion.id)[-1].id)
    panel = window.assessment.change
    assert not panel.isHidden() and "SIGNIFICANT" in panel.text() and "area grew" in panel.text()
    window.show_capture(reg.captures.for_lesion(lesion.id)[0].id)  # the baseline has no change line
    assert panel.isHidden()
    window.show_capture(reg.captures.for_lesion(lesion.id)[-1].id)
    with qtbot.waitSignal(window.comparisons.compared, timeout=60000):
        window.tabs.setCurrentWidget(view)
    rows = reg.comparisons.for_lesion(lesion.id)
    assert rows[-1].metrics["registration"]["method"] == "manual"
    assert reg.audit.entries("comparison")[0].action == "align manually"
    # outside the follow-up's frame the aligned image is hatched grey, never mirrored skin
    outside = ~result.followup_visible
    assert outside.any() and np.isin(result.aligned_followup[outside], [NO_IMAGE_GREY, NO_IMAGE_HATCH]).all()

    # looking again reuses the alignment of record; the reset goes back to automatic (refused again)
    with qtbot.waitSignal(window.comparisons.compared, timeout=60000) as blocker:
        window.refresh_comparison()
    assert blocker.args[1].alignment.method == "manual"
    with qtbot.waitSignal(window.comparisons.compared, timeout=60000) as blocker:
        view.reset_button.click()
    assert blocker.args[1].alignment.method != "manual" and not view.reset_button.isEnabled()
    assert reg.audit.entries("comparison")[0].action == "reset alignment"
    # the trend keeps no area from the discarded manual alignment (the automatic one measured none)
    from dermadesk.domain.dates import human_date
    from dermadesk.services.tracking import lesion_trend

    trend = lesion_trend(reg, lesion.id)
    assert trend.area.values[1] is None and trend.area.values[0] in (None, 0.0)  # (a change's baseline is 0%)
    view.chart.set_points(trend.dates, trend.area.values, [None, None], trend.area.unit, None, trend.area.why_none)
    assert "nothing measured" in view.chart.chart().title()
    days = [human_date(d) for d in trend.dates]  # the time axis says the two capture dates, never 1970
    qtbot.waitUntil(lambda: [label.text() for label in view.chart.date_labels()] == days, timeout=3000)


def test_dialog_checks_the_points_before_apply_and_reopens_with_them(qtbot) -> None:
    img = synthetic_lesion(LesionSpec(seed=3), 300, 200)
    dialog = ManualAlignDialog(img, img, None, (0.5, 0.5), ((600, 400), (600, 400)))
    qtbot.addWidget(dialog)
    dialog._add("follow", 5, 5)
    assert dialog.follow_points == [] and "baseline (left) first" in dialog.instructions.text()
    for x, y in ((100, 100), (104, 102)):  # two pairs 4 px apart: refused inside the dialog, clicks kept
        dialog._add("base", x, y)
        dialog._add("follow", x, y)
    assert not dialog.apply_button.isEnabled() and "too close together" in dialog.instructions.text()
    dialog.undo()
    dialog._add("follow", 250, 150)  # the pair's second point moved: now far enough apart
    assert dialog.base_points[-1] == (104, 102)
    dialog.clear()
    for x, y in ((40, 40), (250, 60), (150, 180)):
        dialog._add("base", x, y)
        dialog._add("follow", x, y)
    assert dialog.apply_button.isEnabled() and dialog.original_pairs()[0] == ((80.0, 80.0), (80.0, 80.0))
    again = ManualAlignDialog(img, img, None, (0.5, 0.5), ((600, 400), (600, 400)), dialog.pairs())
    qtbot.addWidget(again)
    assert again.pairs() == dialog.pairs() and again.apply_button.isEnabled()


def test_refused_hand_alignment_says_why_and_keeps_the_marks(qtbot, window, dialogs, tmp_path: Path) -> None:
    """Two crossed pairs on skin that cannot confirm them: refused with the way out, the marks come back."""
    from PySide6.QtGui import QTextDocument

    _, m = show_refused_pair(qtbot, window, tmp_path, "ALN-2")
    view = window.comparison
    shown = QTextDocument()
    shown.setHtml(view.verdict_text())
    text = shown.toPlainText()  # in plain words, no "score 0.04 < 0.35" (#16)
    assert "does not line up" in text and "align the images by hand" in text and "< 0.35" not in text

    a, b = (150.0, 120.0), (450.0, 140.0)
    fa, fb = (m @ np.array([*a, 1.0])), (m @ np.array([*b, 1.0]))

    def mark_crossed(dialog: ManualAlignDialog) -> bool:
        dialog.show()
        qtbot.waitExposed(dialog)
        for base_xy, follow_xy in ((a, fb), (b, fa)):
            click_image(qtbot, dialog.left, *base_xy)
            click_image(qtbot, dialog.right, *follow_xy)
        return True

    reopened: list[str] = []

    def kept_with_the_reason(dialog: ManualAlignDialog) -> bool:
        """The window again, before anything else: the two pairs kept, the reason in it, Apply off until a point
        changes (the same points would be refused again)."""
        assert len(dialog.pairs()) == 2 and not dialog.apply_button.isEnabled()
        for (xb, yb), _ in dialog.pairs():
            assert min(abs(xb - sx) + abs(yb - sy) for sx, sy in (a, b)) < 3
        reopened.append(dialog.instructions.text())
        x, y = dialog.follow_points[-1]
        dialog.undo()
        dialog._add("follow", x + 5, y + 5)  # the second pair's follow-up point moved a little
        assert "Not applied" not in dialog.instructions.text() and dialog.apply_button.isEnabled()
        return False

    dialogs.fillers.extend([mark_crossed, kept_with_the_reason])
    with qtbot.waitSignal(window.comparisons.alignment_refused, timeout=60000) as blocker:
        view.align_button.click()
    assert "mark a third pair" in blocker.args[0] or "check that each pair marks the same spot" in blocker.args[0]
    qtbot.waitUntil(lambda: bool(reopened))
    assert "Not applied: " in reopened[0] and blocker.args[0].rstrip(".") in reopened[0]
    assert not dialogs.errors and view.align_button.isEnabled()  # no message box after the window closed
    again = view.manual_dialog()  # cancelled: the marks still come back
    qtbot.addWidget(again)
    assert len(again.pairs()) == 2
