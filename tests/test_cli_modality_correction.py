"""``capture edit --modality``: an assessment is made for the modality its capture had then, so correcting the modality
assesses the capture again for its modality now, at once, its line said as ``assess`` says it: a capture corrected to
clinical (a model validated on dermoscopic images only) is NOT ASSESSABLE and ``lesion show``, ``patient show`` and the
lesion report show no tier for it; corrected back, it has a tier again. Where no model can be used, nothing shows the
tier made before: it is out of date, said with what to do. Real register, real commands, the tiny ONNX model, real
synthetic images compared by the real pipeline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from dermadesk.contract.manifest import RiskThresholds
from dermadesk.inference.registry import install_model
from dermadesk.storage.register import Register
from tests.conftest import lesion_jpeg
from tests.test_cli import run
from tests.test_cli_lesion_show_recorded import NONE

MODEL = ("--model", "tiny-test", "--device", "cpu")
OUT_OF_DATE = (
    "assessment out of date: it was made for a dermoscopic image, the capture is now clinical; assess it again "
    "(dermadesk assess --capture 2)"
)


@pytest.fixture
def assessed_pair(capsys, installed_model: Path, tmp_path: Path) -> None:
    """Capture 1 (3 Feb 2026) and capture 2 (3 Mar 2026, grown) of lesion 1, dermoscopic, each assessed MONITOR."""
    run(capsys, "patient", "add", "--mrn", "M-1", "--name", "Mo Dality")
    run(capsys, "lesion", "add", "--patient", "M-1", "--site", "upper extremity")
    for name, scale, day in (("a", 1.0, "2026-02-03"), ("b", 1.3, "2026-03-03")):
        image = tmp_path / f"{name}.jpg"
        image.write_bytes(lesion_jpeg(seed=0, scale=scale))
        code, out, err = run(capsys, "capture", "add", "--lesion", "1", "--taken", day, *MODEL, str(image))
        assert code == 0 and "MONITOR" in out, err


def capture_lines(out: str, capture: str) -> list[str]:
    """The lines ``lesion show`` prints under ``capture`` ("capture 2 (3 Mar 2026)"), up to the next capture."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"  {capture}"))
    rest = lines[start + 1 :]
    end = next((i for i, line in enumerate(rest) if line.startswith("  capture ")), len(rest))
    return rest[:end]


def test_clinical_is_assessed_again_not_assessable_and_back_has_a_tier(
    capsys, data_dir: Path, assessed_pair: None
) -> None:
    code, out, err = run(capsys, "capture", "edit", "2", "--modality", "clinical", *MODEL)
    lines = out.splitlines()
    assert code == 0 and err == ""
    assert lines[0] == "capture 2 (3 Mar 2026): modality dermoscopic → clinical"
    assert lines[1].startswith("capture 2 (3 Mar 2026): NOT ASSESSABLE, no risk tier: ")
    assert "clinical" in lines[1] and "MONITOR" not in out
    assert lines[2] == (
        "assessed again for its modality with tiny-test@0.0.1 on CPU -- decision support, not a diagnosis"
    )
    # the comparison that recorded its tier MONITOR is made again without it
    assert any("compared again with the baseline" in line for line in lines[3:])
    with Register(data_dir) as reg:
        first, second = reg.assessments.for_capture(2)
        assert (first.modality, first.risk_tier) == ("dermoscopic", "monitor")
        assert (second.modality, second.status, second.risk_tier) == ("clinical", "not assessable", None)
        assert reg.assessments.latest(2) == second
        assert reg.comparisons.for_lesion(1)[-1].metrics["risk_tier"] == {"before": "monitor", "after": None}
    _, shown, _ = run(capsys, "lesion", "show", "1")
    said = capture_lines(shown, "capture 2 (3 Mar 2026)")
    assert said[0] == "    modality clinical" + NONE  # as corrected: why it has no tier
    assert said[1].strip().startswith("NOT ASSESSABLE, no risk tier") and "tier MONITOR" not in "\n".join(said)

    code, out, err = run(capsys, "capture", "edit", "2", "--modality", "dermoscopic", *MODEL)
    assert code == 0 and err == ""
    assert out.splitlines()[1].startswith("capture 2 (3 Mar 2026): tier MONITOR")
    _, shown, _ = run(capsys, "lesion", "show", "1")
    said = capture_lines(shown, "capture 2 (3 Mar 2026)")
    assert said[0] == "    modality dermoscopic" + NONE and said[1].strip().startswith("tier MONITOR")


def test_json_holds_the_assessment_made_again(capsys, data_dir: Path, assessed_pair: None) -> None:
    code, out, err = run(capsys, "--json", "capture", "edit", "2", "--modality", "clinical", *MODEL)
    doc = json.loads(out)
    assert code == 0 and err == ""
    assert (doc["assessed_again"]["status"], doc["assessed_again"]["modality"]) == ("not assessable", "clinical")
    assert doc["assessed_again"]["risk_tier"] is None and doc["not_assessed_again"] == ""
    assert [c["followup_capture_id"] for c in doc["compared_again"]] == [2]


def test_no_model_leaves_no_tier_shown_and_says_what_to_do(
    capsys, data_dir: Path, tmp_path: Path, assessed_pair: None
) -> None:
    code, out, err = run(capsys, "capture", "edit", "2", "--modality", "clinical", "--model", "no-such-model")
    assert code == 0 and out.splitlines()[0] == "capture 2 (3 Mar 2026): modality dermoscopic → clinical"
    assert err.startswith("dermadesk: warning: capture 2 (3 Mar 2026) not assessed again: no model named")
    assert err.rstrip().endswith(OUT_OF_DATE)
    with Register(data_dir) as reg:
        assert len(reg.assessments.for_capture(2)) == 1 and reg.assessments.latest(2) is None
        # its comparison no longer records the tier made for the modality it had before
        assert reg.comparisons.for_lesion(1)[-1].metrics["risk_tier"] == {"before": "monitor", "after": None}
    _, shown, _ = run(capsys, "lesion", "show", "1")
    said = capture_lines(shown, "capture 2 (3 Mar 2026)")
    assert (
        said[0] == "    modality clinical" + NONE
        and said[1].strip() == OUT_OF_DATE
        and "MONITOR" not in "\n".join(said)
    )

    pdf = tmp_path / "lesion.pdf"  # the visit reported is capture 2's
    assert run(capsys, "report", "--lesion", "1", "--out", str(pdf))[0] == 0
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(str(pdf)).pages)
    assert "Assessment out of date: it was made for a dermoscopic image, the capture is now clinical" in text
    assert "Risk tier: MONITOR" not in text and "This capture has not been assessed" not in text


@pytest.fixture(scope="session")
def urgent_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny test model with thresholds below its output: every capture it assesses is URGENT."""
    from modelgen import write_tiny_model

    low = RiskThresholds(monitor_malignant=0.01, monitor_melanoma=0.01, refer_malignant=0.02, refer_melanoma=0.02,
                         urgent_malignant=0.03, urgent_melanoma=0.03)  # fmt: skip
    return write_tiny_model(tmp_path_factory.mktemp("urgent-model"), name="tiny-urgent", thresholds=low)


def test_the_lesion_flag_drops_the_tier_made_for_the_modality_before(
    capsys, data_dir: Path, tmp_path: Path, urgent_model: Path
) -> None:
    """A lesion's only capture assessed URGENT, then said to be clinical with no model to assess it again: neither
    ``patient show`` nor ``lesion show`` flags it URGENT (that tier was made for a dermoscopic image)."""
    install_model(urgent_model, data_dir)
    run(capsys, "patient", "add", "--mrn", "U-1", "--name", "Ur Gent")
    run(capsys, "lesion", "add", "--patient", "U-1", "--site", "anterior torso")
    image = tmp_path / "u.jpg"
    image.write_bytes(lesion_jpeg(seed=0))
    code, out, _ = run(
        capsys, "capture", "add", "--lesion", "1", "--model", "tiny-urgent", "--device", "cpu", str(image)
    )
    assert code == 0 and "tier URGENT" in out
    _, before, _ = run(capsys, "patient", "show", "U-1")
    assert "⚠ URGENT" in before  # the flag the tier raised
    run(capsys, "capture", "edit", "1", "--modality", "clinical", "--model", "no-such-model")
    _, patient, _ = run(capsys, "patient", "show", "U-1")
    _, lesion, _ = run(capsys, "lesion", "show", "1")
    assert "URGENT" not in patient and "URGENT" not in lesion
    assert "assessment out of date: it was made for a dermoscopic image" in lesion
