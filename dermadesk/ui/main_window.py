"""The main window composes the views, menus, shortcuts and status bar, and shows what the selection says.

Actions live in their own objects (``Controller``, ``ComparisonActions``, ``ReportActions``), given the session
and the selection by the composition root (``ui.app``); the window reads through services, never repositories.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QMainWindow, QTabWidget, QVBoxLayout, QWidget

from dermadesk.contract import DISCLAIMER
from dermadesk.inference.engine import Assessor
from dermadesk.services import advice
from dermadesk.services import register_ops as ops
from dermadesk.services import tracking
from dermadesk.services.captures import ImportResult
from dermadesk.services.explain import model_thresholds
from dermadesk.services.models import about_model
from dermadesk.services.shown_follow_up import capture_follow_up
from dermadesk.services.standing import change_answered
from dermadesk.ui.assessment_view import AssessmentView
from dermadesk.ui.comparison_actions import ComparisonActions
from dermadesk.ui.comparison_view import ComparisonPictures, ComparisonView
from dermadesk.ui.controller import Controller
from dermadesk.ui.first_run import MISSED, NEED_PATIENT, NEXT_STEP, install_guide
from dermadesk.ui.forms import AboutDialog
from dermadesk.ui.image_loader import ImageLoader
from dermadesk.ui.menus import build_menus
from dermadesk.ui.model_loader import ModelLoader
from dermadesk.ui.operator import say_if_not_kept, show_operator
from dermadesk.ui.patient_list import PatientListView
from dermadesk.ui.patient_form import PatientForm
from dermadesk.ui.patient_panel import LesionPanel
from dermadesk.ui.report_actions import SAVED_MESSAGE_MS, ReportActions
from dermadesk.ui.saves import save_lesion, save_patient, save_review
from dermadesk.ui.selection import CAPTURE, LESION, PATIENT, Selection
from dermadesk.ui.session import Session
from dermadesk.ui.settings_dialog import SettingsDialog
from dermadesk.ui.short_screen import compose, fit_prompt, room_for_tabs, tabs_with_row
from dermadesk.ui.status_fields import NOT_AVAILABLE, StatusFields
from dermadesk.ui.tasks import Task
from dermadesk.ui.timeline import THUMB_SOURCE_SIDE, TimelineView
from dermadesk.ui.unsaved import may_close, settle, settle_switch
from dermadesk.ui.widgets import fit_to_screen, window_content


class MainWindow(QMainWindow):
    def __init__(
        self,
        session: Session,
        selection: Selection,
        controller: Controller,
        comparisons: ComparisonActions,
        reports: ReportActions,
        models: ModelLoader,
    ) -> None:
        super().__init__()
        self.session, self.selection, self.c = session, selection, controller
        self.comparisons, self.reports, self.models = comparisons, reports, models
        self._select_capture: int | None = None  # the capture to select when a lesion is shown next
        self._keep: tuple[int | None, int | None] | None = None  # (lesion, capture) kept while a patient is re-shown
        self.setWindowTitle("DermaDesk: decision support, not a diagnosis")
        fit_to_screen(self, 1400, 900)
        self.patients = PatientListView(session.register)
        self.patient_form = PatientForm()
        self.lesions = LesionPanel()
        self.timeline = TimelineView()
        self.images = ImageLoader(self)
        self.assessment = AssessmentView(dialogs=session.dialogs)  # "Other…" months asked through them
        self.comparison = ComparisonView(session.dialogs)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.assessment, "Assessment")
        self.tabs.addTab(self.comparison, "Change since baseline")
        self.tabs_box, self.above_tabs = tabs_with_row(self.tabs)  # a wide prompt goes above them
        self.prompt: Any = None  # the referral prompt (ui.correction_wiring), placed by ``place_prompt``
        main = compose(self)  # the splitters and their panes (ui.short_screen)
        main.splitterMoved.connect(lambda *_: self.fit_prompt())
        self.guide = install_guide(self, main, self.panes)  # an empty register: a short guide instead of empty views
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(main)
        self.setCentralWidget(window_content(central))  # scrolls only on a screen smaller than the panes' minimum
        self._status_bar()
        build_menus(self)  # ui.menus
        self._connect()
        self.setTabOrder(self.patients.search, self.patients.list)
        self.setTabOrder(self.patients.list, self.patient_form.mrn)

    # -- construction ---------------------------------------------------------------------------
    def place_prompt(self, prompt: Any) -> None:  # the referral prompt: beside the tab titles, or above them
        self.prompt = prompt
        self.selection.changed.connect(lambda _what: QTimer.singleShot(0, self, self.fit_prompt))
        self.fit_prompt()

    def fit_prompt(self) -> None:
        fit_prompt(self.tabs, self.above_tabs, self.tabs_box, self.prompt)
        room_for_tabs(self)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        QTimer.singleShot(0, self, self.fit_prompt)  # dropped where the window is gone by then
        self.status.fit()

    def _status_bar(self) -> None:
        self.status = StatusFields(self.statusBar(), self.session)
        st = self.status  # its fields, by the names the views and tests use
        self.data_label, self.model_label, self.device_label = st.data_label, st.model_label, st.device_label
        self.gpu_warning, self.operator_label, self.progress, self.cancel_btn = (
            st.gpu_warning, st.operator_label, st.progress, st.cancel_btn,
        )  # fmt: skip

    def _connect(self) -> None:
        c, sel = self.c, self.selection
        self.patients.patient_selected.connect(self.show_patient)
        self.patient_form.save_requested.connect(self.save_patient)
        self.lesions.lesion_selected.connect(self.show_lesion)
        self.lesions.place_requested.connect(self.place_lesion)
        self.lesions.body_map.missed.connect(lambda: self.statusBar().showMessage(MISSED, 5000))  # not silent
        self.lesions.update_requested.connect(self.update_lesion)
        self.lesions.leaving = lambda keep_in_sight: not settle(self, keep_in_sight).stays
        self.timeline.capture_selected.connect(self.show_capture)
        self.timeline.files_dropped.connect(c.drop_files)
        self.lesions.list.files_dropped.connect(lambda lid, paths: c.import_paths(lid, paths))
        self.assessment.review_saved.connect(self.save_review)
        sel.changed.connect(self._selection_changed)
        c.imported.connect(self.after_import)
        c.open_requested.connect(self.open_existing)
        c.reviewed.connect(lambda cid: self.assessment.review_stored(ops.capture(self.session.register, cid)))
        c.reviewed.connect(lambda _: self.show_change_line())  # a decision may answer the change: the tier's advice
        c.assessed.connect(lambda capture_id: self._show_lesion_again(capture_id))
        cmp_ = self.comparisons
        cmp_.compared.connect(self.show_comparison)
        cmp_.nothing.connect(self.comparison.show_nothing)  # no captures, or only one: said, no empty frames
        self.comparison.align_requested.connect(cmp_.align_by_hand)
        self.comparison.reset_requested.connect(cmp_.reset_alignment)
        cmp_.comparing.connect(lambda: self.comparison.set_busy(True))
        cmp_.comparison_failed.connect(lambda _: self.comparison.set_busy(False))
        cmp_.alignment_refused.connect(self.comparison.alignment_refused)
        cmp_.comparison_cancelled.connect(self.comparison.show_cancelled)
        self.tabs.currentChanged.connect(lambda _: self.refresh_comparison())
        self.reports.saved.connect(lambda message: self.statusBar().showMessage(message, SAVED_MESSAGE_MS))
        self.models.ready.connect(self.model_loaded)
        self.models.failed.connect(lambda msg: self.model_label.setText(f"{NOT_AVAILABLE} ({msg})"))
        self.session.runner.started.connect(self.task_started)
        self.session.runner.ended.connect(self.task_ended)

    # -- status ---------------------------------------------------------------------------------
    def model_loaded(self, assessor: Assessor) -> None:
        choice = assessor.choice
        self.model_label.setText(f"Model: {assessor.entry.manifest.name} {assessor.entry.manifest.version}")
        self.device_label.setText(f"Device: {choice.status_text}")
        # the technical note (never the plain wording again): "running on CPU: …" and "CPU (no CUDA GPU found)"
        self.device_label.setToolTip("\n".join(t for t in (choice.note, choice.technical_text) if t))
        self.gpu_warning.setText(f"⚠ {choice.warning}" if choice.warning else "")
        self.status.fit()

    def task_started(self, task: Task) -> None:
        task.said_before = self.statusBar().currentMessage()  # its end said where nothing was said meanwhile
        task.signals.progress.connect(self.task_progress)
        self.progress.setValue(0)
        self.progress.set_text(task.name)
        self.progress.show()
        self.cancel_btn.show()
        self.status.fit()

    def task_progress(self, fraction: float, message: str) -> None:
        """The task's words once, in its progress bar (the status line said them too, both cut at 150 %)."""
        self.progress.setValue(int(fraction * 1000))
        self.progress.set_text(message)
        self.status.fit()  # the bar as wide as its words, where the status bar has room

    def task_ended(self, task: Task) -> None:
        if self.statusBar().currentMessage() in (task.said_before, ""):  # nothing else said meanwhile: its end
            self.statusBar().showMessage(task.ended_text(), 5000)
        if not self.session.runner.running:
            self.progress.hide()
            self.cancel_btn.hide()
            self.status.fit()

    # -- views: what the selection says ---------------------------------------------------------------------------
    def show_patient(self, patient_id: int | None) -> None:
        # unsaved typing saved or let go first, for the record it was typed for (chosen in the list while asked)
        settled = settle_switch(self, self.patients.put_back, self.selection.patient_id, patient_id)
        if settled.stays:  # Cancel, or a refusal: the record stays, typing and all; the list's names as saved
            self.patients.put_back(self.selection.patient_id, refresh=settled.renamed)
            return
        self.selection.set_patient(patient_id)
        if settled.renamed and patient_id is not None:  # the list shows the saved details
            self.patients.model.refresh()
            self.patients.select_patient(patient_id)

    def show_lesion(self, lesion_id: int | None, select_capture: int | None = None) -> None:
        if settle_switch(self, self.lesions.put_back, self.selection.lesion_id).stays:  # its form as typed
            return
        kept_lesion, kept_capture = self._keep or (self.selection.lesion_id, self.selection.capture_id)
        if select_capture is None and lesion_id is not None and lesion_id == kept_lesion:
            select_capture = kept_capture  # the same lesion shown again (its list refreshed): on the same capture
        self._select_capture = select_capture
        self.selection.set_lesion(lesion_id)

    def show_capture(self, capture_id: int | None) -> None:
        if settle_switch(self, self.timeline.put_back, self.selection.capture_id, capture_id).stays:
            return
        self.selection.set_capture(capture_id)

    def _selection_changed(self, what: str) -> None:
        {PATIENT: self._patient_shown, LESION: self._lesion_shown, CAPTURE: self._capture_shown}[what]()

    def _patient_shown(self) -> None:
        pid = self.selection.patient_id
        self.patients.showing(pid)
        self.patient_form.show_patient(ops.patient(self.session.register, pid) if pid is not None else None)
        kept = self._keep[0] if self._keep else None
        self.lesions.show_lesions(ops.lesions_of(self.session.register, pid) if pid is not None else [], kept)

    def _lesion_shown(self) -> None:
        lid, select, self._select_capture = self.selection.lesion_id, self._select_capture, None
        if lid is None:
            self.timeline.show_captures([])
            return
        rows = [(e.capture, e.assessment, e.image_path) for e in ops.lesion_captures(self.session.register, lid)]
        self.timeline.show_captures(rows, select, self.images)

    def _capture_shown(self) -> None:
        view, cid = self.assessment, self.selection.capture_id
        if cid is None:
            view.show_capture(None, None)
            self.refresh_comparison()  # a lesion with no capture: the Change tab says so
            return
        entry = ops.capture_entry(self.session.register, cid)
        cap = entry.capture
        if self.tabs.currentWidget() is self.comparison:
            self.refresh_comparison()
        a = entry.assessment
        view.show_capture(cap, a, model_thresholds(self.models.registry, a.model_name, a.model_version) if a else None)
        self.show_change_line()
        # the thumbnail stands in while the full image is read and decoded off the GUI thread
        view.set_capture_image(cap.id, self.images.cached(cap.image_sha256, THUMB_SOURCE_SIDE))
        self.images.load(
            cap.image_sha256,
            entry.image_path,
            None,
            lambda image: view.set_capture_image(cap.id, image),
            group="capture",
        )
        if entry.assessment and entry.cam_path:
            self.images.load(
                entry.assessment.cam_sha256 or "",
                entry.cam_path,
                None,
                lambda overlay: view.set_capture_overlay(cap.id, overlay),
                group="heat map",
            )

    def _show_lesion_again(self, capture_id: int | None = None) -> None:
        """After new captures or assessments: the lesion's timeline again, on ``capture_id``."""
        if self.selection.lesion_id is not None:
            self.show_lesion(self.selection.lesion_id, capture_id or self.timeline.current_capture_id())

    def show_change_line(self) -> None:
        """The assessment panel's line on the shown capture's change since the baseline (stored comparison), and the
        advice under its tier as that change and the decisions on it shape it (``advice.capture_advice``)."""
        cap, reg = self.assessment.capture, self.session.register
        line = tracking.change_line(reg, cap.id) if cap is not None else None
        if line is None:
            self.assessment.show_change(None)
        else:
            self.assessment.show_change(line.verdict, line.first_reason, line.baseline, change_answered(reg, cap.id))
        follow_up = capture_follow_up(reg, cap.id) if cap is not None else None  # the lesion's, beside the advice
        self.assessment.show_advice(advice.capture_advice(reg, cap.id) if cap is not None else None, follow_up)

    def refresh_comparison(self) -> None:
        if self.tabs.currentWidget() is self.comparison and self.selection.lesion_id is not None:
            self.comparisons.compare_selected()

    def show_comparison(self, pictures: ComparisonPictures | None, result: object, dates: tuple) -> None:
        self.comparison.show_result(pictures, result, dates)  # type: ignore[arg-type]
        self.show_change_line()  # a comparison just stored (e.g. aligned by hand) may change it
        self.show_trend()

    def show_trend(self) -> None:
        if (lid := self.selection.lesion_id) is not None:
            self.comparison.chart.set_trend(tracking.lesion_trend(self.session.register, lid))

    def refresh(self, patient_id: int | None = None) -> None:
        """The patient list again, and ``patient_id`` (else the shown patient) shown: the shown patient again on the
        lesion and capture on screen (a patient save jumped to the first lesion and its latest capture)."""
        self.patients.model.refresh()
        target, sel = patient_id or self.selection.patient_id, self.selection
        if target is not None:
            self._keep = (sel.lesion_id, sel.capture_id) if target == sel.patient_id else None
            try:
                self.patients.select_patient(target)
                self.show_patient(target)
            finally:
                self._keep = None

    # -- actions that change what is shown -------------------------------------------------------------------------
    def new_patient(self) -> None:
        pid = self.c.new_patient()
        if pid is not None:
            self.corrections.record_new_patient(pid)  # Edit > Undo add patient
            self.patients.search.clear()
            self.refresh(pid)
            p = ops.patient(self.session.register, pid)
            self.statusBar().showMessage(
                f"Patient {p.mrn} added: click the body map where a lesion is to place it", SAVED_MESSAGE_MS
            )

    def save_patient(self, changes: dict) -> None:
        save_patient(self, changes)  # the patient list's names again; the lesion and capture on screen kept

    def open_existing(self, patient_id: int) -> None:
        """The existing patient chosen over adding (saving) one likely the same: shown, a deleted one too (the
        deleted patients listed, for Patient > Restore patient)."""
        if ops.patient(self.session.register, patient_id).deleted_at and not self.show_deleted.isChecked():
            self.show_deleted.setChecked(True)
            self.toggle_deleted(True)
        self.patients.search.clear()
        self.refresh(patient_id)

    def place_lesion(self, view: str, x: float, y: float, site: str) -> None:
        if (pid := self.selection.patient_id) is None:
            self.session.dialogs.info("No patient selected", NEED_PATIENT)
            return
        lid = self.c.place_lesion(pid, view, x, y, site)
        if lid is not None:  # the next step said ("Patient ... added: click the body map" stood on after it)
            self.lesions.show_lesions(ops.lesions_of(self.session.register, pid), lid)
            les = ops.lesion(self.session.register, lid)
            self.statusBar().showMessage(f"{les.title} added ({les.sided_site}): {NEXT_STEP}", SAVED_MESSAGE_MS)

    def update_lesion(self, lesion_id: int, changes: dict) -> None:
        save_lesion(self, lesion_id, changes)  # said in the status bar: which fields it saved

    def after_import(self, result: ImportResult) -> None:
        """The new capture's assessment, follow-ups too: its risk tier is what must be seen first, and the
        panel's change line gives the verdict since the baseline (compared by the import); the Change tab is
        one click away."""
        if result.captures:
            self.tabs.setCurrentWidget(self.assessment)
        self._show_lesion_again(result.captures[-1].id if result.captures else None)

    def save_review(self, capture_id: int, decision: object, notes: str) -> None:
        save_review(self, capture_id, decision, notes)  # type: ignore[arg-type]  # said: what, for which capture

    def reassess(self) -> None:
        if (cid := self.selection.capture_id) is not None:
            self.c.reassess(cid)

    def delete_patient(self) -> None:  # on the undo stack: Edit > Undo brings the patient back
        if (pid := self.selection.patient_id) is not None:
            self.corrections.delete_patient(pid)

    def restore_patient(self) -> None:
        if (pid := self.patients.current_patient_id()) is not None:
            self.corrections.restore_patient(pid)

    def toggle_deleted(self, checked: bool) -> None:
        self.patients.model.include_deleted = checked
        self.patients.model.refresh()

    def focus_search(self) -> None:
        self.larger_images.set_on(False)  # the list shown again, to search in
        self.patients.search.setFocus()
        self.patients.search.selectAll()

    def open_settings(self) -> None:
        s = self.session
        models = [e.key for e in self.models.registry.entries()]
        dialog = SettingsDialog(s.settings, s.data_dir, models, self, s.dialogs, s.register)
        if s.dialogs.run_dialog(dialog):
            if s.save_settings(dialog.result_settings()):
                self.models.reset()  # another model or device: load it now, so the status bar says which
                self.models.warm_up()
            say_if_not_kept(s)
        show_operator(self.operator_label, s)

    def about(self) -> None:
        line, card = about_model(self.models.registry, self.session.settings.model or None)
        self.session.dialogs.run_dialog(AboutDialog(line, card or DISCLAIMER, self))

    def closeEvent(self, event: object) -> None:  # noqa: N802 - Qt API
        if not may_close(self):  # typed notes or details not saved: Save, Discard, or Cancel the close
            event.ignore()  # type: ignore[attr-defined]
            return
        self.session.runner.cancel_all(quiet=True)
        self.session.runner.wait(10000)
        self.images.pool.waitForDone(10000)
        super().closeEvent(event)  # type: ignore[arg-type]
