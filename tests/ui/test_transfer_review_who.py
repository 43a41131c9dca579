"""File > Import patients: a capture reviewed differently here and in the package shows, in the preview's row of
that review, who decided on each side and when ("Dr Ames, 3 Mar 2026" under this register's review, "Dr Lee, 10 Mar
2026" under the package's), and the import's details list the conflict with both. Real registers, a real package,
real widgets."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from dermadesk.domain.dates import human_date
from dermadesk.ui.transfer_preview import ImportPreviewDialog
from tests.services.test_transfer_review_who import AMES_AT, HERE, LEE_AT, THERE, reviews_apart
from tests.test_cli_transfer_review_who import SAME_DAY_AMES, SAME_DAY_LEE


def test_the_preview_row_and_the_details_name_who_reviewed_on_each_side(qtbot, window, dialogs, tmp_path: Path):
    package = tmp_path / "in.ddtx"
    reviews_apart(window.session.register, tmp_path / "field", package)
    seen: dict[str, object] = {}

    def look(d: ImportPreviewDialog) -> bool:
        panel = d.conflict_answers
        assert panel is not None and panel.table.rowCount() == 1
        table = panel.table
        seen["cells"] = [table.item(0, c).text() for c in (2, 3)]
        seen["tips"] = [table.item(0, c).toolTip() for c in (2, 3)]
        seen["tall enough"] = table.rowHeight(0) >= 4 * table.fontMetrics().lineSpacing()  # 3 fields, who and when
        return True  # import, the review left unanswered

    dialogs.files.append([str(package)])
    dialogs.fillers.append(look)
    window.transfer_actions.import_patients()
    qtbot.waitUntil(lambda: bool(dialogs.infos), timeout=30000)
    assert seen["cells"] == [
        f"monitor\n6 months\nborder regular\nDr Ames, {human_date(AMES_AT)}",
        f"excise\n(none: as the tier suggests)\nborder irregular\nDr Lee, {human_date(LEE_AT)}",
    ]
    assert [tip.splitlines()[-1] for tip in seen["tips"]] == [  # type: ignore[attr-defined]
        f"Saved by Dr Ames on {human_date(AMES_AT)}",
        f"Saved by Dr Lee on {human_date(LEE_AT)}",
    ]
    assert seen["tall enough"]
    assert f"(here: {HERE}; in the package: {THERE}; last agreed: " in dialogs.details[-1]


def test_two_reviews_of_one_local_day_show_their_times_in_the_preview_row(
    qtbot, window, dialogs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both reviews saved on 24 Nov 2026 in Auckland (on two days in UTC): each cell says its time too ("Dr Ames,
    24 Nov 2026 09:15"; it said "24 Nov 2026" under both), as the command line's conflict line does."""
    monkeypatch.setenv("TZ", "Pacific/Auckland")
    time.tzset()
    try:
        package = tmp_path / "in.ddtx"
        reviews_apart(window.session.register, tmp_path / "field", package, SAME_DAY_AMES, SAME_DAY_LEE)
        seen: dict[str, list[str]] = {}

        def look(d: ImportPreviewDialog) -> bool:
            table = d.conflict_answers.table  # type: ignore[union-attr]
            seen["cells"] = [table.item(0, c).text().splitlines()[-1] for c in (2, 3)]
            seen["tips"] = [table.item(0, c).toolTip().splitlines()[-1] for c in (2, 3)]
            return True

        dialogs.files.append([str(package)])
        dialogs.fillers.append(look)
        window.transfer_actions.import_patients()
        qtbot.waitUntil(lambda: bool(dialogs.infos), timeout=30000)
    finally:
        monkeypatch.undo()
        time.tzset()
    assert seen["cells"] == ["Dr Ames, 24 Nov 2026 09:15", "Dr Lee, 24 Nov 2026 16:40"]
    assert seen["tips"] == ["Saved by Dr Ames on 24 Nov 2026 09:15", "Saved by Dr Lee on 24 Nov 2026 16:40"]
