"""The status bar's Cancel button stops a comparison, a re-assessment and a report: nothing half-written, and
the user is told it was cancelled."""

from __future__ import annotations

import threading
from pathlib import Path

from dermadesk.analysis.synthetic import LesionSpec, jpeg_bytes, synthetic_lesion
from dermadesk.services.captures import CaptureMeta, import_files


class Gate:
    """Wraps ``module.name`` so the worker waits inside it until the test has pressed Cancel."""

    def __init__(self, monkeypatch, module: object, name: str) -> None:
        self.entered, self.release = threading.Event(), threading.Event()
        original = getattr(module, name)

        def gated(*args: object, **kwargs: object) -> object:
            self.entered.set()
            self.release.wait(30)
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, gated)

    def cancel_while_inside(self, qtbot, window) -> None:
        """Wait until the worker is inside, press Cancel, let it go on, wait for the task to end."""
        qtbot.waitUntil(self.entered.is_set, timeout=30000)
        assert window.cancel_btn.isVisible()
        window.cancel_btn.click()
        self.release.set()
        qtbot.waitUntil(lambda: not window.session.runner.running, timeout=60000)


def two_captures(window, tmp_path: Path) -> int:
    reg = window.session.register
    lesion = reg.lesions.add("t", reg.patients.add("t", "CAN-1", "Cancel Button").id, "posterior torso")
    for i, (scale, date) in enumerate([(1.0, "2026-01-01"), (1.3, "2026-03-01")]):
        f = tmp_path / f"c{i}.jpg"
        f.write_bytes(jpeg_bytes(synthetic_lesion(LesionSpec(seed=21, scale=scale))))
        import_files(reg, "t", lesion.id, [f], CaptureMeta(taken_at=date, mm_per_px=0.02))
    window.refresh(lesion.patient_id)
    window.show_lesion(lesion.id)
    return lesion.id


def rows(window, table: str) -> int:
    return window.session.register.database.one(f"SELECT count(*) FROM {table}")[0]


def test_cancel_a_comparison(qtbot, window, dialogs, tmp_path: Path, monkeypatch) -> None:
    import dermadesk.services.tracking as tracking

    two_captures(window, tmp_path)
    stored, audit = rows(window, "comparisons"), rows(window, "audit_log")
    gate = Gate(monkeypatch, tracking, "decode_image")
    window.tabs.setCurrentWidget(window.comparison)  # starts the comparison with the baseline
    gate.cancel_while_inside(qtbot, window)
    ((title, message),) = dialogs.infos
    assert "cancelled" in title.lower() and "nothing was stored" in message
    assert "cancelled" in window.comparison.verdict_text().lower() and window.comparison.result is None
    assert (rows(window, "comparisons"), rows(window, "audit_log")) == (stored, audit)
    assert not dialogs.errors


def test_cancel_a_reassessment(qtbot, window, dialogs, tmp_path: Path, monkeypatch, installed_model: Path) -> None:
    import dermadesk.services.assessment as assessment

    two_captures(window, tmp_path)
    images = sorted(p.name for p in window.session.register.images.root.rglob("*") if p.is_file())
    before = rows(window, "assessments"), rows(window, "audit_log")
    gate = Gate(monkeypatch, assessment, "decode_image")
    window.reassess()
    gate.cancel_while_inside(qtbot, window)
    ((title, message),) = dialogs.infos
    assert "cancelled" in title.lower() and "no new assessment was stored" in message
    assert (rows(window, "assessments"), rows(window, "audit_log")) == before
    assert sorted(p.name for p in window.session.register.images.root.rglob("*") if p.is_file()) == images
    assert not dialogs.errors


def test_cancel_a_report(qtbot, window, dialogs, tmp_path: Path, monkeypatch) -> None:
    import dermadesk.services.reports as reports

    two_captures(window, tmp_path)
    out = tmp_path / "pdf" / "report.pdf"
    out.parent.mkdir()
    dialogs.saves.append(str(out))
    gate = Gate(monkeypatch, reports, "visit_data")
    window.reports.save_lesion_report()
    gate.cancel_while_inside(qtbot, window)
    ((title, message),) = dialogs.infos
    assert "cancelled" in title.lower() and "no file was written" in message
    assert list(out.parent.iterdir()) == []  # no PDF, no partial file
    assert not window.statusBar().currentMessage().startswith("Report saved")
