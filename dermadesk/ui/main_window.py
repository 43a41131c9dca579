"""The main window composes the views, menus, shortcuts and status bar; actions live in Controller."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QLabel, QMainWindow, QProgressBar, QPushButton, QSplitter, QTabWidget, QVBoxLayout,
                               QWidget)

from dermadesk.contract import DISCLAIMER
from dermadesk.inference.engine import Assessor
from dermadesk.services.captures import ImportResult
from dermadesk.services.tracking import latest_change
from dermadesk.ui.assessment_view import AssessmentView
from dermadesk.ui.comparison_view import ComparisonView
from dermadesk.ui.controller import Controller, card_text, lesion_trend
from dermadesk.ui.forms import AboutDialog, SettingsDialog
from dermadesk.ui.image_loader import ImageLoader
from dermadesk.ui.patient_list import PatientListView
from dermadesk.ui.patient_panel import LesionPanel, PatientForm
from dermadesk.ui.tasks import Task
from dermadesk.ui.timeline import THUMB_SOURCE_SIDE, TimelineView


class MainWindow(QMainWindow):
    def __init__(self, controller: Controller) -> None:
        super().__init__()
        self.c = controller
        controller.window = self
        reg = controller.register
        self.setWindowTitle("DermaDesk: decision support, not a diagnosis")
        self.resize(1400, 900)
        self.patients = PatientListView(reg)
        self.patient_form = PatientForm()
        self.lesions = LesionPanel()
        self.timeline = TimelineView()
        self.images = ImageLoader(self)
        self.assessment = AssessmentView()
        self.comparison = ComparisonView(controller.dialogs)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.assessment, "Assessment")
        self.tabs.addTab(self.comparison, "Change since baseline")
        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(self.patient_form)
        top.addWidget(self.lesions)
        top.setStretchFactor(1, 2)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(top)
        right.addWidget(self.timeline)
        right.addWidget(self.tabs)
        right.setStretchFactor(2, 3)
        right.setSizes([270, self.timeline.height(), 640])  # most of the height for the assessment
        main = QSplitter(Qt.Orientation.Horizontal)
        main.addWidget(self.patients)
        main.addWidget(right)
        main.setStretchFactor(1, 4)
        main.setSizes([280, 1120])
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(main)
        self.setCentralWidget(central)
        self._status_bar()
        self._menus()
        self._connect()
        self.setTabOrder(self.patients.search, self.patients.list)
        self.setTabOrder(self.patients.list, self.patient_form.mrn)

    # -- construction ---------------------------------------------------------------------------
    def _status_bar(self) -> None:
        bar = self.statusBar()
        self.data_label = QLabel(f"Data: {self.c.register.data_dir}")
        self.model_label = QLabel("Model: loads on first use")
        self.device_label = QLabel("Device: -")
        self.gpu_warning = QLabel()
        self.gpu_warning.setStyleSheet("color: #b00020; font-weight: bold")
        self.progress = QProgressBar(maximumWidth=220)
        self.progress.setRange(0, 1000)
        self.cancel_btn = QPushButton("Cancel")
        for w in (self.progress, self.cancel_btn):
            w.hide()
        for w in (self.data_label, self.model_label, self.device_label, self.gpu_warning):
            bar.addWidget(w)
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.cancel_btn)
        self.cancel_btn.clicked.connect(self.c.runner.cancel_all)

    def _action(self, menu: object, text: str, slot: object, shortcut: QKeySequence | str | None = None) -> QAction:
        act = QAction(text, self)
        if shortcut:
            act.setShortcut(QKeySequence(shortcut))
        act.triggered.connect(slot)
        menu.addAction(act)  # type: ignore[attr-defined]
        return act

    def _menus(self) -> None:
        m = self.menuBar()
        f = m.addMenu("&File")
        self._action(f, "&New patient...", self.new_patient, QKeySequence.StandardKey.New)
        self._action(f, "&Import images...", self.import_images, "Ctrl+I")
        self._action(f, "Import &folder...", self.import_folder, "Ctrl+Shift+I")
        self._action(f, "&Paste image", self.paste_image, "Ctrl+Shift+V")
        f.addSeparator()
        self._action(f, "Save lesion &report (PDF)...", self.save_report, "Ctrl+P")
        self._action(f, "Save patient &summary (PDF)...", self.save_summary, "Ctrl+Shift+P")
        self._action(f, "Pri&nt lesion report...", self.print_report, "Ctrl+Alt+P")
        from dermadesk.ui.transfer_dialog import add_transfer_actions  # File > Export / Import patients...
        add_transfer_actions(self, f)
        f.addSeparator()
        self._action(f, "&Quit", self.close, QKeySequence.StandardKey.Quit)
        e = m.addMenu("&Edit")
        self._action(e, "&Find patient", self.focus_search, QKeySequence.StandardKey.Find)
        self._action(e, "&Settings...", self.open_settings, "Ctrl+,")
        v = m.addMenu("&View")
        self._action(v, "&Next capture", lambda: self.timeline.step(1), "Ctrl+Right")
        self._action(v, "&Previous capture", lambda: self.timeline.step(-1), "Ctrl+Left")
        self.show_deleted = self._action(v, "Show &deleted patients", self.toggle_deleted)
        self.show_deleted.setCheckable(True)
        p = m.addMenu("&Patient")
        self._action(p, "&Delete patient...", self.delete_patient, "Ctrl+Delete")
        self._action(p, "&Restore patient", self.restore_patient)
        self._action(p, "Re-&assess capture", self.reassess)
        h = m.addMenu("&Help")
        self._action(h, "&About DermaDesk and the model...", self.about, QKeySequence.StandardKey.HelpContents)

    def _connect(self) -> None:
        c = self.c
        self.patients.patient_selected.connect(self.show_patient)
        self.patient_form.save_requested.connect(self.save_patient)
        self.lesions.lesion_selected.connect(self.show_lesion)
        self.lesions.place_requested.connect(self.place_lesion)
        self.lesions.update_requested.connect(self.update_lesion)
        self.timeline.capture_selected.connect(self.show_capture)
        self.timeline.files_dropped.connect(self.drop_files)
        self.lesions.list.files_dropped.connect(lambda lid, paths: self.c.import_paths(lid, paths))
        self.assessment.review_saved.connect(self.save_review)
        c.imported.connect(self.after_import)
        c.compared.connect(self.show_comparison)
        self.comparison.align_requested.connect(c.align_by_hand)
        self.comparison.reset_requested.connect(c.reset_alignment)
        c.comparing.connect(lambda: self.comparison.set_busy(True))
        c.comparison_failed.connect(lambda _: self.comparison.set_busy(False))
        self.tabs.currentChanged.connect(lambda _: self.refresh_comparison())
        c.model_ready.connect(self.model_loaded)
        c.model_failed.connect(lambda msg: self.model_label.setText(f"Model: NOT AVAILABLE ({msg})"))
        c.runner.started.connect(self.task_started)
        c.runner.ended.connect(self.task_ended)

    # -- status ---------------------------------------------------------------------------------
    def model_loaded(self, assessor: Assessor) -> None:
        choice = assessor.choice
        self.model_label.setText(f"Model: {assessor.entry.manifest.name} {assessor.entry.manifest.version}")
        self.device_label.setText(f"Device: {choice.status_text}")
        self.device_label.setToolTip(choice.note or "")
        self.gpu_warning.setText(f"⚠ {choice.warning}" if choice.warning else "")

    def task_started(self, task: Task) -> None:
        task.signals.progress.connect(self.task_progress)
        self.progress.setValue(0)
        self.progress.setFormat(task.name)
        self.progress.show()
        self.cancel_btn.show()

    def task_progress(self, fraction: float, message: str) -> None:
        self.progress.setValue(int(fraction * 1000))
        self.progress.setFormat(message[:40])
        self.statusBar().showMessage(message, 3000)

    def task_ended(self, _task: Task) -> None:
        if not self.c.runner.running:
            self.progress.hide()
            self.cancel_btn.hide()

    # -- views ----------------------------------------------------------------------------------
    def show_patient(self, patient_id: int) -> None:
        self.c.patient_id = patient_id
        p = self.c.register.patients.get(patient_id)
        self.patient_form.show_patient(p)
        self.lesions.show_lesions(self.c.register.lesions.for_patient(patient_id))

    def show_lesion(self, lesion_id: int, select_capture: int | None = None) -> None:
        self.c.lesion_id = lesion_id if lesion_id >= 0 else None
        if lesion_id < 0:
            self.timeline.show_captures([])
            return
        reg = self.c.register
        rows = [(cap, reg.assessments.latest(cap.id), reg.images.path(cap.image_sha256))
                for cap in reg.captures.for_lesion(lesion_id)]
        self.timeline.show_captures(rows, select_capture, self.images)

    def show_capture(self, capture_id: int) -> None:
        reg = self.c.register
        if capture_id < 0:
            self.assessment.show_capture(None, None)
            return
        cap = reg.captures.get(capture_id)
        a = reg.assessments.latest(capture_id)
        if self.tabs.currentWidget() is self.comparison:
            self.refresh_comparison()
        view = self.assessment
        view.show_capture(cap, a)
        self.show_change_line()
        # the thumbnail stands in while the full image is read and decoded off the GUI thread
        view.set_capture_image(cap.id, self.images.cached(cap.image_sha256, THUMB_SOURCE_SIDE))
        self.images.load(cap.image_sha256, reg.images.path(cap.image_sha256), None,
                         lambda image: view.set_capture_image(cap.id, image), group="capture")
        if a and a.cam_sha256:
            self.images.load(a.cam_sha256, reg.images.path(a.cam_sha256), None,
                             lambda overlay: view.set_capture_overlay(cap.id, overlay), group="heat map")

    def show_change_line(self) -> None:
        """The assessment panel's line on the shown capture's change since the baseline (stored comparison)."""
        cap = self.assessment.capture
        change = latest_change(self.c.register, cap.id) if cap is not None else None
        if change is None:
            self.assessment.show_change(None)
            return
        since = self.c.register.captures.get(change.baseline_capture_id).taken_at
        self.assessment.show_change(change.verdict, change.reasons[0] if change.reasons else "", since)

    def refresh_comparison(self) -> None:
        if self.tabs.currentWidget() is self.comparison and self.c.lesion_id is not None:
            self.c.compare_for_view(self.c.lesion_id, self.timeline.current_capture_id())

    def show_comparison(self, baseline: object, result: object, dates: tuple) -> None:
        self.comparison.show_result(baseline, result, dates)  # type: ignore[arg-type]
        self.show_change_line()  # a comparison just stored (e.g. aligned by hand) may change it
        if self.c.lesion_id is not None:
            self.comparison.chart.set_points(*lesion_trend(self.c.register, self.c.lesion_id))

    def refresh(self, patient_id: int | None = None) -> None:
        self.patients.model.refresh()
        target = patient_id or self.c.patient_id
        if target is not None:
            self.patients.select_patient(target)
            self.show_patient(target)

    # -- actions --------------------------------------------------------------------------------
    def new_patient(self) -> None:
        pid = self.c.new_patient()
        if pid is not None:
            self.patients.search.clear()
            self.refresh(pid)

    def save_patient(self, changes: dict) -> None:
        if self.c.patient_id is None or not changes:
            return
        error = self.c.save_patient(self.c.patient_id, changes)
        if error:
            self.patient_form.show_error(error)
        else:
            self.refresh()

    def place_lesion(self, view: str, x: float, y: float, site: str) -> None:
        if self.c.patient_id is None:
            return
        lid = self.c.place_lesion(self.c.patient_id, view, x, y, site)
        if lid is not None:
            self.lesions.show_lesions(self.c.register.lesions.for_patient(self.c.patient_id), lid)

    def update_lesion(self, lesion_id: int, changes: dict) -> None:
        self.c.update_lesion(lesion_id, changes)
        if self.c.patient_id is not None:
            self.lesions.show_lesions(self.c.register.lesions.for_patient(self.c.patient_id), lesion_id)

    def _need_lesion(self) -> int | None:
        if self.c.lesion_id is None:
            self.c.dialogs.error("No lesion selected", "Select a lesion (or place one on the body map) first.")
        return self.c.lesion_id

    def import_images(self) -> None:
        if (lid := self._need_lesion()) is not None:
            files = self.c.dialogs.open_files("Import images")
            if files:
                self.c.import_paths(lid, files)

    def import_folder(self) -> None:
        if (lid := self._need_lesion()) is not None:
            folder = self.c.dialogs.open_folder("Import a folder of images")
            if folder:
                self.c.import_paths(lid, [folder])

    def drop_files(self, paths: list) -> None:
        if (lid := self._need_lesion()) is not None:
            self.c.import_paths(lid, paths)

    def paste_image(self) -> None:
        if (lid := self._need_lesion()) is not None:
            self.c.paste_image(lid)

    def after_import(self, result: ImportResult) -> None:
        if self.c.lesion_id is not None:
            last = result.captures[-1].id if result.captures else self.timeline.current_capture_id()
            self.show_lesion(self.c.lesion_id, last)

    def save_review(self, capture_id: int, decision: object, notes: str) -> None:
        self.c.save_review(capture_id, decision, notes)  # type: ignore[arg-type]
        self.statusBar().showMessage("Notes and decision saved", 3000)

    def reassess(self) -> None:
        cid = self.timeline.current_capture_id()
        if cid is not None:
            self.c.reassess(cid)

    def delete_patient(self) -> None:
        if self.c.patient_id is not None and self.c.delete_patient(self.c.patient_id):
            self.c.patient_id = None
            self.patient_form.show_patient(None)
            self.lesions.show_lesions([])
            self.patients.model.refresh()

    def restore_patient(self) -> None:
        pid = self.patients.current_patient_id()
        if pid is not None:
            self.c.restore_patient(pid)
            self.refresh(pid)

    def toggle_deleted(self, checked: bool) -> None:
        self.patients.model.include_deleted = checked
        self.patients.model.refresh()

    def focus_search(self) -> None:
        self.patients.search.setFocus()
        self.patients.search.selectAll()

    def save_report(self) -> None:
        from dermadesk.ui.report_actions import save_lesion_report

        save_lesion_report(self)

    def save_summary(self) -> None:
        from dermadesk.ui.report_actions import save_patient_summary

        save_patient_summary(self)

    def print_report(self) -> None:
        from dermadesk.ui.report_actions import print_lesion_report

        print_lesion_report(self)

    def open_settings(self) -> None:
        c = self.c
        models = [e.key for e in c.registry.entries()]
        dialog = SettingsDialog(c.settings, c.register.data_dir, models, self)
        if c.dialogs.run_dialog(dialog):
            new = dialog.result_settings()
            changed_model = (new.model, new.device) != (c.settings.model, c.settings.device)
            c.settings = new
            new.save(c.register.data_dir)
            if changed_model:
                c.reset_model()
                c.warm_up_model()

    def about(self) -> None:
        line, card = card_text(self.c.registry, self.c.settings.model or None)
        self.c.dialogs.run_dialog(AboutDialog(line, card or DISCLAIMER, self))

    def closeEvent(self, event: object) -> None:  # noqa: N802 - Qt API
        self.c.runner.cancel_all()
        self.c.runner.wait(10000)
        self.images.pool.waitForDone(10000)
        super().closeEvent(event)  # type: ignore[arg-type]
