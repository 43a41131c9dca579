"""Small widget variants the views share."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QKeySequence, QPalette, QResizeEvent, QShortcut, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QStyle,
    QTableWidget,
    QWidget,
)

from dermadesk.domain.records import NOT_RECORDED


class StillComboBox(QComboBox):
    """A combo box the mouse wheel changes only once it has focus (clicked or tabbed into).

    In a scrolled panel a plain QComboBox under the pointer takes the wheel and changes its value (a review
    decision became 'discharge' while the user scrolled); here the wheel scrolls the panel instead.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 (Qt's name)
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """Size ``window`` to ``width`` x ``height``, or smaller on a smaller screen (a 1280x720 laptop): the window
    never opens past the screen's edge with its status bar out of sight."""
    screen = QGuiApplication.primaryScreen()
    if screen is not None:
        free = screen.availableGeometry()
        width, height = min(width, free.width()), min(height, free.height())
    window.resize(width, height)


def fit_dialog(dialog: QWidget, free: QRect | None = None) -> None:
    """Cap a dialog to the screen's available geometry (``free``; the dialog's screen's when None) before it is
    shown: at 150 % on a 1280x720 screen (853x480) "Align by hand" and About opened past the screen's edge with
    their buttons out of reach. The dialog keeps its size where it fits, shrinks (never below its minimum size,
    which keeps its buttons) where it does not; Qt then places it inside the screen. Its title bar is allowed for."""
    if free is None:
        screen = dialog.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        free = screen.availableGeometry()
    frame = dialog.frameGeometry().size() - dialog.geometry().size()  # borders and title bar, once shown
    if frame.height() <= 0:  # not shown yet: a title bar's height (0 offscreen, where there is none)
        title = (
            0
            if QGuiApplication.platformName() == "offscreen"
            else dialog.style().pixelMetric(QStyle.PixelMetric.PM_TitleBarHeight)
        )
        frame = QSize(0, title)
    room = QSize(free.width() - frame.width(), free.height() - frame.height())
    wanted = dialog.size() if dialog.testAttribute(Qt.WidgetAttribute.WA_Resized) else dialog.sizeHint()
    dialog.resize(wanted.boundedTo(room).expandedTo(dialog.minimumSizeHint()))  # Qt then places it on screen


def scrolled(widget: QWidget, min_height: int = 0) -> QScrollArea:
    """``widget`` in a frameless scroll area that scrolls when there is less room than ``widget`` needs."""
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setMinimumHeight(min_height)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a stop of its own in the Tab order (it follows the focus)
    return area


class RowsTable(QTableWidget):
    """A table that asks for its header and ``rows`` rows only (fewer when it has fewer), scrolling inside, and
    stretches where its layout gives it more: in a ``scrolled`` page a plain table's tall default size hint made
    the page scroll before the table did. ``show_rows`` sets it once the rows are in."""

    def show_rows(self, rows: int = 3) -> None:
        """Room for the header and the first ``rows`` rows as tall as they are (a two-line row counted whole)."""
        shown = max(1, min(rows, self.rowCount()))
        header = self.horizontalHeader().sizeHint().height()
        default = self.verticalHeader().defaultSectionSize()  # for a row not there yet
        heights = [self.rowHeight(row) if row < self.rowCount() else default for row in range(shown)]
        self.setMinimumHeight(header + sum(heights) + 2 * self.frameWidth())

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(super().sizeHint().width(), self.minimumHeight() or super().sizeHint().height())

    @classmethod
    def answers(cls, rows: int, columns: tuple[str, ...]) -> RowsTable:
        """A table of things to answer, one a row: headed by ``columns``, read-only cells (the answers are widgets
        in them), nothing selectable."""
        table = cls(rows, len(columns))
        table.setHorizontalHeaderLabels(list(columns))
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        return table


def rich_intro(text: str) -> QLabel:
    """A wrapped rich-text line above a table (<b>, <i>)."""
    intro = QLabel(text)
    intro.setTextFormat(Qt.TextFormat.RichText)
    intro.setWordWrap(True)
    return intro


def notes_keys(edit: QPlainTextEdit, save: QPushButton) -> None:
    """Tab leaves ``edit`` (a tab character is no use in notes, and keyboard users were caught in it; Ctrl+Tab
    did not get out either); Ctrl+Enter clicks ``save``, said in its tooltip."""
    edit.setTabChangesFocus(True)
    for keys in ("Ctrl+Return", "Ctrl+Enter"):
        shortcut = QShortcut(QKeySequence(keys), edit)
        shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        shortcut.activated.connect(save.click)
    save.setToolTip(f"{save.toolTip()} (Ctrl+Enter in the notes)".lstrip())


def grey_disabled_placeholders(app: QGuiApplication) -> None:
    """A disabled field's placeholder ("Clinician notes") in the palette's own disabled text colour: Qt paints it in
    the placeholder colour, half transparent, over the greyed field, darker than the greyed words beside it, and an
    empty, disabled notes box read as typed notes."""
    palette = app.palette()
    disabled = QPalette.ColorGroup.Disabled
    palette.setColor(disabled, QPalette.ColorRole.PlaceholderText, palette.color(disabled, QPalette.ColorRole.Text))
    app.setPalette(palette)


def window_content(central: QWidget) -> QScrollArea:
    """The main window's central part, scrolling when the screen is smaller than its panels need (a 1280x720
    laptop at 150 %): the window's minimum size stays small, so it never reaches past the screen and its
    status bar stays in sight; on a larger screen no scroll bar shows."""
    area = scrolled(central)
    area.setMinimumSize(200, 150)
    return area


class ElidedLabel(QLabel):
    """A one-line label that shows as much of its text as fits, ending in "…", with the whole text in its tooltip
    (the status bar at 150 % on a 1280x720 screen cut its labels off mid-word). ``text()`` is the whole text."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = self._short = ""
        self._least = "Operator…"  # never narrower than this (``set_least``)
        self.setText(text)

    def set_short(self, text: str) -> None:
        """Whole words shown where the whole text does not fit but these do (at 150 % "Operator: not set (Edit >
        Settings)" instead of a cut "…set it in Edit > Sett…"); until the next ``setText``."""
        self._short = text
        self._elide()
        self.updateGeometry()

    def set_least(self, text: str) -> None:
        """The label is never narrower than ``text`` (the operator's name stays whole on a narrow status bar)."""
        self._least = text
        self.updateGeometry()

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        self._full, self._short = text, ""
        self.setToolTip(text)
        self._elide()
        self.updateGeometry()

    def text(self) -> str:
        return self._full

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        margins = self.contentsMargins()
        text = self._short or self._full  # with a short form: that, and the whole text where a stretch gives room
        width = self.fontMetrics().horizontalAdvance(text) + margins.left() + margins.right() + 2
        return QSize(width, super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        least = self.fontMetrics().horizontalAdvance(self._least) + 2
        return QSize(min(self.sizeHint().width(), least), super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        room, metrics = self.contentsRect().width(), self.fontMetrics()
        if self._short and metrics.horizontalAdvance(self._full) > room >= metrics.horizontalAdvance(self._short):
            super().setText(self._short)
        else:
            super().setText(metrics.elidedText(self._full, Qt.TextElideMode.ElideRight, max(room, 0)))


MAX_MM_PER_PX = 1.0  # 1 mm a pixel: a 600-pixel image 60 cm wide, no lesion image is coarser


SCALE_TIP = (
    "How many millimetres of skin one pixel of the image shows, e.g. 0.02 for a dermatoscope image (50 pixels a"
    " millimetre); it turns pixel areas and diameters into mm.\nWhere to find it: the dermatoscope's (or its"
    " camera adapter's) manual for the zoom used, or a ruler photographed in the image: millimetres measured"
    f' divided by the pixels they span.\nLeave it "{NOT_RECORDED}" when you do not know it.'
)


class ScaleSpinBox(QDoubleSpinBox):
    """mm per pixel: 0 shows "not recorded" (none stored); a decimal comma is read as a point (typing "0,05" gave 5
    before), and values above ``MAX_MM_PER_PX`` are refused as typed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, decimals=4, minimum=0.0, maximum=MAX_MM_PER_PX, singleStep=0.001)
        self.setSpecialValueText(NOT_RECORDED)
        self.setToolTip(SCALE_TIP)

    def validate(self, text: str, pos: int) -> object:  # noqa: D102 - Qt API
        return super().validate(text.replace(",", "."), pos)

    def valueFromText(self, text: str) -> float:  # noqa: N802 - Qt API
        return super().valueFromText(text.replace(",", "."))


class TaskProgressBar(QProgressBar):
    """The status bar's progress: a task's message in one line inside the bar, its start elided only where it does
    not fit ("…demo capture 7 of 10": at 150 % "…demo captur" ran over the bar); the whole in the tooltip. The
    text is one dark colour on a light bar (white over the blue part, "aligning" read as "ligning", cut off)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, maximumWidth=220)
        self.setRange(0, 1000)
        self.setMinimumWidth(min(220, self.fontMetrics().horizontalAdvance("…demo capture 10 of 10") + 16))  # a step
        palette = self.palette()
        done, base = palette.color(QPalette.ColorRole.Highlight), palette.color(QPalette.ColorRole.Base)
        mixed = QColor(*((a + 2 * b) // 3 for a, b in zip(done.getRgb()[:3], base.getRgb()[:3])))
        palette.setColor(QPalette.ColorRole.Highlight, mixed)  # the done part near the background: the text reads on it
        palette.setColor(QPalette.ColorRole.HighlightedText, palette.color(QPalette.ColorRole.Text))
        self.setPalette(palette)
        self.message = ""

    def set_text(self, message: str) -> None:
        self.message = " ".join(message.split())  # one line (a dialog may show the same message on two)
        self.setToolTip(self.message)
        self.updateGeometry()
        self._fit()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        """As wide as its words, within its least and most widths (the status bar gives a field its size hint)."""
        words = self.fontMetrics().horizontalAdvance(self.message) + 16
        return QSize(max(self.minimumWidth(), min(words, self.maximumWidth())), super().sizeHint().height())

    def _fit(self) -> None:
        room = self.width() - 12  # the bar's frame and the text's margins
        text = self.fontMetrics().elidedText(self.message, Qt.TextElideMode.ElideLeft, max(room, 0))
        self.setFormat(text.replace("%", "%%"))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._fit()


def narrow(combo: QComboBox, letters: int) -> None:
    """``combo`` as narrow as ``letters`` letters (its items elided when narrower; the open list shows them whole)."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(letters)
    combo.view().setTextElideMode(Qt.TextElideMode.ElideNone)
    combo.view().setMinimumWidth(combo.view().sizeHintForColumn(0) + 24)
