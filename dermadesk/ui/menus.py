"""The main window's menu bar: File, Edit, View, Patient, Help.

One ``QAction`` may stand in two menus (New patient... in File and in Patient), so its shortcut and its text
are one; Help > User guide (F1) opens the guide for clinic staff; Help > Open the demo register... starts the demo as
the first-run guide's button does.
"""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from dermadesk.ui.first_run import open_demo
from dermadesk.ui.larger_images import LargerImages
from dermadesk.ui.user_guide import show_user_guide

DEMO_TIP = "Opens synthetic patients in a separate window, to look around; your register is not touched"


def add_action(window: Any, menu: QMenu, text: str, slot: Callable, shortcut: Any = None) -> QAction:
    """A new action in ``menu``, owned by ``window``, calling ``slot`` when triggered."""
    act = QAction(text, window)
    if shortcut:
        act.setShortcut(QKeySequence(shortcut))
    act.triggered.connect(lambda _=False: slot())
    menu.addAction(act)
    return act


def build_menus(window: Any) -> None:
    """Fill ``window``'s menu bar; sets ``window.maintenance``, ``window.corrections``, ``window.show_deleted``,
    ``window.new_patient_action``, ``window.quit_action``, ``window.demo_action``, ``window.assess_all``,
    ``window.compare_with_reviewed`` and ``window.watch``."""
    from dermadesk.ui.assess_all import add_assess_all  # Patient > Assess unassessed captures; no model: said
    from dermadesk.ui.confirm_change import add_compare_with_reviewed  # an estimated ⚠ CHANGED confirmed
    from dermadesk.ui.correction_wiring import install  # Undo, Redo, edit/move/delete/restore, context menus
    from dermadesk.ui.maintenance import add_maintenance_actions  # Back up, Restore, Check, Export register
    from dermadesk.ui.operator_change import change_operator
    from dermadesk.ui.register_watch import add_refresh  # View > Refresh, and the watch for changes made elsewhere
    from dermadesk.ui.transfer_dialog import add_transfer_actions  # File > Export / Import patients...

    w, m = window, window.menuBar()
    f = m.addMenu("&File")
    w.new_patient_action = add_action(w, f, "&New patient...", w.new_patient, QKeySequence.StandardKey.New)
    add_action(w, f, "&Import images...", w.c.import_images, "Ctrl+I")
    add_action(w, f, "Import &folder...", w.c.import_folder, "Ctrl+Shift+I")
    add_action(w, f, "Pas&te image", w.c.paste_image, "Ctrl+Shift+V")
    f.addSeparator()
    add_action(w, f, "Save lesion &report as PDF...", lambda: w.reports.save_lesion_report(), "Ctrl+Shift+S")
    add_action(  # for a referrer, a registry or teaching: no name, MRN or birth date
        w, f, "Save de-identified lesi&on report as PDF...", lambda: w.reports.save_lesion_report(deidentified=True)
    )
    add_action(w, f, "Save patient &summary as PDF...", w.reports.save_patient_summary, "Ctrl+Shift+P")
    add_action(  # the same, every lesion by number and site
        w, f, "Save de-identified patient summar&y as PDF...", lambda: w.reports.save_patient_summary(deidentified=True)
    )
    add_action(w, f, "&Print lesion report...", w.reports.print_lesion_report, QKeySequence.StandardKey.Print)
    add_action(w, f, "Print pre&view of lesion report...", w.reports.preview_lesion_report)  # what Print would print
    add_action(w, f, "Print patient s&ummary...", w.reports.print_patient_summary)
    add_action(w, f, "Print previe&w of patient summary...", w.reports.preview_patient_summary)
    add_transfer_actions(w, f)
    f.addSeparator()
    w.maintenance = add_maintenance_actions(w, f)
    f.addSeparator()
    w.quit_action = add_action(w, f, "&Quit", w.close, QKeySequence.StandardKey.Quit)  # the demo: Close the demo
    e = m.addMenu("&Edit")
    add_action(w, e, "&Find patient", w.focus_search, QKeySequence.StandardKey.Find)
    add_action(w, e, "&Settings...", w.open_settings, "Ctrl+,")
    # the next person at a shared workstation: edits typed so far are settled under the name they were typed by
    add_action(w, e, "Change &operator...", lambda: change_operator(w), "Ctrl+Shift+O")
    w.corrections = install(w, e)
    v = m.addMenu("&View")
    w.watch = add_refresh(w, v)  # F5; and by itself every two seconds where the register changed elsewhere
    v.addSeparator()
    add_action(w, v, "&Next capture", lambda: w.timeline.step(1), "Ctrl+Right")
    add_action(w, v, "&Previous capture", lambda: w.timeline.step(-1), "Ctrl+Left")
    w.larger_images = LargerImages(w, v)
    w.show_deleted = QAction("Show &deleted patients", w, checkable=True)
    w.show_deleted.triggered.connect(w.toggle_deleted)
    v.addAction(w.show_deleted)
    v.addSeparator()  # the status bar's messages, read again after they timed out (ui.status_messages)
    add_action(w, v, "Recent &messages...", lambda: w.status.messages.show_recent())
    p = m.addMenu("&Patient")
    p.addAction(w.new_patient_action)  # the same action as File > New patient... (one shortcut, two menus)
    p.addSeparator()
    add_action(w, p, "&Delete patient...", w.delete_patient, "Ctrl+Delete")
    add_action(w, p, "&Restore patient", w.restore_patient)
    add_action(w, p, "Re-&assess capture", w.reassess)
    w.assess_all = add_assess_all(w, p)
    w.compare_with_reviewed = add_compare_with_reviewed(w, p)  # Patient > Compare with the reviewed capture
    h = m.addMenu("&Help")
    add_action(w, h, "&User guide", lambda: show_user_guide(w), "F1")  # for clinic staff, offline, in the app
    add_action(w, h, "&About DermaDesk and the model...", w.about)
    h.addSeparator()
    w.demo_action = add_action(w, h, "Open the &demo register...", open_demo)
    w.demo_action.setStatusTip(DEMO_TIP)
    w.demo_action.setToolTip(DEMO_TIP)
