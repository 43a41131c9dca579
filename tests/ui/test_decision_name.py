"""A decision saved with no operator set read "by root" on the report (now "by root (the computer's account)").
Before the first decision is saved with no operator set, the operator's name is asked once in the window; given, the
decision (and what follows) is recorded under it, as the report reads it; declined, the decision is saved under the
account and nothing is asked again. Real window, real register."""

from __future__ import annotations

import getpass
from pathlib import Path

import pytest

from dermadesk.config import Settings
from dermadesk.services.reports import decision_record
from dermadesk.ui.decision_name import DecisionNameDialog
from tests.ui.test_cancel import two_captures
from tests.ui.test_unsaved import type_notes


@pytest.fixture
def shown(window, tmp_path: Path, monkeypatch) -> int:
    """The computer's account is 'root', no operator set; a lesion with two captures shown, the second selected."""
    monkeypatch.setattr(getpass, "getuser", lambda: "root")
    assert not window.session.settings.operator
    lesion_id = two_captures(window, tmp_path)
    window.timeline.setCurrentRow(1)
    return lesion_id


def _decided_by(window) -> str:
    capture = window.session.register.captures.get(window.assessment.capture.id)
    record = decision_record(window.session.register, capture)
    assert record is not None
    return record[0]


def test_the_name_is_asked_before_the_first_decision_and_recorded(qtbot, window, dialogs, shown) -> None:
    seen: dict[str, object] = {}

    def answer(d: DecisionNameDialog) -> bool:
        seen["text"] = d.text.text()
        seen["empty refused"] = not d.save.isEnabled()
        qtbot.keyClicks(d.name, "Dr A. Jones")
        seen["typed allowed"] = d.save.isEnabled()
        return True

    view = window.assessment
    dialogs.fillers.append(answer)
    view.notes.setPlainText("seen")
    view.save.click()  # notes only: no decision, nothing asked
    assert len(dialogs.fillers) == 1 and window.session.settings.operator == ""
    view.decision.setCurrentText("refer")
    dialogs.confirms.append(False)  # "Mark Lesion 1 as 'referred' too?" No
    view.save.click()
    assert "The decision 'refer' is recorded in the audit log and printed on reports" in str(seen["text"])
    assert "it would read 'by root (the computer's account)'." in str(seen["text"])  # as the report prints it
    assert seen["empty refused"] and seen["typed allowed"]
    assert _decided_by(window) == "Dr A. Jones"  # as the report reads it: not "by root"
    assert window.operator_label.text() == "Operator: Dr A. Jones"
    assert Settings.load(window.session.data_dir).operator == "Dr A. Jones"  # remembered, as Change operator does


def test_declined_the_decision_is_saved_under_the_account_and_not_asked_again(qtbot, window, dialogs, shown) -> None:
    view = window.assessment
    asked: list[object] = []
    dialogs.fillers.append(lambda d: asked.append(d) or False)  # "Save as 'root'"
    view.decision.setCurrentText("monitor")
    view.save.click()
    assert len(asked) == 1 and _decided_by(window) == "root (the computer's account)"  # as the report reads it
    assert "not set" in window.operator_label.text()  # the status bar still says so
    view.decision.setCurrentText("excise")
    dialogs.confirms.append(False)  # "Mark Lesion 1 as 'excised' too?" No
    view.save.click()  # once in the window: not at every decision
    assert len(asked) == 1 and window.session.register.captures.get(view.capture.id).decision == "excise"


def test_asked_too_where_the_unsaved_changes_question_saves_the_decision(qtbot, window, dialogs, shown) -> None:
    asked: list[object] = []
    type_notes(qtbot, window, "Excise next week")
    window.assessment.decision.setCurrentText("excise")
    decided = window.assessment.capture.id
    dialogs.choices.append("save")  # "Save them now?" Save
    dialogs.confirms.append(False)  # "Mark Lesion 1 as 'excised' too?" No
    dialogs.fillers.append(lambda d: asked.append(d) or (d.name.setText("Nurse Kim") is None))
    window.timeline.setCurrentRow(0)  # another capture: the typing is saved first
    assert len(asked) == 1
    record = decision_record(window.session.register, window.session.register.captures.get(decided))
    assert record is not None and record[0] == "Nurse Kim"
