"""The patient summary prints a lesion's malignant chance as the app's tier line and the lesion report do
(``explain.tier_chances``, with the thresholds of the model that assessed it): "20.3%" beside a follow-up threshold
of 20 %, never "20%", which reads as at it. It printed whole percent always. A real register; captures assessed by a
tiny ONNX model whose threshold is set at its output."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from dermadesk.config import Settings
from dermadesk.contract.manifest import RiskThresholds
from dermadesk.reports.patient_summary import build_patient_summary
from dermadesk.services.explain import tier_chances
from dermadesk.services.reports import patient_summary_data
from dermadesk.storage.register import Register
from tests.services.test_advice import grown_lesion

AT_20 = RiskThresholds(monitor_malignant=0.2)


@pytest.fixture(scope="module")
def model_at_20(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from modelgen import write_tiny_model

    return write_tiny_model(tmp_path_factory.mktemp("at-20"), name="tiny-20", thresholds=AT_20)


def test_the_summary_says_the_chance_as_the_tier_line(
    register: Register, data_dir: Path, model_at_20: Path, tmp_path: Path
) -> None:
    lid = grown_lesion(register, data_dir, model_at_20, tmp_path)  # patient A-1
    follow = register.assessments.latest(register.captures.for_lesion(lid)[-1].id)
    assert follow is not None and follow.malignant_probability is not None
    assert f"{follow.malignant_probability:.0%}" == "20%"  # as it was printed: at the threshold, to the eye
    said = tier_chances(follow, AT_20)[0]
    assert said == f"{follow.malignant_probability:.1%}" != "20%"
    pdf = build_patient_summary(patient_summary_data(register, Settings(), "A-1"))
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)
    assert f"{follow.risk_tier.upper()} malignant {said}" in text and "malignant 20%" not in text  # type: ignore
