"""Walkthrough 23 at 150 % on 1280x720 (853x480): the Assessment / Change since baseline tabs moved up or down a line
between lesions as the red referral prompt above them took one line ("REFER result; status still 'monitoring'") or
two ("REFER result; decision refer saved: arrange it, then mark the lesion referred"). On a short window the prompt
now takes one line ("REFER result; decision refer saved: mark the lesion referred", the whole in its tooltip) and
keeps the room of one, so the tabs stand still (real window, real register, stored results)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint

from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.services.register_ops import review_capture
from tests.conftest import lesion_jpeg
from tests.services.test_standing import assess
from tests.ui.test_prompt_leaves_the_tabs_their_height import laid_out, rect_in


def two_refer_lesions(window, tmp_path: Path) -> list[tuple[int, int]]:
    """Two lesions of one patient, each a capture assessed REFER; the second's decision 'refer' saved. Returns
    (lesion id, capture id) of each."""
    reg = window.session.register
    pid = reg.patients.add("t", "TS-1", "Tabs Still", "1960-01-01", "female", "II").id
    out = []
    for n, site in enumerate(("upper extremity", "anterior torso")):
        lid = reg.lesions.add("t", pid, site, "").id
        image = tmp_path / f"{n}.jpg"
        image.write_bytes(lesion_jpeg(seed=n + 1, width=96, height=72))
        cid = import_files(reg, "t", lid, [image], CaptureMeta(taken_at="2026-02-16"), compare=False).captures[0].id
        assess(reg, cid, "refer")
        out.append((lid, cid))
    review_capture(reg, "t", out[1][1], "refer", "")
    window.refresh(pid)
    return out


def shown(qtbot, window, lesion: tuple[int, int]) -> tuple[int, int]:
    """The lesion shown and laid out: (the tabs' top in the window, the lines its prompt's words take)."""
    window.show_lesion(*lesion)
    qtbot.waitUntil(lambda: window.assessment.capture is not None and window.assessment.capture.id == lesion[1])
    laid_out(qtbot, window)
    prompt = window.referral_prompt
    qtbot.waitUntil(lambda: prompt.isVisible() and prompt.height() >= prompt.minimumHeight())
    tabs = window.tabs
    assert tabs.height() >= tabs.minimumSizeHint().height()  # the tabs never squeezed below their least
    assert rect_in(prompt, window).bottom() < rect_in(tabs, window).top()  # the prompt above the tabs, apart
    words = prompt.text
    assert words.height() >= words.heightForWidth(words.width())  # every line of the words
    lines = round(words.heightForWidth(words.width()) / words.fontMetrics().lineSpacing())
    return window.tabs.mapTo(window, QPoint(0, 0)).y(), lines


def test_the_tabs_stand_still_between_a_one_line_and_a_two_line_prompt(qtbot, window, tmp_path: Path) -> None:
    window.resize(853, 480)
    one, two = two_refer_lesions(window, tmp_path)
    top_one, lines_one = shown(qtbot, window, one)
    assert "REFER result; status still 'monitoring'" in window.referral_prompt.text.text()
    top_two, lines_two = shown(qtbot, window, two)
    assert "decision refer saved: mark the lesion referred" in window.referral_prompt.text.text()
    assert "arrange it, then mark the lesion referred" in window.referral_prompt.text.toolTip()
    assert (lines_one, lines_two) == (1, 1)  # the walkthrough's long words short, on one line...
    assert top_one == top_two  # ...and the tabs where they were
    assert shown(qtbot, window, one)[0] == top_one  # and back
    assert window.centralWidget().verticalScrollBar().maximum() == 0  # the window does not scroll for it
