"""The body map with lesions close together, as a tester clicked them on the upper back: each number in sight, clear
of the others and of the R/L letters (out on a leader line where markers crowd), a click on a number selects its
lesion, the flagged ones told apart, and a lesion without a map position named under the map. Real window, real
register, the wiring's flags."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage

from dermadesk.domain.leaders import Box, Mark, place_labels, silhouette
from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.ui.body_map import CHOSEN, FLAG_RED
from tests.conftest import lesion_jpeg
from tests.services.test_standing import assess

SPOTS = [(0.36, 0.27), (0.44, 0.27), (0.40, 0.33), (0.60, 0.27), (0.52, 0.40), (0.50, 0.12)]  # the tester's six
TIERS = {2: "urgent", 3: "refer"}  # lesions 2 and 3 flagged: ⚠ URGENT, ⚠ REFER


def crowded_patient(window, tmp_path: Path, count: int = 6) -> dict[int, int]:
    """A patient with ``count`` lesions close together on the upper back and one without a map position (from the
    command line); shown. Returns lesion number -> id."""
    reg = window.session.register
    pid = reg.patients.add("t", "CROWD-1", "Crowd Ed", "1960-01-01", "female", "II").id
    for x, y in SPOTS[:count]:
        reg.lesions.add("t", pid, "posterior torso", "", body_view="back", body_x=x, body_y=y)
    reg.lesions.add("cli", pid, "palms/soles", "")
    ids = {les.number: les.id for les in reg.lesions.for_patient(pid)}
    for n, tier in TIERS.items():
        if n <= count:
            image = tmp_path / f"c{n}.jpg"
            image.write_bytes(lesion_jpeg(seed=n, width=96, height=72))
            capture = import_files(reg, "t", ids[n], [image], CaptureMeta(taken_at="2026-03-10"), compare=False)
            assess(reg, capture.captures[0].id, tier)
    window.refresh(pid)
    return ids


def pixels(image: QImage, rect, colour: str) -> int:
    """How many pixels of about ``colour`` in a rect of the widget's grab (the flag's red: any deep red)."""
    want, r = QColor(colour), rect.toAlignedRect()
    shades = (image.pixelColor(x, y) for x in range(r.left(), r.right()) for y in range(r.top(), r.bottom()))
    if colour == FLAG_RED:  # thin text: its edges blend with the background, redder than anything else drawn
        return sum(c.red() > 130 and c.green() < 90 and c.blue() < 90 for c in shades)
    return sum(
        abs(c.red() - want.red()) + abs(c.green() - want.green()) + abs(c.blue() - want.blue()) < 45 for c in shades
    )


@pytest.mark.parametrize("size", [(200, 183), (420, 320)])  # 150 % on a 1280x720 laptop; a larger pane
def test_six_close_lesions_each_have_a_number_in_sight_that_selects_it(
    qtbot, window, tmp_path: Path, size: tuple[int, int]
) -> None:
    ids = crowded_patient(window, tmp_path)
    bm = window.lesions.body_map
    bm.setFixedSize(*size)
    assert {bm.flags[ids[n]][0] for n in TIERS} == {"⚠ URGENT", "⚠ REFER"}  # as the list says them
    labels = bm.number_labels()
    assert set(labels) == {ids[n] for n in range(1, 7)}  # lesion 7 has no place on the figure
    letters = [rect for view in ("front", "back") for _, rect in bm.side_rects(view)]
    rects = [rect for rect, _ in labels.values()]
    for i, rect in enumerate(rects):
        assert bm.rect().toRectF().contains(rect)  # in sight
        assert not any(rect.intersects(other) for other in rects[i + 1 :])  # none over another
        assert not any(rect.intersects(letter) for letter in letters)  # nor over the patient's R or L
    assert all(labels[ids[n]][1] for n in (1, 2, 3))  # the crowd's numbers out on leader lines
    for n in (1, 2, 3, 4, 5, 6):
        rect, _ = labels[ids[n]]
        qtbot.mouseClick(bm, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
        assert window.selection.lesion_id == ids[n] and bm.selected == ids[n]
        assert window.lesions.current_lesion().number == n
        tip = bm.marker_tip(rect.center())
        assert tip.startswith(f"Lesion {n} · posterior torso") and ("⚠" in tip) == (n in TIERS)
    shot = bm.grab().toImage()
    assert pixels(shot, labels[ids[6]][0], CHOSEN) > 20  # the selected lesion's number on its marker's colour
    assert pixels(shot, labels[ids[2]][0], FLAG_RED) > 5 and pixels(shot, labels[ids[2]][0], CHOSEN) < 3
    assert pixels(shot, labels[ids[4]][0], FLAG_RED) == 0  # red only for a flagged lesion
    assert bm.marker_tip(bm.to_widget("back", *SPOTS[3])).startswith("Lesion 4 · ")  # the marker as before


def test_a_lesion_without_a_map_position_is_named_under_the_map(qtbot, window, tmp_path: Path) -> None:
    ids = crowded_patient(window, tmp_path, count=1)
    bm = window.lesions.body_map
    bm.setFixedSize(420, 320)
    items = bm.off_map()
    assert " ".join(item.text for item in items) == "Not on the map: Lesion 2 (palms/soles)"
    assert items[0].rect.top() >= bm.caption_rect("front").bottom() and items[-1].rect.bottom() <= bm.height()
    (named,) = [item for item in items if item.lesion is not None]
    qtbot.mouseClick(bm, Qt.MouseButton.LeftButton, pos=named.rect.center().toPoint())
    assert window.selection.lesion_id == ids[2]  # a click on its name selects it, as on a marker
    assert bm.marker_tip(named.rect.center()) == "Lesion 2 · palms/soles (no body-map position recorded)"
    reg, pid = window.session.register, window.selection.patient_id
    for site in ("oral/genital", "head/neck", "upper extremity"):
        reg.lesions.add("cli", pid, site, "")
    image = tmp_path / "late.jpg"
    image.write_bytes(lesion_jpeg(seed=9, width=96, height=72))
    capture = import_files(reg, "t", ids[2], [image], CaptureMeta(taken_at="2026-03-10"), compare=False)
    assess(reg, capture.captures[0].id, "urgent")
    window.refresh(pid)
    bm.setFixedSize(200, 183)  # 150 % on 1280x720: by number (the site in the tooltip), two lines at most
    items = bm.off_map()
    text = " ".join(item.text for item in items)
    assert text.startswith("Not on the map: ⚠ URGENT 2, Lesion 3") and "(palms/soles)" not in text  # the flag's number
    assert len({item.rect.top() for item in items}) <= 2 and all(item.rect.right() <= 200 for item in items)
    named = [item.lesion.number for item in items if item.lesion is not None]
    more = [int(item.text.split()[0]) for item in items if item.text.startswith("+")]
    assert named == list(range(2, 2 + len(named))) and len(named) + sum(more) == 4  # each named or counted
    tip = bm.marker_tip(items[0].rect.center())  # over "Not on the map": every one, with its site
    assert all(f"Lesion {n} · " in tip for n in (2, 3, 4, 5)) and "⚠ URGENT Lesion 2 · palms/soles" in tip
    assert bm.view_rect("back").height() >= 110  # the figure keeps most of its height


def test_numbers_beside_the_figure_keep_off_its_parts_and_letters() -> None:
    figure, area = Box(30, 0, 105, 150), Box(0, 0, 135, 152)  # room beside the figure (that between the two)
    letters = [Box(46, 6, 54, 20), Box(81, 6, 89, 20)]
    lone = place_labels([Mark(1, 67.5, 120, 7, 12, 14)], area, figure, letters)
    assert lone[1] == (Box(77.5, 113, 89.5, 127), False)  # room beside its marker: stays there
    marks = [Mark(k, figure.left + x * 75, y * 150, 5, 24, 14) for k, (x, y) in enumerate(SPOTS)]
    for room in (area, Box(10, 0, 125, 152)):  # with room beside the figure, and without
        labels = place_labels(marks, room, figure, letters)
        assert all(labels[k].leader for k in (0, 1, 2))  # the crowd's numbers out on leader lines
        boxes = [label.box for label in labels.values()]
        for k, label in labels.items():
            assert label.box.within(room) and not any(label.box.overlaps(b) for b in letters)
            assert sum(label.box.overlaps(b) for b in boxes) == 1  # itself only
            if label.leader and room == area:  # out beside the figure: over none of its parts
                assert not any(label.box.overlaps(p) for p in silhouette(figure)), k
