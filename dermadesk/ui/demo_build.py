"""The demo register, built in the background: the window paints at once, a progress dialog says what is
happening (issue 16: a black, empty window for about 25 seconds), and the first patient opens when it is done."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QProgressDialog

from dermadesk.services.progress import CancelLike
from dermadesk.ui.tasks import Task

if TYPE_CHECKING:
    from dermadesk.ui.main_window import MainWindow

PREPARING = "Preparing the demo register…"


def demo_job(window: MainWindow) -> Callable[[Callable[[float, str], None], CancelLike], Any]:
    """The work (run in the task runner's pool): load the model, then make the synthetic patients with it."""
    from dermadesk.services.assessment import assess_fn
    from dermadesk.services.demo import seed_demo

    models, register = window.models, window.session.register

    def job(progress: Callable[[float, str], None], cancel: CancelLike) -> Any:
        progress(0.0, f"{PREPARING}\nloading the model")
        assessor = models.assessor()  # the ONNX session is made here, off the GUI thread
        if assessor is not None:
            assessor.choice  # noqa: B018 - opens the session on the device it chose

        def step(fraction: float, message: str) -> None:
            progress(0.1 + 0.9 * fraction, f"{PREPARING}\n{message}")

        seed_demo(register, "demo", assess_fn(assessor) if assessor else None, step, cancel)
        return assessor

    return job


class DemoProgress(QProgressDialog):
    """The window-modal progress of the build; its slots die with it (a late signal after the window closed finds
    no receiver instead of a deleted widget)."""

    def __init__(self, window: MainWindow, on_ready: Callable[[], None] | None) -> None:
        super().__init__(PREPARING, "", 0, 1000, window)
        self.window_, self.on_ready = window, on_ready
        self.setWindowTitle("DermaDesk demo")
        self.setCancelButton(None)  # closing the window stops it
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumDuration(0)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setMinimumWidth(420)
        # the step on its own line, wrapped where long: the dialog keeps its size, so one long line was cut off
        label = QLabel(PREPARING)
        label.setWordWrap(True)
        label.setMinimumHeight(label.fontMetrics().lineSpacing() * 3 + 4)
        self.setLabel(label)

    def progressed(self, fraction: float, message: str) -> None:
        self.setValue(int(fraction * 1000))
        self.setLabelText(message)

    def done(self, assessor: Any) -> None:
        self.close()
        window = self.window_
        if assessor is not None:
            window.model_loaded(assessor)
        window.refresh()
        if window.patients.model.ids:  # open on the first patient so a newcomer sees every view at once
            first = window.patients.model.ids[0]
            window.patients.select_patient(first)
            window.show_patient(first)
        if self.on_ready is not None:
            self.on_ready()

    def failed(self, message: str) -> None:
        self.close()
        self.window_.session.dialogs.error("The demo register could not be built", message)


def build_demo(window: MainWindow, on_ready: Callable[[], None] | None = None) -> tuple[Task, DemoProgress]:
    """Start building the demo register in ``window``'s register; a window-modal dialog shows the progress."""
    dialog = DemoProgress(window, on_ready)
    window.guide.hide()  # not "Welcome ... open the demo register" behind it: the (empty) views, filled when done
    window.panes.show()
    task = window.session.runner.submit(PREPARING, demo_job(window), dialog.done, dialog.failed, dialog.close)
    task.signals.progress.connect(dialog.progressed)
    dialog.show()
    return task, dialog
