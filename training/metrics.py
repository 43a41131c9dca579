"""Classification and calibration metrics (numpy only, no sklearn)."""

from __future__ import annotations

import numpy as np

from dermadesk.contract import CLASS_CODES, MALIGNANT_MASK


def confusion(y_true: np.ndarray, y_pred: np.ndarray, k: int = len(CLASS_CODES)) -> np.ndarray:
    m = np.zeros((k, k), dtype=np.int64)
    np.add.at(m, (y_true, y_pred), 1)
    return m


def per_class_recall(y_true: np.ndarray, y_pred: np.ndarray, k: int = len(CLASS_CODES)) -> np.ndarray:
    m = confusion(y_true, y_pred, k)
    support = m.sum(axis=1)
    return np.where(support > 0, np.diag(m) / np.maximum(support, 1), np.nan)


def balanced_accuracy(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Mean recall over the classes present in y_true."""
    return float(np.nanmean(per_class_recall(y_true, y_pred)))


def precision_recall_f1(y_true: np.ndarray, y_pred: np.ndarray, k: int = len(CLASS_CODES)) -> dict[str, np.ndarray]:
    m = confusion(y_true, y_pred, k)
    tp = np.diag(m).astype(float)
    precision = np.where(m.sum(0) > 0, tp / np.maximum(m.sum(0), 1), np.nan)
    recall = np.where(m.sum(1) > 0, tp / np.maximum(m.sum(1), 1), np.nan)
    f1 = np.where(precision + recall > 0, 2 * precision * recall / np.maximum(precision + recall, 1e-12), 0.0)
    return {"precision": precision, "recall": recall, "f1": f1, "support": m.sum(1)}


def auroc(y_true_binary: np.ndarray, score: np.ndarray) -> float:
    """Area under the ROC curve by the rank statistic (ties get average ranks)."""
    y = np.asarray(y_true_binary, bool)
    pos, neg = y.sum(), (~y).sum()
    if pos == 0 or neg == 0:
        return float("nan")
    order = np.argsort(score, kind="mergesort")
    ranks = np.empty(len(score))
    s = np.asarray(score)[order]
    i = 0
    while i < len(s):
        j = i
        while j + 1 < len(s) and s[j + 1] == s[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return float((ranks[y].sum() - pos * (pos + 1) / 2) / (pos * neg))


def expected_calibration_error(probs: np.ndarray, y_true: np.ndarray, bins: int = 15) -> float:
    """Top-label ECE with equal-width confidence bins."""
    conf = probs.max(axis=1)
    correct = probs.argmax(axis=1) == y_true
    edges = np.linspace(0, 1, bins + 1)
    ece = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        sel = (conf > lo) & (conf <= hi)
        if sel.any():
            ece += sel.mean() * abs(correct[sel].mean() - conf[sel].mean())
    return float(ece)


def reliability_bins(probs: np.ndarray, y_true: np.ndarray, bins: int = 15) -> list[dict[str, float]]:
    conf = probs.max(axis=1)
    correct = probs.argmax(axis=1) == y_true
    edges = np.linspace(0, 1, bins + 1)
    out = []
    for lo, hi in zip(edges[:-1], edges[1:]):
        sel = (conf > lo) & (conf <= hi)
        if sel.any():
            out.append({"lo": float(lo), "hi": float(hi), "confidence": float(conf[sel].mean()),
                        "accuracy": float(correct[sel].mean()), "count": int(sel.sum())})
    return out


def malignant_probability(probs: np.ndarray) -> np.ndarray:
    return probs[:, MALIGNANT_MASK].sum(axis=1)


def threshold_for_sensitivity(positive: np.ndarray, score: np.ndarray, sensitivity: float) -> float:
    """Largest threshold t such that the fraction of positives with score >= t is >= sensitivity."""
    pos_scores = np.sort(np.asarray(score)[np.asarray(positive, bool)])
    if len(pos_scores) == 0:
        return 0.5
    idx = int(np.floor((1 - sensitivity) * len(pos_scores)))
    return float(pos_scores[min(idx, len(pos_scores) - 1)])


def sens_spec(positive: np.ndarray, score: np.ndarray, threshold: float) -> dict[str, float]:
    pos = np.asarray(positive, bool)
    flagged = np.asarray(score) >= threshold
    sens = flagged[pos].mean() if pos.any() else float("nan")
    spec = (~flagged[~pos]).mean() if (~pos).any() else float("nan")
    return {"threshold": float(threshold), "sensitivity": float(sens), "specificity": float(spec),
            "positives": int(pos.sum()), "negatives": int((~pos).sum())}
