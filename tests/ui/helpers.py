"""Helpers for the UI tests: add a patient through the dialog, click the body map, wait for imports."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer

from dermadesk.services.captures import ImportResult


def add_patient(window, dialogs, mrn: str = "UI-1", name: str = "Ui Tester") -> int:
    def fill(d) -> bool:
        d.mrn.setText(mrn)
        d.name.setText(name)
        d.birth.setText("1977-03-04")
        d.sex.setCurrentText("male")
        return True

    dialogs.fillers.append(fill)
    window.new_patient()
    return window.c.patient_id


def click_body(qtbot, window, view: str, x: float, y: float) -> None:
    bm = window.lesions.body_map
    pos = bm.to_widget(view, x, y)
    qtbot.mouseClick(bm, Qt.MouseButton.LeftButton, pos=pos.toPoint())


def wait_import(qtbot, window, timeout: int = 30000) -> ImportResult:
    with qtbot.waitSignal(window.c.imported, timeout=timeout) as blocker:
        pass
    return blocker.args[0]


class LatencyProbe:
    """A timer that should fire every ``interval_ms``; ``worst`` is the largest delay beyond that (a stalled
    event loop). Use as a context manager around the work."""

    def __init__(self, interval_ms: int = 10) -> None:
        self.interval_ms = interval_ms
        self.delays: list[float] = []
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.delays.append((now - self._last) * 1000 - self.interval_ms)
        self._last = now

    def __enter__(self) -> LatencyProbe:
        self._last = time.perf_counter()
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.stop()

    @property
    def worst(self) -> float:
        return max(self.delays, default=0.0)
