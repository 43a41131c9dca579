"""The body map as a new user found it at 150 % on 1280x720: a number by its marker or joined to it by a leader line
(the flagged lesion's "1 ⚠" was drawn over the other half of the torso, unconnected), a second lesion placed next to
one already there (Shift+click, said in the tooltips), and each view's hands and feet named for the skin it shows.
Real window, real register, clicks at the computed positions, the grabbed widget's pixels."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QToolTip

from dermadesk.domain.bodymap import SHAPES, site_at
from dermadesk.domain.leaders import leader_end
from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.ui.body_map import box
from tests.conftest import lesion_jpeg
from tests.services.test_standing import assess
from tests.ui.helpers import add_patient, click_body

# the walkthrough's patient: lesion 1 on the left forearm's inner edge (URGENT, not acted on), 2 on the upper back,
# 3 on the head, 4 on the right foot
WALKTHROUGH = [("front", 0.778, 0.417), ("back", 0.396, 0.303), ("front", 0.5, 0.099), ("front", 0.354, 0.953)]
SMALL = (200, 183)  # the body map at 150 % on a 1280x720 screen


def walkthrough_patient(window, tmp_path: Path) -> dict[int, int]:
    """The patient above, shown; lesion number -> id."""
    reg = window.session.register
    pid = reg.patients.add("t", "WALK-1", "Nunez Jose", "1961-03-12", "male", "III").id
    for view, x, y in WALKTHROUGH:
        reg.lesions.add("t", pid, site_at(view, x, y) or "", "", body_view=view, body_x=x, body_y=y)
    ids = {les.number: les.id for les in reg.lesions.for_patient(pid)}
    image = tmp_path / "urgent.jpg"
    image.write_bytes(lesion_jpeg(seed=1, width=96, height=72))
    capture = import_files(reg, "t", ids[1], [image], CaptureMeta(taken_at="2026-03-10"), compare=False)
    assess(reg, capture.captures[0].id, "urgent")
    window.refresh(pid)
    return ids


def drawn(image: QImage, point: QPointF, background: QColor) -> bool:
    """Whether a line is drawn at ``point`` of the grab: a pixel there or beside it far from the background."""
    ratio = image.devicePixelRatio()
    x, y = round(point.x() * ratio), round(point.y() * ratio)
    near = (image.pixelColor(x + dx, y + dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1))
    return any(abs(c.lightness() - background.lightness()) > 60 for c in near)


def check_numbers(bm) -> None:
    """Every number beside its marker on the marker's half of the figure, or joined to it by a drawn leader line."""
    markers, labels = bm.layout()
    shot = bm.grab().toImage()
    for les in bm.lesions:
        (p, radius), (rect, leader) = markers[les.id], labels[les.id]
        reach = bm.reach(les.id, radius)
        nearest = QPointF(min(max(p.x(), rect.left()), rect.right()), min(max(p.y(), rect.top()), rect.bottom()))
        gap = math.dist((p.x(), p.y()), (nearest.x(), nearest.y())) - reach
        figure = bm.view_rect(les.body_view)
        centre = figure.center().x()
        if not leader:
            assert gap <= 4, (les.number, gap)  # by its marker
            if abs(p.x() - centre) > reach:  # not over the figure's other half (it reads as a lesion there)
                assert (rect.left() >= centre) if p.x() > centre else (rect.right() <= centre), les.number
            continue
        end = QPointF(*leader_end(box(rect), rect.center().x() > p.x()))  # where the app draws the line to
        length = math.dist((p.x(), p.y()), (end.x(), end.y()))
        steps = [reach + 2 + k for k in range(int(length - reach - 3))]  # outside the marker's ring, to the label
        along = [QPointF(p.x() + (end.x() - p.x()) * s / length, p.y() + (end.y() - p.y()) * s / length) for s in steps]
        assert all(drawn(shot, q, bm.palette().window().color()) for q in along), les.number


@pytest.mark.parametrize("size", [SMALL, (420, 320)])
def test_each_number_sits_by_its_marker_or_on_a_leader_line(qtbot, window, tmp_path: Path, size) -> None:
    ids = walkthrough_patient(window, tmp_path)
    bm = window.lesions.body_map
    bm.setFixedSize(*size)
    assert bm.flags[ids[1]][0] == "⚠ URGENT" and bm.label_text(next(x for x in bm.lesions if x.id == ids[1])) == "1 ⚠"
    for n in (4, 1, 2, 3):  # the walkthrough had lesion 4 selected (just placed); each in turn
        click_body(qtbot, window, *WALKTHROUGH[n - 1])
        assert bm.selected == ids[n]
        check_numbers(bm)
    markers, labels = bm.layout()
    (p, _), (rect, _) = markers[ids[1]], labels[ids[1]]
    assert rect.left() > p.x()  # "1 ⚠" on the lesion's side (the patient's left), never over the torso's right half


def test_a_second_lesion_goes_next_to_one_with_shift_click(qtbot, window, dialogs) -> None:
    add_patient(window, dialogs, "NEXT-1", "Nextdoor Ann")
    bm, reg = window.lesions.body_map, window.session.register
    bm.setFixedSize(*SMALL)
    dialogs.confirms.append(True)
    click_body(qtbot, window, "back", 0.40, 0.30)
    assert "Shift+click" in bm.toolTip()  # how to, where a user hovering the map reads it
    first = window.selection.lesion_id
    for x, y in [(0.42, 0.31), (0.44, 0.30)]:  # a few mm away: on the drawn marker, a plain click selects it
        qtbot.mouseClick(bm, Qt.MouseButton.LeftButton, pos=bm.to_widget("back", x, y).toPoint())
        assert window.selection.lesion_id == first and len(reg.lesions.for_patient(window.selection.patient_id)) == 1
        qtbot.waitUntil(QToolTip.isVisible)  # said there, as the click selects the lesion
        assert QToolTip.text().endswith("\nShift+click to place a new lesion here, next to it")
        QToolTip.hideText()
    for count, (x, y) in enumerate([(0.42, 0.31), (0.44, 0.30)], start=2):
        dialogs.confirms.append(True)
        pos = bm.to_widget("back", x, y).toPoint()
        qtbot.mouseClick(bm, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier, pos=pos)
        lesions = reg.lesions.for_patient(window.selection.patient_id)
        assert len(lesions) == count and window.selection.lesion_id == lesions[-1].id
        assert (lesions[-1].body_x, lesions[-1].body_y) == pytest.approx((x, y), abs=0.01)
        assert lesions[-1].site == "posterior torso"
    labels = bm.number_labels()
    rects = [rect for rect, _ in labels.values()]
    assert len(rects) == 3 and not any(a.intersects(b) for i, a in enumerate(rects) for b in rects[i + 1 :])
    for lesion in lesions:  # each neighbour still selected by its number
        qtbot.mouseClick(bm, Qt.MouseButton.LeftButton, pos=labels[lesion.id][0].center().toPoint())
        assert window.selection.lesion_id == lesion.id
    check_numbers(bm)


# each view names the skin it shows: the figure stands in the anatomical position, palms forward
SITES = {
    "right hand": ("palms/soles", "upper extremity"),  # palm in front, the back of the hand behind
    "left hand": ("palms/soles", "upper extremity"),
    "right foot": ("lower extremity", "palms/soles"),  # the top of the foot in front, the heel and sole behind
    "left foot": ("lower extremity", "palms/soles"),
}


@pytest.mark.parametrize("part", sorted(SITES))
def test_hands_and_feet_are_named_for_the_skin_each_view_shows(qtbot, window, dialogs, part: str) -> None:
    add_patient(window, dialogs, f"SITE-{part[:6]}", "Site Ann")
    shape = next(s for s in SHAPES if s.name == part)
    x, y = shape.x + shape.w / 2, shape.y + shape.h / 2
    reg = window.session.register
    for view, site in zip(("front", "back"), SITES[part]):
        dialogs.confirms.append(True)
        click_body(qtbot, window, view, x, y)
        lesion = reg.lesions.get(window.selection.lesion_id)
        assert lesion.body_view == view and lesion.site == site == window.lesions.site.currentText()
    front_foot = site_at("front", 0.40, 0.95)
    assert front_foot == "lower extremity" and site_at("back", 0.14, 0.52) == "upper extremity"
