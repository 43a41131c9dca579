"""Actions of the main window: calls services, runs slow work in the task runner, updates views."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtCore import QBuffer, QIODevice, QObject, Signal
from PySide6.QtGui import QGuiApplication, QImage

from dermadesk.config import Settings
from dermadesk.domain.errors import DermaDeskError
from dermadesk.inference.engine import Assessor
from dermadesk.inference.registry import ModelRegistry
from dermadesk.services.assessment import assess_fn
from dermadesk.services.captures import CaptureMeta, ImportResult, import_capture, import_files, scan_paths
from dermadesk.storage.register import Register
from dermadesk.ui.dialogs import DialogService
from dermadesk.ui.forms import CaptureDialog, NewPatientDialog
from dermadesk.ui.notices import nothing_to_import, show_import_notice
from dermadesk.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from dermadesk.ui.main_window import MainWindow


class Controller(QObject):
    """Owns the register, settings, the (lazily loaded) assessor and the task runner."""

    model_ready = Signal(object)  # Assessor
    model_failed = Signal(str)
    imported = Signal(object)  # ImportResult

    def __init__(self, register: Register, settings: Settings, dialogs: DialogService, runner: TaskRunner,
                 registry: ModelRegistry | None = None) -> None:
        super().__init__()
        self.register, self.settings, self.dialogs, self.runner = register, settings, dialogs, runner
        self.registry = registry or ModelRegistry(register.data_dir)
        self._assessor: Assessor | None = None
        self.window: MainWindow | None = None
        self.patient_id: int | None = None
        self.lesion_id: int | None = None
        self.compared_pair: tuple[int, int] | None = None  # (baseline, follow-up) capture ids on show

    @property
    def actor(self) -> str:
        return self.settings.actor()

    # -- model -------------------------------------------------------------------------------
    def assessor(self) -> Assessor | None:
        """The assessor (session created on first use, in whichever thread asks first)."""
        if self._assessor is None:
            try:
                self._assessor = Assessor(self.registry.get(self.settings.model or None), self.settings.device)
            except DermaDeskError:
                return None
        return self._assessor

    def warm_up_model(self) -> None:
        """Load the model in the background so the status bar can say which device runs it."""
        def job(progress: Callable[[float, str], None], cancel: Any) -> Assessor:
            progress(0.1, "loading model")
            assessor = Assessor(self.registry.get(self.settings.model or None), self.settings.device)
            assessor.choice  # noqa: B018 - creates the ONNX session
            return assessor

        def done(assessor: Assessor) -> None:
            self._assessor = assessor
            self.model_ready.emit(assessor)

        self.runner.submit("Loading model", job, done, self.model_failed.emit)

    def reset_model(self) -> None:
        self._assessor = None
        self.registry = ModelRegistry(self.register.data_dir)

    # -- patients and lesions ------------------------------------------------------------------
    def new_patient(self) -> int | None:
        dialog = NewPatientDialog(self.window)
        while self.dialogs.run_dialog(dialog):
            try:
                p = self.register.patients.add(self.actor, **dialog.values())
            except DermaDeskError as exc:
                self.dialogs.error("Cannot add patient", str(exc))
                continue
            return p.id
        return None

    def save_patient(self, patient_id: int, changes: dict[str, Any]) -> str | None:
        """Returns an error message, or None when saved."""
        try:
            self.register.patients.update(self.actor, patient_id, **changes)
        except DermaDeskError as exc:
            return str(exc)
        return None

    def place_lesion(self, patient_id: int, view: str, x: float, y: float, site: str) -> int | None:
        if not self.dialogs.confirm("New lesion", f"Add a lesion on the {site} ({view} view) here?"):
            return None
        return self.register.lesions.add(self.actor, patient_id, site, body_view=view, body_x=x, body_y=y).id

    def update_lesion(self, lesion_id: int, changes: dict[str, Any]) -> None:
        try:
            self.register.lesions.update(self.actor, lesion_id, **changes)
        except DermaDeskError as exc:
            self.dialogs.error("Cannot save lesion", str(exc))

    def delete_patient(self, patient_id: int) -> bool:
        p = self.register.patients.get(patient_id)
        if not self.dialogs.confirm("Delete patient", f"Delete {p.name} ({p.mrn})? It can be restored from "
                                    "View > Show deleted patients."):
            return False
        self.register.patients.soft_delete(self.actor, patient_id)
        return True

    def restore_patient(self, patient_id: int) -> None:
        self.register.patients.restore(self.actor, patient_id)

    def save_review(self, capture_id: int, decision: str | None, notes: str) -> None:
        try:
            self.register.captures.review(self.actor, capture_id, decision, notes)
        except DermaDeskError as exc:
            self.dialogs.error("Cannot save review", str(exc))

    # -- getting images in ----------------------------------------------------------------------
    def import_paths(self, lesion_id: int, paths: list[str], ask: bool = True) -> Any:
        files, skipped = scan_paths(paths)
        if not files:
            nothing_to_import(self.dialogs, skipped)
            return None
        meta = CaptureMeta()
        if ask:
            from dermadesk.analysis.decode import read_taken_at

            dialog = CaptureDialog([str(f) for f in files], read_taken_at(files[0]), self.window)
            if not self.dialogs.run_dialog(dialog):
                return None
            meta = dialog.meta()

        def job(progress: Callable[[float, str], None], cancel: Any) -> ImportResult:
            assessor = self.assessor()
            result = import_files(self.register, self.actor, lesion_id, files, meta,
                                  assess_fn(assessor) if assessor else None, progress, cancel)
            result.skipped[:0] = skipped  # what the folder scan passed over, before the import's duplicates
            return result

        return self.runner.submit(f"Importing {len(files)} image(s)", job, self._import_done,
                                  lambda msg: self.dialogs.error("Import failed", msg))

    def paste_image(self, lesion_id: int) -> Any:
        image: QImage = QGuiApplication.clipboard().image()
        if image.isNull():
            self.dialogs.error("Paste", "The clipboard holds no image.")
            return None
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        data = bytes(buffer.data())

        def job(progress: Callable[[float, str], None], cancel: Any) -> ImportResult:
            assessor = self.assessor()
            capture, assessment = import_capture(self.register, self.actor, lesion_id, data, "clipboard.png",
                                                 CaptureMeta(), assess_fn(assessor) if assessor else None)
            return ImportResult([capture], [assessment] if assessment else [])

        return self.runner.submit("Importing pasted image", job, self._import_done,
                                  lambda msg: self.dialogs.error("Paste failed", msg))

    def _import_done(self, result: ImportResult) -> None:
        self.imported.emit(result)
        show_import_notice(self.dialogs, result)  # refused and skipped files named, what a cancel saved

    compared = Signal(object, object, tuple)  # baseline RGB, ChangeResult, (baseline date, follow-up date)
    comparing = Signal()  # a comparison started: the shown one is about to be replaced
    comparison_failed = Signal(str)

    def compare_for_view(self, lesion_id: int, capture_id: int | None) -> Any:
        """Compare ``capture_id`` (default: the latest) with the lesion's first capture, in the background.

        Looking is not a clinical act: nothing is stored (the comparison of record is made on import)."""
        from dermadesk.services.tracking import compare_pair

        captures = self.register.captures.for_lesion(lesion_id)
        if len(captures) < 2:
            self.compared_pair = None
            self.compared.emit(None, None, ("", ""))
            return None
        base = captures[0]
        follow = next((c for c in captures if c.id == capture_id and c.id != base.id), captures[-1])
        return self._run_comparison("Comparing with baseline", base.id, follow.id,
                                    lambda: compare_pair(self.register, base.id, follow.id)[2])

    def _run_comparison(self, name: str, base_id: int, follow_id: int, work: Callable[[], Any]) -> Any:
        base, follow = self.register.captures.get(base_id), self.register.captures.get(follow_id)

        def job(progress: Callable[[float, str], None], cancel: Any) -> Any:
            progress(0.2, "aligning and comparing")
            result = work()
            return result.baseline_image, result  # the working copy the masks and aligned follow-up belong to

        def shown(out: Any) -> None:
            # the pair on screen is the one a manual alignment applies to: set when its result arrives
            self.compared_pair = (base_id, follow_id)
            self.compared.emit(out[0], out[1], (base.taken_at, follow.taken_at))

        self.comparing.emit()
        return self.runner.submit(name, job, shown, lambda msg: self._comparison_failed(name, msg))

    def _comparison_failed(self, name: str, message: str) -> None:
        self.comparison_failed.emit(message)
        self.dialogs.error(f"{name}: not done", message)

    def align_by_hand(self, points: list) -> Any:
        """Recompute and store the shown pair's comparison with the user's point pairs (audited)."""
        from dermadesk.services.tracking import align_by_hand

        if self.compared_pair is None:
            return None
        a, b = self.compared_pair
        return self._run_comparison("Aligning by hand", a, b,
                                    lambda: align_by_hand(self.register, self.actor, a, b, points)[1])

    def reset_alignment(self) -> Any:
        """Back to the automatic alignment for the shown pair (stored and audited)."""
        from dermadesk.services.tracking import reset_alignment

        if self.compared_pair is None:
            return None
        a, b = self.compared_pair
        return self._run_comparison("Automatic alignment", a, b,
                                    lambda: reset_alignment(self.register, self.actor, a, b)[1])

    def reassess(self, capture_id: int) -> Any:
        from dermadesk.services.assessment import assess_capture

        def job(progress: Callable[[float, str], None], cancel: Any) -> Any:
            assessor = self.assessor()
            if assessor is None:
                raise DermaDeskError("no usable model is installed")
            return assess_capture(self.register, assessor, self.actor, capture_id)

        return self.runner.submit("Assessing", job, lambda _: self.imported.emit(ImportResult()),
                                  lambda msg: self.dialogs.error("Assessment failed", msg))


def lesion_trend(register: Register, lesion_id: int) -> tuple[list[str], list[float | None], list[float | None], str]:
    """(dates, areas, malignant %, area unit) for the lesion's trend chart, from stored rows only."""
    from dermadesk.services.tracking import capture_areas

    captures = register.captures.for_lesion(lesion_id)
    areas = capture_areas(register, lesion_id)
    use_mm = bool(areas) and all(v[0] is not None for v in areas.values())
    dates = [c.taken_at for c in captures]
    area_values = [(areas[c.id][0] if use_mm else areas[c.id][1]) if c.id in areas else None for c in captures]
    mal = []
    for c in captures:
        a = register.assessments.latest(c.id)
        mal.append(100 * a.malignant_probability if a else None)
    return dates, area_values, mal, "mm²" if use_mm else "pixels"


def card_text(registry: ModelRegistry, model: str | None) -> tuple[str, str]:
    """(one line about the model, its model card Markdown) for the About dialog."""
    try:
        entry = registry.get(model)
    except DermaDeskError as exc:
        return f"No model: {exc}", ""
    card = entry.manifest_path.parent / (entry.manifest.model_card or "")
    text = card.read_text(encoding="utf-8") if entry.manifest.model_card and card.is_file() else ""
    ba = entry.manifest.evaluation.balanced_accuracy
    line = f"Model **{entry.manifest.name} {entry.manifest.version}** ({entry.source})" + (
        f", test balanced accuracy {ba:.3f}" if isinstance(ba, float) else "")
    return line, text

