"""The tier line prints its chances as the sentence under it does: at a follow-up threshold of 20 %, a malignant
chance of 19.6 % read "malignant 20%" on the tier line above "Low because the chance of a malignant lesion (19.6%)
... below the follow-up thresholds (20.0% and 5%)" (one function, ``explain.tier_chances``, for the app, the lesion
report and the command line). A real SQLite register; captures assessed by a tiny ONNX model whose threshold is set
at its output."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from dermadesk.config import Settings
from dermadesk.contract.manifest import RiskThresholds
from dermadesk.domain.records import Assessment
from dermadesk.reports.lesion_report import build_lesion_report
from dermadesk.services.explain import chance_text, tier_chances, tier_reason
from dermadesk.services.reports import lesion_report_data
from dermadesk.storage.register import Register
from tests.services.test_advice import grown_lesion
from tests.services.test_explain import assessment

AT_20 = RiskThresholds(monitor_malignant=0.2)


@pytest.fixture(scope="session")
def model_at_20(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from modelgen import write_tiny_model

    return write_tiny_model(tmp_path_factory.mktemp("at-20"), name="tiny-20", thresholds=AT_20)


def results(register: Register, lid: int) -> tuple[Assessment, Assessment]:
    base, follow = (register.assessments.latest(c.id) for c in register.captures.for_lesion(lid))
    assert base is not None and follow is not None and (base.risk_tier, follow.risk_tier) == ("low", "monitor")
    assert f"{base.malignant_probability:.0%}" == f"{follow.malignant_probability:.0%}" == "20%"  # as printed before
    return base, follow


def test_the_tier_line_and_the_sentence_say_one_figure() -> None:
    at = RiskThresholds(monitor_malignant=0.07, monitor_melanoma=0.06, refer_malignant=0.2)
    near = assessment(0.196, 0.04, "monitor")  # 19.6 %: at or above 7 %, below the referral threshold of 20 %
    mal, mel = tier_chances(near, at)
    assert (mal, mel) == ("19.6%", "4%")  # never "20%", which reads as at the referral threshold
    assert f"the chance of a malignant lesion ({mal}) is at or above the follow-up threshold (7.0%)" in tier_reason(
        near, at
    )
    low = assessment(0.0658, 0.04, "low")
    assert tier_chances(low, at) == ("6.6%", "4%") and "(6.6%) and of melanoma (4%)" in tier_reason(low, at)
    assert tier_chances(near, None) == ("20%", "4%")  # the model's thresholds not known: whole percent
    assert chance_text(0.2, (0.2, 0.5)) == "20%" and chance_text(0.069999999999, (0.07,)) == "6.9%"


def test_app_report_and_command_line_print_the_tier_line_as_the_sentence(
    capsys, register: Register, data_dir: Path, model_at_20: Path, tmp_path: Path
) -> None:
    lid = grown_lesion(register, data_dir, model_at_20, tmp_path)
    base, follow = results(register, lid)
    mal_base, mal_follow = f"{base.malignant_probability:.1%}", f"{follow.malignant_probability:.1%}"
    assert tier_chances(base, AT_20)[0] == mal_base != tier_chances(follow, AT_20)[0] == mal_follow
    assert f"malignant lesion ({mal_base})" in tier_reason(base, AT_20)
    pdf = build_lesion_report(lesion_report_data(register, Settings(), lid))  # the reported visit: the follow-up
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)
    assert f"malignant probability {mal_follow} (melanoma" in text and "malignant probability 20%" not in text
    assert f"malignant lesion ({mal_follow}) is at or above the follow-up threshold (20.0%)" in text

    from tests.test_cli import run

    again = register.images.read(register.captures.get(base.capture_id).image_sha256) + b"\0"  # the same pixels
    register.close()
    code, out, err = run(capsys, "lesion", "show", str(lid))
    assert code == 0, err
    assert f"tier LOW, malignant {mal_base} (melanoma" in out and f"tier MONITOR, malignant {mal_follow} (" in out
    code, out, err = run(capsys, "assess", "--capture", str(follow.capture_id), "--device", "cpu", "--model", "tiny-20")
    assert code == 0 and f": tier MONITOR, malignant {mal_follow} (melanoma " in out.splitlines()[0], err
    path = tmp_path / "again.jpg"
    path.write_bytes(again)
    code, out, err = run(capsys, "capture", "add", "--lesion", str(lid), "--device", "cpu", "--model", "tiny-20",
                         "--taken", "2026-11-10", str(path))  # fmt: skip
    assert code == 0 and f": tier LOW, malignant {mal_base} (melanoma" in out.splitlines()[0], err
