"""The manifest's evaluation summary: the test figures a model was exported with, typed."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Mapping


@dataclass(frozen=True)
class OperatingPoint:
    """Sensitivity and specificity at the threshold chosen on validation (malignant or melanoma vs the rest)."""

    threshold: float | None = None
    sensitivity: float | None = None
    specificity: float | None = None
    positives: int | None = None
    negatives: int | None = None


@dataclass(frozen=True)
class EvaluationSummary:
    """Headline test figures (all optional: a test model may carry only a ``note``).

    ``per_source`` holds the same figures per data set; keys this app does not know are kept in
    ``extra`` so that a manifest read and written again says what it said.
    """

    balanced_accuracy: float | None = None
    accuracy: float | None = None
    macro_f1: float | None = None
    auroc_malignant_vs_benign: float | None = None
    auroc_melanoma: float | None = None
    malignant: OperatingPoint | None = None
    melanoma: OperatingPoint | None = None
    ece: float | None = None
    ece_uncalibrated: float | None = None
    per_class_recall: Mapping[str, float] = field(default_factory=dict)
    per_class_auroc: Mapping[str, float] = field(default_factory=dict)
    split: Mapping[str, Any] = field(default_factory=dict)  # method, file, test_images
    ood_check: Mapping[str, Any] = field(default_factory=dict)
    stability: Mapping[str, Any] = field(default_factory=dict)
    # per group ("benign", "malignant"): n and the share given each risk tier, "referred" = refer + urgent
    tiers: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    per_source: Mapping[str, EvaluationSummary] = field(default_factory=dict)
    note: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def split_method(self) -> str:
        return str(self.split.get("method") or "lesion-grouped split")

    @property
    def benign_referred(self) -> float | None:
        """The share of benign test lesions given tier refer or urgent (None when not measured)."""
        return self.referred("benign")

    @property
    def malignant_referred(self) -> float | None:
        """The share of malignant test lesions given tier refer or urgent (None when not measured)."""
        return self.referred("malignant")

    def referred(self, group: str) -> float | None:
        """The share of ``group`` ("benign", "malignant") test lesions given tier refer or urgent: from 0 to 1, or
        None where the manifest has none or something else (a hand-edited file)."""
        rates = self.tiers.get(group) if isinstance(self.tiers, Mapping) else None
        value = rates.get("referred") if isinstance(rates, Mapping) else None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None
        return float(value) if 0.0 <= value <= 1.0 else None  # NaN, infinities and percentages fail this

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> EvaluationSummary:
        data = dict(data or {})
        known = {f.name for f in fields(cls)} - {"extra"}
        values: dict[str, Any] = {k: v for k, v in data.items() if k in known}
        for point in ("malignant", "melanoma"):
            if isinstance(values.get(point), Mapping):
                names = {f.name for f in fields(OperatingPoint)}
                values[point] = OperatingPoint(**{k: v for k, v in values[point].items() if k in names})
        sources = values.get("per_source")
        values["per_source"] = {  # a damaged block (a list, a string) reads as none: the model still loads
            str(k): cls.from_dict(v)
            for k, v in (sources.items() if isinstance(sources, Mapping) else ())
            if isinstance(v, Mapping)
        }
        return cls(**values, extra={k: v for k, v in data.items() if k not in known})

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: only the figures present (None and empty ones left out), then the unknown keys."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "extra" or value is None or value == {} or value == "":
                continue
            if isinstance(value, OperatingPoint):
                value = {k.name: getattr(value, k.name) for k in fields(value) if getattr(value, k.name) is not None}
            elif f.name == "per_source":
                value = {k: v.to_dict() for k, v in value.items()}
            else:
                value = dict(value) if isinstance(value, Mapping) else value
            out[f.name] = value
        return {**out, **self.extra}
