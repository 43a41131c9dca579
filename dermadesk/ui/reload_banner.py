"""The register read again while typing was kept, said in a slim strip at the top of the patient pane rather than in
a message box: a box that came up mid-word took the keyboard from the field being typed in. The strip never takes
the focus; its × closes it, and it goes by itself once the typing it names is saved or let go."""

from __future__ import annotations

from html import escape
from typing import Any, Iterable, Mapping

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout, QFrame, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

HEADING = "Changed elsewhere:"
TIP = (
    "A command, an import or another DermaDesk window changed the register, so the patient list and this patient's "
    "records were read again. What you typed and have not saved stays as you typed it; saving it asks first where "
    "the same field was changed elsewhere meanwhile."
)
STYLE = (
    "#reloadBanner { background: #e6f0fb; border: 1px solid #7a9cc6; }"
    "#reloadBanner QLabel { color: #1a1a1a; background: transparent; border: none; }"
    "#reloadBanner QToolButton { border: none; padding: 0px 4px; }"
)


def banner_text(kept: Iterable[str]) -> str:
    """What the strip says: what was read again, and which typing was kept ("notes of patient C-1001")."""
    items = "; ".join(escape(k, quote=False) for k in kept)
    return f"<b>{HEADING}</b> read again, except what you typed and have not saved, kept as you typed it: {items}."


class ReloadBanner(QFrame):
    """The strip: ``say(kept)`` shows it naming the kept typing (each unsaved edit: the fields typed in it);
    ``still(unsaved_now)`` drops what is no longer unsaved (saved, or let go), names the fields typed since, and
    hides it once nothing is left; × hides it at once."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reloadBanner")
        self.setAccessibleName("Changed elsewhere notice")
        self.setStyleSheet(STYLE)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.kept: dict[str, str] = {}  # each unsaved edit (``ui.unsaved``'s what): the fields typed in it
        self.home: QBoxLayout | None = None  # the column above the patient form (``place_banner``)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setToolTip(TIP)
        self.close_button = QToolButton()
        self.close_button.setText("×")
        self.close_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # never a stop of Tab between the fields
        self.close_button.setToolTip("Close this notice (what you typed stays as it is)")
        self.close_button.setAccessibleName("Close the changed elsewhere notice")
        self.close_button.clicked.connect(self.dismiss)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 1, 2, 1)
        row.setSpacing(4)
        row.addWidget(self.text, 1)
        row.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def say(self, kept: Mapping[str, str]) -> None:
        self.kept = dict(kept)
        self.text.setText(banner_text(self.kept.values()))
        self.show()  # shown, never activated: the field being typed in keeps the keyboard

    def still(self, unsaved_now: Mapping[str, str]) -> None:
        if self.isHidden():
            return
        left = {k: unsaved_now[k] for k in self.kept if k in unsaved_now}
        if not left:
            self.dismiss()
        elif left != self.kept:
            self.say(left)

    def dismiss(self) -> None:
        self.kept = {}
        self.hide()

    def stand_in(self, row: QBoxLayout | None, index: int = 0) -> None:
        """The strip moved into ``row`` at ``index`` (above the tabs while View > Larger images puts the patient
        panes aside: it was hidden with them, and a user there never learnt that the view had been read again);
        None: back above the patient form. Shown or hidden as it was."""
        target = row if row is not None else self.home
        if target is None or target.indexOf(self) >= 0:
            return
        hidden = self.isHidden()
        if (parent := self.parentWidget()) is not None and (now := parent.layout()) is not None:
            now.removeWidget(self)  # out of the layout it stood in (Qt warns of a widget moved while in one)
        target.insertWidget(index if row is not None else 0, self)
        self.setHidden(hidden)  # a new parent hides a widget: the strip shown where it was shown


def place_banner(window: Any) -> ReloadBanner:
    """The strip above the patient form and the lesions (the top of the right-hand panes), hidden until said."""
    panes = window.panes
    top = panes.widget(0)
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    banner = ReloadBanner()
    banner.home = column
    column.addWidget(banner)
    panes.insertWidget(0, box)
    column.addWidget(top, 1)  # taken out of the splitter: the box stands in its place
    return banner
