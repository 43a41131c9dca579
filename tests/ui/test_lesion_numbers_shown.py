"""A user sees a lesion as "Lesion 2", its number within the patient, everywhere: the lesion list, the body map,
the import dialog, the edit dialog, the report and its default file name (issue 16: a nurse saw database ids,
"#7" and "#12", on one patient)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt

from dermadesk.analysis.synthetic import LesionSpec, jpeg_bytes, synthetic_lesion
from dermadesk.ui.body_map import marker_text
from dermadesk.ui.correction_dialogs import LesionEditDialog
from tests.ui.helpers import saved_report_text, wait_import


def test_the_list_map_dialogs_and_report_show_the_patients_lesion_number(qtbot, window, dialogs, tmp_path) -> None:
    reg = window.session.register
    other = reg.patients.add("u", "O-1", "Other Patient")
    for _ in range(5):  # ids 1..5 go to another patient
        reg.lesions.add("u", other.id, "head/neck")
    p = reg.patients.add("u", "C-7", "Cy Seven")
    first, gone, third = (
        reg.lesions.add("u", p.id, "anterior torso", f"spot {i}", body_view="front", body_x=0.5, body_y=0.3 + i / 20)
        for i in range(3)
    )
    reg.lesions.soft_delete("u", gone.id)
    assert (first.id, third.id, third.number) == (6, 8, 3)
    window.refresh()
    window.patients.select_patient(p.id)
    window.show_patient(p.id)
    items = [window.lesions.list.item(i) for i in range(window.lesions.list.count())]
    full = [i.data(Qt.ItemDataRole.UserRole + 1)[0] for i in items]  # the rows' full names
    assert full == ["Lesion 1 · spot 0 · anterior torso", "Lesion 3 · spot 2 · anterior torso"]
    assert [i.text().startswith(n) for i, n in zip(items, ("Lesion 1", "Lesion 3"))] == [True, True]
    assert (
        items[1].toolTip().startswith("Lesion 3 · spot 2 · anterior torso, monitoring")
        and "#" not in items[1].toolTip()
    )
    assert [marker_text(les) for les in window.lesions.body_map.lesions] == ["1", "3"]
    dialog = LesionEditDialog(reg.lesions.get(third.id))
    assert dialog.windowTitle() == "Edit lesion 3"
    dialog.deleteLater()

    window.lesions.select_lesion(third.id)
    assert window.selection.lesion_id == third.id
    assert window.c._lesion_words(third.id).startswith("Lesion 3 · spot 2 · anterior torso of C-7")
    image = tmp_path / "c.jpg"
    image.write_bytes(jpeg_bytes(synthetic_lesion(LesionSpec(seed=5))))
    window.c.import_paths(third.id, [str(image)], ask=False)
    wait_import(qtbot, window)
    asked: list[str] = []
    save_file = dialogs.save_file

    def record(title: str, suggested: str, filter_: str) -> str | None:
        asked.append(suggested)
        return save_file(title, suggested, filter_)

    dialogs.save_file = record  # type: ignore[method-assign]
    text = saved_report_text(qtbot, window, dialogs, tmp_path / "r.pdf")
    assert Path(asked[-1]).name == f"C-7_lesion-3_{dt.date.today().isoformat()}.pdf"
    assert "Lesion 3 · spot 2 · anterior torso Status: monitoring" in text  # named as in the app
    assert "#8" not in text and "lesion 8" not in text.lower()
