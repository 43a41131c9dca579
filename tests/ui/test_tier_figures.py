"""The assessment panel's tier line prints its chances as the reason under it does: at a follow-up threshold of 20 %,
"malignant 20.5%" above "Follow-up because the chance of a malignant lesion (20.5%) is at or above the follow-up
threshold (20.0%)", not "malignant 20%". A real window and register, captures assessed by the tiny ONNX model."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.services.test_tier_figures import AT_20
from tests.ui.test_advice_in_panel import shown


@pytest.fixture(scope="session")
def model_at_20(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from modelgen import write_tiny_model

    return write_tiny_model(tmp_path_factory.mktemp("at-20"), name="tiny-20", thresholds=AT_20)


@pytest.mark.parametrize("capture, tier", [(0, "LOW"), (1, "MONITOR")])
def test_the_tier_line_says_the_reasons_figure(
    qtbot, window, data_dir: Path, model_at_20: Path, tmp_path: Path, capture: int, tier: str
) -> None:
    cid = shown(qtbot, window, data_dir, model_at_20, tmp_path, capture)
    a = window.session.register.assessments.latest(cid)
    assert a is not None and f"{a.malignant_probability:.0%}" == "20%"
    figure = f"{a.malignant_probability:.1%}"  # 19.6% (LOW) or 20.5% (MONITOR)
    view = window.assessment
    assert f"Risk tier: {tier}" in view.tier.text() and f"malignant {figure} (melanoma " in view.tier.text()
    assert f"malignant lesion ({figure})" in view.tier_detail.text() and "malignant 20%" not in view.tier.text()
