"""A dialog service: views ask it, never QMessageBox directly, so tests can answer for the user."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget


class DialogService:
    """Real dialogs. Tests substitute ``ScriptedDialogs`` (tests/ui) with queued answers."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.parent = parent

    def error(self, title: str, message: str, details: str = "") -> None:
        self._message(QMessageBox.Icon.Critical, title, message, details)

    def info(self, title: str, message: str, details: str = "") -> None:
        self._message(QMessageBox.Icon.Information, title, message, details)

    def _message(self, icon: QMessageBox.Icon, title: str, message: str, details: str) -> None:
        """A message box; ``details`` (a long list) goes under its "Show Details..." button."""
        if not details:
            (QMessageBox.critical if icon == QMessageBox.Icon.Critical else QMessageBox.information)(
                self.parent, title, message
            )
            return
        box = QMessageBox(icon, title, message, QMessageBox.StandardButton.Ok, self.parent)
        box.setDetailedText(details)
        box.exec()

    def confirm(self, title: str, message: str, default_yes: bool = False) -> bool:
        """Yes or No; Enter answers ``default_yes`` (Yes where the user's own click asked for it), Escape No."""
        yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
        answer = QMessageBox.question(self.parent, title, message, yes | no, yes if default_yes else no)
        return answer == QMessageBox.StandardButton.Yes

    def open_files(
        self, title: str, filter_: str = "Images (*.jpg *.jpeg *.png *.tif *.tiff *.bmp *.webp)"
    ) -> list[str]:
        files, _ = QFileDialog.getOpenFileNames(self.parent, title, "", filter_)
        return files

    def open_folder(self, title: str) -> str | None:
        return QFileDialog.getExistingDirectory(self.parent, title) or None

    def save_file(self, title: str, suggested: str, filter_: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(self.parent, title, suggested, filter_)
        return path or None

    def run_dialog(self, dialog: object) -> bool:
        """exec() a QDialog; returns True when accepted."""
        return bool(dialog.exec())  # type: ignore[attr-defined]
