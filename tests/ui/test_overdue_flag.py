"""The lesion list flags a lesion whose follow-up date has passed ("⚠ OVERDUE", the due date in the tooltip), as
the patient summary does; a follow-up still ahead, or a lesion already referred, is not flagged (real window and
register, no model)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from dermadesk.domain.dates import human_date
from dermadesk.domain.follow_up import months_after
from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.services.follow_up import overdue_follow_up
from tests.conftest import lesion_jpeg
from tests.services.test_standing import assess


def test_an_overdue_follow_up_is_flagged_in_the_lesion_list(window, tmp_path: Path) -> None:
    reg = window.session.register
    pid = reg.patients.add("t", mrn="O-1", name="Over Due").id
    today = dt.date.today()
    ids = []
    for i, days_ago in enumerate((200, 10)):  # MONITOR: follow up after 3 calendar months
        lid = reg.lesions.add("t", pid, "anterior torso", f"spot {i}").id
        f = tmp_path / f"c{i}.jpg"
        f.write_bytes(lesion_jpeg(seed=5 + i, width=96, height=72))
        taken = (today - dt.timedelta(days=days_ago)).isoformat()
        capture = import_files(reg, "t", lid, [f], CaptureMeta(taken_at=taken), compare=False).captures[0]
        assess(reg, capture.id, "monitor")
        ids.append(lid)
    due = human_date(months_after(today - dt.timedelta(days=200), 3).isoformat())  # as the app and the CLI write dates
    assert overdue_follow_up(reg, ids[0]).words(human_date) == f"was due {due} (3-month re-check)"
    assert overdue_follow_up(reg, ids[1]) is None
    window.refresh(pid)
    window.show_lesion(ids[0], None)
    late, on_time = window.lesions.list.item(0), window.lesions.list.item(1)
    assert late.text().startswith("⚠ OVERDUE Lesion 1") and f"\n⚠ OVERDUE: follow-up was due {due}" in late.toolTip()
    assert not on_time.text().startswith("⚠") and "overdue" not in on_time.toolTip()
    reg.lesions.update("t", ids[0], status="referred")  # acted on: no follow-up date to keep any more
    window.lesions.refresh_flags()
    assert not window.lesions.list.item(0).text().startswith("⚠")
