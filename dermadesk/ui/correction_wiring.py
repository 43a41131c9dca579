"""Wiring of the corrections into the main window: the Edit menu entries, the context menus of the timeline and
the lesion list, the refresh after each change (and its undo), nothing shown of what is gone, and the prompt
to mark a lesion referred after an URGENT/REFER result or a SIGNIFICANT change."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtWidgets import QApplication, QGridLayout, QHBoxLayout, QLabel, QMenu, QPushButton, QWidget

from dermadesk.services import attention
from dermadesk.services import register_ops as ops
from dermadesk.services.modality import outdated_words
from dermadesk.ui.corrections import Corrections
from dermadesk.ui.modality_reassess import assess_again
from dermadesk.ui.prompt_words import one_line_forms

UNDO_MESSAGE_MS = 8000  # "Undone: Delete capture" in the status bar, long enough to be read
MARK, MARK_SHORT = "Mark lesion as referred", "Mark referred"  # "... as excised" after a decision 'excise'
GO, GO_SHORT = "Go to that capture", "Go to capture"


class ReferralPrompt(QWidget):
    """ "URGENT, lesion still monitoring: [Mark lesion as referred]": shown beside the tabs, one click; its words say
    what answers it, and "Go to that capture" selects the capture a decision answers it on where another is shown.

    Its buttons (``button_row``) stand beside its words, under them, or apart from them: beside the tab titles while
    the words take a row of their own above the tabs (``place``; ``ui.short_screen.fit_prompt`` chooses)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = QLabel()
        self.text.setStyleSheet("color: #b71c1c; font-weight: bold")
        # its long form wraps above the tabs: at 150 % it widened the window past the screen
        self.text.setWordWrap(True)
        self.button = QPushButton(MARK)
        self.go = QPushButton(GO)
        self.go.hide()
        self.go_to: int | None = None  # the capture "Go to that capture" selects
        self.status = "referred"  # the status its button sets: 'excised' after a decision 'excise'
        self.said = self.brief = self.answer = ""  # its words; without what answers it (``answer``)
        self.reason = self.step = ""  # ``brief`` in its two parts: why, and what follows ("status still ...")
        self.whole = ""  # its tooltip: ``said`` with the long form of the reason (``propose``'s ``brief``)
        self.button_row = QWidget()  # the buttons, in a row
        self.buttons = QHBoxLayout(self.button_row)
        self.buttons.setContentsMargins(0, 0, 0, 0)
        self.buttons.addWidget(self.go)
        self.buttons.addWidget(self.button)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(4, 0, 4, 0)
        self.grid.setColumnStretch(0, 1)  # the words take the room; the buttons keep their own width
        self.placed = (False, False, 0, 0)  # ``place``: above the tabs, buttons apart, the row's width, its lines
        self.words = 0  # the width its words wrap in (``place``)
        self.short_buttons(False)
        self.place(*self.placed)
        self.hide()

    def setVisible(self, visible: bool) -> None:  # noqa: N802 - Qt API
        """Shown and hidden with its buttons, wherever they stand."""
        super().setVisible(visible)
        self.button_row.setVisible(visible or self.button_row.parentWidget() is self)

    def place(self, above: bool, apart: bool, width: int, lines: int = 0) -> None:
        """Beside the tab titles (not ``above``): the whole words on one line, the buttons beside them. Above the
        tabs, in a row ``width`` wide: the words wrap; the buttons ``apart`` (the caller puts them beside the tab
        titles), else under the words where there are two (at 150 % the words beside two buttons took seven lines),
        else beside them. The words there without what answers it where the whole take more than ``lines`` lines
        (0: any) and the buttons say it, then shorter (``prompt_words.one_line_forms``: no figures or dates, the
        step short), the whole in the tooltip: a third line made a short window scroll, a second moved the tabs."""
        self.placed = (above, apart, width, lines)
        self.text.setWordWrap(above)
        for widget in (self.text, self.button_row):
            self.grid.removeWidget(widget)
        stacked = above and not apart and self.go_to is not None
        self.grid.addWidget(self.text, 0, 0, 1, 2 if stacked else 1)
        if not apart:
            self.grid.addWidget(self.button_row, int(stacked), 0 if stacked else 1, 1, 2 if stacked else 1)
            self.grid.setAlignment(self.button_row, Qt.AlignmentFlag.AlignRight)
        margins, spacing = self.grid.contentsMargins(), max(self.grid.horizontalSpacing(), 0)
        beside = 0 if apart or stacked else self.buttons_width() + spacing
        words = self.words = width - margins.left() - margins.right() - beside
        forms = [self.said, *one_line_forms(self.reason, self.step)] if above and lines and self.said else [self.said]
        for form in dict.fromkeys(forms):  # the longest that takes at most ``lines`` lines, else the shortest
            self.text.setText(form)
            if self.text.heightForWidth(words) / max(self.text.fontMetrics().lineSpacing(), 1) <= lines + 0.5:
                break
        self.text.setToolTip(self.whole)

    def least_height(self, width: int, lines: int = 0) -> int:
        """Its height ``width`` wide above the tabs (0 with no words yet), with the room of ``lines`` lines of words
        where they take fewer: at 150 % the tabs moved up or down a line between lesions as they took one or two."""
        short = (
            self.lines_height(lines, self.words) - self.text.heightForWidth(self.words) if lines and self.said else 0
        )
        return max(0, self.heightForWidth(width)) + max(0, short)

    def lines_height(self, lines: int, width: int = 10_000) -> int:
        """The height of ``lines`` lines of its words, ``width`` wide (its margins not counted)."""
        flags = int(Qt.AlignmentFlag.AlignLeft) | int(Qt.TextFlag.TextWordWrap)
        return self.text.fontMetrics().boundingRect(0, 0, max(width, 1), 10_000, flags, "\n".join("M" * lines)).height()

    def short_buttons(self, short: bool) -> None:
        """ "Go to capture" and "Mark referred" where the whole titles take too much room (in their tooltips)."""
        whole = f"Mark lesion as {self.status}"
        self.go.setText(GO_SHORT if short else GO)
        self.button.setText(f"Mark {self.status}" if short else whole)
        self.go.setToolTip(f"{GO}: {self.answer}" if self.answer else GO)
        self.button.setToolTip(
            f"{whole}: sets the lesion's status to '{self.status}' (audited; Edit > Undo takes it back)"
        )

    def buttons_width(self) -> int:
        """The width of the buttons in their row, with the titles they have now."""
        go = self.go.sizeHint().width() + max(self.buttons.spacing(), 0) if self.go_to is not None else 0
        return go + self.button.sizeHint().width()

    def one_line_width(self) -> int:
        """The width the prompt needs on one line (its whole words unwrapped and the buttons): beside the tab titles."""
        margins, spacing = self.grid.contentsMargins(), max(self.grid.horizontalSpacing(), 0)
        words = self.text.fontMetrics().horizontalAdvance(self.said) + 2 * self.text.margin() + 2
        return words + spacing + margins.left() + margins.right() + self.buttons_width()

    def propose(
        self,
        why: str | None,
        answer: str = "",
        go_to: int | None = None,
        status: str = "referred",
        step: str = "",
        brief: str = "",
    ) -> None:
        """``why`` to refer ('' or None: hidden), ``answer``: what else answers it, ``go_to``: the capture it is
        answered on where another one is selected, ``status``: the one its button sets ('excised' where the decision
        recorded says 'excise'), ``step``: what follows the reason (``attention.referral_step``; default: "status
        still 'monitoring'"), ``brief``: ``why`` as the line says it, where that is shorter (a change not confirmed
        yet: what confirms it named, the figures and the whole words in the tooltip). Placed as before (``place``)
        until placed again."""
        short = self.button.text().startswith("Mark ") and not self.button.text().startswith("Mark lesion")
        self.status = status
        self.reason, self.step = (brief or why or ""), (step or attention.STILL_MONITORING)
        then = f"; {self.step}"
        self.brief = f"{brief or why}{then}" if why else ""
        self.answer = answer if why else ""
        also = f" — {answer}" if self.answer else ""
        self.said = self.brief + also
        self.whole = f"{why}{then}{also}" if why else ""
        self.go_to = go_to if why else None
        self.go.setVisible(self.go_to is not None)
        self.short_buttons(short)
        self.place(*self.placed)
        self.setVisible(bool(why))
        for parent in (self.parentWidget(), self.button_row.parentWidget()):  # laid out again only when asked
            if parent is not None and parent is not self:
                QApplication.postEvent(parent, QEvent(QEvent.Type.LayoutRequest))


STATUS_OF_DECISION = {"refer": "referred", "excise": "excised", "discharge": "discharged"}


def offer_lesion_status(window: Any, decision: str | None, on_the_way: int | None = None) -> None:
    """After a decision is saved: the lesion's status to match it ('refer' -> 'referred'), asked, undoable; a
    decision and a status that disagree made the summary say 'monitoring' and 'discharged' at once.

    ``on_the_way``: the lesion whose decision the unsaved-changes question saved while the window goes elsewhere
    (another patient, lesion or capture; closing; a hand-over): changed in place, its list row and form kept in
    step, nothing shown for it (the selected lesion otherwise, shown again after the change)."""
    status = STATUS_OF_DECISION.get(decision or "")
    lid = on_the_way if on_the_way is not None else window.selection.lesion_id
    if status is None or lid is None:
        return
    les = ops.lesion(window.session.register, lid)
    if les.status == status or not window.session.dialogs.confirm(
        "Lesion status",
        f"Decision '{decision}' saved. Mark {les.title} as '{status}' too? (Its status is '{les.status}'.)",
        default_yes=True,
    ):
        return
    if on_the_way is None:
        window.corrections.edit_lesion({"status": status}, f"Mark lesion as {status}")
    elif window.corrections.set_status_in_place(lid, status):
        window.lesions.status_stored(ops.lesion(window.session.register, lid))


def install(window: Any, menu: QMenu) -> Corrections:
    """Build the corrections for ``window`` (its session and selection), add them to ``menu`` (Edit) and to the
    context menus, and keep the views in step with each change."""
    fixes = Corrections(window.session, window.selection)
    for act in fixes.menu_actions(window):
        menu.addSeparator() if act is None else menu.addAction(act)
    a = fixes.actions
    for view, keys in (
        (window.timeline, ("edit_capture", "move_capture", "delete_capture")),
        (window.lesions.list, ("edit_lesion", "delete_lesion", "restore_deleted")),
    ):
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        view.addActions([a[k] for k in keys])
    prompt = ReferralPrompt()
    window.place_prompt(prompt)  # beside the tab titles where they leave room, else above the tabs

    def mark_status() -> None:
        """The lesion's status set; where the button went with the prompt, the keyboard to the lesion list (Qt gave
        it to the patient search, where the next key typed filtered the patients)."""
        fixes.edit_lesion({"status": prompt.status}, f"Mark lesion as {prompt.status}")
        if not prompt.button.isVisible():
            window.lesions.list.setFocus(Qt.FocusReason.OtherFocusReason)

    prompt.button.clicked.connect(mark_status)
    prompt.go.clicked.connect(
        lambda: window.show_lesion(window.selection.lesion_id, prompt.go_to) if prompt.go_to is not None else None
    )
    window.referral_prompt = prompt
    window.lesions.flag_of = lambda lid: attention.lesion_flag(window.session.register, lid)

    def shown(lesion_id: int | None, capture_id: int | None) -> None:
        """After a change or its undo: the patient's lesions, the lesion and the capture again. An undo of a
        change to another patient's lesion opens that patient first, so no view shows one patient's lesion
        under another's name (and an import or report then goes to the patient on screen)."""
        if lesion_id is not None:
            owner = ops.lesion(window.session.register, lesion_id).patient_id
            if owner != window.selection.patient_id:
                window.refresh(owner)
        if (pid := window.selection.patient_id) is not None:  # none selected when none shown (a lesion deleted)
            window.lesions.show_lesions(ops.lesions_of(window.session.register, pid), lesion_id, first=False)
        window.show_lesion(lesion_id, capture_id)
        propose()

    def propose() -> None:
        """Why to mark the shown lesion referred (``attention.referral_reason``): the selected capture's own URGENT/
        REFER result or SIGNIFICANT change, and what stands for the lesion whichever capture is selected."""
        sel, reg = window.selection, window.session.register
        if sel.lesion_id is None:
            prompt.propose(None)
            return
        why, brief = attention.referral_words(reg, sel.lesion_id, sel.capture_id)
        answer, go_to = attention.referral_answer(reg, sel.lesion_id, sel.capture_id)
        step = attention.referral_step(reg, sel.lesion_id, sel.capture_id)
        prompt.propose(why, answer, go_to, attention.status_to_mark(reg, sel.lesion_id), step, brief)
        window.fit_prompt()  # other words, a button more or less: beside the tab titles or above the tabs again

    def nothing_gone() -> None:
        """No lesion shown (none chosen, or the patient or lesion deleted), or the shown pair no longer the
        lesion's (a capture deleted or moved): no verdict, picture or chart of it."""
        lid, pair = window.selection.lesion_id, window.comparisons.compared_pair
        if pair is not None and lid is not None:
            gone = [ops.capture(window.session.register, i) for i in pair]
            pair_gone = any(c.deleted_at is not None or c.lesion_id != lid for c in gone)
        else:
            pair_gone = pair is not None
        if lid is None or pair_gone:
            window.comparison.show_result(None, None, ("", ""))
            window.comparison.chart.set_points([], [], [], "pixels")
            window.comparisons.compared_pair = None
        propose()

    def recompared() -> None:
        window.lesions.refresh_flags()  # a comparison made again may make or end a "⚠ CHANGED"
        window.show_change_line()
        window.refresh_comparison()
        window.show_trend()
        propose()

    def patient_changed(patient_id: int | None) -> None:
        """A patient deleted (show none) or restored (show it), by a change or its undo."""
        if patient_id is None:
            window.show_patient(None)
            window.patients.model.refresh()
        else:
            window.refresh(patient_id)

    fixes.changed.connect(shown)

    # a modality corrected: the capture assessed again for it in the background; until then its panel and its
    # timeline caption say its assessment is out of date (no tier made for the modality it had before shows anywhere)
    def outdated(capture_id: int) -> str:
        return outdated_words(window.session.register, capture_id)

    window.assessment.outdated_of = window.timeline.outdated_of = outdated
    fixes.modality_corrected.connect(
        lambda cid: assess_again(
            window.session, window.c.models, cid, window.c.assessed.emit, window.c.compared_again.emit
        )
    )
    fixes.patient_changed.connect(patient_changed)
    window.c.imported.connect(fixes.record_import)  # Edit > Undo import N captures
    window.comparisons.alignment_stored.connect(fixes.record_alignment)  # Edit > Undo align by hand
    for stored in (window.c.imported, window.c.assessed, window.c.reviewed):  # the list's flags, the prompt
        stored.connect(lambda *_: (window.lesions.refresh_flags(), propose()))
    # a comparison with the reviewed capture stored after a decision: the flag, the panel's change line and advice
    window.c.review_compared.connect(lambda _: (window.lesions.refresh_flags(), window.show_change_line(), propose()))
    fixes.recompared.connect(recompared)
    window.c.compared_again.connect(recompared)  # after an assessment: the comparisons made with the tier before
    said: list[str] = []  # the undo or redo whose comparison is being made again
    kept: list[str] = []  # its line, to be in sight again once the tasks it started have ended

    def announce(text: str) -> None:
        """ "Undone: Edit capture" now; once its comparison is made again and the Change tab has shown it (the
        tasks' own messages in between), "Undone: Edit capture; comparison updated", never a bare
        "Comparing with baseline: done"."""
        said[:] = [text] if fixes.recomparing else []
        kept.clear()
        window.statusBar().showMessage(text, UNDO_MESSAGE_MS)

    def recompare_ended(outcome: str) -> None:
        if said:
            kept[:] = [f"{said.pop()}; {outcome}"]
            window.statusBar().showMessage(kept[0], UNDO_MESSAGE_MS)

    def task_ended(_task: object) -> None:
        if kept and not window.session.runner.running:
            window.statusBar().showMessage(kept.pop(), UNDO_MESSAGE_MS)

    fixes.announced.connect(announce)
    fixes.recompare_ended.connect(recompare_ended)
    window.session.runner.ended.connect(task_ended)  # after the window's own "<task>: done"
    window.selection.changed.connect(lambda _what: nothing_gone())
    # queued: after the window has shown a result that arrived once its lesion was gone
    window.comparisons.compared.connect(lambda *_: QTimer.singleShot(0, nothing_gone))
    window.comparisons.compared.connect(lambda *_: window.lesions.refresh_flags())  # the pair's row may be new
    return fixes
