"""File > Export patients: the message after an export says what the package holds with the captures' images and
the assessments' heat maps counted apart, as the command line does ("... 2 assessments, 1 comparison, with 3 images
and 2 heat maps, to ..."). A real register, a real package, real widgets."""

from __future__ import annotations

from pathlib import Path

from dermadesk.ui.transfer_dialog import ExportDialog
from tests.services.test_transfer_files import three_captures_two_assessed


def test_the_export_message_counts_images_and_heat_maps_apart(qtbot, window, dialogs, tmp_path: Path) -> None:
    three_captures_two_assessed(window.session.register)
    out = tmp_path / "week.ddtx"

    def fill_export(d: ExportDialog) -> bool:
        d.everyone.setChecked(True)
        d.no_encrypt.setChecked(True)
        d.out.setText(str(out))
        return True

    dialogs.fillers.append(fill_export)
    window.transfer_actions.export_patients()
    qtbot.waitUntil(lambda: bool(dialogs.infos), timeout=30000)
    [(title, message)] = dialogs.infos
    assert title == "Export patients" and message.startswith(
        "Exported 1 patient, 1 lesion, 3 captures, 2 assessments, 1 comparison, with 3 images and 2 heat maps, to "
        f"{out} ("
    )
