"""Comparing the selected capture with its lesion's baseline, and aligning that pair by hand, in the background.

The worker compares the pair and makes its pictures once (``comparison_pictures``); the view only shows them.
"""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QObject, Signal

from dermadesk.analysis.change import ChangeResult
from dermadesk.services import register_ops as ops
from dermadesk.services import tracking
from dermadesk.services.progress import CancelLike, ProgressFn
from dermadesk.ui.comparison_view import comparison_pictures
from dermadesk.ui.selection import Selection
from dermadesk.ui.session import Session
from dermadesk.ui.tasks import Task

Compare = Callable[[ProgressFn, CancelLike], ChangeResult]


class ComparisonActions(QObject):
    """Runs comparisons for the comparison tab; ``compared(pictures, result, dates)`` when one is ready."""

    compared = Signal(
        object, object, tuple
    )  # ComparisonPictures | None, ChangeResult | None, (baseline, follow-up date)
    comparing = Signal()  # a comparison started: the shown one is about to be replaced
    comparison_failed = Signal(str)
    comparison_cancelled = Signal()

    def __init__(self, session: Session, selection: Selection) -> None:
        super().__init__()
        self.session, self.selection = session, selection
        self.compared_pair: tuple[int, int] | None = None  # (baseline, follow-up) capture ids on show

    def compare_selected(self) -> Task | None:
        """Compare the selected capture (default: the latest) with its lesion's first capture.

        Looking is not a clinical act: nothing is stored (the comparison of record is made on import)."""
        if self.selection.lesion_id is None:
            return None
        register = self.session.register
        pair = tracking.baseline_pair(register, self.selection.lesion_id, self.selection.capture_id)
        if pair is None:
            self.compared_pair = None
            self.compared.emit(None, None, ("", ""))
            return None
        base, follow = pair
        return self._run(
            "Comparing with baseline",
            base.id,
            follow.id,
            lambda progress, cancel: tracking.compare_pair(
                register, base.id, follow.id, progress=progress, cancel=cancel
            )[2],
        )

    def align_by_hand(self, points: list) -> Task | None:
        """Recompute and store the shown pair's comparison with the user's point pairs (audited)."""
        if self.compared_pair is None:
            return None
        (a, b), register, actor = self.compared_pair, self.session.register, self.session.actor
        return self._run(
            "Aligning by hand",
            a,
            b,
            lambda progress, cancel: tracking.align_by_hand(
                register, actor, a, b, points, progress=progress, cancel=cancel
            )[1],
        )

    def reset_alignment(self) -> Task | None:
        """Back to the automatic alignment for the shown pair (stored and audited)."""
        if self.compared_pair is None:
            return None
        (a, b), register, actor = self.compared_pair, self.session.register, self.session.actor
        return self._run(
            "Automatic alignment",
            a,
            b,
            lambda progress, cancel: tracking.reset_alignment(register, actor, a, b, progress, cancel)[1],
        )

    def _run(self, name: str, base_id: int, follow_id: int, work: Compare) -> Task:
        base, follow = (ops.capture(self.session.register, i) for i in (base_id, follow_id))

        def job(progress: ProgressFn, cancel: CancelLike) -> tuple[Any, ChangeResult]:
            result = work(progress, cancel)
            progress(0.9, "drawing the comparison")
            return comparison_pictures(result), result  # once per pair: the view only picks among them

        def shown(out: tuple[Any, ChangeResult]) -> None:
            # the pair on screen is the one a manual alignment applies to: set when its result arrives
            self.compared_pair = (base_id, follow_id)
            self.compared.emit(out[0], out[1], (base.taken_at, follow.taken_at))

        def cancelled() -> None:
            self.comparison_cancelled.emit()
            self.session.dialogs.info(f"{name}: cancelled", f"{name} cancelled: nothing was stored.")

        self.comparing.emit()
        return self.session.runner.submit(name, job, shown, lambda msg: self._failed(name, msg), cancelled)

    def _failed(self, name: str, message: str) -> None:
        self.comparison_failed.emit(message)
        self.session.dialogs.error(f"{name}: not done", message)
