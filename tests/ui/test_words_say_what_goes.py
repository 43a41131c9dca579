"""Words a fresh-eyes walkthrough tripped over: the timeline wrote "urgent" under one capture and "NOT ASSESSABLE"
under the next (a result is in capitals, as the assessment panel's heading says it); Edit > Delete capture and
Delete lesion ask a question but had no "..."; the first-run notice said "DermaDesk is decision support, not a
diagnosis" as its heading and again as its first sentence; Delete lesion's question said neither that the lesion's
latest result is URGENT nor how many captures go with it; Restore deleted did not name a capture's image file, which
the delete question had named. Real window, real register."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel

from dermadesk.contract import DISCLAIMER
from dermadesk.domain.dates import human_datetime
from dermadesk.domain.text import who_text
from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.ui.forms import DisclaimerDialog
from tests.conftest import lesion_jpeg
from tests.services.test_standing import assess
from tests.ui.test_corrections import filled, trigger  # noqa: F401 - the fixture, used by name


def results(window, lesion_id: int, tiers: list[str | None], tmp_path: Path, month: int = 1) -> list[int]:
    """A capture per tier (None: NOT ASSESSABLE), a month apart from the 10th of ``month`` 2026, each with that
    result stored."""
    reg, ids = window.session.register, []
    for k, tier in enumerate(tiers, month):
        image = tmp_path / f"r{lesion_id}-{k}.jpg"
        image.write_bytes(lesion_jpeg(seed=11 + 10 * lesion_id + k, width=96, height=72))
        done = import_files(reg, "t", lesion_id, [image], CaptureMeta(taken_at=f"2026-{k:02d}-10"), compare=False)
        assess(reg, done.captures[0].id, tier)
        ids.append(done.captures[0].id)
    return ids


def test_the_timeline_writes_a_result_in_capitals(qtbot, window, dialogs, tmp_path: Path, filled) -> None:  # noqa: F811
    _, _, second = filled
    results(window, second, ["urgent", None, "low"], tmp_path)
    window.show_lesion(second)
    captions = [window.timeline.item(i).text().split("\n")[1] for i in range(window.timeline.count())]
    assert captions == ["URGENT", "NOT ASSESSABLE", "LOW"]


def test_delete_items_ask_with_dots_and_keep_their_keys(qtbot, window) -> None:
    edit = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Edit")
    texts = [a.text() for a in edit.actions() if a.text()]
    assert "Delete &capture..." in texts and "Delete lesio&n..." in texts
    keys = [t[t.index("&") + 1].lower() for t in texts if "&" in t]
    assert len(keys) == len(set(keys))  # each access key once in the menu


def test_the_first_run_notice_says_its_title_once(qtbot) -> None:
    dialog = DisclaimerDialog()
    qtbot.addWidget(dialog)
    [label] = [w for w in dialog.findChildren(QLabel) if "decision support" in w.text()]
    assert label.text().count("decision support, not a diagnosis") == 1  # the heading, not again under it
    assert "<h3>DermaDesk is decision support, not a diagnosis</h3>" in label.text()
    assert DISCLAIMER.split(". ", 1)[1] in label.text()  # the rest of it: the estimates can be wrong


def test_the_delete_question_says_the_captures_and_the_result(
    qtbot,
    window,
    dialogs,
    tmp_path: Path,
    filled,  # noqa: F811
) -> None:
    pid, first, second = filled
    reg = window.session.register

    def asked(lesion_id: int) -> str:
        window.show_lesion(lesion_id)
        dialogs.confirms.append(False)  # No: nothing deleted
        trigger(window, "delete_lesion")
        title, question = dialogs.questions[-1]
        assert title == f"Delete lesion {reg.lesions.get(lesion_id).number}" and question.endswith(
            " Edit > Undo or Edit > Restore deleted... brings it back."
        )
        return question.removesuffix(" Edit > Undo or Edit > Restore deleted... brings it back.")

    results(window, second, ["refer", "urgent"], tmp_path)
    assert asked(second) == (
        "Delete Lesion 2 · arm · upper extremity with its 2 captures? Its latest assessment is URGENT (10 Feb 2026)."
    )
    results(window, second, [None], tmp_path, month=3)  # a later capture the model could not assess
    assert asked(second) == (
        "Delete Lesion 2 · arm · upper extremity with its 3 captures? Its latest capture is NOT ASSESSABLE; the last "
        "assessable result is URGENT (10 Feb 2026)."
    )
    assert asked(first) == "Delete Lesion 1 · chest · anterior torso with its 2 captures?"  # none assessed: no result
    third = reg.lesions.add("t", pid, "head/neck", "scalp").id
    results(window, third, ["urgent", "refer"], tmp_path)
    assert asked(third) == (
        "Delete Lesion 3 · scalp · head/neck with its 2 captures? Its latest assessment is REFER (10 Feb 2026); an "
        "earlier URGENT result (10 Jan 2026) has no recorded decision."
    )
    empty = reg.lesions.add("t", pid, "head/neck", "ear").id
    assert asked(empty) == "Delete Lesion 4 · ear · head/neck? It has no captures."
    assert all(les.deleted_at is None for les in reg.lesions.for_patient(pid, include_deleted=True))


def test_restore_deleted_names_the_capture_by_its_file_too(qtbot, window, dialogs, filled) -> None:  # noqa: F811
    _, first, _ = filled
    reg = window.session.register
    gone = reg.captures.for_lesion(first)[-1]
    window.show_lesion(first, gone.id)
    dialogs.confirms.append(True)
    trigger(window, "delete_capture")
    assert f"({gone.original_name})" in dialogs.questions[-1][1]  # the delete question named the file
    seen: list[str] = []
    dialogs.fillers.append(lambda d: bool(seen.extend(d.items.item(i).text() for i in range(d.items.count()))))
    window.corrections.restore_deleted()
    stamp, who = human_datetime(reg.captures.get(gone.id).deleted_at), who_text(window.session.actor)
    assert gone.original_name == "c1.jpg" and seen == [
        f"Capture of 10 Apr 2026 (c1.jpg), Lesion 1 · chest · anterior torso, deleted {stamp} by {who}"
    ]
