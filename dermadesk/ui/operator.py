"""Who is working: the operator's name, asked at start when this workstation has none (on a shared workstation at
every start), changed with Edit > Change operator, shown in the status bar.

The name is kept per workstation (config.workstation_operator, whatever register is open) and in the register's
settings, written in the audit log (the actor) and on reports. When
the user declines to give one, the status bar says that the audit log names the OS account instead.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtWidgets import QInputDialog, QLabel, QLineEdit

from dermadesk.config import workstation_dir, workstation_operator, workstation_shared
from dermadesk.ui.session import Session
from dermadesk.ui.widgets import ElidedLabel


# on a narrow status bar: whole words, the rest in the tooltip
NOT_SET_SHORT = "Operator: not set (Edit > Change operator)"


def operator_text(session: Session) -> str:
    """The status bar's words: "Operator: Nurse Kim", or what the audit log names when none is set."""
    name = session.settings.operator
    if name:
        return f"Operator: {name}"
    return f"Operator: not set (audit log names the OS account '{session.actor}'; set it in Edit > Change operator)"


def ask_operator(session: Session, parent: Any = None, fresh: bool = False, cancel_keeps: bool = False) -> bool:
    """Ask the operator's name (remembered on this workstation); True when one was given.

    ``fresh``: someone else may be working now (a shared workstation's start, Change operator): the field starts
    empty with the last name only named, and no name given clears it, so that nobody works under the previous
    name; ``cancel_keeps``: Cancel leaves the name as it was (Change operator)."""
    last = session.settings.operator
    prompt = "Your name, as it should appear in the audit log and on reports\n"
    if not fresh:
        prompt += "(remembered on this workstation; change it in Edit > Change operator):"
    elif last:
        prompt += f"(last operator on this workstation: {last}; type your own name"
        prompt += f", or Cancel to stay {last}):" if cancel_keeps else "):"
    else:
        prompt += "(type your own name):"
    name, ok = QInputDialog.getText(parent, "Who is working?", prompt, QLineEdit.EchoMode.Normal, "" if fresh else last)
    name = name.strip() if ok else ""
    if name or (fresh and last and (ok or not cancel_keeps)):
        session.save_settings(dataclasses.replace(session.settings, operator=name))
        say_if_not_kept(session)
    return bool(name)


def say_if_not_kept(session: Session) -> None:
    """Where this workstation's settings folder cannot be written, the operator and the shared choice just saved
    hold in this window only: said at once, not found out at the next start."""
    name, shared = session.settings.operator, session.settings.shared_workstation
    kept, kept_shared = workstation_operator(), workstation_shared()
    shared_kept = kept_shared == shared or (kept_shared is None and not shared)
    if kept == name and shared_kept:
        return
    session.dialogs.warning(
        "Not kept on this workstation",
        f"Operator '{name or '(none)'}'{'' if shared_kept else ' and the shared-workstation choice'} "
        f"hold in this window only: this workstation's settings folder ({workstation_dir()}) cannot be written, so "
        f"at the next start DermaDesk will name '{kept or 'nobody'}' again. Ask IT to make that folder writable.",
    )


def ask_at_start(window: Any) -> None:
    """Who is working, asked once per workstation (never guessed), or at every start on a shared workstation."""
    settings = window.session.settings
    if settings.shared_workstation or not settings.operator:
        ask_operator(window.session, window, fresh=settings.shared_workstation)
        show_operator(window.operator_label, window.session)


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
