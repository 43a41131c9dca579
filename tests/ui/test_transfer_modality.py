"""File > Import patients...: a package whose capture was corrected to clinical on the other workstation brings the
modality, and the assessment made there for a clinical image with it: the preview lists the change, the notice says
it with the capture's assessment now (NOT ASSESSABLE) before the comparisons it made again, and the Assessment tab,
the timeline and the lesion list show no tier made for a dermoscopic image. Real window, real registers, a real
package, the tiny ONNX model, comparisons by the real pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest

from dermadesk.services.transfer import export_patients
from dermadesk.storage.register import Register
from tests.services.test_since_review import DAYS
from tests.services.test_transfer_modality import BROUGHT, WITH_ITS_OWN, corrected_on_the_laptop
from tests.services.test_transfer_review_compares import MRN, ids_by_day

SAID = (
    "Capture of 16 Feb 2026, Lesion 1 of T-9 Tom Transfer: modality dermoscopic → clinical, as corrected in the "
    "package; its assessment for a clinical image: NOT ASSESSABLE, no risk tier. 1 lesion compared again: the package "
    "brought modality corrections or assessments that changed its captures' risk tiers."
)


@pytest.fixture
def laptop_package(data_dir: Path, tmp_path: Path, tiny_model_dir: Path) -> Path:
    """The window's register is the clinic's (see ``corrected_on_the_laptop``): the laptop's package."""
    _, laptop = corrected_on_the_laptop(tmp_path, tiny_model_dir, clinic=data_dir)
    with Register(laptop) as reg:
        export_patients(reg, tmp_path / "back.ddtx", None)
    return tmp_path / "back.ddtx"


def test_the_notice_says_the_modality_brought_and_no_tier_shows(laptop_package: Path, qtbot, window, dialogs) -> None:
    reg = window.session.register
    lid, here = ids_by_day(reg.data_dir)
    grown = here[DAYS[1]]
    window.refresh(reg.patients.by_mrn(MRN).id)
    window.show_lesion(lid, grown)
    assert "MONITOR" in window.assessment.tier.text()
    previewed: list[str] = []

    def look_then_import(d) -> bool:  # the preview lists the change, then Import
        previewed.append(d.remarks.toPlainText())
        return True

    dialogs.files.append([str(laptop_package)])
    dialogs.fillers.append(look_then_import)
    window.transfer_actions.import_patients()
    qtbot.waitUntil(lambda: bool(dialogs.infos) and not window.session.runner.running, timeout=120000)
    assert BROUGHT + WITH_ITS_OWN in previewed[0]  # what the import does to its assessment, said before it
    text = dialogs.infos[0][1]
    assert SAID in text and dialogs.errors == []
    assert reg.captures.get(grown).modality == "clinical"
    window.show_lesion(lid, grown)
    assert "NOT ASSESSABLE" in window.assessment.tier.text() and "MONITOR" not in window.assessment.tier.text()
    assert "MONITOR" not in window.timeline.currentItem().text()
