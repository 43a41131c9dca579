"""Dialogs: new patient, capture details, about, first-run disclaimer (settings: ui.settings_dialog)."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QColor, QResizeEvent, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from dermadesk import __version__
from dermadesk.contract import DISCLAIMER
from dermadesk.domain.records import BIRTH_DATE_FORMS, MODALITIES, NOT_RECORDED, POLARISATIONS, SEXES, SKIN_TYPES
from dermadesk.services.captures import CaptureMeta, camera_date_problem
from dermadesk.services.import_check import KnownImages, known_line
from dermadesk.ui.date_edit import DateEdit
from dermadesk.ui.notices import same_day_warning
from dermadesk.domain.dates import human_date
from dermadesk.ui.widgets import ScaleSpinBox, scrolled


def _buttons(dialog: QDialog, ok_text: str = "OK") -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    box.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


class NewPatientDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New patient")
        self.mrn = QLineEdit()
        self.name = QLineEdit(placeholderText="Given Family")
        self.birth = QLineEdit(placeholderText="YYYY-MM-DD")
        self.birth.setToolTip(BIRTH_DATE_FORMS)
        self.sex = QComboBox()
        self.sex.addItems(["", *SEXES])
        self.skin = QComboBox()
        self.skin.addItems(["", *SKIN_TYPES])
        form = QFormLayout(self)
        for label, w in (
            ("MRN", self.mrn),
            ("Name", self.name),
            ("Birth date", self.birth),
            ("Sex", self.sex),
            ("Fitzpatrick skin type", self.skin),
        ):
            form.addRow(label, w)
        form.addRow(_buttons(self, "Add patient"))
        # room for a whole name or MRN as typed (the fields were about 124 px wide: a name scrolled out of sight)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for w in (self.mrn, self.name):
            w.setMinimumWidth(w.fontMetrics().averageCharWidth() * 40)  # about 36 characters beside the margins

    def values(self) -> dict[str, str | None]:
        return {
            "mrn": self.mrn.text(),
            "name": self.name.text(),
            "birth_date": self.birth.text() or None,
            "sex": self.sex.currentText() or None,
            "skin_type": self.skin.currentText() or None,
        }


class CaptureDialog(QDialog):
    """Taken on (typed, or each image's EXIF date when the user chooses so), modality, polarisation, scale.

    The typed date is used unless "each image's EXIF date" is chosen; the list shows, per file, which date
    the import will store (``exif_dates``: file -> EXIF date or None; ``no_exif_why``: file -> why it has none)."""

    def __init__(
        self,
        files: list[str],
        exif_dates: dict[str, str | None] | None = None,
        parent: QWidget | None = None,
        target: str = "",
        existing: tuple[str, list[str]] = ("", []),
        previous_scale: tuple[float, str] | None = None,
        problems: dict[str, str] | None = None,
        birth_date: str | None = None,
        no_exif_why: dict[str, str] | None = None,
        known: KnownImages | None = None,
    ) -> None:
        """``existing``: (the lesion's title, the dates of its captures), for the same-day warning;
        ``previous_scale``: (mm per pixel, date) of the lesion's latest calibrated capture, prefilled;
        ``problems``: file -> why the import will skip it (shown in the list; Import needs one good file);
        ``known``: files already in the register or chosen twice (``import_check``), skipped too, and said so."""
        super().__init__(parent)
        known = known or KnownImages()
        self.problems = {**(problems or {}), **known.all()}
        self.known = QLabel(known_line(known, len(files)))  # before Import is clicked, not after
        self.known.setWordWrap(True)
        self.known.setStyleSheet("color: #8a4b00")
        self.known.setAccessibleName("Images already in the register")
        self.importable = [f for f in files if f not in self.problems]
        bad = len(files) - len(self.importable)
        skipped = f" ({bad} will be skipped)" if bad else ""
        self.setWindowTitle(f"Import {len(files)} image{'s' if len(files) != 1 else ''}{skipped}")
        self.existing = existing
        self.same_day = QLabel()  # a warning, not a refusal: a second capture of one day
        self.same_day.setWordWrap(True)
        self.same_day.setStyleSheet("color: #8a4b00")
        self.same_day.setAccessibleName("Same-day warning")
        self.target = QLabel(f"Into: <b>{escape(target)}</b>" if target else "")  # where the images go
        self.files, raw = files, exif_dates or {}
        # a camera date that cannot be right (in the future, before the birth date) is not offered, and said so
        self.exif_refused = {f: f"camera date {d[:10]} is {why}" for f, d in raw.items()
                             if d and (why := camera_date_problem(d, birth_date))}  # fmt: skip
        self.exif_dates = {f: None if f in self.exif_refused else d for f, d in raw.items()}
        self.no_exif_why = no_exif_why or {}  # "the file has no EXIF data", ...: said where no date is used
        first_exif = self.exif_dates.get(files[0]) if files else None
        self.taken = DateEdit()
        self.taken.set_earliest(birth_date, "the patient's birth date")  # a typo there would make a false baseline
        if first_exif:  # a starting point the user sees; it is still the typed date unless EXIF is chosen
            self.taken.set_iso(first_exif)
        self.use_typed = QRadioButton("The date above, for every image")
        self.use_exif = QRadioButton("Each image's EXIF date (the date above where an image has none)")
        self.use_typed.setChecked(True)
        choice = QButtonGroup(self)
        for button in (self.use_typed, self.use_exif):
            choice.addButton(button)
        self.dates = QListWidget()
        self.dates.setAccessibleName("Date used per file")
        self.dates.setWordWrap(True)  # a skip reason whole, on more lines, not cut at the list's edge
        self.dates.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.dates.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.dates.setMinimumWidth(self.dates.fontMetrics().averageCharWidth() * 60)
        self.modality = QComboBox()
        self.modality.addItems(MODALITIES)
        self.polarisation = QComboBox()  # left alone: none stored, as 'capture add' without --polarisation
        self.polarisation.addItem(NOT_RECORDED, None)
        for choice in POLARISATIONS:
            self.polarisation.addItem(choice, choice)
        self.mm_per_px = ScaleSpinBox()
        self.scale_source = QLabel()  # where a prefilled scale came from; two set lines (a second wrapped label
        # beside the same-day warning made the form give both too little height: the warning was cut off)
        self.scale_source.setAccessibleName("Where the mm per pixel came from")
        if previous_scale:  # usually the same dermatoscope as last time
            self.mm_per_px.setValue(previous_scale[0])
            self.scale_source.setText(
                f"from the capture of {human_date(previous_scale[1])};\nchange it if another dermatoscope or zoom"
                " was used"
            )
        self.scale_source.setVisible(bool(previous_scale))
        self.magnification = QDoubleSpinBox(decimals=1, minimum=0.0, maximum=400.0)
        self.magnification.setSpecialValueText(NOT_RECORDED)
        self.notes = QLineEdit()
        body = QWidget()  # scrolls where the screen is shorter than the form (1280x720 at 150 %); Import stays
        form = QFormLayout(body)
        if target:
            form.addRow(self.target)
        form.addRow(self.known)
        form.setRowVisible(self.known, bool(self.known.text()))
        form.addRow("Taken on", self.taken)
        form.addRow("Date to store", self.use_typed)
        form.addRow("", self.use_exif)
        form.addRow("Per file", self.dates)
        form.addRow(self.same_day)
        form.addRow("Modality", self.modality)
        form.addRow("Polarisation", self.polarisation)
        form.addRow("mm per pixel", self.mm_per_px)
        form.addRow("", self.scale_source)
        form.addRow("Magnification", self.magnification)
        form.addRow("Notes", self.notes)
        buttons = _buttons(self, "Import")
        outer = QVBoxLayout(self)
        outer.addWidget(scrolled(body), 1)
        outer.addWidget(buttons)
        self.import_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.taken.valid_changed.connect(self._enable_import)
        self._enable_import(not self.taken.problem())
        self.taken.dateChanged.connect(self._show_dates)
        self.use_exif.toggled.connect(self._show_dates)
        self._show_dates()
        margins = outer.contentsMargins()  # the whole form where the screen has room (``fit_dialog`` caps it)
        self.resize(
            body.sizeHint().width() + margins.left() + margins.right() + 24,
            body.sizeHint().height() + buttons.sizeHint().height() + outer.spacing() + margins.top() + margins.bottom(),
        )

    def stored_date(self, file: str) -> str:
        """The date (YYYY-MM-DD) the import will store for ``file``."""
        exif = self.exif_dates.get(file)
        return exif[:10] if self.use_exif.isChecked() and exif else self.taken.iso()

    def date_for(self, file: str) -> str:
        """The date the import will store for ``file``, in words."""
        typed, exif = self.taken.iso(), self.exif_dates.get(file)
        refused = self.exif_refused.get(file)
        if self.use_exif.isChecked():
            if exif:
                return f"{exif[:10]} (EXIF date)"
            missing = self.no_exif_why.get(file)
            why = f"{refused}, not used" if refused else f"no EXIF date ({missing})" if missing else "no EXIF date"
            return f"{typed}: {why}; the date above is used"
        return f"{typed} (date above)" + (f"; EXIF says {exif[:10]}" if exif else f"; {refused}" if refused else "")

    def _enable_import(self, date_valid: bool) -> None:
        self.import_button.setEnabled(date_valid and bool(self.importable))
        tip = "" if self.importable else "None of these files can be imported (see the list)"
        self.import_button.setToolTip(tip)

    def _show_dates(self) -> None:
        self.dates.clear()
        refused = [f for f in self.files if f in self.problems]  # listed first: the user reads them at once
        for f in (refused + self.importable)[:200]:
            if f in self.problems:
                reason = self.problems[f].removeprefix(f"{Path(f).name}: ")
                item = QListWidgetItem(f"✗ {Path(f).name}: will be skipped, {reason}")
                item.setForeground(QColor("#b00020"))
                item.setToolTip(self.problems[f])
                self.dates.addItem(item)
            else:
                self.dates.addItem(f"{Path(f).name}: {self.date_for(f)}")
        if len(self.files) > 200:
            self.dates.addItem(f"... and {len(self.files) - 200} more")
        title, dates = self.existing
        warning = same_day_warning(title or "The lesion", dates, [self.stored_date(f) for f in self.importable])
        self.same_day.setText(f"⚠ {warning}" if warning else "")
        self.same_day.setVisible(bool(warning))
        rows = 5 if warning else 8  # the form scrolls on a short screen: Import stays in sight
        self.dates.setMaximumHeight(rows * self.dates.fontMetrics().lineSpacing() + 8)

    def meta(self) -> CaptureMeta:
        return CaptureMeta(
            taken_at=self.taken.iso(),
            exif_first=self.use_exif.isChecked(),
            modality=self.modality.currentText(),
            polarisation=self.polarisation.currentData(),
            magnification=self.magnification.value() or None,
            mm_per_px=self.mm_per_px.value() or None,
            notes=self.notes.text(),
        )


def wrap_code_blocks(browser: QTextBrowser) -> None:
    """Let the model card's command lines (code blocks: one line each, up to ~1,900 px) wrap at their spaces like
    the text around them, so the About window needs no horizontal scroll bar (issue 16: it had one at 150 %)."""
    cursor = QTextCursor(browser.document())
    block = browser.document().begin()
    while block.isValid():
        if block.blockFormat().nonBreakableLines():
            fmt = block.blockFormat()
            fmt.setNonBreakableLines(False)
            cursor.setPosition(block.position())
            cursor.setBlockFormat(fmt)
        block = block.next()


class CardBrowser(QTextBrowser):
    """The model card, its plots scaled down to the width it has (the 720 px confusion matrix gave the About window
    a horizontal scroll bar at 100 %), never up."""

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self.fit_images()

    def fit_images(self) -> None:
        """Each image at most the viewport's width (less the document's margins), its aspect kept."""
        doc = self.document()
        room = self.viewport().width() - 2 * int(doc.documentMargin()) - 8
        cursor = QTextCursor(doc)
        block, resized = doc.begin(), False
        while block.isValid() and room > 0:
            it = block.begin()
            while not it.atEnd():
                part = it.fragment()
                it += 1
                fmt = part.charFormat()
                if not fmt.isImageFormat():
                    continue
                image = fmt.toImageFormat()
                picture = doc.resource(QTextDocument.ResourceType.ImageResource, QUrl(image.name()))
                natural = picture.width() if picture is not None else 0
                width = min(natural, room)
                if natural <= 0 or abs(image.width() - width) < 1:
                    continue
                image.setWidth(width)
                image.setHeight(picture.height() * width / natural)
                cursor.setPosition(part.position())
                cursor.setPosition(part.position() + part.length(), QTextCursor.MoveMode.KeepAnchor)
                cursor.setCharFormat(image)
                resized = True
            block = block.next()
        if resized:  # lay the rest out again: Qt left every block after the resized images 0 px high (not drawn)
            doc.markContentsDirty(0, doc.characterCount())


class AboutDialog(QDialog):
    def __init__(self, model_text: str, card_markdown: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About DermaDesk")
        self.resize(720, 640)
        browser = self.browser = CardBrowser()
        browser.setMarkdown(f"# DermaDesk {__version__}\n\n**{DISCLAIMER}**\n\n{model_text}\n\n---\n\n{card_markdown}")
        wrap_code_blocks(browser)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(browser)
        layout.addWidget(box)


class DisclaimerDialog(QDialog):
    """First run: the user acknowledges that DermaDesk is decision support, not a diagnosis."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Before you start")
        heading, rest = DISCLAIMER.split(". ", 1)  # the heading says its first sentence: not a second time below it
        text = QLabel(
            f"<h3>{heading}</h3><p>{rest}</p>"
            "<p>Its model was trained on public research data sets (the bundled one: HAM10000 and ISIC 2017; "
            "its model card in models/ names them) and has not been clinically validated. "
            "Out-of-distribution and image-quality warnings mean the estimate "
            "should not be relied on.</p>"
        )
        text.setWordWrap(True)
        self.ack = QCheckBox("I understand")
        box = _buttons(self, "Continue")
        ok = box.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(False)
        self.ack.toggled.connect(ok.setEnabled)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.ack)
        layout.addWidget(box)
