"""Who decided: a decision is written in the audit log and printed on reports under the operator's name, and with
no operator set under the computer's account ("by root"). Before the first decision saved with no operator set, the
operator's name is asked once (kept as the Edit > Change operator name is); declined, the decision is saved under
the computer's account, as the status bar says."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from dermadesk.domain.text import who_text
from dermadesk.ui.operator import say_if_not_kept, show_operator

ASKED = "_name_asked_for_decision"  # the window's mark: asked once in this window, not at every decision


class DecisionNameDialog(QDialog):
    """The operator's name before a decision is saved; "Save as '<account>'" saves it without one."""

    def __init__(self, account: str, decision: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Who is deciding?")
        shown = who_text(account)  # "root (the computer's account)", as the report prints it
        said = f"'by {shown}'" if shown != account else f"'by {account}' (the computer's account)"
        text = self.text = QLabel(
            f"The decision '{decision}' is recorded in the audit log and printed on reports with the name of whoever "
            f"made it. No operator is set on this workstation, so it would read {said}.\n\nYour name (remembered "
            "on this workstation; change it in Edit > Change operator):"
        )
        text.setWordWrap(True)
        self.name = QLineEdit(placeholderText="e.g. Dr A. Jones")
        self.name.setAccessibleName("Your name")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.save = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.save.setText("Save under this name")
        self.save.setEnabled(False)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(f"Save as '{account}'")
        self.name.textChanged.connect(lambda typed: self.save.setEnabled(bool(typed.strip())))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.name)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)


def name_before_decision(window: Any, decision: str | None, before: str | None) -> None:
    """Before ``decision`` (a new one: not ``before``) is saved with no operator set: the name asked, once in this
    window; given, it is the operator from now on (this decision included) and the status bar shows it."""
    session = window.session
    if session.settings.operator or not decision or decision == before or getattr(window, ASKED, False):
        return
    setattr(window, ASKED, True)
    dialog = DecisionNameDialog(session.actor, decision, session.dialogs.parent)
    if not session.dialogs.run_dialog(dialog) or not (name := dialog.name.text().strip()):
        return
    session.save_settings(dataclasses.replace(session.settings, operator=name))
    say_if_not_kept(session)
    show_operator(window.operator_label, session)
