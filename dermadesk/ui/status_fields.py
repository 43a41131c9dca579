"""The main window's status bar: the data folder (a message takes its place for a while), and who works with
which model on which device (permanent), a task's progress and Cancel; fitted to the bar's width."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QPushButton, QStatusBar

from dermadesk.ui.operator import operator_label, show_operator
from dermadesk.ui.session import Session
from dermadesk.ui.status_folder import NOT_OPENED_MS, FolderField
from dermadesk.ui.status_messages import StatusMessages
from dermadesk.ui.widgets import ElidedLabel, TaskProgressBar

WIDEST = 16777215  # Qt's QWIDGETSIZE_MAX: no maximum width
NOT_AVAILABLE = "Model: NOT AVAILABLE"  # the model field's words when no model can be used (why: in its tooltip)


class StatusFields:
    """The fields of ``bar``, each elided where the bar is too narrow (1280x720 at 150 %) with its whole text in
    its tooltip; ``fit`` after anything that changes their texts or the bar's width."""

    def __init__(self, bar: QStatusBar, session: Session) -> None:
        self.bar = bar
        # elided in its middle; a click opens the folder, or says in the bar why it could not
        self.data_label = FolderField(session.data_dir, said=lambda text: bar.showMessage(text, NOT_OPENED_MS))
        self.model_label = ElidedLabel("Model: loads on first use")
        self.device_label = ElidedLabel("Device: -")
        self.gpu_warning = ElidedLabel()
        self.gpu_warning.setStyleSheet("color: #b00020; font-weight: bold")
        self.progress = TaskProgressBar()  # the task's message elided in the bar (at 150 % it ran over it)
        self.progress_widest = self.progress.maximumWidth()
        self.cancel_btn = QPushButton("Cancel")
        for w in (self.progress, self.cancel_btn):
            w.hide()
        self.operator_label = operator_label(session)
        show_operator(self.operator_label, session)
        self.operator_label.setContentsMargins(12, 0, 0, 0)  # a gap after a message that reaches the field
        # a message ("Notes and decision saved") takes the data folder's place for a while; who works, with which
        # model on which device, stays in sight (permanent). Short forms where the bar is narrow (150 %).
        bar.addWidget(self.data_label, 1)
        bar.addPermanentWidget(self.operator_label)  # no stretch: the message needs the room the data field leaves
        for w in (self.model_label, self.device_label, self.gpu_warning, self.progress, self.cancel_btn):
            bar.addPermanentWidget(w)
        self.cancel_btn.clicked.connect(lambda: session.runner.cancel_all())
        self.messages = StatusMessages(bar)  # a message elided with "…", whole in the tip; the recent ones kept
        # the message takes the data field's place; Qt hides it only when the bar is already on screen (a message
        # shown before, e.g. the demo's, was drawn over the data folder's path)
        bar.messageChanged.connect(self.fit)

    def fit(self, *_: object) -> None:
        """A message takes the data field's place; where the bar has no room for the whole fields (1280x720 at
        150 %), the device and then the model field keep their first words, their whole texts in the tooltips
        (the device's reason had left a message five letters, "Prep", and the data folder "Data: /t…"); a message
        without room then narrows the operator field to its least."""
        bar, message = self.bar, self.bar.currentMessage()
        self.data_label.setHidden(bool(message))
        metrics = bar.fontMetrics()
        left = metrics.horizontalAdvance(message) + 8 if message else self.data_label.sizeHint().width()
        shown = [w for w in (self.progress, self.cancel_btn) if not w.isHidden()] + [self.gpu_warning] * bool(
            self.gpu_warning.text()
        )
        busy = sum(w.sizeHint().width() + 8 for w in shown)
        room = bar.width() - left - busy - 40  # the bar's margins, spacing and size grip

        def width(text: str) -> int:
            return metrics.horizontalAdvance(text) + 12

        device, model = self.device_label.text(), self.model_label.text()
        loaded = re.fullmatch(r"Model: \S+ (\S+)", model)  # "Model: NAME VERSION", not "loads on first use"
        short_device, short_model = device.split(" (")[0], f"Model: {loaded.group(1)}" if loaded else ""
        if model.startswith(NOT_AVAILABLE):  # why, in the tooltip: its words left the data folder "Data: /t…"
            short_model = NOT_AVAILABLE
        need = self.operator_label.sizeHint().width() + width(model) + width(device)  # its short form, if any
        self.device_label.set_short(short_device if need > room else "")
        need += width(short_device) - width(device)
        self.model_label.set_short(short_model if need > room else "")
        need += (width(short_model) - width(model)) * (need > room and bool(short_model))
        # still no room for a message (a task's progress and Cancel beside it: "Preparing the demo register: done"
        # was cut to "Preparing the ("): the operator field as narrow as it goes, its whole text in the tooltip, and
        # the progress bar (its message elided, whole in its tooltip)
        squeeze = bool(message) and need > room
        least = self.operator_label.minimumSizeHint().width() + self.operator_label.contentsMargins().left()
        self.operator_label.setMaximumWidth(least if squeeze else WIDEST)
        words = self.progress.fontMetrics().horizontalAdvance(self.progress.message) + 16  # its whole words
        widest = max(self.progress_widest, min(words, room - need + self.progress.sizeHint().width()))
        self.progress.setMaximumWidth(self.progress.minimumWidth() if squeeze else widest)
