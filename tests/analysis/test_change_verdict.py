"""The verdict's reasons write every signed figure with ``domain.text.signed``: a change that rounds to zero reads
"+0%", never "-0%" (a falling probability or a shrinking sector that is really no change at all)."""

from __future__ import annotations

import numpy as np

from dermadesk.analysis.change import compare
from dermadesk.analysis.change_verdict import CHANGE_RULES, ChangeResult, judge, model_tier_rise
from dermadesk.analysis.synthetic import LesionSpec, synthetic_lesion


def test_a_tier_rise_whose_probability_rise_rounds_to_zero_reads_plus_zero() -> None:
    """The same lesion imaged twice (turned a little); the model's tier rose from monitor to refer while its
    malignant probability went from 40.2% to 39.8%: the stored reason says it did not change (+0%), never -0%."""
    base = synthetic_lesion(LesionSpec(seed=2), 320, 240)
    follow = synthetic_lesion(LesionSpec(seed=2), 320, 240, angle=3.0)
    result = compare(base, follow, interval_days=60, malignant=(0.402, 0.398), tiers=("monitor", "refer"))
    assert result.verdict == "not significant", result.reasons
    noise = f"{CHANGE_RULES['malignant_probability_noise']:.0%}"
    rise = [r for r in result.reasons if "risk tier rose from monitor to refer" in r]
    assert rise == [
        "the model's risk tier rose from monitor to refer, not counted as significant: the malignant probability "
        f"did not change (+0%), within the model's noise of {noise}"
    ]
    assert not any("-0" in reason for reason in result.to_dict()["reasons"])


def test_model_tier_rise_writes_its_signed_figure_once_rounded() -> None:
    assert model_tier_rise("low", "monitor", 0.30, 0.296) == (
        False,
        "the model's risk tier rose from low to monitor, not counted as significant: the malignant probability "
        "did not change (+0%), within the model's noise of 50%",
    )
    falling = model_tier_rise("low", "monitor", 0.30, 0.26)
    assert falling is not None and "the malignant probability fell by 4%, within" in falling[1]
    rising = model_tier_rise("low", "monitor", 0.30, 0.42)
    assert rising is not None and "the malignant probability rose by 12%, within" in rising[1]


def test_asymmetric_growth_with_a_median_sector_just_below_zero_reads_plus_zero() -> None:
    """Short-term, the area up 25%, one sector grew by 40% while the median sector shrank by 0.2%."""
    growth = np.full(16, -0.002)
    growth[3] = 0.4
    growth[4:8] = 0.1
    r = ChangeResult(
        "cannot tell", [], None, 60, "short-term", area_change_percent=25.0, outlined_area_change_percent=24.0,
        diameter_change_percent=12.0, asymmetric_growth=True, sector_growth=[float(g) for g in growth],
    )  # fmt: skip
    judge(r, 0.9, None, growth)
    assert r.verdict == "significant"
    asym = [reason for reason in r.reasons if reason.startswith("growth is asymmetric")]
    assert len(asym) == 1 and asym[0].endswith("(+40% there, median sector -0.2%)"), r.reasons  # under 1 %: a decimal
    assert not any("-0%" in reason for reason in r.reasons)


def test_an_unstable_outline_near_no_change_reads_plus_zero() -> None:
    """The pigment-weighted area fell by 0.4% while the drawn outline jumped: both figures are written signed."""
    r = ChangeResult(
        "cannot tell", [], None, 60, "short-term", area_change_percent=-0.4, outlined_area_change_percent=-20.3,
        diameter_change_percent=-0.3,
    )  # fmt: skip
    judge(r, 0.9, None, np.zeros(16))
    assert r.verdict == "not significant" and not r.outline_trusted
    assert r.reasons[0].endswith("area -0.4%, diameter -0.3%"), r.reasons  # under 1 %: to one decimal
    assert "the drawn outline changed by -20% but the pigment-weighted area by -0.4%" in r.reasons[1]
