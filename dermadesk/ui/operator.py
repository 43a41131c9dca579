"""Who is working: the operator's name, asked at start when this workstation has none, shown in the status bar.

The name is kept per workstation (config.workstation_operator, whatever register is open) and in the register's
settings, written in the audit log (the actor) and on reports. When
the user declines to give one, the status bar says that the audit log names the OS account instead.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtWidgets import QInputDialog, QLabel, QLineEdit

from dermadesk.ui.session import Session
from dermadesk.ui.widgets import ElidedLabel


NOT_SET_SHORT = "Operator: not set (Edit > Settings)"  # on a narrow status bar: whole words, the rest in the tooltip


def operator_text(session: Session) -> str:
    """The status bar's words: "Operator: Nurse Kim", or what the audit log names when none is set."""
    name = session.settings.operator
    if name:
        return f"Operator: {name}"
    return f"Operator: not set (audit log names the OS account '{session.actor}'; set it in Edit > Settings)"


def ask_operator(session: Session, parent: Any = None) -> bool:
    """Ask the operator's name (once per workstation: remembered in the settings); True when one was given."""
    name, ok = QInputDialog.getText(
        parent,
        "Who is working?",
        "Your name, as it should appear in the audit log and on reports\n"
        "(remembered on this workstation; change it in Edit > Settings):",
        QLineEdit.EchoMode.Normal,
        session.settings.operator,
    )
    name = name.strip() if ok else ""
    if not name:
        return False
    session.save_settings(dataclasses.replace(session.settings, operator=name))
    return True


def operator_label(session: Session) -> QLabel:
    label = ElidedLabel(operator_text(session))  # elided on a narrow screen, the whole text in its tooltip
    label.setAccessibleName("Operator")
    return label


def show_operator(label: QLabel, session: Session) -> None:
    label.setText(operator_text(session))
    name = session.settings.operator
    if isinstance(label, ElidedLabel):  # the name whole on a narrow status bar (1280x720 at 150 %)
        label.set_least(f"Operator: {name[:40]}" if name else "Operator: not set…")
        if not name:
            label.set_short(NOT_SET_SHORT)
    label.setStyleSheet("" if session.settings.operator else "color: #b00020")
