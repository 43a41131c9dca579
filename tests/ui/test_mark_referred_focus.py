"""A new user clicked "Mark lesion as referred": the prompt went, and with it the button that had the keyboard; Qt
gave the keyboard to the patient search ("Search name or MRN"), where the next key typed filtered the patients. The
keyboard now goes to the lesion list, on the lesion just marked (real window, real register)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.test_decision_answers_flag import shown_urgent


def test_the_keyboard_stays_on_the_lesions_after_mark_lesion_as_referred(qtbot, window, dialogs, tmp_path) -> None:
    reg = window.session.register
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    lid, _ = shown_urgent(window, tmp_path)
    button = window.referral_prompt.button
    button.setFocus(Qt.FocusReason.MouseFocusReason)  # as a click gives it
    qtbot.waitUntil(button.hasFocus)
    button.click()
    assert reg.lesions.get(lid).status == "referred" and not window.referral_prompt.isVisible()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    assert QApplication.focusWidget() is window.lesions.list
    assert window.lesions.list.currentItem().text().startswith("Lesion 1")  # the lesion marked, chosen still
    qtbot.keyClicks(QApplication.focusWidget(), "a")
    assert window.patients.search.text() == ""  # no key typed into the search
