"""What the app says about a model: the figures a report prints, the About dialog's line and model card."""

from __future__ import annotations

import re
from pathlib import Path

from dermadesk.contract.evaluation import EvaluationSummary
from dermadesk.domain.errors import DermaDeskError
from dermadesk.inference.registry import ModelRegistry
from dermadesk.reports.data import ModelFacts


def model_facts(registry: ModelRegistry, name: str | None) -> ModelFacts | None:
    """The model's test figures for a report (None when there is no usable model)."""
    try:
        entry = registry.get(name)
    except DermaDeskError:
        return None
    ev = entry.manifest.evaluation
    mal = ev.malignant
    return ModelFacts(
        entry.manifest.name,
        entry.manifest.version,
        ev.balanced_accuracy,
        mal.sensitivity if mal else None,
        mal.specificity if mal else None,
        ev.auroc_malignant_vs_benign,
        ev.split_method,
        ev.benign_referred,
        referred_per_source(ev, "benign"),
        ev.malignant_referred,
        referred_per_source(ev, "malignant"),
    )


def referred_per_source(ev: EvaluationSummary, group: str) -> dict[str, float]:
    """The share of ``group`` ("benign", "malignant") test lesions referred, per data set by its name; the data
    sets that do not say left out."""
    return {
        source_name(src): rate
        for src, figures in ev.per_source.items()
        if (rate := figures.referred(group)) is not None
    }


def source_name(key: str) -> str:
    """A data set's name as its authors write it ("isic2017" -> "ISIC 2017"); unknown keys as they are."""
    known = {"ham10000": "HAM10000", "isic2017": "ISIC 2017"}
    return known.get(key, key)


def about_model(registry: ModelRegistry, name: str | None) -> tuple[str, str]:
    """(one line about the model, its model card Markdown) for the About dialog."""
    try:
        entry = registry.get(name)
    except DermaDeskError as exc:
        return f"No model: {exc}", ""
    card = entry.manifest_path.parent / (entry.manifest.model_card or "")
    text = card.read_text(encoding="utf-8") if entry.manifest.model_card and card.is_file() else ""
    text = with_image_files(text, card.parent)
    ba = entry.manifest.evaluation.balanced_accuracy
    line = f"Model **{entry.manifest.name} {entry.manifest.version}** ({entry.source})" + (
        f", test balanced accuracy {ba:.3f}" if isinstance(ba, float) else ""
    )
    return line, text


def with_image_files(markdown: str, folder: Path) -> str:
    """The card's images (``![alt](plot.png)``, beside the card) as file URLs, so a viewer that does not know the
    card's folder finds them; an image that is not there is left as written."""

    def absolute(match: re.Match[str]) -> str:
        path = folder / match.group(2)
        return f"![{match.group(1)}]({path.resolve().as_uri()})" if path.is_file() else match.group(0)

    return re.sub(r"!\[([^\]]*)\]\(([^():/\\]+)\)", absolute, markdown)
