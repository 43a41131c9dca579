"""A lesion's flag reads one way everywhere. The body map's tooltip said "⚠ URGENT: URGENT result ..." (the word
twice), the lesion list's tooltip had no "⚠ URGENT" while its row did, the rows mixed "⚠ URGENT #1 · L post. torso"
with "⚠ REFER Lesion 2 · head/neck", and a flagged row lost its "⚠" beside a scroll bar or with a two-digit number on
a long site at 150 % on 1280x720 (853x480): every row takes one form (compact there: "⚠ URGENT 1 · post. torso (L)"),
its end cut where it must be, never the flag (real window, real register, the flags from stored results, comparisons
and follow-ups; widths measured with the list's own font)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import QStyle

from dermadesk.domain.dates import human_date
from dermadesk.domain.lesion_name import lesion_name, site_name
from dermadesk.services import register_ops as ops
from dermadesk.ui.lesion_list import TEXT_MARGIN, LesionList
from dermadesk.services.captures import CaptureMeta, import_files
from tests.conftest import lesion_jpeg
from tests.services.test_significant_change import store
from tests.services.test_standing import assess
from tests.ui.helpers import settled

WORDS = {"urgent": "URGENT", "refer": "REFER", "changed": "CHANGED", "overdue": "OVERDUE"}
# (site, view, x, y, flag): long site names, flags on two-digit numbers too
MANY = [
    ("posterior torso", "back", 0.4, 0.3, "changed"),
    ("lower extremity", "front", 0.6, 0.75, None),
    ("upper extremity", "front", 0.2, 0.35, "urgent"),
    ("lower extremity", "back", 0.42, 0.7, "refer"),
    ("posterior torso", "back", 0.6, 0.35, "changed"),
    ("anterior torso", "front", 0.45, 0.35, None),
    ("lateral torso", "front", 0.38, 0.42, "overdue"),
    ("head/neck", "front", 0.5, 0.1, None),
    ("upper extremity", "back", 0.8, 0.35, "refer"),
    ("lower extremity", "front", 0.4, 0.8, None),
    ("posterior torso", "back", 0.45, 0.45, "urgent"),
    ("lower extremity", "front", 0.62, 0.85, "changed"),
    ("lateral torso", "back", 0.3, 0.42, "overdue"),
]


def add_lesions(reg, pid: int, tmp_path: Path, spots: list) -> list[int]:
    """Lesions flagged as ``spots`` say: an URGENT/REFER result, a SIGNIFICANT change nobody answered, a follow-up
    110 days overdue (a MONITOR result 200 days ago), or none."""
    today, lids = dt.date.today(), []
    for site, view, x, y, flag in spots:
        placed = {"body_view": view, "body_x": x, "body_y": y} if view else {}
        lid = reg.lesions.add("t", pid, site, **placed).id
        captures = []
        for ago in (200, 100) if flag == "changed" else (200,):
            f = tmp_path / f"c{lid}-{ago}.jpg"
            f.write_bytes(lesion_jpeg(seed=lid * 7 + ago, width=96, height=72))
            meta = CaptureMeta(taken_at=(today - dt.timedelta(days=ago)).isoformat())
            captures += import_files(reg, "t", lid, [f], meta, compare=False).captures
        if flag in ("urgent", "refer"):
            assess(reg, captures[0].id, flag)
        elif flag == "changed":
            store(reg, lid, captures[1].id, "significant", "area grew by 44%")
        elif flag == "overdue":
            assess(reg, captures[0].id, "monitor")
        lids.append(lid)
    return lids


def shown(qtbot, window, pid: int, size: tuple[int, int]) -> None:
    window.resize(*size)
    window.refresh(pid)
    settled(qtbot, window)


def one_line(item) -> str:
    """The row's text as one line: a compact name wrapped onto two lines (at a " · ") joined again."""
    return item.text().replace("\n", " · ")


def whole_or_cut(line: str, whole: str) -> bool:
    return line == whole or (line.endswith("…") and whole.startswith(line[:-1]))


def shown_cut(lst, item, name: str) -> None:
    """The row shows ``name`` (one of its names: ``LesionList.names``), whole or cut at its end with "…" where the
    list is too narrow (as Qt would not: a list row is as wide as its text, clipped at the edge unsaid), never wider
    than the list; a compact name may wrap onto a second line at a " · " instead, each line whole or cut at its end."""
    names = LesionList.names(item)
    assert name in names, (name, names)
    lines, parts = item.text().split("\n"), name.split(" · ")
    assert len(lines) in (1, 2) and (len(lines) == 1 or name == names[2]), lines
    if len(lines) == 1:
        assert whole_or_cut(lines[0], name), (lines, name)
    else:
        splits = [(" · ".join(parts[:k]), " · ".join(parts[k:])) for k in range(1, len(parts))]
        assert any(whole_or_cut(lines[0], a) and whole_or_cut(lines[1], b) for a, b in splits), (lines, name)
    for line in lines:
        assert lst.fontMetrics().horizontalAdvance(line) <= lst.viewport().width() - TEXT_MARGIN, line
    assert lst.viewport().rect().contains(lst.visualItemRect(item)) or lst.verticalScrollBar().isVisible()


def text_room(lst) -> int:
    """A row's room for text: the viewport less the style's margins either side (where Qt would cut with "…")."""
    margin = lst.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, lst) + 1
    return lst.viewport().width() - 2 * margin


def test_the_tooltips_lead_with_the_flag_and_say_its_word_once(qtbot, window, tmp_path: Path) -> None:
    reg = window.session.register
    pid = reg.patients.add("t", mrn="F-1", name="Flag Ged").id
    spots = [("upper extremity", "front", 0.2, 0.35, "urgent"), ("lateral torso", "front", 0.38, 0.42, "overdue")]
    urgent, overdue = add_lesions(reg, pid, tmp_path, spots)
    shown(qtbot, window, pid, (1280, 720))
    lst, bm = window.lesions.list, window.lesions.body_map
    taken = human_date(reg.captures.for_lesion(urgent)[0].taken_at)
    answer = (
        f"answer it with a decision (refer, monitor, discharge) on the {taken} capture or a later one, "
        "or mark the lesion referred"
    )
    for row, (lid, word, why) in enumerate(
        [(urgent, "URGENT", f"result on {taken}; status still 'monitoring' — {answer}"), (overdue, "OVERDUE", "")]
    ):
        item, les = lst.item(row), reg.lesions.get(lid)
        tip = bm.marker_tip(bm.to_widget(les.body_view, les.body_x, les.body_y))
        assert tip is not None and tip.startswith(f"{lesion_name(les)}\n")  # the list's name
        line = tip.split("\n")[1]  # the body map's flag line, and the list's: one form
        assert line.startswith(f"⚠ {word}: ") and why in line and line.lower().count(word.lower()) == 1, line
        assert item.toolTip().startswith(f"Lesion {row + 1} · ") and item.toolTip().split("\n")[1] == line
        assert item.text().startswith(f"⚠ {word} Lesion {row + 1}")  # the row leads with it too
    assert "follow-up was due " in lst.item(1).toolTip()  # not "⚠ OVERDUE: follow-up overdue: was due"


def test_every_row_is_named_in_one_form_compact_where_the_list_is_narrow(qtbot, window, tmp_path) -> None:
    """At 853x480 neither the full nor the short names all fit: every row compact then, flagged or not (never "⚠
    URGENT #1 · L post. torso" beside "Lesion 3 · anterior torso (right)"): the flag, the number, the site, then the
    label; with room, every row in full."""
    reg = window.session.register
    pid = reg.patients.add("t", mrn="F-2", name="Flag Ged").id
    spots = [
        ("posterior torso", "back", 0.4, 0.3, "urgent"),
        ("head/neck", None, None, None, "refer"),  # no map position: no side to show
        ("anterior torso", "front", 0.45, 0.35, None),
    ]
    lids = add_lesions(reg, pid, tmp_path, spots)
    reg.lesions.update("t", lids[2], label="mole")
    shown(qtbot, window, pid, (853, 480))
    lst = window.lesions.list
    compact = ["⚠ URGENT 1 · post. torso (L)", "⚠ REFER 2 · head/neck", "3 · ant. torso (R) · mole"]
    assert [lst.item(r).text() for r in range(lst.count())] == compact  # each whole: the site in sight, and its side
    for r, name in enumerate(compact):
        shown_cut(lst, lst.item(r), name)  # within the list
    tips = [lst.item(r).toolTip().split("\n")[0] for r in range(lst.count())]  # the full name, whatever the row shows
    assert tips == [
        "Lesion 1 · posterior torso (left), monitoring",
        "Lesion 2 · head/neck, monitoring",
        "Lesion 3 · mole · anterior torso (right), monitoring",
    ]
    window.resize(1920, 1080)  # with room, every row in full
    settled(qtbot, window)
    full = [
        "⚠ URGENT Lesion 1 · posterior torso (left)",
        "⚠ REFER Lesion 2 · head/neck",
        tips[2].removesuffix(", monitoring"),
    ]
    qtbot.waitUntil(lambda: [lst.item(r).text() for r in range(lst.count())] == full)


def test_beside_a_scroll_bar_each_flagged_row_keeps_its_flag_and_number_and_is_cut_at_its_end(qtbot, window, tmp_path):
    reg = window.session.register
    pid = reg.patients.add("t", mrn="F-3", name="Flag Ged").id
    lids = add_lesions(reg, pid, tmp_path, MANY[:3])
    shown(qtbot, window, pid, (853, 480))
    lst = window.lesions.list
    assert not lst.verticalScrollBar().isVisible()  # three rows: no scroll bar yet
    wide = lst.viewport().width()
    lids += add_lesions(reg, pid, tmp_path, MANY[3:])
    window.lesions.show_lesions(ops.lesions_of(reg, pid), selected=lids[0])
    qtbot.waitUntil(lambda: lst.verticalScrollBar().isVisible() and lst.viewport().width() < wide)
    flagged = [(n, WORDS[spot[4]]) for n, spot in enumerate(MANY, start=1) if spot[4]]
    assert any(n >= 10 for n, _ in flagged)
    for n, spot in enumerate(MANY, start=1):
        item, les = lst.item(n - 1), reg.lesions.get(lids[n - 1])
        flag = f"⚠ {WORDS[spot[4]]}" if spot[4] else ""
        shown_cut(lst, item, LesionList.names(item)[2])  # every row compact: one form, on one line or two
        site = site_name(les, short=True)  # whole, its side too: a row too wide wraps before it, never cuts it
        assert one_line(item) == f"{flag} {n} · {site}".lstrip(), item.text()  # the flag, number and site
        assert item.toolTip().startswith(lesion_name(les))  # the whole name
        if flag:
            assert item.toolTip().split("\n")[1].startswith(f"{flag}: ")
    assert any("\n" in lst.item(n - 1).text() for n, _ in flagged)  # a long site on a two-digit one: two lines
