"""An image dated before a lesion's baseline becomes its baseline; where it cannot be compared with the later
captures ("cannot tell": another view, another lesion's look), the growth measured against the old baseline that
nobody answered still stands: the ⚠ CHANGED flag is not lost, and its note says against which capture it was
measured. A real SQLite register, real synthetic images compared by the real pipeline."""

from __future__ import annotations

from pathlib import Path

from dermadesk.analysis.synthetic import LesionSpec, jpeg_bytes, synthetic_lesion
from dermadesk.services.attention import lesion_flag
from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.services.since_review import TELLS
from dermadesk.services.standing import significant_change
from dermadesk.storage.register import Register


def add(register: Register, lid: int, tmp_path: Path, day: str, spec: LesionSpec) -> int:
    path = tmp_path / f"{day}.jpg"
    path.write_bytes(jpeg_bytes(synthetic_lesion(spec, 320, 240)))
    return import_files(register, "t", lid, [path], CaptureMeta(taken_at=day, mm_per_px=0.02)).captures[0].id


def test_an_older_image_that_cannot_tell_keeps_the_growth_flag(register: Register, tmp_path: Path) -> None:
    lid = register.lesions.add("t", register.patients.add("t", "O-1", "Old Er").id, "lower extremity").id
    add(register, lid, tmp_path, "2026-01-05", LesionSpec(seed=5))
    grown = add(register, lid, tmp_path, "2026-03-05", LesionSpec(seed=5, scale=1.4))
    before = significant_change(register, lid)
    assert before is not None and before.capture.id == grown
    older = add(register, lid, tmp_path, "2025-06-01", LesionSpec(seed=6, scale=0.5))
    assert register.captures.for_lesion(lid)[0].id == older  # the new baseline
    now = {
        r.followup_capture_id: r.verdict for r in register.comparisons.for_lesion(lid) if r.baseline_capture_id == older
    }
    assert now.get(grown) not in TELLS, now  # the new baseline cannot tell (or was not compared)
    change = significant_change(register, lid)
    assert change is not None and change.capture.id == grown and change.reasons == before.reasons
    assert change.note.endswith("since the capture of 5 Jan 2026)"), change.note
    assert lesion_flag(register, lid)[0] == "⚠ CHANGED"
