"""The body map's "Not on the map" line at 150 % read "⚠ CHANGED Lesion 1, +1 more", the hidden one an URGENT lesion
2: the lesions stand most severe flag first, so a "+N more" hides the mildest, and a flagged lesion is named by its
flag and number ("⚠ URGENT 2", as the lesion list's compact rows). Walkthrough 22: one lesion flagged read "⚠ CHANGED
Lesion 2, Lesion 1", two "⚠ CHANGED 1, ⚠ CHANGED 2" ("Lesion" gone): a flagged lesion is now "⚠ CHANGED 2" at every
width and whatever else is flagged. Real window, real register, the wiring's flags from stored results."""

from __future__ import annotations

from pathlib import Path

from dermadesk.services.captures import CaptureMeta, import_files
from tests.conftest import lesion_jpeg
from tests.services.test_standing import assess


def off_map_patient(window, tmp_path: Path) -> dict[int, int]:
    """Three lesions added from the command line (no map position): 1 REFER, 2 URGENT, 3 unflagged; shown.
    Returns lesion number -> id."""
    reg = window.session.register
    pid = reg.patients.add("t", "OFF-1", "Off Map", "1960-01-01", "female", "II").id
    lesions = [reg.lesions.add("cli", pid, site, "") for site in ("palms/soles", "oral/genital", "head/neck")]
    for les, tier in zip(lesions, ("refer", "urgent")):
        image = tmp_path / f"{les.number}.jpg"
        image.write_bytes(lesion_jpeg(seed=les.number, width=96, height=72))
        capture = import_files(reg, "t", les.id, [image], CaptureMeta(taken_at="2026-03-10"), compare=False)
        assess(reg, capture.captures[0].id, tier)
    window.refresh(pid)
    return {les.number: les.id for les in lesions}


def test_the_urgent_lesion_is_named_first_and_all_where_they_fit(qtbot, window, tmp_path: Path) -> None:
    off_map_patient(window, tmp_path)
    bm = window.lesions.body_map
    assert bm.flags[bm.unplaced[1].id][0] == "⚠ URGENT" and bm.flags[bm.unplaced[0].id][0] == "⚠ REFER"
    forms: set[str] = set()
    for width in range(140, 700, 20):  # the map is never narrower than 200 px; narrower still for a "+N more"
        bm.setFixedSize(width, 183)
        items = bm.off_map()
        named = [item.lesion.number for item in items if item.lesion is not None]
        more = sum(int(item.text.split()[0]) for item in items if item.text.startswith("+"))
        assert named == [2, 1, 3][: len(named)] and named, width  # most severe first: a "+N more" hides the mildest
        assert len(named) + more == 3, width  # each named or counted
        assert all(item.rect.right() <= width for item in items), [(i.text, i.rect.right()) for i in items]
        text = " ".join(item.text for item in items)
        forms.add("narrow" if more else "number" if "URGENT 2," in text else "site")
        if not more and "URGENT 2," in text:  # all named where the flag and number are enough
            assert text == "Not on the map: ⚠ URGENT 2, ⚠ REFER 1, Lesion 3"
        for item in (item for item in items if item.lesion is not None):  # each named one way at every width
            name = {1: "⚠ REFER 1", 2: "⚠ URGENT 2", 3: "Lesion 3"}[item.lesion.number]
            assert item.text.startswith(name) or item.text.endswith("…"), (width, item.text)
    assert forms == {"narrow", "number", "site"}  # each form seen as the width grows
    bm.setFixedSize(640, 183)
    assert " ".join(i.text for i in bm.off_map()) == (
        "Not on the map: ⚠ URGENT 2 (oral/genital), ⚠ REFER 1 (palms/soles), Lesion 3 (head/neck)"
    )  # with the sites where all fit on one line: "⚠ URGENT 2" still, never "⚠ URGENT Lesion 2"
    bm.setFixedSize(140, 183)
    assert " ".join(item.text for item in bm.off_map()) == "Not on the map: ⚠ URGENT 2, +2 more"


def test_a_lesion_keeps_its_name_as_another_is_flagged(qtbot, window, tmp_path: Path) -> None:
    """Walkthrough 22 at 150 %: "⚠ CHANGED Lesion 2, Lesion 1", then with both flagged "⚠ CHANGED 1, ⚠ CHANGED 2"."""
    reg = window.session.register
    pid = reg.patients.add("t", "OFF-2", "Off Twice", "1960-01-01", "female", "II").id
    lesions = [reg.lesions.add("cli", pid, site, "") for site in ("lower extremity", "posterior torso")]
    captures = []
    for les in lesions:
        image = tmp_path / f"{les.number}.jpg"
        image.write_bytes(lesion_jpeg(seed=les.number, width=96, height=72))
        captures += import_files(reg, "t", les.id, [image], CaptureMeta(taken_at="2026-03-10"), compare=False).captures
    assess(reg, captures[1].id, "urgent")
    window.refresh(pid)
    bm = window.lesions.body_map
    bm.setFixedSize(201, 159)  # as at 150 % on 1280x720
    names = {item.lesion.number: item.text for item in bm.off_map() if item.lesion is not None}
    assert names == {2: "⚠ URGENT 2,", 1: "Lesion 1"}
    assess(reg, captures[0].id, "refer")
    window.refresh(pid)
    names = {item.lesion.number: item.text for item in bm.off_map() if item.lesion is not None}
    assert names == {2: "⚠ URGENT 2,", 1: "⚠ REFER 1"}  # lesion 2 named as before


def test_three_flagged_lesions_keep_one_order_at_every_width(qtbot, window, tmp_path: Path) -> None:
    """Walkthrough 23 read "⚠ REFER 2, ⚠ REFER 3, ⚠ CHANGED 1" at 150 % as out of number order; kept most severe first
    (``ui.body_map_text`` says why): wherever all are named, from the map's width at 150 % (201 px) up, the same
    order, so the line does not reorder as the window narrows."""
    numbers = off_map_patient(window, tmp_path)
    bm = window.lesions.body_map
    orders = set()
    for width in (201, 260, 640):
        bm.setFixedSize(width, 159)
        named = [item.lesion.number for item in bm.off_map() if item.lesion is not None]
        assert len(named) == len(numbers), width  # all named, none summed up
        orders.add(tuple(named))
    assert orders == {(2, 1, 3)}  # URGENT 2, REFER 1, then lesion 3: one order
