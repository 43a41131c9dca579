"""The assessment and the timeline in words a clinic user reads without decoding (#16): why the risk tier is what
it is (the malignant chance passed the referral threshold, although the most likely class is benign), and each
capture numbered within its lesion by date, never by its register-wide id."""

from __future__ import annotations

import re
from pathlib import Path

from dermadesk.inference.registry import ModelRegistry
from dermadesk.services.captures import CaptureMeta, import_files
from tests.conftest import lesion_jpeg
from tests.ui.helpers import add_patient


def test_referral_says_why_and_the_timeline_numbers_captures_per_lesion(
    qtbot, window, dialogs, installed_model: Path, data_dir: Path, tmp_path: Path
) -> None:
    reg = window.session.register
    pid = add_patient(window, dialogs)
    other = reg.lesions.add("t", pid, "head/neck").id
    lid = reg.lesions.add("t", pid, "anterior torso").id
    for i, (lesion, day) in enumerate(((other, "2026-01-05"), (lid, "2026-05-10"), (lid, "2026-06-20"))):
        f = tmp_path / f"c{i}.jpg"
        f.write_bytes(lesion_jpeg(seed=30 + i, width=160, height=120))
        import_files(reg, "t", lesion, [f], CaptureMeta(taken_at=day))
    last = reg.captures.for_lesion(lid)[-1]
    manifest = ModelRegistry(data_dir).entries()[0].manifest
    refer = manifest.thresholds.refer_malignant
    reg.assessments.add(
        "t",
        last.id,
        model_name=manifest.name,
        model_version=manifest.version,
        provider="CPU",
        probabilities={"nv": 0.7, "mel": 0.05},
        top_class="nv",
        malignant_probability=min(refer + 0.05, 0.99),
        melanoma_probability=0.0,
        risk_tier="refer",
        recommendation="Consider referral for specialist review.",
    )
    window.refresh(pid)
    window.show_lesion(lid)
    qtbot.waitUntil(lambda: window.selection.capture_id == last.id, timeout=10000)
    detail = window.assessment.tier_detail.text()
    assert re.search(
        rf"Referral because the chance of a malignant lesion \(\d+%\) is at or above the referral threshold "
        rf"\({100 * refer:.0f}%\), although the most likely class is Melanocytic nevus",
        detail,
    ), detail
    assert detail.index("Referral because") < detail.index("Consider referral")  # the why before the advice
    tips = [window.timeline.item(i).toolTip() for i in range(window.timeline.count())]
    assert tips == ["Capture 1 of 2: c1.jpg", "Capture 2 of 2: c2.jpg"]  # ids 2 and 3 in the register
    window.assessment.resize(1280, 720)
    window.assessment.grab().save(str(tmp_path / "assessment.png"))
