"""Help > User guide (F1): a short guide for clinic staff, inside the app (it runs offline; the README is for
developers too). Its text is one file shipped in this package (``user_guide.html``: package data in pyproject.toml,
a data file in the PyInstaller spec), so an installed copy and the bundle find it beside this module. The window is
not modal: it stays open beside the main window while staff follow its steps; F1 again brings it to the front."""

from __future__ import annotations

from importlib import resources
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from dermadesk.ui.widgets import fit_dialog

GUIDE_FILE = "user_guide.html"
TITLE = "DermaDesk user guide"


def guide_html() -> str:
    """The guide's text, from the package's own folder (a checkout, an installed wheel or the PyInstaller bundle)."""
    return resources.files(__package__ or "dermadesk.ui").joinpath(GUIDE_FILE).read_text(encoding="utf-8")


class UserGuideDialog(QDialog):
    """The guide in a browser whose links lead to its own topics (nothing is opened outside the app)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)  # every link is to a topic of the guide (#anchor)
        self.browser.setHtml(guide_html())
        self.browser.setAccessibleName(TITLE)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(box)
        self.resize(760, 640)


def show_user_guide(window: Any) -> UserGuideDialog:
    """Open the guide beside ``window`` (made once, kept as ``window.user_guide``), capped to the screen, in front."""
    dialog = getattr(window, "user_guide", None)
    if dialog is None:
        dialog = window.user_guide = UserGuideDialog(window)
        fit_dialog(dialog)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
