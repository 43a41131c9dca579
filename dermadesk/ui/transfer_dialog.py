"""File > Export patients to another workstation... and Import patients from another workstation...: dialogs
over the transfer service (the import's preview: ``transfer_preview``).

The work (sealing, checking, merging) runs in the task runner; the GUI thread only asks and shows.
``TransferActions`` is given the session and the selection, like the other actions (``ComparisonActions``);
``add_transfer_actions(window, file_menu)`` puts it in the File menu and refreshes the window on ``imported``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QDate, QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QRadioButton, QWidget)

from dermadesk.domain.errors import DermaDeskError, PassphraseError, ValidationError
from dermadesk.domain.text import size_text, with_extension
from dermadesk.services.compared_text import lesions_of_patients
from dermadesk.services.transfer import (PACKAGE_SUFFIX, ImportOutcome, export_patients, import_opened,
                                         open_package, preview)
from dermadesk.storage.migrations import SCHEMA_VERSION
from dermadesk.storage.sealed import MIN_PASSPHRASE, check_passphrase, read_header
from dermadesk.storage.transfer_answers import KEEP, counted_fields
from dermadesk.storage.transfer_files import files_text
from dermadesk.storage.transfer_mrns import mrn_problem
from dermadesk.storage.transfer_names import key
from dermadesk.ui.date_edit import DateEdit
from dermadesk.ui.import_notice import compared_text, comparison_lines, details_text, modality_text
from dermadesk.ui.dialogs import start_folder
from dermadesk.ui.selection import Selection
from dermadesk.ui.session import Session
from dermadesk.ui.tasks import EVERY_LESION
from dermadesk.ui.transfer_preview import ImportPreviewDialog, counts_text, plural

FILTER = f"DermaDesk transfer packages (*{PACKAGE_SUFFIX})"


def _password() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class ExportDialog(QDialog):
    """Which patients (the selected one, or all), since when, the passphrase twice, and the file to write."""

    def __init__(self, selected: str | None, choose_file: Callable[[str], str | None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export patients")
        self.choose_file = choose_file
        self.only_selected = QRadioButton(f"Selected patient: {selected}" if selected else "Selected patient (none)")
        self.everyone = QRadioButton("All patients")
        self.only_selected.setEnabled(selected is not None)
        (self.only_selected if selected else self.everyone).setChecked(True)
        self.use_since = QCheckBox("Only patients with anything new or changed since")
        self.since = DateEdit(QDate.currentDate().addDays(-7))  # typing and a calendar
        self.since.setEnabled(False)
        self.use_since.toggled.connect(self.since.setEnabled)
        self.passphrase, self.repeat = _password(), _password()
        self.no_encrypt = QCheckBox("Do not encrypt (anyone holding the file can read it)")
        self.no_encrypt.toggled.connect(lambda on: [w.setEnabled(not on) for w in (self.passphrase, self.repeat)])
        self.out = QLineEdit(placeholderText=f"patients{PACKAGE_SUFFIX}")
        self.out.setToolTip(f"A name alone is written in {start_folder()}")
        self.chosen: str | None = None
        browse = QPushButton("Choose...")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.out, 1)
        row.addWidget(browse)
        form = QFormLayout(self)
        form.addRow(self.only_selected)
        form.addRow(self.everyone)
        form.addRow(self.use_since, self.since)
        form.addRow("Passphrase", self.passphrase)
        form.addRow("Passphrase again", self.repeat)
        form.addRow(QLabel(f"At least {MIN_PASSPHRASE} characters; give it to the receiving side by another way "
                           "than the file."))
        form.addRow(self.no_encrypt)
        form.addRow("Package file", row)
        form.addRow("", QLabel(f"A name alone is saved in {start_folder()}"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _browse(self) -> None:
        path = self.choose_file(self.out.text() or f"patients{PACKAGE_SUFFIX}")
        if path:
            self.out.setText(path)
            self.chosen = path  # the save dialog asked about replacing it

    def typed_over(self, out: Path) -> bool:
        """True when ``out`` exists and was typed, not chosen in the save dialog (which asked already)."""
        return out.exists() and str(out) != str(Path(self.chosen or "").expanduser().absolute())

    def request(self) -> dict[str, Any]:
        """What to export, checked (ValidationError with a message for the user otherwise)."""
        out = self.out.text().strip()
        if not out:
            raise ValidationError("choose the package file to write")
        path = with_extension(Path(out).expanduser(), PACKAGE_SUFFIX)  # "week.DDTX" kept, never "week.DDTX.ddtx"
        path = path if path.is_absolute() else start_folder() / path  # never the program's working folder
        passphrase = None
        if not self.no_encrypt.isChecked():
            passphrase = self.passphrase.text()
            if passphrase != self.repeat.text():
                raise ValidationError("the two passphrases differ")
            if len(passphrase) < MIN_PASSPHRASE:
                raise ValidationError(f"the passphrase must have at least {MIN_PASSPHRASE} characters")
        since = self.since.date().toString("yyyy-MM-dd") if self.use_since.isChecked() else None
        return {"out": path.absolute(), "passphrase": passphrase, "all": self.everyone.isChecked(), "since": since}


class PassphraseDialog(QDialog):
    """The passphrase of an encrypted package; ``again``: the last one typed did not open it."""

    def __init__(self, name: str, parent: QWidget | None = None, again: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import patients")
        self.passphrase = _password()
        form = QFormLayout(self)
        form.addRow(QLabel(f"{name} is encrypted." + ("\nThe last passphrase typed did not open it." if again else "")))
        form.addRow("Passphrase", self.passphrase)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class TransferActions(QObject):
    """The two menu actions and the background work behind them; ``imported`` when patients came in."""

    imported = Signal()

    def __init__(self, session: Session, selection: Selection) -> None:
        super().__init__()
        self.session, self.selection = session, selection

    def export_patients(self) -> None:
        s, pid = self.session, self.selection.patient_id
        selected = None
        if pid is not None:
            p = s.register.patients.get(pid)
            selected = f"{p.mrn} {p.name}"
        dialog = ExportDialog(selected, lambda name: s.dialogs.save_file("Export patients", name, FILTER),
                              s.dialogs.parent)
        while s.dialogs.run_dialog(dialog):
            try:
                request = dialog.request()
            except ValidationError as exc:
                s.dialogs.error("Export patients", str(exc))
                continue
            out = request["out"]
            if not dialog.typed_over(out) or s.dialogs.confirm(
                "Export patients", f"{out} already exists. Replace it?\n\nNo goes back to the export dialog."
            ):
                break
        else:
            return
        mrns = None if request["all"] or pid is None else [s.register.patients.get(pid).mrn]
        register = s.register

        def job(progress: Callable[[float, str], None], cancel: Any) -> Any:
            return export_patients(register, request["out"], request["passphrase"], mrns, request["since"],
                                   progress, cancel, overwrite=True)  # the save dialog, or the question above, asked

        s.runner.submit("Exporting patients", job, self._exported,
                        lambda msg: s.dialogs.error("Export patients: not done", msg))

    def _exported(self, result: Any) -> None:
        how = "encrypted" if result.encrypted else "NOT encrypted"
        files = files_text(result.images, result.heat_maps)  # "2 images and 2 heat maps", as the command line says
        self.session.dialogs.info("Export patients", "Exported "
                                  f"{counts_text({k: v for k, v in result.counts.items() if k != 'audit'})}"
                                  f"{f', with {files},' if files else ''} to {result.path} ({size_text(result.bytes)}, "
                                  f"{how}).")

    def import_patients(self) -> None:
        c = self.session
        files = c.dialogs.open_files("Import patients", FILTER)
        if not files:
            return
        path = Path(files[0])
        try:
            encrypted = read_header(path, "package", SCHEMA_VERSION).encrypted
        except (OSError, DermaDeskError) as exc:  # not a package, damaged header, newer: one message
            c.dialogs.error("Import patients: not done", str(exc))
            return
        passphrase = self._passphrase(path) if encrypted else None
        if encrypted and passphrase is None:
            return

        def job(progress: Callable[[float, str], None], cancel: Any) -> Any:
            package = open_package(c.register, path, passphrase, progress, cancel)
            try:
                return package, preview(c.register, package)
            except BaseException:
                package.close()
                raise

        c.runner.submit("Checking package", job, self._confirm,
                        lambda msg: c.dialogs.error("Import patients: not done", msg))

    def _passphrase(self, path: Path) -> str | None:
        """The passphrase that opens the package ``path``, asked again after a wrong one (the file is not chosen
        again); None when cancelled or the package cannot be read."""
        c, again = self.session, False
        while True:
            dialog = PassphraseDialog(path.name, c.dialogs.parent, again)
            if not c.dialogs.run_dialog(dialog):
                return None
            try:
                check_passphrase(path, dialog.passphrase.text(), "package", SCHEMA_VERSION)  # the key only: quick
                return dialog.passphrase.text()
            except PassphraseError:
                c.dialogs.error("Wrong passphrase", f"This passphrase does not open {path.name}.\n\nCheck capital "
                                "letters and spaces, and type it again. Nothing was changed.")
                again = True
            except DermaDeskError as exc:
                c.dialogs.error("Import patients: not done", str(exc))
                return None

    def _confirm(self, opened: tuple[Any, ImportOutcome]) -> None:
        c, (package, outcome) = self.session, opened
        mrns = {key(p.mrn) for p in outcome.plan.patients}  # a new MRN typed in the preview: free here and there?
        dialog = ImportPreviewDialog(outcome, c.dialogs.parent,
                                     lambda mrn, others: mrn_problem(c.register.database, mrn, mrns, others),
                                     lesions_of_patients(c.register, outcome.left_before))
        if not c.dialogs.run_dialog(dialog):
            package.close()
            return
        answers = dialog.answers()

        def job(progress: Callable[[float, str], None], cancel: Any) -> ImportOutcome:
            try:
                return import_opened(c.register, package, c.actor, progress, cancel, answers)
            finally:
                package.close()

        # it compares the captures it brought with the reviewed captures, of lesions known only once it has merged:
        # Patient > Compare with the reviewed capture waits meanwhile, whichever lesion (both would compare a pair)
        c.runner.submit("Importing patients", job, self._imported,
                        lambda msg: c.dialogs.error("Import patients: not done", msg), comparing=EVERY_LESION)

    def _imported(self, outcome: ImportOutcome) -> None:
        self.imported.emit()  # the window shows the new patients
        plan = outcome.plan
        done = [f"imported {counts_text(plan.added)}" if any(plan.added.values()) else "",
                f"updated {counts_text(plan.updated)}" if any(plan.updated.values()) else ""]
        kept = [c for c in plan.fields if c.answer == KEEP]
        said = " and ".join(d for d in done if d)
        text = (f"{said[:1].upper()}{said[1:]} from {outcome.package}." if said else  # else answers only, or
                f"Nothing new was imported from {outcome.package}." if outcome.applied or outcome.left_before else
                "Nothing new was imported; the register is unchanged.")  # ... what an earlier import left compared
        for r in plan.renamed.values():
            text += (f" Patient {r['package_mrn']} of the package is new patient {r['mrn']} here ({r['why']}); the "
                     "next import finds it under that MRN.")
        if plan.overruled:
            n, host = len(plan.overruled), outcome.source["hostname"]
            text += (f" {n} of your values {'was' if n == 1 else 'were'} replaced by workstation {host}'s: answered "
                     "there, it kept its own value over yours (see details).")
        if kept:
            text += (f" Kept this register's value for {counted_fields(kept)} changed on both sides, as answered: "
                     "not asked again while the package holds the same value.")
        if plan.conflicts:
            text += f" {plural(len(plan.conflicts), 'conflict')}: not merged (see details)."
        register = self.session.register  # the comparisons first, each with its result, then what was not merged
        text += modality_text(outcome, register) + compared_text(outcome, register) + details_text(outcome)
        compared, merged = comparison_lines(outcome, register), plan.overruled + plan.conflicts + plan.notes
        details = compared + [""] * bool(compared and merged) + merged
        self.session.dialogs.info("Import patients", text, "\n".join(details))


def add_transfer_actions(window: Any, menu: Any) -> TransferActions:
    """Add File > Export patients to another workstation (encrypted)... and Import patients from another
    workstation... (with a separator) to ``menu``, each with a status tip saying what it is for."""
    actions = TransferActions(window.session, window.selection)
    actions.imported.connect(lambda: window.refresh())
    menu.addSeparator()
    for text, slot, tip in (
            ("&Export patients to another workstation (encrypted)...", actions.export_patients,
             "Writes the chosen patients with their images and assessments into one encrypted file, to import on "
             "another DermaDesk workstation"),
            ("Import p&atients from another workstation...", actions.import_patients,
             "Adds the patients of a file exported on another DermaDesk workstation to this register")):
        act = QAction(text, window)
        act.setStatusTip(tip)
        act.setToolTip(tip)
        act.triggered.connect(slot)
        menu.addAction(act)
    window.transfer_actions = actions  # kept alive with the window
    return actions
