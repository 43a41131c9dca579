"""File > Export register / 'db export' readable on its own (issue 16): MRN, lesion number, site and side (in
captures and assessments too), capture number, an assessment's capture date and one column per class probability
beside the stored columns, and a README.txt; on a real register."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from dermadesk.contract.classes import CLASSES
from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.services.maintenance import export_register
from tests.conftest import lesion_jpeg


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def _filled(register, tmp_path: Path) -> dict[str, int]:
    pid = register.patients.add("t", "MRN-7", "Export Person").id
    register.patients.add("t", "MRN-0", "Other Person")
    left = register.lesions.add("t", pid, "upper extremity", body_view="front", body_x=0.8, body_y=0.4)  # Lesion 1
    right = register.lesions.add("t", pid, "posterior torso", body_view="back", body_x=0.8, body_y=0.4)  # Lesion 2
    ids = {}
    for seed, date in ((1, "2026-05-01"), (2, "2026-01-01")):  # imported newest first: numbered by date
        f = tmp_path / f"{seed}.jpg"
        f.write_bytes(lesion_jpeg(seed))
        ids[date] = import_files(register, "t", right.id, [f], CaptureMeta(taken_at=date)).captures[0].id
    probs = {c.code: 0.0 for c in CLASSES} | {"mel": 0.75, "nv": 0.25}
    register.assessments.add("t", ids["2026-05-01"], model_name="m", model_version="1", provider="CPU",
                             probabilities=probs, top_class="mel", malignant_probability=0.75,
                             melanoma_probability=0.75, risk_tier="urgent", recommendation="see a specialist",
                             ood_score=0.0, ood_flag=False)  # fmt: skip
    return {"left": left.id, "right": right.id, **ids}


def test_csv_export_says_mrn_lesion_number_side_capture_number_and_each_probability(register, tmp_path) -> None:
    ids = _filled(register, tmp_path)
    written = export_register(register, tmp_path / "out")
    assert [p.name for p in written] == [
        "patients.csv", "lesions.csv", "captures.csv", "assessments.csv", "README.txt"
    ]  # fmt: skip
    lesions = _rows(tmp_path / "out" / "lesions.csv")
    assert list(lesions[0])[:5] == ["patient_mrn", "lesion_number", "id", "patient_id", "site"]  # whose, then stored
    assert [(r["id"], r["patient_mrn"], r["lesion_number"], r["side"]) for r in lesions] == [
        (str(ids["left"]), "MRN-7", "1", "left"),  # front view, viewer's right: the patient's left
        (str(ids["right"]), "MRN-7", "2", "right"),  # back view, viewer's right: the patient's right
    ]
    captures = {r["taken_at"]: r for r in _rows(tmp_path / "out" / "captures.csv")}
    assert list(next(iter(captures.values())))[:4] == ["patient_mrn", "lesion_number", "capture_number", "id"]
    assert captures["2026-01-01"]["capture_number"] == "1" and captures["2026-05-01"]["capture_number"] == "2"
    assert {
        (r["patient_mrn"], r["lesion_number"], r["lesion_id"], r["site"], r["side"]) for r in captures.values()
    } == {("MRN-7", "2", str(ids["right"]), "posterior torso", "right")}
    (a,) = _rows(tmp_path / "out" / "assessments.csv")
    assert (a["patient_mrn"], a["lesion_number"], a["capture_number"]) == ("MRN-7", "2", "2")
    assert (a["site"], a["side"], a["taken_at"]) == ("posterior torso", "right", "2026-05-01")  # the visit, no join
    assert a["prob_mel"] == "0.75" and a["prob_nv"] == "0.25" and a["prob_akiec"] == "0.0"
    assert [k for k in a if k.startswith("prob_")] == [f"prob_{c.code}" for c in CLASSES]
    assert json.loads(a["probabilities"])["mel"] == 0.75  # the stored column kept
    readme = (tmp_path / "out" / "README.txt").read_text(encoding="utf-8")
    assert "lesions.csv" in readme and "capture_number" in readme and "prob_vasc" in readme
    assert "taken_at (the capture's date" in readme


def test_json_export_adds_the_readable_keys_and_the_probabilities_nested(register, tmp_path) -> None:
    _filled(register, tmp_path)
    (path,) = export_register(register, tmp_path / "json", "json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert [(les["patient_mrn"], les["lesion_number"], les["side"]) for les in data["lesions"]] == [
        ("MRN-7", 1, "left"), ("MRN-7", 2, "right")
    ]  # fmt: skip
    (a,) = data["assessments"]
    assert (a["patient_mrn"], a["lesion_number"], a["capture_number"]) == ("MRN-7", 2, 2)
    assert (a["side"], a["taken_at"]) == ("right", "2026-05-01") and data["captures"][0]["side"] == "right"
    assert not any(k.startswith("prob_") for k in a) and json.loads(a["probabilities"])["mel"] == 0.75  # as stored
    assert a["class_probabilities"]["mel"] == 0.75 and list(a["class_probabilities"]) == [c.code for c in CLASSES]


def test_a_not_assessable_row_keeps_its_stored_figures_and_says_not_assessable(register, tmp_path) -> None:
    ids = _filled(register, tmp_path)
    register.assessments.add("t", ids["2026-01-01"], model_name="m", model_version="1", provider="CPU",
                             probabilities={"vasc": 0.44}, top_class="vasc", malignant_probability=0.07,
                             melanoma_probability=0.02, risk_tier=None, recommendation=None, ood_score=9.0,
                             ood_flag=True, status="not assessable",
                             status_reasons=["unlike the training images"])  # fmt: skip
    export_register(register, tmp_path / "out")
    rows = {r["taken_at"]: r for r in _rows(tmp_path / "out" / "assessments.csv")}
    grey = rows["2026-01-01"]  # an export of what is stored: the figures, beside a status that says what they are
    assert (grey["status"], grey["risk_tier"], grey["prob_vasc"]) == ("not assessable", "", "0.44")
    assert "unlike the training images" in grey["status_reasons"] and rows["2026-05-01"]["status"] == "assessed"
    readme = " ".join((tmp_path / "out" / "README.txt").read_text(encoding="utf-8").split())
    assert 'status is "not assessable"' in readme and "the model cannot back them" in readme
