"""New patient... and the patient form ask before a patient likely registered already is added or made: born the
same day, the name the same or alike. The question names the existing patient(s): Open the existing patient, Add
(Save) anyway, or Cancel. A real window over a real register; the answers given by the scripted dialogs."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from dermadesk.services import register_ops as ops
from dermadesk.ui.dialogs import DialogService
from dermadesk.ui.likely_duplicates import ADD, OPEN, SAVE

QUESTION = "Patient likely already registered"


def typed(mrn: str, name: str, birth: str = "12.03.1961"):
    """A New patient dialog filler; it keeps what it found in the fields when it was opened (``seen``)."""

    def fill(d) -> bool:
        fill.seen = (d.mrn.text(), d.name.text(), d.birth.text())  # type: ignore[attr-defined]
        d.mrn.setText(mrn)
        d.name.setText(name)
        d.birth.setText(birth)
        return True

    return fill


def existing(window, mrn: str = "C-1001", name: str = "José Núñez", born: str = "1961-03-12") -> int:
    pid = ops.add_patient(window.session.register, "t", mrn, name, born).id
    window.refresh()
    return pid


def test_cancel_goes_back_to_the_dialog_as_typed_and_adds_nothing(qtbot, window, dialogs) -> None:
    existing(window)
    again = typed("C-2001", "jose nunez")
    dialogs.fillers.extend([typed("C-2001", "jose nunez"), again, lambda d: False])
    dialogs.choices.extend(["cancel", "cancel"])
    window.new_patient()
    (title, message), *_ = dialogs.questions
    assert title == QUESTION and dialogs.offered[0] == [OPEN, ADD]  # and Cancel
    assert message.startswith(
        "jose nunez, born 12 Mar 1961, may already be registered:\n"
        "• C-1001 José Núñez, born 12 Mar 1961 (same name and birth date)\n\n"
        "Open the existing patient to add lesions and images there"
    )
    assert message.endswith("If this is another person (e.g. a twin), add anyway.")
    assert again.seen == ("C-2001", "jose nunez", "12.03.1961")  # the dialog again, as typed
    assert window.session.register.patients.count() == 1 and not dialogs.errors


def test_open_the_existing_patient_shows_it_and_adds_nothing(qtbot, window, dialogs) -> None:
    jose = existing(window)
    other = existing(window, "C-1500", "Ada Lovelace", "1915-12-10")
    window.show_patient(other)
    dialogs.fillers.append(typed("C-2001", "Nunez, Jose"))
    dialogs.choices.append(OPEN)
    window.new_patient()
    assert window.selection.patient_id == jose and window.patients.current_patient_id() == jose
    assert window.patient_form.title() == "Patient C-1001" and window.patient_form.name.text() == "José Núñez"
    assert window.session.register.patients.count() == 2


def test_add_anyway_adds_a_twin_and_another_first_name_is_not_asked_about(qtbot, window, dialogs) -> None:
    existing(window, "C-1001", "Anna Smith", "1990-05-01")
    dialogs.fillers.extend([typed("C-1002", "Alice Smith", "1990-05-01"), typed("C-1003", "A. Smith", "1990-05-01")])
    dialogs.choices.append(ADD)
    window.new_patient()  # Alice: her twin Anna is not the same person, nothing asked
    window.new_patient()  # "A. Smith": Anna or Alice, asked
    assert len(dialogs.questions) == 1 and "• C-1001 Anna Smith" in dialogs.questions[0][1]
    assert "• C-1002 Alice Smith" in dialogs.questions[0][1]
    assert "(Open the existing patient opens C-1002.)" in dialogs.questions[0][1]  # which of the two: A before N
    reg = window.session.register
    added = reg.patients.by_mrn("C-1003")
    assert window.selection.patient_id == added.id
    assert [e.action for e in reg.audit.entries("patient", added.id)] == ["create"]  # audited as any add


def test_a_deleted_patient_counts_and_opening_it_lists_the_deleted_ones(qtbot, window, dialogs) -> None:
    jose = existing(window, "C-1001", "Юлия Петрова", "1961-03-12")
    ops.delete_patient(window.session.register, "t", jose)
    window.refresh()
    dialogs.fillers.append(typed("C-2001", "Julia Petrova"))
    dialogs.choices.append(OPEN)
    window.new_patient()
    message = dialogs.questions[0][1]
    assert (
        "• C-1001 Юлия Петрова, born 12 Mar 1961 (same name and birth date) — deleted: to restore it, Patient > "
        "Restore patient once it is open (View > Show deleted patients lists it)" in message
    )
    assert window.show_deleted.isChecked() and window.selection.patient_id == jose
    assert window.patient_form.title() == "Patient C-1001 (deleted)"


def test_editing_a_name_to_another_patients_asks_before_saving(qtbot, window, dialogs) -> None:
    jose = existing(window)
    jorge = existing(window, "C-2002", "Jorge Núñez")  # a twin: added without a question
    window.show_patient(jorge)
    form, reg = window.patient_form, window.session.register
    form.name.setText("jose  NUNEZ")
    dialogs.choices.append("cancel")
    form.save.click()
    title, message = dialogs.questions[-1]
    assert title == "Likely the same patient" and dialogs.offered[-1] == [OPEN, SAVE]
    assert message.startswith(
        "With this name and birth date, patient C-2002 looks like another patient already registered:\n"
        "• C-1001 José Núñez, born 12 Mar 1961 (same name and birth date)\n\n"
        "Open the existing patient instead (the changes to C-2002 are not saved)."
    )
    assert reg.patients.get(jorge).name == "Jorge Núñez" and form.name.text() == "jose  NUNEZ"  # kept, not saved
    assert form.error.text().startswith("likely the same patient as C-1001 José Núñez (same name and birth date)")
    dialogs.choices.append(OPEN)
    form.save.click()
    assert window.selection.patient_id == jose and form.name.text() == "José Núñez"
    assert reg.patients.get(jorge).name == "Jorge Núñez"  # the typing let go, as the question said
    window.show_patient(jorge)
    form.birth.setText("1961-03-13")  # another birth date: nobody alike, saved without a question
    form.save.click()
    assert reg.patients.get(jorge).birth_date == "1961-03-13" and len(dialogs.questions) == 2
    form.name.setText("José Núñez")
    form.birth.setText("12.03.1961")
    dialogs.choices.append(SAVE)
    form.save.click()
    assert (reg.patients.get(jorge).name, reg.patients.get(jorge).birth_date) == ("José Núñez", "1961-03-12")


def test_leaving_a_patient_with_such_an_edit_asks_save_anyway_or_cancel(qtbot, window, dialogs) -> None:
    jose = existing(window)
    jorge = existing(window, "C-2002", "Jorge Núñez")
    window.show_patient(jorge)
    window.patient_form.name.setText("José Núñez")
    dialogs.choices += ["save", "cancel"]  # "Unsaved changes ... Save them now?" Save; then Cancel here
    window.show_patient(jose)
    assert dialogs.offered == [[SAVE]]  # no Open here: the user is on the way elsewhere already
    assert window.selection.patient_id == jorge and window.patient_form.name.text() == "José Núñez"  # refused, kept
    assert dialogs.errors[-1][0] == "Patient details not saved"


def test_the_real_question_has_the_three_buttons_open_by_default_escape_cancels(qtbot) -> None:
    service, seen = DialogService(None), []

    def answer(pick: str | None) -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):  # not shown yet
            QTimer.singleShot(20, lambda: answer(pick))
            return
        seen.append(([b.text() for b in box.buttons()], box.defaultButton().text()))
        if pick is None:
            box.reject()  # Escape
        else:
            next(b for b in box.buttons() if b.text() == pick).click()

    for pick in (ADD, None, OPEN):
        QTimer.singleShot(0, lambda p=pick: answer(p))
        assert service.choose(QUESTION, "C-1001 José Núñez ...", [OPEN, ADD]) == pick
    buttons, default = seen[0]
    assert sorted(buttons) == sorted([OPEN, ADD, "Cancel"]) and default == OPEN
