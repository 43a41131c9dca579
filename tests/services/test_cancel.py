"""Every long service takes a cancel token: cancelled at any of its checks, it writes nothing (no row, no audit
row, no image, no file) and raises Cancelled."""

from __future__ import annotations

from pathlib import Path

import pytest

from dermadesk.analysis.synthetic import LesionSpec, jpeg_bytes, synthetic_lesion
from dermadesk.config import Settings
from dermadesk.domain.errors import Cancelled
from dermadesk.inference.engine import open_assessor
from dermadesk.services.assessment import assess_capture, assess_fn
from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.services.reports import write_lesion_report, write_patient_summary
from dermadesk.services.tracking import align_by_hand, compare_captures, compare_pair, reset_alignment
from dermadesk.storage.register import Register


class CancelAt:
    """Cancels at its ``at``-th check (1-based): the user pressing Cancel while step ``at`` is under way."""

    def __init__(self, at: int) -> None:
        self.at, self.checks, self.cancelled = at, 0, False

    def raise_if_cancelled(self) -> None:
        self.checks += 1
        if self.checks >= self.at:
            self.cancelled = True
            raise Cancelled("cancelled by the user")


def snapshot(register: Register) -> tuple:
    """Everything a service could write: rows of every table, the audit log, the image files."""
    tables = ("patients", "lesions", "captures", "assessments", "comparisons", "audit_log")
    rows = tuple(register.database.one(f"SELECT count(*) FROM {t}")[0] for t in tables)
    return rows, sorted(p.name for p in register.images.root.rglob("*") if p.is_file())


@pytest.fixture
def lesion(register: Register, tmp_path: Path) -> tuple[int, list[int]]:
    """A lesion with two captures (grown 30 %), imported without a model."""
    les = register.lesions.add("t", register.patients.add("t", "C-1", "Cancel Test").id, "posterior torso")
    ids = []
    for i, (scale, date) in enumerate([(1.0, "2026-01-01"), (1.3, "2026-03-01")]):
        f = tmp_path / f"c{i}.jpg"
        f.write_bytes(jpeg_bytes(synthetic_lesion(LesionSpec(seed=21, scale=scale))))
        ids += [
            c.id
            for c in import_files(
                register, "t", les.id, [f], CaptureMeta(taken_at=date, mm_per_px=0.02), compare=False
            ).captures
        ]
    return les.id, ids


def cancel_anywhere(register: Register, run, folder: Path | None = None) -> object:  # noqa: ANN001
    """Cancel ``run`` at its first check, then its second, ... until it runs to the end: after each cancel
    nothing is written (rows, audit, images, files in ``folder``). Returns what the uncancelled run returned."""
    at = 1
    while True:
        before = snapshot(register), sorted(folder.rglob("*")) if folder and folder.exists() else []
        try:
            done = run(CancelAt(at))
        except Cancelled:
            after = snapshot(register), sorted(folder.rglob("*")) if folder and folder.exists() else []
            assert after == before, f"cancelled at check {at}, yet something was written"
            at += 1
            continue
        assert at >= 3, "the service should check the token between its steps"
        return done


def test_compare_cancelled_stores_no_comparison(register: Register, lesion) -> None:
    _, (a, b) = lesion
    rows = len(register.comparisons.for_lesion(lesion[0]))
    cancel_anywhere(register, lambda token: compare_captures(register, "t", a, b, cancel=token))
    assert len(register.comparisons.for_lesion(lesion[0])) == rows + 1  # the run that was not cancelled
    with pytest.raises(Cancelled):
        compare_pair(register, a, b, cancel=CancelAt(1))


def test_hand_alignment_and_reset_cancelled_store_nothing(register: Register, lesion) -> None:
    _, (a, b) = lesion
    points = [((150.0, 120.0), (150.0, 120.0)), ((450.0, 140.0), (450.0, 140.0)), ((300.0, 380.0), (300.0, 380.0))]
    row, _ = cancel_anywhere(register, lambda token: align_by_hand(register, "t", a, b, points, cancel=token))
    assert row.metrics["registration"]["method"] == "manual"  # now there is a manual alignment to reset
    cancel_anywhere(register, lambda token: reset_alignment(register, "t", a, b, cancel=token))


def test_reassessment_cancelled_stores_no_assessment_and_no_heat_map(
    register: Register, lesion, installed_model, data_dir: Path
) -> None:
    _, (a, _b) = lesion
    assessor = open_assessor(data_dir, device="cpu")
    stored = cancel_anywhere(register, lambda token: assess_capture(register, assessor, "t", a, cancel=token))
    assert [x.id for x in register.assessments.for_capture(a)] == [stored.id]  # only the run not cancelled


def test_reports_cancelled_write_no_file(register: Register, lesion, tmp_path: Path) -> None:
    lesion_id, _ = lesion
    out = tmp_path / "out" / "report.pdf"
    settings = Settings()
    written = cancel_anywhere(
        register, lambda token: write_lesion_report(register, settings, lesion_id, out, cancel=token), out.parent
    )
    assert written.read_bytes()[:5] == b"%PDF-" and [p.name for p in out.parent.iterdir()] == ["report.pdf"]
    summary = tmp_path / "summary" / "summary.pdf"
    cancel_anywhere(
        register, lambda token: write_patient_summary(register, settings, "C-1", summary, cancel=token), summary.parent
    )
    assert [p.name for p in summary.parent.iterdir()] == ["summary.pdf"]


def test_import_cancelled_keeps_whole_captures_only(
    register: Register, installed_model, data_dir: Path, lesion_files: list[Path]
) -> None:
    """(The import's own cancel, kept: whole captures with their assessments, never half of one.)"""
    les = register.lesions.add("t", register.patients.add("t", "C-2", "Import Cancel").id, "head/neck")
    result = import_files(
        register, "t", les.id, lesion_files, None, assess_fn(open_assessor(data_dir, device="cpu")), cancel=CancelAt(2)
    )
    assert result.cancelled and len(result.captures) == 1 and len(result.assessments) == 1
    assert [c.id for c in register.captures.for_lesion(les.id)] == [result.captures[0].id]
