"""How often a model refers benign lesions, carried from its evaluation to the report (#12): the rate a clinic
sees in practice (the tier rule, malignant OR melanoma), pooled and per data set, next to the other test figures."""

from __future__ import annotations

import json
from pathlib import Path

from pypdf import PdfReader

from dermadesk.config import Settings
from dermadesk.contract.evaluation import EvaluationSummary
from dermadesk.inference.registry import ModelRegistry
from dermadesk.reports.lesion_report import build_lesion_report
from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.services.models import model_facts
from dermadesk.services.reports import lesion_report_data
from dermadesk.storage.register import Register
from tests.conftest import lesion_jpeg


def tiers(n_benign: int, referred: float, malignant: float = 0.9) -> dict[str, dict[str, float]]:
    rest = 1.0 - referred
    return {
        "benign": {
            "n": n_benign,
            "low": rest / 2,
            "monitor": rest / 2,
            "refer": referred,
            "urgent": 0.0,
            "referred": referred,
        },
        "malignant": {
            "n": 10,
            "low": 0.0,
            "monitor": 1.0 - malignant,
            "refer": malignant - 0.4,
            "urgent": 0.4,
            "referred": malignant,
        },
    }


EVALUATION = {
    "balanced_accuracy": 0.74,
    "auroc_malignant_vs_benign": 0.91,
    "malignant": {"threshold": 0.15, "sensitivity": 0.93, "specificity": 0.56, "positives": 10, "negatives": 90},
    "tiers": tiers(90, 0.47),
    "per_source": {"ham10000": {"tiers": tiers(60, 0.38, 0.96)}, "isic2017": {"tiers": tiers(30, 0.65, 0.82)}},
}


def with_evaluation(manifest: Path, evaluation: dict) -> None:
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["evaluation"] = evaluation
    manifest.write_text(json.dumps(data), encoding="utf-8")


def report_text(register: Register, tmp_path: Path) -> str:
    """The words of a lesion report for one new capture (the installed model's facts at its end)."""
    p = register.patients.add("t", "R-1", "Rate Reader")
    lesion = register.lesions.add("t", p.id, "posterior torso").id
    image = tmp_path / "lesion.jpg"
    image.write_bytes(lesion_jpeg(seed=3))
    import_files(register, "t", lesion, [image], CaptureMeta(taken_at="2026-05-10"))
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(build_lesion_report(lesion_report_data(register, Settings(), lesion)))
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(str(pdf)).pages)


def test_tier_rates_survive_the_manifest_round_trip() -> None:
    summary = EvaluationSummary.from_dict(EVALUATION)
    assert summary.benign_referred == 0.47
    assert summary.per_source["isic2017"].benign_referred == 0.65
    assert summary.to_dict()["tiers"] == EVALUATION["tiers"]
    assert EvaluationSummary.from_dict({"note": "older model"}).benign_referred is None
    assert EvaluationSummary.from_dict({"tiers": {"benign": {"referred": float("nan")}}}).benign_referred is None


def test_report_says_how_often_benign_lesions_are_referred(
    register: Register, installed_model: Path, data_dir: Path, tmp_path: Path
) -> None:
    with_evaluation(installed_model, EVALUATION)
    facts = model_facts(ModelRegistry(data_dir), None)
    assert facts is not None and facts.benign_referred == 0.47 and facts.malignant_referred == 0.9
    assert facts.benign_referred_per_source == {"HAM10000": 0.38, "ISIC 2017": 0.65}
    assert facts.malignant_referred_per_source == {"HAM10000": 0.96, "ISIC 2017": 0.82}  # the rate that differs too
    text = report_text(register, tmp_path)
    assert (
        "It rated REFER or URGENT 90 in 100 malignant lesions (96 in 100 on HAM10000, 82 in 100 on ISIC 2017) and 47 "
        "in 100 benign ones (38 in 100 on HAM10000, 65 in 100 on ISIC 2017; collections from different clinics and "
        "dermatoscopes): a REFER or URGENT result is a reason to look closely, not a diagnosis." in text
    )
    assert (  # named as another rule than the tier's, so the two figures do not read as one contradicting the other
        "on the malignant probability alone, at its refer threshold, sensitivity 0.93 / specificity 0.56 (the tier "
        "also refers on the melanoma probability, hence the rates above)" in text
    )


def test_report_of_a_model_without_tier_rates_says_nothing_about_them(
    register: Register, installed_model: Path, data_dir: Path, tmp_path: Path
) -> None:
    with_evaluation(installed_model, {k: v for k, v in EVALUATION.items() if k not in ("tiers", "per_source")})
    facts = model_facts(ModelRegistry(data_dir), None)
    assert facts is not None and facts.benign_referred is None and facts.benign_referred_per_source == {}
    text = report_text(register, tmp_path)
    assert "malignant vs benign AUROC 0.91" in text and "REFER or URGENT" not in text
    assert "sensitivity 0.93 / specificity 0.56." in text and "hence the rates above" not in text


def test_a_hand_edited_tiers_block_reads_as_not_measured() -> None:
    """Helper 49: a list, a string, null, a string share, infinity, a percentage, true or a negative share in the
    manifest's tiers crashed every lesion report or printed '4900 in 100'; now each reads as not measured."""
    for tiers in ([], "0.49", None, {"benign": "0.49"}, {"benign": {"referred": "0.49"}},
                  {"benign": {"referred": float("inf")}}, {"benign": {"referred": 49}},
                  {"benign": {"referred": True}}, {"benign": {"referred": -0.3}}, {"benign": []}):  # fmt: skip
        summary = EvaluationSummary.from_dict({"tiers": tiers, "per_source": {"x": {"tiers": tiers}}})
        assert summary.benign_referred is None and summary.per_source["x"].benign_referred is None, tiers
    assert EvaluationSummary.from_dict({"tiers": {"malignant": {"referred": 0}}}).malignant_referred == 0.0
    for sources in ([{"tiers": {}}], "ham10000", {"ham10000": []}):  # the model still loads
        assert EvaluationSummary.from_dict({"per_source": sources}).per_source == {}


def test_a_report_with_a_damaged_tiers_block_still_prints(
    register: Register, installed_model: Path, data_dir: Path, tmp_path: Path
) -> None:
    with_evaluation(installed_model, {**EVALUATION, "tiers": ["damaged"], "per_source": [1, 2]})
    facts = model_facts(ModelRegistry(data_dir), None)
    assert facts is not None and facts.benign_referred is None and facts.benign_referred_per_source == {}
    text = report_text(register, tmp_path)
    assert "malignant vs benign AUROC 0.91" in text and "REFER or URGENT" not in text
    assert "sensitivity 0.93 / specificity 0.56." in text and "hence the rates above" not in text
