"""A start that opened this computer's own register because the folder chosen in Settings could not be opened
(``ui.lost_folder_start``, Open the standard folder) says so inside the window: its register may be empty or hold
other patients, and without a word it looked as if the clinic's patients were gone (a new user's reading). An amber
field at the right of the menu bar, as the demo's yellow one (``ui.demo_banner``), and the title."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QLabel

from dermadesk.ui.demo_banner import place_banner

STAND_IN_TITLE = " [this computer's own register, for this start]"
STAND_IN_BANNER = "<b>Not the chosen register:</b> this computer's own, for this start"


def stand_in_tip(chosen: Path, opened: Path) -> str:
    return (
        f"The data folder chosen in Settings, {chosen}, could not be opened at this start, so this computer's own "
        f"register, {opened}, is open instead. Patients added here stay here, not in the chosen folder's register. "
        "The next start tries the chosen folder again (Edit > Settings... changes it)."
    )


def mark_stand_in(window: Any, chosen: Path, opened: Path) -> QLabel:
    """Mark ``window`` as opened on ``opened`` in place of ``chosen``: its title and the amber field; sets and
    returns ``window.stand_in_banner``."""
    window.setWindowTitle(window.windowTitle() + STAND_IN_TITLE)
    banner = QLabel(STAND_IN_BANNER)
    banner.setAccessibleName("Stand-in register banner")
    banner.setToolTip(stand_in_tip(chosen, opened))
    banner.setStyleSheet("QLabel { background: #ffcc80; color: #1a1a1a; border: 1px solid #b26a00; padding: 1px 8px; }")
    place_banner(window, banner)
    window.stand_in_banner = banner
    return banner
