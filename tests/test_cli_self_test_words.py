"""``dermadesk self-test`` says the chance it assessed as the app's tier line does (``explain.tier_chances``): whole
percent, one decimal more where that would read as at one of its model's thresholds ("20.6%" below 21 %, never
"21%"). It printed whole percent always. The tiny ONNX model, installed in the self-test's kept data folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from dermadesk.contract.manifest import RiskThresholds
from dermadesk.inference.registry import install_model
from dermadesk.services.explain import tier_chances
from dermadesk.storage.register import Register
from tests.test_cli import run


def _self_test(capsys: pytest.CaptureFixture, folder: Path, thresholds: RiskThresholds, name: str) -> str:
    from modelgen import write_tiny_model

    install_model(write_tiny_model(folder.parent / f"{name}-model", name=name, thresholds=thresholds), folder)
    code, out, err = run(capsys, "self-test", "--no-gui", "--keep", str(folder))
    assert code == 0 and "self-test passed" in out, err
    return out


def test_self_test_says_a_chance_near_a_threshold_as_the_app_does(capsys, tmp_path: Path) -> None:
    _self_test(capsys, tmp_path / "first", RiskThresholds(), "tiny-test")
    with Register(tmp_path / "first") as reg:  # what the model makes of the self-test's image
        p = reg.assessments.latest(2).malignant_probability  # type: ignore[union-attr]
    assert p is not None and 0.01 < p < 0.29
    whole = round(100 * p)  # a follow-up threshold on the other side of it that reads the same in whole percent
    near = RiskThresholds(monitor_malignant=(whole + (0.4 if 100 * p < whole else -0.4)) / 100)
    out = _self_test(capsys, tmp_path / "near", near, "tiny-near")
    with Register(tmp_path / "near") as reg:
        a = reg.assessments.latest(2)
    assert a is not None and a.assessable and a.malignant_probability == pytest.approx(p)
    said = tier_chances(a, near)[0]
    assert said != f"{p:.0%}" and said == f"{p:.1%}"  # one decimal: the whole percent would read as at 'near'
    assert f"2 captures assessed; latest: {a.top_class}, malignant {said}, tier {a.risk_tier}\n" in out
