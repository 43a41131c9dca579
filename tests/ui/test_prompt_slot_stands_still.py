"""At 150 % on 1280x720 (853x480) a referral prompt above the tabs ("URGENT result; status still 'monitoring'", or
two lines "REFER result; decision refer saved: arrange it, then mark the lesion referred") pushed the tab bar and the
whole assessment down 30 px for a lesion with one and up again for one without (a click on the Assessment tab landed
on the prompt), and "Mark lesion as referred" moved them under the pointer. On a short window the prompt now takes
one line, its words short where the whole take more (the whole in its tooltip), and that line's room stays above the
tabs for every lesion; the LOW and URGENT reviews keep their least height. Real window, real register."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint

from dermadesk.services.attention import STILL_MONITORING
from dermadesk.services.register_ops import review_capture
from dermadesk.ui.prompt_words import one_line_forms
from tests.services.test_significant_change import grown_lesion
from tests.services.test_standing import assess
from tests.ui.helpers import settled
from tests.ui.test_panes_stand_still_for_a_prompt import assessed_lesion


def lesions(window, tmp_path: Path) -> dict[str, tuple[int, int | None]]:
    """One patient's lesions, by name: (lesion id, capture id to show; None: the latest)."""
    reg = window.session.register
    changed = grown_lesion(reg, Path(tmp_path))
    follow = reg.captures.for_lesion(changed)[-1].id
    assess(reg, follow, "refer")  # REFER with a significant change: the longest tier and prompt
    pid = reg.lesions.get(changed).patient_id
    out = {"refer+change": (changed, follow)}
    for tier, site, label in (("urgent", "anterior torso", "chest"), ("low", "posterior torso", "left scapula"),
                              (None, "head/neck", "nose"), ("refer", "lower extremity", "right shin")):  # fmt: skip
        out[str(tier)] = (assessed_lesion(reg, tmp_path, pid, tier, site, label), None)
    decided = reg.captures.for_lesion(out["refer"][0])[-1].id
    review_capture(reg, "t", decided, "refer", "")  # "decision refer saved: arrange it, then mark the lesion referred"
    out["refer decided"] = (out.pop("refer")[0], decided)
    out["no capture"] = (reg.lesions.add("t", pid, "upper extremity", "arm").id, None)
    window.refresh(pid)
    return out


def shown(qtbot, window, lesion: tuple[int, int | None]) -> None:
    window.show_lesion(*lesion)
    qtbot.waitUntil(lambda: window.selection.lesion_id == lesion[0])
    settled(qtbot, window)


def test_the_tab_bar_and_save_review_stand_still_with_or_without_a_prompt(qtbot, window, dialogs, tmp_path) -> None:
    window.resize(853, 480)
    chosen = lesions(window, tmp_path)
    bar, prompt, save = window.tabs.tabBar(), window.referral_prompt, window.assessment.save
    shown(qtbot, window, chosen["low"])
    where = bar.mapTo(window, QPoint(0, 0)), save.mapTo(window, QPoint(0, 0))
    saves: dict[str, QPoint] = {}  # NOT ASSESSABLE: its review stands higher (beside its reasons), the same each time
    order = ("urgent", "low", "None", "refer decided", "no capture", "refer+change", "None", "urgent", "low")
    for name in order:
        shown(qtbot, window, chosen[name])
        window.fitted_height = None  # the panes fitted again on this lesion (as at a start on it): fitted alike
        settled(qtbot, window)
        assert prompt.isVisible() is (name in ("urgent", "refer+change", "refer decided")), name
        assert bar.mapTo(window, QPoint(0, 0)) == where[0], name
        at = saves.setdefault(name, save.mapTo(window, QPoint(0, 0)))
        assert save.mapTo(window, QPoint(0, 0)) == at, name
        assert name == "None" or at == where[1], name
    prompt.button.click()  # Mark lesion as referred: the prompt goes, the tabs stay under the pointer
    settled(qtbot, window)
    assert not prompt.isVisible() and bar.mapTo(window, QPoint(0, 0)) == where[0]
    assert save.mapTo(window, QPoint(0, 0)) == where[1]
    assert window.centralWidget().verticalScrollBar().maximum() == 0  # nothing scrolls for it


@pytest.mark.parametrize("name", ["urgent", "low"])
def test_the_review_keeps_its_least_height(qtbot, window, dialogs, tmp_path, name: str) -> None:
    window.resize(853, 480)
    shown(qtbot, window, lesions(window, tmp_path)[name])
    view = window.assessment
    assert view.review.isVisible() and view.review.height() >= view.review.minimumSizeHint().height()
    assert view.notes.height() >= 2 * view.notes.fontMetrics().lineSpacing()  # two lines of notes at least
    assert view.notes.geometry().bottom() < view.save.geometry().top()  # Save review not over the notes


def words(text: str) -> list[str]:
    return re.findall(r"[\w']+", text)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("urgent", ("URGENT", "status still")),
        ("refer+change", ("REFER", "status still")),
        ("refer decided", ("REFER", "referred")),
    ],  # fmt: skip
)
def test_the_prompt_says_its_key_words_on_one_line(qtbot, window, dialogs, tmp_path, name, key) -> None:
    window.resize(853, 480)
    shown(qtbot, window, lesions(window, tmp_path)[name])
    text = window.referral_prompt.text
    line = text.fontMetrics().lineSpacing()
    assert text.isVisible() and text.heightForWidth(text.width()) < 1.5 * line  # one line
    assert text.height() >= text.heightForWidth(text.width())  # and all of it in sight
    assert all(k in text.text() for k in key), text.text()
    assert set(words(text.text())) <= set(words(text.toolTip()))  # whole words of the whole, none cut
    assert len(text.toolTip()) > len(text.text()) or name == "urgent"  # the whole words in the tooltip


def test_the_shortest_words_keep_the_most_severe_result() -> None:
    """A REFER result carried over a NOT ASSESSABLE capture and an earlier URGENT one: the shortest line says URGENT."""
    reason = (
        "latest capture not assessable; last assessable result: REFER on 10 Mar 2026; "
        "earlier result URGENT on 1 Feb 2026 without a recorded decision"
    )
    forms = one_line_forms(reason, STILL_MONITORING)
    assert forms[-1] == "earlier result URGENT; status still 'monitoring'"
    assert all("URGENT" in form and form.endswith(STILL_MONITORING) for form in forms)
