"""File > Import patients...: the notice says what a cancelled import left to compare and how to finish it, and the
stored comparisons its corrections put back in use.

Cancel pressed in the corrections step (the tier step never runs): the notice says the tier comparisons were not made
again either, names the lesion with comparisons still to make and says to import the same package again; that import
(its preview offers Finish comparing, nothing being new) compares them and says so. A package that brings a scale
back to the one the stored comparisons were made with: the notice says each comparison in use again, as ``capture
edit`` says one. Real window, real registers, real packages, the tiny ONNX models, comparisons by the real pipeline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dermadesk.services import reassessed
from tests.services.test_advice import low_model  # noqa: F401  (a fixture: the tiny model that says LOW)
from tests.services.test_review_compares import LONG
from tests.services.test_since_review import DAYS, GROWN, pairs
from tests.services.test_transfer_assessed_compares import tiers
from tests.services.test_transfer_left import (
    corrected_assessed_and_decided,
    corrected_back_and_another,
    corrected_back_on_the_laptop,
)
from tests.services.test_transfer_review_compares import MRN, REVIEWED, decided_on_the_laptop, ids_by_day
from tests.ui.test_transfer_assessed_compares import cancelled_at
from tests.ui.test_transfer_corrections import import_it

LESION = "Lesion 1 of T-9 Tom Transfer"


def test_cancel_in_the_corrections_names_what_is_left_and_the_same_package_again_finishes_it(
    qtbot,
    window,
    dialogs,
    data_dir: Path,
    tmp_path: Path,
    tiny_model_dir: Path,
    low_model: Path,  # noqa: F811
) -> None:
    (tmp_path / "laptop-side").mkdir()
    corrected_assessed_and_decided(tmp_path / "laptop-side", tiny_model_dir, low_model, clinic=data_dir)
    reg = window.session.register
    lid, here = ids_by_day(reg.data_dir)
    base, grown, later = (here[day] for day in DAYS[:3])
    text = cancelled_at(window, dialogs, qtbot, tmp_path, tmp_path / "laptop-side" / "laptop", REVIEWED)
    assert text.startswith(
        "Imported 2 assessments, 2 comparisons and updated 1 capture from back.ddtx. Comparing the captures whose "
        "dates or scales it corrected again was cancelled: "
    )
    assert (
        " Comparing the comparisons made with the risk tiers before the assessments it brought again was not done "
        "either: until they are compared, the change since the baseline, the trend chart and a lesion's ⚠ flag may "
        f"read the tier before. Still to compare: {LESION}. Import back.ddtx again to finish: nothing is imported "
        "twice, and what is left is compared."
    ) in text
    assert tiers(reg, lid, base, later) == {"before": None, "after": "monitor"} and (grown, later) not in pairs(
        reg, lid
    )

    offered: list[tuple[str, bool, str]] = []

    def seen(preview: Any) -> bool:  # the preview of the same package, nothing new in it
        button = preview.import_button
        offered.append((button.text(), button.isEnabled(), preview.summary.text()))
        return True

    dialogs.files.append([str(tmp_path / "back.ddtx")])
    dialogs.fillers.append(seen)
    window.transfer_actions.import_patients()
    qtbot.waitUntil(lambda: len(dialogs.infos) == 2 and not window.session.runner.running, timeout=120000)
    [(button, enabled, summary)] = offered
    assert (button, enabled) == ("Finish comparing", True)
    assert f"To compare: {LESION} (left by an earlier import of this package)" in summary
    assert dialogs.infos[1][1] == (
        f"Nothing new was imported from back.ddtx. Compared what an earlier import of this package left to compare: "
        f"{LESION}. 1 lesion compared again: the package corrected the date or scale of its captures. 1 lesion "
        "compared again: the package brought assessments that changed its captures' risk tiers."
    )
    assert dialogs.errors == []
    assert tiers(reg, lid, base, later) == {"before": "low", "after": "monitor"}  # compared again, as it says
    assert (grown, later) in pairs(reg, lid) and reassessed.outdated(reg, list(here.values())) == []


def test_the_notice_says_the_comparisons_its_correction_put_back_in_use(
    qtbot, window, dialogs, data_dir: Path, tmp_path: Path
) -> None:
    _, package = corrected_back_on_the_laptop(tmp_path, clinic=data_dir)
    reg = window.session.register
    lid, here = ids_by_day(reg.data_dir)
    first = {
        r.followup_capture_id: r for r in reg.comparisons.for_lesion(lid) if r.metrics["scales"]["baseline"] == 0.02
    }
    import_it(window, dialogs, package)
    qtbot.waitUntil(lambda: bool(dialogs.infos) and not window.session.runner.running, timeout=120000)
    back = [
        f"{LESION}: 5 Jan 2026 → {day} compared before with the baseline, in use again: SIGNIFICANT "
        f"({first[here[day_iso]].reasons[0]})."
        for day, day_iso in (("16 Feb 2026", DAYS[1]), ("30 Mar 2026", DAYS[2]))
    ]
    assert dialogs.infos[0][1] == (
        "Updated 1 capture from back.ddtx. Stored comparisons in use again, as the package brought back the date or "
        f"scale they were made with: {back[0]} {back[1]}"
    )
    assert dialogs.details == [
        f"{back[0][:-1]}\n{back[1][:-1]}"
    ]  # each in the details too, as the command line says it
    assert dialogs.errors == [] and reg.captures.get(here[DAYS[0]]).mm_per_px == 0.02


def test_each_corrected_lesion_is_said_under_what_happened_to_it(
    qtbot, window, dialogs, data_dir: Path, tmp_path: Path
) -> None:
    """T-8's lesion compared again, T-9's only its stored comparisons back in use: the notice counts one lesion compared
    again (it said 2), the details hold each comparison with its result."""
    _, package, other = corrected_back_and_another(tmp_path, clinic=data_dir)
    reg = window.session.register
    import_it(window, dialogs, package)
    qtbot.waitUntil(lambda: bool(dialogs.infos) and not window.session.runner.running, timeout=120000)
    text = dialogs.infos[0][1]
    assert text.startswith(
        "Updated 2 captures from back.ddtx. 1 lesion compared again: the package corrected the date or scale of its "
        "captures. Stored comparisons in use again, as the package brought back the date or scale they were made "
        f"with: {LESION}: 5 Jan 2026 → 16 Feb 2026 compared before with the baseline, in use again: "
    )
    [row] = [r for r in reg.comparisons.for_lesion(other) if r.metrics["scales"]["followup"] == 0.025]
    [details] = dialogs.details
    assert details.splitlines()[0] == (
        f"Lesion 1 of T-8 Otto Other: 5 Jan 2026 → 16 Feb 2026 compared again with the baseline: "
        f"{row.verdict.upper()} ({row.reasons[0]})"
    )
    assert [line.split(":")[0] for line in details.splitlines()[1:]] == [LESION, LESION]  # back in use


def test_cancelled_before_the_reviewed_capture_the_flag_says_it_is_not_confirmed_and_finishing_it_says_each_result(
    qtbot, window, dialogs, data_dir: Path, tmp_path: Path
) -> None:
    """The walk-through's case: the package's decision makes the grown capture the later one's reviewed capture (150
    days apart: long-term rules); Cancel pressed as they are to be compared. The status bar says the comparing was
    cancelled and what is left; the lesion's ⚠ CHANGED flag, the estimate from the comparisons with the baseline,
    says it is not confirmed and how to finish; the same package again compares them (NOT SIGNIFICANT: the flag
    goes), its details saying the comparison and its result."""
    _, laptop = decided_on_the_laptop(tmp_path, data_dir, LONG, GROWN * 1.2**0.5)
    reg = window.session.register
    lid, here = ids_by_day(reg.data_dir)
    started: list[Any] = []
    window.session.runner.started.connect(started.append)
    cancelled_at(window, dialogs, qtbot, tmp_path, laptop, "comparing with the reviewed capture of 13 Jul 2025")
    assert started[-1].ended_text() == "Import done; comparing cancelled: 1 lesion left"  # not "Importing ...: done"
    window.refresh(reg.patients.by_mrn(MRN).id)
    window.show_lesion(lid)
    item = window.lesions.list.item(0)
    assert item.text().startswith("⚠ CHANGED")  # the flag stands meanwhile
    assert "significant change on 10 Dec 2025, not confirmed yet (estimated: area grew by " in item.toolTip()
    assert (
        "since the reviewed capture of 13 Jul 2025); to confirm it, import back.ddtx again: it finishes "
        "comparing (nothing is imported twice)"
    ) in item.toolTip()
    prompt = window.referral_prompt  # the red line above the tabs names what confirms it, its tooltip the whole
    assert prompt.text.text().startswith(
        "significant change on 10 Dec 2025, not confirmed yet: import back.ddtx again; "
    )
    assert "; to confirm it, import back.ddtx again: it finishes comparing" in prompt.text.toolTip()

    import_it(window, dialogs, tmp_path / "back.ddtx")  # Finish comparing, in its preview
    qtbot.waitUntil(lambda: len(dialogs.infos) == 2 and not window.session.runner.running, timeout=120000)
    row = max(reg.comparisons.for_lesion(lid), key=lambda r: r.id)
    assert (row.baseline_capture_id, row.followup_capture_id, row.verdict) == (
        here[LONG[1]],
        here[LONG[2]],
        "not significant",
    )
    assert dialogs.details[-1].splitlines()[0] == (
        f"{LESION}: 13 Jul 2025 → 10 Dec 2025 compared with the reviewed capture: NOT SIGNIFICANT ({row.reasons[0]})"
    )
    assert started[-1].ended_text() == "Importing patients: done" and dialogs.errors == []
    window.show_lesion(lid)
    assert "CHANGED" not in window.lesions.list.item(0).text()
