"""After a capture's modality is corrected (Edit capture, or its undo or redo): the capture assessed again for its
modality now by the task runner, never on the GUI thread, then the comparisons made with its tier before compared again
(``services.modality``). Until an assessment for its modality now is stored, the one made before is out of date and
shows nowhere: the panel says so and what to do (``ui.not_assessed``); a cancel, a failure or no model leaves it so,
and a message says what to do."""

from __future__ import annotations

from collections.abc import Callable

from dermadesk.services.modality import AssessedAgain, assess_for_modality, to_assess_again
from dermadesk.services.progress import CancelLike, ProgressFn
from dermadesk.ui.model_loader import ModelLoader
from dermadesk.ui.not_assessed import REASSESS, sentence
from dermadesk.ui.session import Session
from dermadesk.ui.tasks import Task

TASK = "Assessing the capture again for its modality…"
LEFT = (
    "Its earlier assessment was made for the modality it had before and is out of date: the capture shows no risk "
    f"tier until it is assessed for its modality now ({REASSESS})."
)
STANDS = "Its assessment made before for the modality it has now is shown."


def assess_again(
    session: Session,
    models: ModelLoader,
    capture_id: int,
    assessed: Callable[[int], None],
    compared: Callable[[], None],
) -> Task | None:
    """Assess ``capture_id`` again for its modality now in the task runner; ``assessed`` once an assessment is
    stored, ``compared`` once it has ended whichever way (the views then show what is stored). None: the capture
    was never assessed (nothing to redo; Assess unassessed captures does it)."""
    register, actor, dialogs = session.register, session.actor, session.dialogs
    if not to_assess_again(register, capture_id):
        return None

    def job(progress: ProgressFn, cancel: CancelLike) -> AssessedAgain:
        return assess_for_modality(register, models.load, actor, capture_id, progress, cancel)

    shown = register.assessments.latest(capture_id)  # current before it: none, or one made before for this modality

    def left() -> str:
        return STANDS if register.assessments.latest(capture_id) is not None else LEFT

    def stopped() -> None:
        """Cancelled or failed: an assessment stored before (while comparing) shown, then the comparisons."""
        now = register.assessments.latest(capture_id)
        if now is not None and (shown is None or now.id != shown.id):
            assessed(capture_id)
        compared()

    def done(result: AssessedAgain) -> None:
        if result.assessment is not None:
            assessed(capture_id)
        compared()
        if result.problem:
            dialogs.warning("Capture not assessed again", f"{sentence(result.problem)}\n\n{left()}")
        if result.compare_problem:
            dialogs.error("Comparisons not made again", sentence(result.compare_problem))

    def failed(message: str) -> None:
        stopped()
        dialogs.error("Assessing again failed", f"{sentence(message)}\n\n{left()}")

    def cancelled() -> None:
        stopped()
        dialogs.info("Assessing again: cancelled", f"Assessing the capture again was cancelled. {left()}")

    return session.runner.submit(TASK, job, done, failed, cancelled)
