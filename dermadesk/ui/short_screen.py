"""The panes and how they share a short or narrow window (1280x720 at 150 %: 853x480 in the window's own pixels).

Each pane has at most one scroll area (the patient form, the lesion list, the assessment's details, the comparison
page): none scrolls inside another, so the mouse wheel moves the part under the pointer. On a short window the
timeline stands in a column beside the tabs instead of in a row above them, so the assessment keeps its height.
The referral prompt goes beside the tab titles only where they leave room.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QScrollArea, QSplitter, QTabWidget, QVBoxLayout, QWidget

from dermadesk.ui.widgets import scrolled

COMPACT_BELOW = 600  # a window less high than this (1280x720 at 150 %: 480): the timeline beside the tabs
WORD_LINES = 1  # the referral prompt's lines above the tabs on a short window (at 150 %: two left a LOW review short)
ROOM_LINES = 2  # the lines of it the panes' fit counts (``prompt_room``): the top pane as with two, one to the tabs
TOP_SHARE = 0.55  # at most this part of the height to the patient form and the lesions (all of the form if it fits)


def tabs_with_row(tabs: QTabWidget) -> tuple[QWidget, QVBoxLayout]:
    """``tabs`` in a box with room above them for a prompt too wide for the tab bar's corner."""
    box = QWidget()
    row = QVBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(2)
    row.addWidget(tabs)
    return box, row


def compose(window: Any) -> QSplitter:
    """The window's splitters: the patient list left; right of it the patient form and the lesions, the timeline
    and the tabs (``window.panes``, top to bottom; ``window.bottom`` holds the tabs, and the timeline when short)."""
    form = window.form_area = scrolled(window.patient_form)  # scrolls up and down only: its fields narrow
    form.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    form.setMinimumWidth(window.patient_form.minimumSizeHint().width() + form.verticalScrollBar().sizeHint().width())
    top = QSplitter(Qt.Orientation.Horizontal)
    top.addWidget(form)
    top.addWidget(window.lesions)
    top.setStretchFactor(1, 2)
    top.setChildrenCollapsible(False)
    bottom = window.bottom = QSplitter(Qt.Orientation.Horizontal)
    bottom.addWidget(window.tabs_box)  # not scrolled as a whole: each tab scrolls its own part (no nesting)
    bottom.setChildrenCollapsible(False)
    right = window.panes = Panes(window)
    right.addWidget(top)
    right.addWidget(window.timeline)
    right.addWidget(bottom)
    right.setStretchFactor(2, 3)
    right.setChildrenCollapsible(False)  # no pane dragged out of sight
    main = QSplitter(Qt.Orientation.Horizontal)
    main.addWidget(window.patients)  # never scrolled out of sight: only the panes on its right scroll
    main.addWidget(right)
    main.setStretchFactor(0, 1)  # a narrower window narrows the list too, not only the panes
    main.setStretchFactor(1, 3)
    main.setSizes([280, 1120])
    main.setChildrenCollapsible(False)
    return main


class Panes(QSplitter):
    """The right-hand panes, top to bottom; fitted to the window's height (``fit``) after each resize.

    Not inside the resize event: moving the timeline between splitters there re-entered the splitters' layout
    (a clean-clone CI hung once). One single-shot timer, restarted by every resize, fits them once the events
    of a resize (or of a drag's many) are done."""

    def __init__(self, window: Any) -> None:
        super().__init__(Qt.Orientation.Vertical)
        self.window_ = window
        self.fit_timer = QTimer(self)
        self.fit_timer.setSingleShot(True)
        self.fit_timer.setInterval(0)
        self.fit_timer.timeout.connect(self.fit)

    def fit(self) -> None:
        """Fit the panes to the window's height now (``fit_panes``), and the referral prompt to the tabs' width
        (the panes shown again after the first-run guide left it above the tabs at a width of 0)."""
        self.fit_timer.stop()
        fit_panes(self.window_, self.window_.height() < COMPACT_BELOW)
        self.window_.fit_prompt()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self.fit_timer.start()  # coalesced: a second resize before it fires restarts it


def fit_prompt(tabs: QTabWidget, row: QVBoxLayout, box: QWidget, prompt: Any) -> None:
    """``prompt`` (the referral prompt) in the tab bar's corner where it fits beside the tab titles, else in a
    row of its own above the tabs: on a narrow window it squeezed the titles. Above the tabs its words wrap (its
    long form at 150 % widened the window past the screen) and its buttons stand beside the tab titles where they
    fit there (with short titles if need be), else with the words: at 150 % on 1280x720 a row of buttons under
    the words made the window scroll. On a short window the words there take at most ``WORD_LINES`` lines where
    the buttons say what answers it, and keep the room of that many where they take fewer, so the tabs stand still
    between lesions. Its whole words in its tooltip."""
    if prompt is None:
        return
    bar = tabs.tabBar()
    room = box.width() - sum(bar.tabSizeHint(i).width() for i in range(tabs.count())) - 24  # beside the titles
    prompt.short_buttons(False)
    beside = prompt.one_line_width() <= room
    corner: QWidget | None = prompt if beside else None
    if not beside:
        prompt.short_buttons(prompt.buttons_width() > room)
        if prompt.buttons_width() <= room:
            corner = prompt.button_row
        else:
            prompt.short_buttons(False)  # with the words, as wide as they need
    lines = WORD_LINES if box.window().height() < COMPACT_BELOW else 0
    prompt.place(not beside, corner is prompt.button_row, box.width(), lines)
    # above the tabs, its wrapped lines counted in the tabs' minimum: the tabs were given the height of one, and the
    # assessment under them was drawn over itself (its caption on the image, the notes one line high)
    prompt.setMinimumHeight(
        0 if beside else max(prompt.least_height(box.width(), lines), lines and slot_height(prompt))
    )
    if beside:
        row.removeWidget(prompt)
    elif row.indexOf(prompt) < 0:
        row.insertWidget(0, prompt)
    if tabs.cornerWidget(Qt.Corner.TopRightCorner) is not corner:
        tabs.setCornerWidget(corner, Qt.Corner.TopRightCorner)  # type: ignore[arg-type]  # None: none there
    prompt.setVisible(bool(prompt.said))
    keep_slot(row, prompt, lines > 0 and (beside or not prompt.said))


def slot_height(prompt: Any, lines: int = WORD_LINES) -> int:
    """The height of ``lines`` lines of the referral prompt's words above the tabs (its row's gap not counted)."""
    margins = prompt.layout().contentsMargins()
    return prompt.lines_height(lines) + margins.top() + margins.bottom()


def keep_slot(row: QVBoxLayout, prompt: Any, empty: bool) -> None:
    """On a short window an empty strip the height of the prompt's line (``slot_height``) above the tabs where
    no prompt stands there (none for the lesion, or it beside the tab titles): at 150 % on 1280x720 the tabs, the
    assessment and its Clinician review moved down 30 px for a lesion with a prompt and up again for one without
    (a click on the Assessment tab landed on the prompt), and "Mark lesion as referred" moved them under the pointer."""
    strip = getattr(prompt, "slot", None)
    if strip is None:
        strip = prompt.slot = QWidget()
        strip.setObjectName("promptSlot")
        strip.hide()
    if row.indexOf(strip) < 0:
        row.insertWidget(0, strip)
    strip.setFixedHeight(slot_height(prompt))
    strip.setVisible(empty)


def room_for_tabs(window: Any) -> None:
    """The panes fitted again where the tabs have less than their least height (a referral prompt shown above them)
    and the top pane has some to give: the top pane yields first. On a short window also where the prompt above
    them is another height than one the last fit counted (``prompt_room``): placed for the tabs' width before the
    timeline stood beside them, it took three lines at the first fit, and the patient form scrolled 13 px."""
    top, bottom = window.panes.widget(0), window.bottom
    prompt = getattr(window, "prompt", None)
    height = prompt.minimumHeight() if prompt is not None else 0  # 0: none above the tabs (its room counted)
    other_prompt = getattr(window, "short_layout", False) and 0 < height != getattr(window, "fitted_prompt", height) > 0
    squeezed = bottom.height() < bottom.minimumSizeHint().height() and top.height() > top.minimumSizeHint().height()
    if other_prompt or squeezed:
        window.fitted_height = None
        window.panes.fit_timer.start()


def prompt_room(window: Any) -> int:
    """The height the tabs keep for a referral prompt above them beyond the line there now (``keep_slot``):
    ``ROOM_LINES`` lines of its words and the row's gap. Counted whether a prompt is shown or not, so that the panes
    are fitted alike for every lesion: at 150 % on 1280x720 the top pane gave a prompt its room when one came, and
    the lesion list, the form and Save lesion moved up under the pointer. Two lines, not the one the prompt takes:
    with one, a fit on a NOT ASSESSABLE lesion (its tabs' least 20 px less) gave the top pane a fourth lesion row,
    and the tabs moved down 25 px until the next fit; the line left over is the assessment's."""
    prompt, row = getattr(window, "prompt", None), window.above_tabs
    if prompt is None:
        return 0
    # the prompt above the tabs, or the empty strip in its place (``keep_slot``): its height in the tabs' least already
    parts = (w for w in (prompt, getattr(prompt, "slot", None)) if w is not None and row.indexOf(w) >= 0)
    shown = max((w.minimumHeight() + row.spacing() for w in parts if not w.isHidden()), default=0)
    return max(0, slot_height(prompt, ROOM_LINES) + row.spacing() - shown)


def form_height(form: QScrollArea) -> int:
    """What the patient form needs to show every field and its Save button without scrolling."""
    return form.widget().sizeHint().height() + 2 * form.frameWidth()


def fit_panes(window: Any, short: bool) -> None:
    """On a short window the timeline in a column beside the tabs, with smaller thumbnails; in a row above them
    again when the window is tall. The top panes get the patient form's whole height where it is at most
    ``TOP_SHARE`` of the height (its Save button in sight), and the lesion list four rows where the tabs can spare
    that height (``LesionPanel.height_for_rows``), the tabs the rest, a referral prompt's room in it
    (``prompt_room``: the same panes for every lesion, a prompt above the tabs or not); set again when the height
    changes (a splitter shares a new height by its own rule), else left as the user dragged them."""
    panes, bottom, timeline = window.panes, window.bottom, window.timeline
    sizes = panes.sizes()
    if getattr(window, "short_layout", None) is not short:
        window.short_layout = short
        timeline.set_compact(short)
        if short:
            bottom.insertWidget(0, timeline)
        else:
            panes.insertWidget(1, timeline)
        timeline.show()
        bottom.setSizes([timeline.width(), max(0, bottom.width() - timeline.width())] if short else [bottom.width()])
    elif not all(sizes) or getattr(window, "fitted_height", None) == panes.height():
        return  # hidden (the first-run guide stands there: fitted when shown), or as the user dragged them
    window.fitted_height = panes.height()
    window.fitted_prompt = window.prompt.minimumHeight() if getattr(window, "prompt", None) is not None else 0
    # the height the panes share now, the timeline moved: the sizes read before it moved counted a handle too many
    # (at 150 % on 1280x720 the first fit gave the top pane 4 px less than every later one, as after Larger images)
    shown = sum(not panes.widget(i).isHidden() for i in range(panes.count()))
    total = panes.height() - panes.handleWidth() * max(0, shown - 1)
    line = 0 if short else timeline.maximumHeight() + panes.handleWidth()
    rest = max(0, total - line)
    least = panes.widget(0).minimumSizeHint().height()
    # the tabs' least, with a referral prompt's room above them whether one is shown or not, comes first
    tabs = bottom.minimumSizeHint().height() + prompt_room(window)
    most = min(int(rest * TOP_SHARE), rest - tabs)
    wanted = form_height(window.form_area)
    if (rows := window.lesions.height_for_rows()) <= most:  # four lesion rows in sight, where the tabs can spare
        wanted = max(wanted, rows)  # all of it: a few pixels more cut the assessment's reasons (a referral prompt)
    top = max(least, min(wanted, most))
    panes.setSizes([top, rest - top] if short else [top, line - panes.handleWidth(), rest - top])
