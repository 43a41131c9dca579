"""Edit > Change operator: the next person takes over without restarting (``operator`` asks the name, ``unsaved``
hands over what was typed). A module of its own: the saves in ``unsaved`` ask the name too (``decision_name``,
through ``operator``), so ``operator`` does not import ``unsaved`` back."""

from __future__ import annotations

from typing import Any

from dermadesk.ui.operator import ask_operator, show_operator
from dermadesk.ui.unsaved import hand_over, listed_edits, unsaved


def change_operator(window: Any) -> None:
    """Edit > Change operator: edits typed by the one leaving are saved under their name first (or discarded, or the
    change called off); while a save is refused the operator stays, so that typing is never saved under the next."""
    leaver = window.session.settings.operator or f"the OS account '{window.session.actor}'"
    outcome = hand_over(window, leaver)
    if outcome == "refused":  # say why the operator stays (a Cancel needs no word)
        window.session.dialogs.warning(
            "Operator not changed",
            listed_edits(unsaved(window), "Not saved yet, under the current operator's name:")
            + "\n\nCorrect or undo these edits, then change the operator.",
        )
    if outcome != "done":
        return
    ask_operator(window.session, window, fresh=True, cancel_keeps=True)
    show_operator(window.operator_label, window.session)
