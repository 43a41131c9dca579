"""At 150 % on 1280x720 (853x480) the lesion list is about 185 px wide: a lesion flagged "⚠ CHANGED" or "⚠ OVERDUE"
showed "CHANGED #1 · post. torso (L)", its mark gone (the ⚠ forms took 192 px), then "⚠ CHANGED Lesion 1 · left s…",
its site gone. Each flagged row is compact now, "⚠ CHANGED 2 · post. torso (L)", and one too wide wraps onto a second
line at a " · " (walkthrough 24: it was cut, "⚠ URGENT 1 · upper extr. (R,…"): the mark, the word, the number and the
whole site stay ("⚠ URGENT 1" over "upper extr. (R, front)"); real window, real register, the flags from stored
results, comparisons and follow-ups (no model)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from dermadesk.domain.lesion_name import lesion_name, site_name
from dermadesk.ui.lesion_list import compact_name
from dermadesk.services.captures import CaptureMeta, import_files
from tests.conftest import lesion_jpeg
from tests.services.test_significant_change import store
from tests.services.test_standing import assess
from tests.ui.helpers import settled
from tests.ui.test_flag_one_form import one_line, shown_cut

# (site, where on the body map: view and x, the side a clinician reads there)
LESIONS = [
    ("upper extremity", "front", 0.25, "R"),  # URGENT result
    ("posterior torso", "back", 0.4, "L"),  # SIGNIFICANT change nobody answered
    ("lower extremity", "front", 0.6, "L"),  # follow-up overdue
]


def flagged_patient(reg, tmp_path: Path) -> tuple[int, list[int]]:
    """A patient with an URGENT, a CHANGED and an OVERDUE lesion on sites with long names, placed on the map."""
    pid = reg.patients.add("t", mrn="F-1", name="Flag Ged").id
    today, lids = dt.date.today(), []
    for i, (site, view, x, _) in enumerate(LESIONS):
        lid = reg.lesions.add("t", pid, site, body_view=view, body_x=x, body_y=0.5).id
        days = (200, 100) if i == 1 else (200,)  # the changed one: a baseline and a follow-up
        captures = []
        for j, ago in enumerate(days):
            f = tmp_path / f"c{i}-{j}.jpg"
            f.write_bytes(lesion_jpeg(seed=10 * i + j + 1, width=96, height=72))
            meta = CaptureMeta(taken_at=(today - dt.timedelta(days=ago)).isoformat())
            captures += import_files(reg, "t", lid, [f], meta, compare=False).captures
        if i == 0:
            assess(reg, captures[0].id, "urgent")
        elif i == 1:
            store(reg, lid, captures[1].id, "significant", "area grew by 44%")
        else:
            assess(reg, captures[0].id, "monitor")  # follow up after 3 months: was due 110 days ago
        lids.append(lid)
    return pid, lids


def test_at_150_percent_each_flagged_row_keeps_its_mark_and_number_and_its_name_in_the_tooltip(
    qtbot, window, tmp_path: Path
) -> None:
    reg = window.session.register
    pid, lids = flagged_patient(reg, tmp_path)
    window.resize(853, 480)
    window.refresh(pid)
    window.show_lesion(lids[0])
    settled(qtbot, window)
    rows = window.lesions.list
    assert rows.viewport().width() < 210  # as narrow as the user saw it (about 200 px)
    for n, (lid, word, (_, _, _, side)) in enumerate(zip(lids, ("URGENT", "CHANGED", "OVERDUE"), LESIONS), start=1):
        item, les = rows.item(n - 1), reg.lesions.get(lid)
        name = compact_name(les, f"⚠ {word}")
        assert f"({side}" in name
        shown_cut(rows, item, name)
        site = site_name(les, short=True)  # "upper extr. (R, front)": whole, on a second line where the first is full
        assert one_line(item) == f"⚠ {word} {n} · {site}", item.text()  # the mark, the word, number and site
        assert item.toolTip().startswith(f"{lesion_name(les)}, monitoring\n⚠ {word}: ")  # the whole name
