"""View > Larger images: the patient list and the patient and lesion panes put aside, so the captures, the heat map
and the comparison get the window's height (at 150 % on 1280x720 the Change tab showed about 90 px of each image).
The timeline stays, to step between captures; a line above the tabs says whose lesion it is (the patient's name was
in the panes put aside) with a button that brings them back, as the same entry and Find patient (Ctrl+F) do. The
changed-elsewhere strip (``ui.reload_banner``) stands under that line meanwhile: above the patient form it was hidden
with the panes."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QPushButton, QSizePolicy, QWidget

from dermadesk.services import register_ops as ops

SHORTCUT = "F11"
OFFER = "Larger images (F11)"  # beside the Change tab's alignment buttons while its page scrolls
OFFER_TIP = (
    "This page scrolls: the images, what changed and the trend go on below. Larger images (View menu, F11) puts the "
    "patient list and panes aside so that this tab gets the window's height; F11 again brings them back."
)
TAB_TIP = (
    "The baseline and the follow-up side by side, what changed and the trend. Where the page scrolls, View > Larger "
    "images (F11) gives it the window's height."
)


class WhoseBar(QWidget):
    """ "Alex Demo · DEMO-0001 · Lesion 1 · posterior torso (left)" and a button that shows the panes again."""

    def __init__(self) -> None:
        super().__init__()
        self.text = QLabel()
        self.text.setStyleSheet("font-weight: bold")
        self.text.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # never widens the window
        self.back = QPushButton("Show patient panes (F11)")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.text, 1)
        row.addWidget(self.back)


class LargerImages:
    """The checkable action and what it hides: ``window.patients`` and the top pane (patient form and lesions)."""

    def __init__(self, window: Any, menu: QMenu) -> None:
        self.window = window
        self.action = QAction("Larger &images (hide the patient and lesion panes)", window, checkable=True)
        self.action.setShortcut(QKeySequence(SHORTCUT))
        self.action.setStatusTip("Gives the captures and the comparison the window's height; again to show the panes")
        self.action.toggled.connect(self._apply)
        menu.addAction(self.action)
        self.bar = WhoseBar()
        self.bar.hide()
        self.bar.back.clicked.connect(lambda: self.set_on(False))
        window.above_tabs.insertWidget(0, self.bar)
        window.selection.changed.connect(lambda _what: self.name_shown())
        # at 150 % on 1280x720 the Change tab's page scrolls, the images below its first screen: the way to give it
        # the window's height is said where the user looks, not only in the View menu
        view = window.comparison
        self.offer = QPushButton(OFFER)
        self.offer.setToolTip(OFFER_TIP)
        self.offer.setStatusTip(OFFER_TIP)
        self.offer.clicked.connect(lambda: self.set_on(True))
        self.offer.hide()
        view.buttons_row.layout().addWidget(self.offer)  # after the row's stretch: at its right end
        view.page.verticalScrollBar().rangeChanged.connect(lambda *_: self.offered())
        window.tabs.setTabToolTip(window.tabs.indexOf(view), TAB_TIP)

    @property
    def on(self) -> bool:
        return self.action.isChecked()

    def set_on(self, on: bool) -> None:
        """Hide (``on``) or show again the patient list and the top pane; nothing happens when already so."""
        self.action.setChecked(on)  # toggled (``_apply``) only when it changes

    def _apply(self, on: bool) -> None:
        w = self.window
        w.patients.setVisible(not on)
        w.panes.widget(0).setVisible(not on)
        self.bar.setVisible(on)
        if (watch := getattr(w, "watch", None)) is not None:  # the changed-elsewhere strip: in sight in either view
            watch.banner.stand_in(w.above_tabs if on else None, w.above_tabs.indexOf(self.bar) + 1)
        self.name_shown()
        self.offered()
        if not on:
            w.fitted_height = None  # the top pane gets its height back as at a resize (``fit_panes``)
            w.panes.fit_timer.start()

    def offered(self) -> None:
        """The Change tab's "Larger images (F11)" button: shown while its page scrolls and the panes are in sight."""
        self.offer.setVisible(not self.on and self.window.comparison.page.verticalScrollBar().maximum() > 0)

    def name_shown(self) -> None:
        """The bar's line: the patient and the lesion on screen, whose names the hidden panes held."""
        if not self.on:
            return
        sel, register = self.window.selection, self.window.session.register
        parts = []
        if sel.patient_id is not None:
            patient = ops.patient(register, sel.patient_id)
            parts += [patient.name, patient.mrn]
        if sel.lesion_id is not None:
            lesion = ops.lesion(register, sel.lesion_id)
            parts += [lesion.title, lesion.site_text]
        self.bar.text.setText(" · ".join(parts) or "No patient chosen")
        self.bar.text.setToolTip(self.bar.text.text())
