"""At 150 % on 1280x720 (853x480) the lesion list is about 185 px wide: a lesion flagged "⚠ CHANGED" or "⚠ OVERDUE"
showed "CHANGED #1 · post. torso (L)", its mark gone (the ⚠ forms took 192 px). Each flagged row keeps its mark
and the lesion's side there, the side before the site where need be ("⚠ CHANGED #2 L post. torso"); real window,
real register, the flags from stored results, comparisons and follow-ups (no model)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from dermadesk.services.captures import CaptureMeta, import_files
from tests.conftest import lesion_jpeg
from tests.services.test_significant_change import store
from tests.services.test_standing import assess
from tests.ui.helpers import settled

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


def test_at_150_percent_each_flagged_row_keeps_its_mark_and_side(qtbot, window, tmp_path: Path) -> None:
    reg = window.session.register
    pid, lids = flagged_patient(reg, tmp_path)
    window.resize(853, 480)
    window.refresh(pid)
    window.show_lesion(lids[0])
    settled(qtbot, window)
    rows = window.lesions.list
    assert rows.viewport().width() < 200  # as narrow as the user saw it (about 185 px)
    metrics, room = rows.fontMetrics(), rows.viewport().width()
    shown = [rows.item(i).text() for i in range(rows.count())]
    for text, word, (_, _, _, side) in zip(shown, ("URGENT", "CHANGED", "OVERDUE"), LESIONS, strict=True):
        assert text.startswith(f"⚠ {word} ") and "\n" not in text, shown  # the mark and the flag's word
        assert re.search(rf"(\({side}[,)]|\b{side} )", text), shown  # the side: "(R)", "(R, front)" or "R upper"
        assert metrics.horizontalAdvance(text) <= room - 6, text  # whole, not elided
