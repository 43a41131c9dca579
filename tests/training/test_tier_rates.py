"""Risk-tier rates in the evaluation (#12): the share of benign and malignant test lesions given each tier, by the
same rule the app uses, carried into the manifest's evaluation and the model card."""

from __future__ import annotations

import numpy as np

from dermadesk.contract import CLASS_CODES, RiskThresholds
from training.evaluate import summarise, tier_rates
from training.export import evaluation_summary
from training.modelcard import tier_lines

NV, MEL, BCC = (CLASS_CODES.index(c) for c in ("nv", "mel", "bcc"))
THRESHOLDS = {k: getattr(RiskThresholds(), k) for k in RiskThresholds.__dataclass_fields__}  # 0.10/0.05, 0.30/0.20, ...


def probs_with(malignant_class: int, p: float, benign_class: int = NV) -> np.ndarray:
    row = np.zeros(len(CLASS_CODES))
    row[malignant_class], row[benign_class] = p, 1.0 - p
    return row


def test_rates_follow_the_tier_rule_for_benign_and_malignant_lesions() -> None:
    probs = np.stack(
        [
            probs_with(BCC, 0.01),  # benign, low
            probs_with(BCC, 0.12),  # benign, monitor
            probs_with(MEL, 0.25),  # benign, refer by the melanoma threshold alone (0.25 < refer_malignant 0.30)
            probs_with(BCC, 0.90),  # benign, urgent
            probs_with(MEL, 0.70),  # melanoma, urgent (melanoma >= 0.60)
            probs_with(BCC, 0.35),  # bcc, refer
        ]
    )
    y = np.array([NV, NV, NV, NV, MEL, BCC])
    rates = tier_rates(probs, y, THRESHOLDS)
    assert rates["benign"] == {"n": 4, "low": 0.25, "monitor": 0.25, "refer": 0.25, "urgent": 0.25, "referred": 0.5}
    assert rates["malignant"]["n"] == 2 and rates["malignant"]["referred"] == 1.0
    assert rates["malignant"]["urgent"] == 0.5 and rates["malignant"]["refer"] == 0.5
    # the malignant-only specificity counts the melanoma-threshold referral as a true negative: 3 of 4
    assert summarise(probs, y, THRESHOLDS)["malignant"]["specificity"] == 0.75


def test_rates_reach_the_manifest_and_the_card_per_source() -> None:
    probs = np.stack([probs_with(BCC, 0.01), probs_with(BCC, 0.9), probs_with(MEL, 0.7), probs_with(MEL, 0.01)])
    y = np.array([NV, NV, MEL, MEL])
    ev = summarise(probs, y, THRESHOLDS)
    ev.update(
        ece_uncalibrated=0.1,
        per_class_recall={},
        split={},
        ood_check={},
        per_class={c: {"auroc": 0.5} for c in CLASS_CODES},
    )
    ev["per_source"] = {
        "isic2017": {
            **summarise(probs[2:], y[2:], THRESHOLDS),
            "classes_present": ["mel"],
            "per_class": {"mel": {"auroc": 0.5}},
        }
    }
    block = evaluation_summary(ev)
    assert block["tiers"]["benign"]["referred"] == 0.5
    assert block["per_source"]["isic2017"]["tiers"]["malignant"]["referred"] == 0.5
    assert np.isnan(block["per_source"]["isic2017"]["tiers"]["benign"]["referred"])  # no benign images there
    card = "\n".join(tier_lines(ev))
    assert "| lesions | tier | pooled | isic2017 |" in card
    assert "| benign | referred | 0.500 | n/a |" in card and "| malignant | urgent | 0.500 | 0.500 |" in card
    older = {k: v for k, v in ev.items() if k != "tiers"}
    assert tier_lines(older) == [] and "tiers" not in evaluation_summary({**older, "per_source": {}})
