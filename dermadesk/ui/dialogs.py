"""A dialog service: views ask it, never QMessageBox directly, so tests can answer for the user.

A message's ``paths`` are the files' and folders' paths its text shows: they break onto the next line only after a
"/", and text copied from the message gives them as they are (``ui.path_breaks``); "read-only" stays whole there too.
"""

from __future__ import annotations

from collections.abc import Sequence
from os import PathLike
from html import escape
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QLineEdit, QMessageBox, QWidget

from dermadesk.analysis.decode import IMPORT_FORMATS
from dermadesk.ui.path_breaks import clean_copies, shown, whole_copies
from dermadesk.ui.widgets import fit_dialog

# the images an import opens: the endings of the formats the importer reads, "Images (*.jpg *.jpeg ... *.webp)"
IMAGES_FILTER = f"Images ({' '.join('*' + end for ends in IMPORT_FORMATS.values() for end in ends)})"
Paths = Sequence[str | PathLike[str]]  # the paths a message's text shows (module docstring)


def start_folder() -> Path:
    """Where file dialogs open: the user's Documents folder where it exists, else the home folder; never the
    program's working folder (where Qt opens a dialog given a folder that is not there)."""
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(docs) if docs and Path(docs).is_dir() else Path.home()


def in_start_folder(suggested: str) -> str:
    """A suggested file path as given where its folder exists; a bare name, or one in a folder that is not
    there, in ``start_folder()``."""
    path = Path(suggested)
    if suggested and path.is_absolute() and path.parent.is_dir():
        return suggested
    return str(start_folder() / path.name) if suggested else str(start_folder())


class FolderDialog(QFileDialog):
    """Choose a folder, or type the name of a new one (Qt's own folder dialog says "Directory not found" to a
    name that is not there yet): a new name is accepted where its parent folder exists; the caller makes it."""

    def __init__(self, parent: QWidget | None, title: str, start: Path, name: str = "") -> None:
        super().__init__(parent, title, str(start))
        self.setFileMode(QFileDialog.FileMode.Directory)
        self.setOption(QFileDialog.Option.ShowDirsOnly, True)
        self.setOption(QFileDialog.Option.DontUseNativeDialog, True)  # a native one refuses new names too
        self.setLabelText(QFileDialog.DialogLabel.FileName, "Folder (new or existing):")
        if (edit := self.name_edit()) is not None:  # after Qt's own check, which greys Choose for a new name
            edit.textChanged.connect(self._allow_new_name)
            edit.setText(name)  # a suggested new folder's name, in ``start``

    def _allow_new_name(self) -> None:
        box = self.findChild(QDialogButtonBox, "buttonBox")
        button = box.button(QDialogButtonBox.StandardButton.Open) if box is not None else None
        folder = self.chosen()
        if button is not None and folder is not None and not folder.exists() and folder.parent.is_dir():
            button.setEnabled(True)

    def name_edit(self) -> QLineEdit | None:
        return self.findChild(QLineEdit, "fileNameEdit")

    def chosen(self) -> Path | None:
        files = self.selectedFiles()
        return Path(files[0]) if files else None

    def accept(self) -> None:
        folder = self.chosen()
        if folder is not None and not folder.exists() and folder.parent.is_dir():
            QDialog.accept(self)  # a new folder's name
            return
        super().accept()


def ask_folder(parent: QWidget | None, title: str, start: Path, name: str = "") -> str | None:
    """The folder dialog (new names allowed), in ``start`` with ``name`` suggested; the chosen folder's path, or
    None when cancelled."""
    dialog = FolderDialog(parent, title, start, name)
    fit_dialog(dialog)
    return str(dialog.chosen()) if dialog.exec() and dialog.chosen() is not None else None


class DialogService:
    """Real dialogs. Tests substitute ``ScriptedDialogs`` (tests/ui) with queued answers."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.parent = parent

    def error(self, title: str, message: str, details: str = "", paths: Paths = ()) -> None:
        self._message(QMessageBox.Icon.Critical, title, shown(message, paths), details)

    def info(self, title: str, message: str, details: str = "", paths: Paths = ()) -> None:
        self._message(QMessageBox.Icon.Information, title, shown(message, paths), details)

    def warning(self, title: str, message: str, details: str = "", paths: Paths = ()) -> None:
        """Part of the work not done (files refused), nothing lost: the warning icon, not the critical one."""
        self._message(QMessageBox.Icon.Warning, title, shown(message, paths), details)

    def notice(self, title: str, message: str, paths: Paths = ()) -> None:
        """A warning that waits for no answer: the window stays in use behind it (non-modal), OK closes it. Its title
        also heads its text (no title bar shows it on some desktops)."""
        ok = QMessageBox.StandardButton.Ok
        box = QMessageBox(QMessageBox.Icon.Warning, title, f"<b>{escape(shown(title))}</b>", ok, self.parent)
        box.setInformativeText(shown(message, paths))
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(clean_copies())  # while it is open
        fit_dialog(box)
        box.show()

    def _message(self, icon: QMessageBox.Icon, title: str, message: str, details: str) -> None:
        """A message box; ``details`` (a long list) goes under its "Show Details..." button."""
        with whole_copies():
            if not details:
                shows = {QMessageBox.Icon.Critical: QMessageBox.critical, QMessageBox.Icon.Warning: QMessageBox.warning}
                shows.get(icon, QMessageBox.information)(self.parent, title, message)
                return
            box = QMessageBox(icon, title, message, QMessageBox.StandardButton.Ok, self.parent)
            box.setDetailedText(details)
            fit_dialog(box)
            box.exec()

    def confirm(self, title: str, message: str, default_yes: bool = False, paths: Paths = ()) -> bool:
        """Yes or No; Enter answers ``default_yes`` (Yes where the user's own click asked for it), Escape No."""
        yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
        with whole_copies():
            answer = QMessageBox.question(
                self.parent, title, shown(message, paths), yes | no, yes if default_yes else no
            )
        return answer == QMessageBox.StandardButton.Yes

    def save_discard_cancel(self, title: str, message: str) -> str:
        """ "save", "discard" or "cancel" (Enter saves, Escape cancels): before something that would drop edits
        and can still be called off, such as closing the window."""
        buttons = QMessageBox.StandardButton
        with whole_copies():
            answer = QMessageBox.question(
                self.parent, title, shown(message), buttons.Save | buttons.Discard | buttons.Cancel, buttons.Save
            )
        return {buttons.Save: "save", buttons.Discard: "discard"}.get(answer, "cancel")

    def choose(
        self,
        title: str,
        message: str,
        options: Sequence[str],
        cancel: bool = True,
        cancel_default: bool = False,
        paths: Paths = (),
    ) -> str | None:
        """One of ``options``, a button each (the first answers Enter), or None for Cancel (Escape): a question
        with answers of its own words, such as "Open the existing patient" / "Add anyway" / Cancel. Without
        ``cancel``, no Cancel button: Escape answers the first option. With ``cancel_default``, Enter answers
        Cancel: a question where an option taken by reflex could let something go."""
        none = QMessageBox.StandardButton.Cancel if cancel else QMessageBox.StandardButton.NoButton
        box = QMessageBox(QMessageBox.Icon.Warning, title, shown(message, paths), none, self.parent)
        buttons = [box.addButton(text, QMessageBox.ButtonRole.AcceptRole) for text in options]
        if cancel and cancel_default:
            box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        else:
            box.setDefaultButton(buttons[0])
        if cancel:
            box.setEscapeButton(QMessageBox.StandardButton.Cancel)
        else:
            box.setEscapeButton(buttons[0])
        fit_dialog(box)
        with whole_copies():
            box.exec()
        return next((text for text, button in zip(options, buttons) if box.clickedButton() is button), None)

    def open_files(
        self,
        title: str,
        filter_: str = IMAGES_FILTER,
        start: Path | None = None,
    ) -> list[str]:
        """Files to open, the dialog in ``start`` (else ``start_folder()``)."""
        files, _ = QFileDialog.getOpenFileNames(self.parent, title, str(start or start_folder()), filter_)
        return files

    def open_folder(
        self, title: str, may_be_new: bool = False, start: Path | None = None, name: str = ""
    ) -> str | None:
        """An existing folder; with ``may_be_new``, also the name of a new one (for the caller to make), ``name``
        suggested. The dialog opens in ``start`` (else ``start_folder()``)."""
        if may_be_new:
            return ask_folder(self.parent, title, start or start_folder(), name)
        return QFileDialog.getExistingDirectory(self.parent, title, str(start or start_folder())) or None

    def save_file(self, title: str, suggested: str, filter_: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(self.parent, title, in_start_folder(suggested), filter_)
        return path or None

    def run_dialog(self, dialog: object) -> bool:
        """exec() a QDialog, first capped to the screen (``fit_dialog``); returns True when accepted."""
        fit_dialog(dialog)  # type: ignore[arg-type]
        return bool(dialog.exec())  # type: ignore[attr-defined]
