"""After Re-assess capture or Assess unassessed captures: the comparisons that recorded another outcome for a capture
assessed (another tier, or none yet) are compared again by the task runner, never on the GUI thread (images are
decoded), so the change line, the trend chart, the ⚠ flags and the reports read the new tier (``services.reassessed``).
Nothing starts where nothing recorded another outcome (stored rows read only)."""

from __future__ import annotations

from collections.abc import Callable, Collection

from dermadesk.services import reassessed
from dermadesk.services.progress import CancelLike, ProgressFn
from dermadesk.ui.session import Session
from dermadesk.ui.tasks import Task

TASK = "Comparing the captures again…"
STALE = (
    "The assessment is stored, but until its captures are compared again the change since the baseline, the trend "
    "chart and the lesion's ⚠ flag may still read the risk tier it had before: Re-assess capture on it compares them."
)


def compare_in_background(session: Session, capture_ids: Collection[int], ended: Callable[[], None]) -> Task | None:
    """Compare again, in the task runner, the comparisons of the lesions of ``capture_ids`` that an assessment has
    outdated; ``ended`` once done, failed or cancelled (the views then show what is stored). None: nothing to do."""
    register, actor, dialogs = session.register, session.actor, session.dialogs
    ids = list(capture_ids)
    if not ids or not reassessed.outdated(register, ids):
        return None

    def job(progress: ProgressFn, cancel: CancelLike) -> list:
        return reassessed.compare_after_assessment(register, actor, ids, progress, cancel)

    def failed(message: str) -> None:
        ended()
        dialogs.error("Comparisons not made again", f"{message}\n\n{STALE}")

    def cancelled() -> None:
        ended()
        dialogs.info("Comparing again: cancelled", f"Comparing the captures again was cancelled. {STALE}")

    return session.runner.submit(TASK, job, lambda _rows: ended(), failed, cancelled)
