"""The model the app assesses with: loaded on first use or in the background, reset when settings change."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject, Signal

from dermadesk.domain.errors import DermaDeskError, ModelError
from dermadesk.inference.engine import Assessor
from dermadesk.inference.registry import INSTALL_COMMAND, DefaultRefused, ModelRegistry
from dermadesk.services.progress import CancelLike
from dermadesk.ui.session import Session


class ModelLoader(QObject):
    """Owns the model registry and the (lazily created) assessor for the session's settings."""

    ready = Signal(object)  # Assessor
    failed = Signal(str)

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.registry = ModelRegistry(session.data_dir)
        self._assessor: Assessor | None = None

    def _open(self) -> Assessor:
        settings = self.session.settings
        return Assessor(self.registry.get(settings.model or None), settings.device)

    def assessor(self) -> Assessor | None:
        """The assessor (session created on first use, in whichever thread asks first); None without a model."""
        try:
            return self.load()
        except DermaDeskError:
            return None

    def load(self) -> Assessor:
        """The assessor, opened where it is not yet (in whichever thread asks first); where no model can be used, a
        DermaDeskError saying why in the app's words (``refused_words``), as the status bar's field says it."""
        if self._assessor is None:
            try:
                self._assessor = self._open()
            except DefaultRefused as exc:  # the app's way out, not the command line's options
                raise ModelError(self.refused_words(exc)) from None
        return self._assessor

    def warm_up(self) -> None:
        """Load the model in the background so the status bar can say which device runs it."""

        def job(progress: Callable[[float, str], None], cancel: CancelLike) -> Assessor:
            progress(0.1, "loading model")
            assessor = self.load()
            try:
                assessor.choice  # noqa: B018 - creates the ONNX session
            except Exception:
                self._assessor = None  # not kept: the next use opens it again (and says why it fails)
                raise
            return assessor

        self.session.runner.submit("Loading model", job, self.ready.emit, self.failed.emit)

    def refused_words(self, exc: DefaultRefused) -> str:
        """Why the default model cannot be used and what to do in the app: choose another in Edit > Settings
        (where one is installed); reinstalling has no menu, so the command line's words for it stay."""
        why = exc.refused.message.split(" refused: ", 1)[-1]  # "model X refused: why": named already
        others = [e for e in self.registry.entries() if e.key != f"{exc.refused.name}@{exc.refused.version}"]
        choose = "choose another model in Edit > Settings..., or " if others else ""
        return (
            f"the default model {exc.what} cannot be used: {why}; {choose}have it reinstalled by whoever looks after "
            f"this computer (on the command line: {INSTALL_COMMAND})"
        )

    def reset(self) -> None:
        """Forget the assessor and re-read the installed models (after the settings or the models changed)."""
        self._assessor = None
        self.registry = ModelRegistry(self.session.data_dir)
