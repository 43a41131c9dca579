"""Demo register: synthetic patients, lesions and procedurally generated images, clearly labelled."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


from dermadesk.analysis.synthetic import (
    BLUE_GREY,
    DARK_BROWN,
    LesionSpec,
    jpeg_bytes,
    label_synthetic,
    synthetic_lesion,
)
from dermadesk.services.captures import AssessFn, CaptureMeta, import_capture
from dermadesk.services.tracking import compare_latest_with_baseline
from dermadesk.services.progress import NEVER, CancelLike, ProgressFn, no_progress
from dermadesk.storage.register import Register

SYNTHETIC_NOTE = (
    "SYNTHETIC DEMO DATA: procedurally generated images, not a real patient. The model should decline drawings "
    "like these (NOT ASSESSABLE, no risk tier); a real dermoscopic image gets a risk tier."
)
DEMO_NOTICE = (
    "This is the demo register: made-up patients with computer-drawn lesion images, discarded when the window "
    "closes.\n\nThe drawings are not photographs of skin, so the model declines to assess them: every demo "
    "capture shows NOT ASSESSABLE and no risk tier. That is the model working as it should, not a fault.\n\n"
    "A real dermoscopic image of good quality, imported into your own register, gets a risk tier (low, monitor, "
    "refer or urgent) with a recommendation. Everything else (body map, timeline, comparison between visits, reports, "
    "corrections) works in the demo as it does for real."
)


DEMO_NOTICE_TITLE = "Demo register: synthetic images, no risk tier"
SLIPPED_TITLE = "Demo register: synthetic images"


def demo_notice(register: Register) -> tuple[str, str]:
    """The demo's opening notice (title, text), true to what the model did with the drawings: where one got a risk
    tier after all, it names it and says the check that declines such images is a safeguard, not a guarantee."""
    slipped, total = [], 0
    for patient in register.patients.search(""):
        for lesion in register.lesions.for_patient(patient.id):
            for capture in register.captures.for_lesion(lesion.id):
                total += 1
                latest = register.assessments.latest(capture.id)
                if latest is not None and latest.assessable:
                    slipped.append(f"{patient.mrn} {lesion.title}, {(latest.risk_tier or '').upper()}")
    if not slipped:
        return DEMO_NOTICE_TITLE, DEMO_NOTICE
    first, rest = DEMO_NOTICE.split("\n\n", 1)
    rest = rest.split("\n\n", 1)[1]  # the paragraph that says every capture is declined, said as it happened
    happened = (
        f"The drawings are not photographs of skin, and the model should decline them: {total - len(slipped)} of "
        f"{total} demo captures show NOT ASSESSABLE and no risk tier. {len(slipped)} got a risk tier although "
        f"{'it is a drawing' if len(slipped) == 1 else 'they are drawings'} ({'; '.join(slipped)}): the check that "
        "declines images unlike dermoscopy is a safeguard, not a guarantee. That tier means nothing; import only "
        "dermoscopic photographs of skin."
    )
    return SLIPPED_TITLE, f"{first}\n\n{happened}\n\n{rest}"


@dataclass(frozen=True)
class DemoLesion:
    site: str
    label: str
    view: str
    x: float
    y: float
    specs: tuple[LesionSpec, ...]  # one per visit, oldest first
    months_apart: int = 6


DEMO: tuple[tuple[str, str, str, str, str, tuple[DemoLesion, ...]], ...] = (
    (
        "DEMO-0001",
        "Alex Demo (synthetic)",
        "1968-04-12",
        "female",
        "II",
        (
            DemoLesion(
                "posterior torso",
                "left scapula",
                "back",
                0.42,  # the back view: the patient's left is on the viewer's left
                0.22,
                (
                    LesionSpec(seed=11),
                    LesionSpec(seed=11, scale=1.05),
                    LesionSpec(seed=11, scale=1.25, blob_colour=BLUE_GREY),
                ),
            ),
            DemoLesion(
                "lower extremity",
                "right shin",
                "front",
                0.42,
                0.78,
                (LesionSpec(seed=12, radius=0.16), LesionSpec(seed=12, radius=0.16)),
            ),
        ),
    ),
    (
        "DEMO-0002",
        "Σοφία Παπαδοπούλου (synthetic)",
        "1985-09-30",
        "female",
        "III",
        (
            DemoLesion(
                "anterior torso",
                "sternum",
                "front",
                0.5,
                0.25,
                (
                    LesionSpec(seed=21, core=DARK_BROWN, irregularity=0.25),
                    LesionSpec(seed=21, core=DARK_BROWN, irregularity=0.25),
                ),
            ),
        ),
    ),
    (
        "DEMO-0003",
        "Иван Петров (synthetic)",
        "1950-01-20",
        "male",
        "I",
        (
            DemoLesion("head/neck", "left cheek", "front", 0.53, 0.07, (LesionSpec(seed=31, radius=0.12, hair=4),)),
            DemoLesion(
                "upper extremity",
                "right forearm",
                "front",
                0.19,
                0.37,
                (LesionSpec(seed=32, irregularity=0.3), LesionSpec(seed=32, irregularity=0.3, scale=1.1)),
            ),
        ),
    ),
)


def seed_demo(
    register: Register,
    actor: str,
    assess: AssessFn | None,
    progress: ProgressFn = no_progress,
    cancel: CancelLike = NEVER,
    today: dt.date | None = None,
) -> int:
    """Create the demo patients; returns the number of captures made."""
    today = today or dt.date.today()
    total = sum(len(les.specs) for _, _, _, _, _, lesions in DEMO for les in lesions)
    done = 0
    for mrn, name, birth, sex, skin, lesions in DEMO:
        patient = register.patients.add(actor, mrn, name, birth, sex, skin, SYNTHETIC_NOTE)
        for d in lesions:
            lesion = register.lesions.add(actor, patient.id, d.site, d.label, body_view=d.view, body_x=d.x, body_y=d.y)
            for visit, spec in enumerate(d.specs):
                cancel.raise_if_cancelled()
                months_ago = d.months_apart * (len(d.specs) - 1 - visit)
                taken = (today - dt.timedelta(days=30 * months_ago)).isoformat()
                data = jpeg_bytes(label_synthetic(synthetic_lesion(spec)))
                import_capture(
                    register,
                    actor,
                    lesion.id,
                    data,
                    f"synthetic-{mrn}-{lesion.id}-{visit + 1}.jpg",
                    CaptureMeta(taken_at=taken, polarisation="polarised", mm_per_px=0.02, notes=SYNTHETIC_NOTE),
                    assess,
                )
                done += 1
                progress(done / total, f"demo capture {done} of {total}")
            compare_latest_with_baseline(register, actor, lesion.id)
    return done
