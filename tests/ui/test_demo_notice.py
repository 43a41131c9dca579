"""The demo says, in the demo itself, that its synthetic images get no risk tier: the model declines drawings
(NOT ASSESSABLE, as it should), a real dermoscopic image gets one (issue 16: a new user saw no tier at all)."""

from __future__ import annotations

from dermadesk.services.demo import DEMO_NOTICE, seed_demo
from dermadesk.ui.app import demo_notice


def test_the_guide_says_demo_images_are_declined_and_real_ones_get_a_tier(window) -> None:
    text = window.guide.text.text()
    assert (
        "computer drawings" in text and "NOT ASSESSABLE" in text and "real dermoscopic image gets a risk tier" in text
    )


def test_the_demo_patients_and_a_notice_say_why_there_is_no_risk_tier(window, dialogs) -> None:
    reg = window.session.register
    seed_demo(reg, "demo", None)
    window.refresh()
    patients = reg.patients.search("")
    assert patients and all("no risk tier" in p.notes and "real dermoscopic image" in p.notes for p in patients)
    demo_notice(window)
    title, message = dialogs.infos[-1]
    assert title == "Demo register: synthetic images, no risk tier" and message == DEMO_NOTICE
    assert "NOT ASSESSABLE" in message and "not a fault" in message and "gets a risk tier" in message
