"""The lesion list at 150 % on 1280x720 (853x480) showed "⚠ CHANGED Lesion 1 · left s…" (the site cut, the label's
first letter shown) and no row said which lesions were excised or discharged; then, compact, "⚠ CHANGED 1 · post.
torso (L)", the label left out, though a nurse knows a lesion by its label (walkthrough 24). Each row shows its flag,
its number, its status where it is not "monitoring", its site whole with its side, and its label: a row too wide for
one line wraps onto a second at a " · "; with room, the full name and the status after it (real window, real
register, the flag from a stored comparison; widths measured with the list's font)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont, QFontMetrics

from dermadesk.domain.lesion_name import lesion_name
from dermadesk.domain.records import Lesion
from dermadesk.ui.lesion_list import LesionList, fitted_texts, row_names
from tests.ui.helpers import settled
from tests.ui.test_flag_one_form import add_lesions, one_line, shown_cut


def statused_patient(window, tmp_path: Path) -> list[Lesion]:
    """A lesion flagged CHANGED with a label, an excised one with a label, a discharged one (long sites)."""
    reg = window.session.register
    pid = reg.patients.add("t", mrn="S-1", name="Stat Us").id
    spots = [
        ("posterior torso", "back", 0.4, 0.3, "changed"),
        ("lower extremity", "front", 0.6, 0.75, None),
        ("upper extremity", "front", 0.2, 0.35, None),
    ]
    lids = add_lesions(reg, pid, tmp_path, spots)
    reg.lesions.update("t", lids[0], label="left scapula")
    reg.lesions.update("t", lids[1], label="shin", status="excised")
    reg.lesions.update("t", lids[2], status="discharged")
    return [reg.lesions.get(lid) for lid in lids]


def test_at_150_percent_each_row_shows_its_flag_number_status_site_and_label(qtbot, window, tmp_path: Path) -> None:
    lesions = statused_patient(window, tmp_path)
    window.resize(853, 480)
    window.refresh(lesions[0].patient_id)
    settled(qtbot, window)
    lst = window.lesions.list
    rows = [lst.item(r) for r in range(lst.count())]
    assert [one_line(item) for item in rows] == [  # each whole, on one line or two: nothing cut, nothing left out
        "⚠ CHANGED 1 · post. torso (L) · left scapula",
        "2, excised · lower extr. (L, front) · shin",
        "3, discharged · upper extr. (R, front)",
    ]
    lines = [item.text().split("\n") for item in rows]
    assert all(len(shown) == 2 for shown in lines)  # too wide for one line each (beside the scroll bar they bring)
    assert [shown[0] for shown in lines] == ["⚠ CHANGED 1", "2, excised", "3, discharged"]  # flag, number, status
    assert lines[0][1] == "post. torso (L) · left scapula"  # the site with its side, then the label: whole
    for item, les in zip(rows, lesions):
        shown_cut(lst, item, LesionList.names(item)[2])  # within the list
        assert item.toolTip().split("\n")[0] == f"{lesion_name(les)}, {les.status}"  # the full name, as before
    assert lst.alternatingRowColors()  # a second line reads as its row's, as in the patient list
    window.resize(1920, 1080)  # with room, each in full on one line, a status other than "monitoring" after the name
    settled(qtbot, window)
    qtbot.waitUntil(
        lambda: (
            [lst.item(r).text() for r in range(lst.count())]
            == [
                "⚠ CHANGED Lesion 1 · left scapula · posterior torso (left)",
                "Lesion 2 · shin · lower extremity (left, front), excised",
                "Lesion 3 · upper extremity (right, front), discharged",
            ]
        )
    )


def test_a_compact_row_too_wide_wraps_at_a_separator_keeping_the_site_whole(qtbot) -> None:
    """Fitted to the room: one line where the compact name fits; else the first line as many parts as fit (the site
    with it where it fits whole, the label under it), the rest on the second; a line still too wide cut at its end.
    A row that fits stays one line beside one that wraps."""
    font = QFont()
    font.setPointSize(9)
    metrics = QFontMetrics(font)
    les = Lesion(1, 1, "posterior torso", "left scapula", body_view="back", body_x=0.4, number=1)
    names = row_names(les, "⚠ CHANGED")
    assert names[2] == "⚠ CHANGED 1 · post. torso (L) · left scapula"
    width = metrics.horizontalAdvance
    assert fitted_texts([names], metrics, width(names[2])) == [names[2]]  # fits: one line
    head = width("⚠ CHANGED 1 · post. torso (L)")
    assert fitted_texts([names], metrics, head) == ["⚠ CHANGED 1 · post. torso (L)\nleft scapula"]
    rest = "post. torso (L) · left scapula"
    narrower = max(head - 1, width(rest))  # the site no longer fits after the number: it moves down, whole
    assert fitted_texts([names], metrics, narrower) == [f"⚠ CHANGED 1\n{rest}"]
    (cut,) = fitted_texts([names], metrics, width(rest) - 10)  # the second line cut at its end, the site whole
    first, second = cut.split("\n")
    assert first == "⚠ CHANGED 1" and second.startswith("post. torso (L) · ") and second.endswith("…")
    other = row_names(Lesion(2, 1, "head/neck", "", number=2))
    assert fitted_texts([names, other], metrics, head) == [
        "⚠ CHANGED 1 · post. torso (L)\nleft scapula",
        "2 · head/neck",  # every row compact; one that fits keeps one line
    ]
