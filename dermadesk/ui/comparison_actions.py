"""Comparing the selected capture with its lesion's baseline, and aligning that pair by hand, in the background.

The worker compares the pair and makes its pictures once (``comparison_pictures``); the view only shows them.
"""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any, Callable

from PySide6.QtCore import QObject, Signal

from dermadesk.analysis.change import ChangeResult
from dermadesk.domain.records import Capture
from dermadesk.services import register_ops as ops
from dermadesk.services import tracking
from dermadesk.services.captures import when_taken
from dermadesk.services.progress import CancelLike, ProgressFn
from dermadesk.ui.comparison_parts import comparison_pictures
from dermadesk.ui.selection import Selection
from dermadesk.ui.session import Session
from dermadesk.ui.tasks import Task

Compare = Callable[[ProgressFn, CancelLike], ChangeResult]
REVIEW_FIELDS = ("decision", "clinician_notes", "recheck_months")  # a capture's review: no part of a comparison
NO_CAPTURE = "No captures yet: import this lesion's images (File > Import images...) to see how it changes."
ONE_CAPTURE = "Only one capture: a follow-up is compared with it once it is imported."


class ComparisonActions(QObject):
    """Runs comparisons for the comparison tab; ``compared(pictures, result, dates)`` when one is ready."""

    compared = Signal(
        object, object, tuple
    )  # ComparisonPictures | None, ChangeResult | None, (baseline, follow-up) named by date ("25 Aug 2026")
    nothing = Signal(str)  # the lesion shown has nothing to compare, and why ("No captures yet")
    comparing = Signal()  # a comparison started: the shown one is about to be replaced
    comparison_failed = Signal(str)
    alignment_refused = Signal(str)  # a hand alignment not done, and why: the view shows it in the window
    comparison_cancelled = Signal()
    # an alignment by hand or its reset stored: (what, the pair's row before it or None, the row stored), for Undo
    alignment_stored = Signal(str, object, object)

    def __init__(self, session: Session, selection: Selection) -> None:
        super().__init__()
        self.session, self.selection = session, selection
        self.compared_pair: tuple[int, int] | None = None  # (baseline, follow-up) capture ids on show
        # each request's number: only the latest one's result is shown. Comparisons run side by side in the pool and
        # may end in any order; one asked for before a correction (or its undo) must not replace a later one
        self.generation = 0
        # while the register is read again (``ui.register_watch``): a comparison made from the lesion's captures and
        # comparisons as they are stored still is kept, not made again (about a second of aligning, for nothing)
        self.keep_same = False
        self.built_from: tuple | None = None  # what the comparison shown (or on its way) was made from

    def compare_selected(self) -> Task | None:
        """Compare the selected capture (default: the latest) with its lesion's first capture.

        Looking is not a clinical act: nothing is stored when the pair has a current comparison of record (made on
        import, or again after a correction). When it has none (comparing again after a correction was cancelled,
        or left this pair out), what is shown is stored, so that every view reads what this tab shows."""
        if self.selection.lesion_id is None:
            return None
        register = self.session.register
        pair = tracking.baseline_pair(register, self.selection.lesion_id, self.selection.capture_id)
        if pair is None:
            self.generation += 1  # a comparison still running is of a pair no longer shown
            self.built_from = None
            self.compared_pair = None
            self.compared.emit(None, None, ("", ""))
            self.nothing.emit(ONE_CAPTURE if register.captures.for_lesion(self.selection.lesion_id) else NO_CAPTURE)
            return None
        source = self._source(self.selection.lesion_id, pair[1].id)
        if self.keep_same and source == self.built_from:
            return None
        base, follow, actor = *pair, self.session.actor
        task = self._run(
            "Comparing with baseline",
            base.id,
            follow.id,
            lambda progress, cancel: tracking.compare_for_view(
                register, actor, base.id, follow.id, progress=progress, cancel=cancel
            ),
        )
        self.built_from = source
        return task

    def _source(self, lesion_id: int, follow_id: int) -> tuple:
        """What a comparison of the lesion's baseline with ``follow_id`` is made from: the lesion's captures (their
        reviews aside: a decision or notes saved elsewhere change no picture), their latest assessments (the risk
        trend) and the lesion's stored comparisons (the trend chart)."""
        register = self.session.register
        rows = register.captures.for_lesion(lesion_id)
        unreviewed: dict[str, Any] = {f.name: None for f in fields(Capture) if f.name in REVIEW_FIELDS}
        captures = tuple(replace(c, **unreviewed) for c in rows)
        assessed = tuple(getattr(register.assessments.latest(c.id), "id", None) for c in rows)
        compared = tuple(r.id for r in register.comparisons.for_lesion(lesion_id))  # rows are added, never changed
        return lesion_id, follow_id, captures, assessed, compared

    def align_by_hand(self, points: list) -> Task | None:
        """Recompute and store the shown pair's comparison with the user's point pairs (audited)."""
        if self.compared_pair is None:
            return None
        (a, b), register, actor = self.compared_pair, self.session.register, self.session.actor
        return self._stored(
            "Aligning by hand",
            "Align by hand",
            a,
            b,
            lambda progress, cancel: tracking.align_by_hand(
                register, actor, a, b, points, progress=progress, cancel=cancel
            ),
        )

    def reset_alignment(self) -> Task | None:
        """Back to the automatic alignment for the shown pair (stored and audited)."""
        if self.compared_pair is None:
            return None
        (a, b), register, actor = self.compared_pair, self.session.register, self.session.actor
        return self._stored(
            "Automatic alignment",
            "Reset to automatic alignment",
            a,
            b,
            lambda progress, cancel: tracking.reset_alignment(register, actor, a, b, progress, cancel),
        )

    def _stored(self, name: str, what: str, a: int, b: int, work: Callable[..., tuple[Any, ChangeResult]]) -> Task:
        """``_run`` for a change that stores the pair's comparison of record: ``alignment_stored`` once it is
        stored (also when a later request supersedes what it shows), so that Edit > Undo can take it back."""
        register, rows = self.session.register, []

        def store(progress: ProgressFn, cancel: CancelLike) -> ChangeResult:
            before = tracking.pair_record(register, a, b)
            row, result = work(progress, cancel)
            rows.append((before, row))  # read in the GUI thread once the task has ended
            return result

        def stored() -> None:
            if rows:
                self.alignment_stored.emit(what, *rows[0])

        return self._run(name, a, b, store, on_stored=stored)

    def _run(
        self, name: str, base_id: int, follow_id: int, work: Compare, on_stored: Callable[[], Any] | None = None
    ) -> Task:
        self.generation += 1
        generation = self.generation
        self.built_from = None  # another comparison (aligned by hand) or none: made again when next asked

        def job(progress: ProgressFn, cancel: CancelLike) -> tuple[Any, ChangeResult]:
            result = work(progress, cancel)
            progress(0.9, "drawing the comparison")
            return comparison_pictures(result), result  # once per pair: the view only picks among them

        def shown(out: tuple[Any, ChangeResult]) -> None:
            if on_stored is not None:
                on_stored()
            if generation != self.generation:  # superseded: a later request's result is (or will be) shown
                if work_stores:  # a hand alignment (or reset) stored meanwhile: show the pair as it is now
                    self.compare_selected()
                return
            # the pair on screen is the one a manual alignment applies to: set when its result arrives; the dates
            # as they are now (read when it ends: a correction during the comparison starts another one)
            self.compared_pair = (base_id, follow_id)
            reg = self.session.register
            names = tuple(when_taken(reg, ops.capture(reg, i)) for i in (base_id, follow_id))  # as captures are named
            self.compared.emit(out[0], out[1], names)

        def cancelled() -> None:
            if generation == self.generation:
                self.built_from = None
                self.comparison_cancelled.emit()
            self.session.dialogs.info(f"{name}: cancelled", f"{name} cancelled: nothing was stored.")

        def failed(message: str) -> None:
            if generation == self.generation and name == "Aligning by hand":
                self.alignment_refused.emit(message)  # said in the point window, reopened with the points
                return
            if generation == self.generation:
                self.built_from = None
                self.comparison_failed.emit(message)
            if generation == self.generation or work_stores:  # a superseded look's error is no news
                self.session.dialogs.error(f"{name}: not done", message)

        work_stores = name != "Comparing with baseline"
        self.comparing.emit()
        return self.session.runner.submit(name, job, shown, failed, cancelled)
