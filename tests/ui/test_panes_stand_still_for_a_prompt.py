"""At 150 % on 1280x720 (853x480 in the window's own pixels) choosing a lesion whose URGENT result nobody answered
(a referral prompt above the tabs) shrank the lesion list to 2½ rows and moved the lesion form up, under the
pointer: a second click where the next lesion had been hit the Site box, and going back to a LOW lesion left it so.
The panes keep the prompt's room for every lesion. Real window, real register, real widgets."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint

from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.storage.register import Register

from tests.conftest import lesion_jpeg
from tests.services.test_standing import assess
from tests.ui.helpers import settled
from tests.ui.test_layout_panes import wholly_shown
from tests.ui.test_lesion_panel_layout import PLACED


def assessed_lesion(reg: Register, tmp_path: Path, pid: int, tier: str | None, site: str, label: str) -> int:
    """A lesion of patient ``pid`` with one capture, assessed ``tier`` (None: NOT ASSESSABLE) and not answered."""
    lid = reg.lesions.add("t", pid, site, label).id
    f = tmp_path / f"{label}.jpg"
    f.write_bytes(lesion_jpeg(seed=len(label), width=96, height=72))
    res = import_files(reg, "t", lid, [f], CaptureMeta(taken_at="2026-03-10"), compare=False)
    assess(reg, res.captures[0].id, tier)
    return lid


@pytest.mark.parametrize("start", ["low", "no capture"])
@pytest.mark.parametrize("height", [480, 500, 540])
def test_the_lesion_list_and_form_stand_still_when_an_urgent_lesion_is_chosen(
    qtbot, window, tmp_path, height: int, start: str
) -> None:
    window.resize(853, height)
    reg = window.session.register
    pid = reg.patients.add("t", "STILL-1", "Stand Still").id
    urgent = assessed_lesion(reg, tmp_path, pid, "urgent", "anterior torso", "chest")
    low = assessed_lesion(reg, tmp_path, pid, "low", "posterior torso", "left scapula")
    declined = assessed_lesion(reg, tmp_path, pid, None, "head/neck", "nose")  # NOT ASSESSABLE: reasons below
    empty = [reg.lesions.add("t", pid, s, lab, body_view=v, body_x=x, body_y=y).id for s, lab, v, x, y in PLACED[1:3]]
    window.refresh(pid)
    panel, prompt, view = window.lesions, window.referral_prompt, window.assessment
    panel.select_lesion(low if start == "low" else empty[0])
    qtbot.waitUntil(lambda: (view.capture is not None) is (start == "low"))
    window.fitted_height = None  # fitted afresh on a lesion with no prompt (as at a start on it)
    settled(qtbot, window)
    assert not prompt.isVisible()
    lst = panel.list
    parts = (lst, panel.site, panel.status, panel.label, panel.apply, window.form_area)

    def geometry() -> list:
        return [(w.mapTo(window, QPoint(0, 0)), w.size()) for w in parts] + [
            window.form_area.verticalScrollBar().maximum(),
            window.centralWidget().verticalScrollBar().maximum(),
        ]

    before = geometry()
    for lesion, prompted in ((urgent, True), (low, False), (urgent, True), (empty[0], False), (declined, False)):
        panel.select_lesion(lesion)
        qtbot.waitUntil(lambda: prompt.isVisible() is prompted)  # noqa: B023 - waited for here
        settled(qtbot, window)
        assert geometry() == before, lesion
        if prompted:  # under the prompt the assessment keeps two lines of notes, clear of Save review
            assert view.notes.height() >= 2 * view.notes.fontMetrics().lineSpacing()
            assert view.notes.geometry().bottom() < view.save.geometry().top()
    assert window.form_area.verticalScrollBar().maximum() == 0  # Save patient in sight, not scrolled
    whole = [r for r in range(lst.count()) if lst.viewport().rect().contains(lst.visualItemRect(lst.item(r)))]
    assert len(whole) >= 2  # two whole rows at least, for every lesion
    assert wholly_shown(panel.apply) and wholly_shown(window.patient_form.save)


def test_the_first_fit_on_a_short_window_leaves_save_patient_in_sight(qtbot, window, tmp_path) -> None:
    """At a start on an URGENT lesion at 150 % on 1280x720 the first fit counted the referral prompt at three lines
    (placed for the tabs' width before the timeline stood beside them): the top pane got 183 px, and the patient
    form scrolled 13 px, Save patient cut, until the window's height changed. It is fitted again for the prompt's
    height, as every later fit is."""
    window.resize(853, 480)
    reg = window.session.register
    pid = reg.patients.add("t", "STILL-2", "First Fit").id
    assessed_lesion(reg, tmp_path, pid, "urgent", "anterior torso", "chest")
    window.refresh(pid)
    settled(qtbot, window)  # the first fit on the short window
    first = window.panes.sizes()
    assert window.form_area.verticalScrollBar().maximum() == 0
    window.fitted_height = None  # fitted again at the same height
    settled(qtbot, window)
    assert window.panes.sizes() == first
