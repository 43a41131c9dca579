"""The lesion list at 150 % on 1280x720 (853x480) showed "⚠ CHANGED Lesion 1 · left s…" (the site cut, the label's
first letter shown) and no row said which lesions were excised or discharged. Each row shows its flag, its number and
its site's start, and a status other than "monitoring" after its number; with room, the full name and the status
after it (real window, real register, the flag from a stored comparison; widths measured with the list's font)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont, QFontMetrics

from dermadesk.domain.lesion_name import lesion_name
from dermadesk.domain.records import Lesion
from dermadesk.ui.lesion_list import LesionList, fitted_texts, row_names
from tests.ui.helpers import settled
from tests.ui.test_flag_one_form import add_lesions, shown_cut


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


def test_at_150_percent_each_row_shows_its_flag_number_site_and_status(qtbot, window, tmp_path: Path) -> None:
    lesions = statused_patient(window, tmp_path)
    window.resize(853, 480)
    window.refresh(lesions[0].patient_id)
    settled(qtbot, window)
    lst = window.lesions.list
    texts = [lst.item(r).text() for r in range(lst.count())]
    assert texts[0] == "⚠ CHANGED 1 · post. torso (L)", texts  # whole, its side too; the label (cut) left out
    assert texts[1].startswith("2, excised · lower extr"), texts  # the status before the site: never cut off
    assert texts[2].startswith("3, discharged · upper extr"), texts
    for row, les in enumerate(lesions):
        item = lst.item(row)
        shown_cut(lst, item, LesionList.names(item)[2])  # within the list, cut at its end
        assert item.toolTip().split("\n")[0] == f"{lesion_name(les)}, {les.status}"  # the full name, as before
    window.resize(1920, 1080)  # with room, each in full, a status other than "monitoring" after the name
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


def test_a_cut_compact_row_keeps_its_site_whole_and_shows_a_label_only_where_it_can_be_read(qtbot) -> None:
    """Fitted to the room one row needs: its label is shown cut where three letters or more of it fit after the whole
    site, else left out ("... (L) · l…" read as nothing); never a site cut for a label."""
    font = QFont()
    font.setPointSize(9)
    metrics = QFontMetrics(font)
    les = Lesion(1, 1, "posterior torso", "left scapula", body_view="back", body_x=0.4, number=1)
    names = row_names(les, "⚠ CHANGED")
    assert names[2:] == ("⚠ CHANGED 1 · post. torso (L) · left scapula", "⚠ CHANGED 1 · post. torso (L)")
    head = metrics.horizontalAdvance(names[3])
    assert fitted_texts([names], metrics, head) == [names[3]]  # the site whole, no label
    assert fitted_texts([names], metrics, head + metrics.horizontalAdvance(" · l…")) == [names[3]]  # "l…": none
    roomy = head + metrics.horizontalAdvance(" · left s…")
    assert fitted_texts([names], metrics, roomy)[0].startswith(names[3] + " · left")  # the label begun
    (cut,) = fitted_texts([names], metrics, head - 20)  # narrower than the site: the site cut, never the flag
    assert cut.startswith("⚠ CHANGED 1 · post.") and cut.endswith("…") and "scapula" not in cut
