"""A capture's modality corrected: its assessment made again for the modality it has now.

An assessment is made for the modality its capture had then (``storage.assessments``). Once the modality is corrected
(Edit capture, ``capture edit --modality``, an undo of either) the one made before is out of date and shows nowhere:
no tier made for a dermoscopic image stands for a capture now said to be clinical. The capture is assessed again for
its modality now (a clinical capture, with a model validated on dermoscopic images only: NOT ASSESSABLE, with the
reason), then the comparisons that recorded its tier before are compared again (``reassessed``), so the change line,
the trend and the ⚠ flags no longer read that tier. Where no model can be used (or assessing fails) the comparisons are
compared again all the same; the capture then says "assessment out of date" with what to do (``outdated_words``).
The app runs it in the task runner (``ui.modality_reassess``), ``capture edit`` at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dermadesk.domain.errors import Cancelled, DermaDeskError
from dermadesk.domain.records import Assessment, Comparison
from dermadesk.services.progress import NEVER, CancelLike, ProgressFn, no_progress
from dermadesk.services.reassessed import compare_after_assessment
from dermadesk.storage.register import Register

if TYPE_CHECKING:  # the model is loaded only to assess: the views and reports read ``outdated_words`` alone
    from dermadesk.inference.engine import Assessor

TO_ASSESS = "Patient > Re-assess capture"  # the app's way (``ui.not_assessed.REASSESS``)


@dataclass
class AssessedAgain:
    """What assessing a capture again for its modality now did: ``assessment`` the one stored (None: none, and
    ``problem`` says why), ``compared`` the comparisons stored after it (those made with the tier before)."""

    capture_id: int
    assessment: Assessment | None = None
    problem: str = ""
    compared: list[Comparison] = field(default_factory=list)
    compare_problem: str = ""  # why the comparisons were not all made again ('' where they were)


def to_assess_again(register: Register, capture_id: int) -> bool:
    """True where the capture was assessed before (after a modality correction it is assessed again, even where one
    made for its modality now is stored from before: a model since may say otherwise; never assessed: left so)."""
    return register.assessments.any_for(capture_id)


def outdated_words(register: Register, capture_id: int, how: str = TO_ASSESS) -> str:
    """ "assessment out of date: it was made for a dermoscopic image, the capture is now clinical; assess it again
    (Patient > Re-assess capture)", where the capture's modality was corrected since its last assessment ('' where an
    assessment is current, or none was ever made). ``how``: the way to assess it, as the surface says it."""
    old = register.assessments.outdated(capture_id)
    if old is None:
        return ""
    now = register.captures.get(capture_id).modality
    made = f"made for a {old.modality} image" if old.modality else "made before its modality was corrected"
    return f"assessment out of date: it was {made}, the capture is now {now}; assess it again ({how})"


def assess_for_modality(
    register: Register,
    open_assessor: Callable[[], Assessor],
    actor: str,
    capture_id: int,
    progress: ProgressFn = no_progress,
    cancel: CancelLike = NEVER,
) -> AssessedAgain:
    """Assess ``capture_id`` again for its modality now (a new row; the earlier ones kept), then compare again the
    comparisons that recorded another outcome for it. ``open_assessor`` gives the model (a DermaDeskError where none
    can be used: said in ``problem``, nothing assessed, the comparisons compared all the same). A cancel stops it
    (``Cancelled``); what was stored before stays."""
    from dermadesk.services.assessment import assess_capture

    done = AssessedAgain(capture_id)
    try:
        progress(0.0, "loading the model")
        assessor = open_assessor()
        done.assessment = assess_capture(
            register, assessor, actor, capture_id, lambda f, text: progress(0.5 * f, text), cancel
        )
    except Cancelled:
        raise
    except DermaDeskError as exc:
        done.problem = str(exc)
    cancel.raise_if_cancelled()
    try:
        compare_after_assessment(
            register, actor, [capture_id], lambda f, text: progress(0.5 + 0.5 * f, text), cancel, stored=done.compared
        )
    except Cancelled:
        raise
    except DermaDeskError as exc:  # those stored before it are in ``compared``
        done.compare_problem = str(exc)
    return done
