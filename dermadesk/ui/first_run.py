"""First run: an empty register shows a short guide in place of the empty views, with the demo one click away.

The guide stands where the patient, lesion and assessment views are until the register holds a patient
(deleted ones included), and comes back if it is empty again (after a restore, say).
"""

from __future__ import annotations

import sys
from typing import Any

from PySide6.QtCore import QProcess, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from dermadesk.services import register_ops as ops

NEED_PATIENT = (
    "Select a patient first: pick one in the list on the left, or create one with File > New patient (Ctrl+N). "
    "Then click the body map where the lesion is."
)
NEED_LESION = (
    "Select a patient and a lesion first: pick the patient in the list on the left, then a lesion in the lesion "
    "list, or click the body map where the lesion is to place a new one. Then import (Ctrl+I) or drop images "
    "onto the lesion."
)
MISSED = "Click on the body outline to place a lesion"  # a click beside the figures
NEXT_STEP = "import its images: File > Import images (Ctrl+I), or drop them onto it"  # after a lesion is placed

GUIDE = """<h2>Welcome to DermaDesk</h2>
<p>The register is empty. Three steps to the first assessment:</p>
<ol>
<li><b>Create a patient</b>: File &gt; New patient (Ctrl+N), or the button below.</li>
<li><b>Place a lesion</b>: click the body map where the lesion is (front or back view). Shift+click
(or Ctrl+click) places a new lesion on or right next to a marker already there.</li>
<li><b>Import a capture</b>: drop dermoscopic images onto the lesion, or File &gt; Import images (Ctrl+I).
The model assesses each capture; a later capture is compared with the first.</li>
</ol>
<p>To look around first, open the <b>demo register</b>: synthetic patients in a separate window,
discarded when it closes (your register is not touched). Its images are computer drawings, not photographs
of skin, so the model should decline them: they show <b>NOT ASSESSABLE</b> and no risk tier (the demo says
if one slips through). A real dermoscopic image gets a risk tier.</p>
<p style='color:#666'>Decision support, not a diagnosis.</p>"""


def demo_command() -> tuple[str, list[str]]:
    """How to start DermaDesk on the demo register: the frozen executable, or this Python with ``-m dermadesk``."""
    if getattr(sys, "frozen", False):
        return sys.executable, ["--demo"]
    return sys.executable, ["-m", "dermadesk", "--demo"]


def open_demo() -> bool:
    """Start the demo register in its own process (the guide's button, Help > Open the demo register...)."""
    program, args = demo_command()
    return bool(QProcess.startDetached(program, args))


class FirstRunGuide(QWidget):
    def __init__(self, new_patient: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("First-run guide")
        self.text = QLabel(GUIDE)
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setMaximumWidth(640)
        self.new_button = QPushButton("New patient...")
        self.new_button.clicked.connect(lambda: new_patient())
        self.demo_button = QPushButton("Open the demo register")
        self.demo_button.clicked.connect(lambda: open_demo())
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.demo_button)
        buttons.addStretch(1)
        column = QVBoxLayout()
        column.addStretch(1)
        column.addWidget(self.text)
        column.addLayout(buttons)
        column.addStretch(2)
        layout = QHBoxLayout(self)
        layout.addStretch(1)
        layout.addLayout(column, 4)
        layout.addStretch(1)


def install_guide(window: Any, splitter: Any, views: QWidget) -> FirstRunGuide:
    """Put the guide beside ``views`` in ``splitter``; shown instead of them while the register is empty."""
    guide = FirstRunGuide(window.new_patient)
    splitter.addWidget(guide)
    splitter.setStretchFactor(splitter.indexOf(guide), 4)

    def update() -> None:
        empty = not ops.search_patient_ids(window.session.register, "", include_deleted=True)
        guide.setVisible(empty)
        views.setVisible(not empty)

    window.patients.model.modelReset.connect(update)
    update()
    return guide
