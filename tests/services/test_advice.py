"""A LOW tier beside a SIGNIFICANT change nobody answered never advises "re-check in about 12 months" (a nurse read
that line first, in bold above "Change since 25 Aug 2026: SIGNIFICANT"): the advice names the change and asks for a
clinician's review; once a decision or the lesion's status answered it, the advice names that. The tier stays the
model's. The lesion report (read back with pypdf) and the command line say the same as the services (the app: tests/ui
/test_advice_in_panel.py). A probability and its threshold never print alike when they differ ("7%" below "7%").
A real SQLite register; captures assessed by a tiny ONNX model whose follow-up threshold is set near its output."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from dermadesk.config import Settings
from dermadesk.contract import RECOMMENDATIONS, TIER_ACTIONS
from dermadesk.contract.manifest import RiskThresholds
from dermadesk.inference.registry import install_model
from dermadesk.reports.lesion_report import build_lesion_report
from dermadesk.services.advice import ChangeState, advice, capture_advice
from dermadesk.services.assessment import make_assess_fn
from dermadesk.services.captures import CaptureMeta, import_files
from dermadesk.services.register_ops import review_capture
from dermadesk.services.reports import lesion_report_data
from dermadesk.services.standing import significant_change
from dermadesk.storage.register import Register
from tests.conftest import lesion_jpeg

BASE, FOLLOW = "2026-08-25", "2026-11-03"  # 70 days apart: short-term rules, growth of 10 % is SIGNIFICANT
# the tiny model gives the baseline (seed 0) a malignant chance of about 19.6 % and the grown follow-up 20.5 %:
# below a follow-up threshold of 21 % both are LOW
LOW_BOTH = RiskThresholds(monitor_malignant=0.21, monitor_melanoma=0.06)
TWELVE = "re-check in about 12 months"
REVIEW = "have a clinician review the change"


def write_low_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny test model with a follow-up threshold of 21 %: the grown lesion stays LOW (its manifest)."""
    from modelgen import write_tiny_model

    return write_tiny_model(tmp_path_factory.mktemp("low-model"), name="tiny-low", thresholds=LOW_BOTH)


@pytest.fixture(scope="session")
def low_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_low_model(tmp_path_factory)


def grown_lesion(register: Register, data_dir: Path, manifest: Path, tmp_path: Path) -> int:
    """A baseline of 25 Aug 2026 and a follow-up of 3 Nov 2026 grown by about 70 % (compared on import:
    SIGNIFICANT), both assessed by the model of ``manifest``."""
    install_model(manifest, data_dir)
    assess, _ = make_assess_fn(data_dir, None, "cpu")
    assert assess is not None
    lid = register.lesions.add("t", register.patients.add("t", "A-1", "Ad Vice").id, "anterior torso").id
    for name, scale, day in (("base", 1.0, BASE), ("grown", 1.3, FOLLOW)):
        path = tmp_path / f"{name}.jpg"
        path.write_bytes(lesion_jpeg(seed=0, scale=scale))
        import_files(register, "t", lid, [path], CaptureMeta(taken_at=day), assess)
    return lid


@pytest.fixture
def lesion(register: Register, data_dir: Path, low_model: Path, tmp_path: Path) -> int:
    lid = grown_lesion(register, data_dir, low_model, tmp_path)
    base, follow = register.captures.for_lesion(lid)
    assert [register.assessments.latest(c.id).risk_tier for c in (base, follow)] == ["low", "low"]  # type: ignore
    assert register.comparisons.for_lesion(lid)[-1].verdict == "significant"
    return lid


def pdf_text(register: Register, lid: int, deidentified: bool = False) -> str:
    pdf = build_lesion_report(lesion_report_data(register, Settings(), lid, deidentified=deidentified))
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)


def test_a_low_tier_beside_an_unanswered_change_asks_for_a_review_not_a_re_check(register, lesion) -> None:
    base, follow = register.captures.for_lesion(lesion)
    said = capture_advice(register, follow.id)
    assert said is not None and said.change and said.unanswered
    assert said.line == (
        f"Routine care by the model's probabilities; but this lesion changed significantly since 25 Aug 2026: {REVIEW}"
    )
    assert TWELVE not in said.line and TWELVE not in said.text and "12 months" not in said.text
    assert "rests on this image alone" in said.text
    # the baseline's own advice names the change too, and where it was seen (the flag stands for the lesion)
    earlier = capture_advice(register, base.id)
    assert earlier is not None and "since 25 Aug 2026 (seen on 3 Nov 2026): " + REVIEW in earlier.line
    assert register.assessments.latest(follow.id).risk_tier == "low"  # type: ignore[union-attr]  # the model's tier


def test_a_decision_that_answers_the_change_is_shown_instead(register, lesion) -> None:
    base, follow = register.captures.for_lesion(lesion)
    review_capture(register, "t", follow.id, "monitor", "growth reviewed: benign pattern")
    assert significant_change(register, lesion) is None  # the flag ends: the advice follows it
    said = capture_advice(register, follow.id)
    assert said is not None and not said.unanswered
    assert said.line == "Clinician's decision: monitor, after the significant change since 25 Aug 2026"
    assert said.text.endswith(f"The model's advice for this image alone: {RECOMMENDATIONS['low']}")
    assert capture_advice(register, base.id) == advice("low", RECOMMENDATIONS["low"], None)  # no change of its own
    # 'refer' leaves the flag standing until the lesion is marked: the decision named, on every capture
    review_capture(register, "t", follow.id, "refer", "")
    assert capture_advice(register, follow.id).line.startswith("Clinician's decision: refer, after")  # type: ignore
    named = capture_advice(register, base.id)
    assert named is not None and named.line.startswith("Clinician's decision: refer (on the 3 Nov 2026 capture)")
    register.lesions.update("t", lesion, status="referred")
    marked = capture_advice(register, follow.id)
    assert marked is not None and marked.line == "Lesion referred, after a significant change since 25 Aug 2026"


def test_refer_and_urgent_keep_their_advice_and_name_the_change_after_it() -> None:
    unanswered = ChangeState("25 Aug 2026")
    refer = advice("refer", RECOMMENDATIONS["refer"], unanswered)
    assert refer.line == f"{TIER_ACTIONS['refer']}; the lesion also changed significantly since 25 Aug 2026"
    assert refer.text == f"{RECOMMENDATIONS['refer']} This lesion also changed significantly since 25 Aug 2026."
    answered = advice("urgent", RECOMMENDATIONS["urgent"], ChangeState("25 Aug 2026", decision="monitor"))
    assert (answered.line, answered.change) == (TIER_ACTIONS["urgent"], False)
    monitor = advice("monitor", RECOMMENDATIONS["monitor"], unanswered)
    assert monitor.line.startswith("Short-term follow-up by the model's probabilities; but") and "3 months" not in (
        monitor.text
    )


def test_the_lesion_report_says_it_on_page_one(register, lesion) -> None:
    text = pdf_text(register, lesion)
    tier = text.index("Risk tier: LOW")
    advised = text.index("Routine care by the model's probabilities; but this lesion changed significantly since")
    assert tier < advised < text.index("Change since 25 Aug 2026") and REVIEW in text
    assert TWELVE not in text  # nowhere: not the model's recommendation either
    deidentified = pdf_text(register, lesion, deidentified=True)
    assert f"changed significantly since 2026: {REVIEW}" in deidentified and "25 Aug" not in deidentified
    follow = register.captures.for_lesion(lesion)[-1]
    review_capture(register, "t", follow.id, "monitor", "")
    answered = pdf_text(register, lesion)
    assert "Clinician's decision: monitor, after the significant change since 25 Aug 2026" in answered
    assert REVIEW not in answered


def test_the_command_line_says_it_beside_the_tier(capsys, register, lesion, tmp_path: Path) -> None:
    from tests.test_cli import run

    register.close()
    code, out, err = run(capsys, "assess", "--capture", "2", "--device", "cpu", "--model", "tiny-low")
    first, change = out.splitlines()[:2]
    assert code == 0, err
    assert first.startswith("capture 2 (3 Nov 2026): tier LOW, malignant 20% (melanoma 4%): Routine care by the ")
    assert f"changed significantly since 25 Aug 2026: {REVIEW}." in first and TWELVE not in out
    assert change.startswith("  change since the baseline, capture 1 (25 Aug 2026): SIGNIFICANT")
    third = tmp_path / "third.jpg"  # capture add says it for the capture it adds, as assess does
    third.write_bytes(lesion_jpeg(seed=0, scale=1.35))
    code, out, err = run(capsys, "capture", "add", "--lesion", str(lesion), "--device", "cpu", "--model", "tiny-low",
                         "--taken", "2026-11-10", str(third))  # fmt: skip
    added = out.splitlines()[0]
    assert code == 0 and added.startswith("capture 3 (10 Nov 2026) added (third.jpg, 320x240): tier LOW"), err
    assert f"changed significantly since 25 Aug 2026: {REVIEW}." in added and TWELVE not in out
    assert run(capsys, "capture", "review", "--capture", "3", "--decision", "monitor")[0] == 0
    out = run(capsys, "assess", "--capture", "3", "--device", "cpu", "--model", "tiny-low")[1]
    assert "Clinician's decision: monitor, after the significant change since 25 Aug 2026" in out.splitlines()[0]


def test_json_gives_the_advice_beside_the_models_recommendation(capsys, register, lesion, tmp_path: Path) -> None:
    """--json of assess and capture add: "advice" is what their text prints in place of the recommendation (the
    change nobody answered named, no 12-month re-check); "recommendation" stays the model's, for tools that read it."""
    import json

    from tests.test_cli import run

    register.close()
    code, out, err = run(capsys, "assess", "--capture", "2", "--device", "cpu", "--model", "tiny-low", "--json")
    doc = json.loads(out)
    assert code == 0, err
    assert doc["recommendation"] == RECOMMENDATIONS["low"] and TWELVE in doc["recommendation"]  # as stored
    assert f"changed significantly since 25 Aug 2026: {REVIEW}." in doc["advice"] and TWELVE not in doc["advice"]
    text = run(capsys, "assess", "--capture", "2", "--device", "cpu", "--model", "tiny-low")[1]
    assert f"{doc['advice']} Most likely class:" in text.splitlines()[0]  # the same words as the text
    third = tmp_path / "third.jpg"
    third.write_bytes(lesion_jpeg(seed=0, scale=1.35))
    code, out, err = run(capsys, "capture", "add", "--lesion", str(lesion), "--device", "cpu", "--model", "tiny-low",
                         "--taken", "2026-11-10", str(third), "--json")  # fmt: skip
    added = json.loads(out.splitlines()[0])["assessment"]
    assert code == 0 and added["recommendation"] == RECOMMENDATIONS["low"], err
    assert f"changed significantly since 25 Aug 2026: {REVIEW}." in added["advice"]
    assert run(capsys, "capture", "review", "--capture", "3", "--decision", "monitor")[0] == 0
    answered = json.loads(
        run(capsys, "assess", "--capture", "3", "--device", "cpu", "--model", "tiny-low", "--json")[1]
    )
    assert answered["advice"].startswith("Clinician's decision: monitor, after the significant change since 25 Aug")
    assert answered["advice"].endswith(f"The model's advice for this image alone: {RECOMMENDATIONS['low']}")


def test_a_chance_and_its_threshold_never_print_alike_when_they_differ(
    register, data_dir: Path, tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    """At a follow-up threshold of 20 %, the baseline's 19.6 % read "(20%) ... below the follow-up thresholds (20%
    ...)" and the follow-up's 20.5 % "(20%) is at or above ... (20%)"; one decimal tells them apart (the PDF)."""
    from modelgen import write_tiny_model

    manifest = write_tiny_model(
        tmp_path_factory.mktemp("at-20"), name="tiny-20", thresholds=RiskThresholds(monitor_malignant=0.2)
    )
    lid = grown_lesion(register, data_dir, manifest, tmp_path)
    base, follow = (register.assessments.latest(c.id) for c in register.captures.for_lesion(lid))
    assert base is not None and follow is not None and (base.risk_tier, follow.risk_tier) == ("low", "monitor")
    assert f"{base.malignant_probability:.0%}" == f"{follow.malignant_probability:.0%}" == "20%"  # as printed before
    text = pdf_text(register, lid)  # the reported visit: the follow-up
    assert (
        f"Follow-up because the chance of a malignant lesion ({follow.malignant_probability:.1%}) is at or above the "
        "follow-up threshold (20.0%)"
    ) in text
    from dermadesk.services.explain import tier_reason

    low = tier_reason(base, RiskThresholds(monitor_malignant=0.2))
    assert f"malignant lesion ({base.malignant_probability:.1%})" in low and "thresholds (20.0% and 5%)" in low


def test_a_refer_decision_not_yet_marked_reads_alike_in_the_flag_and_the_advice(register, lesion) -> None:
    """'refer' saved on the changed capture, the lesion still 'monitoring': the ⚠ flag no longer asks for a decision
    (monitor, discharge) the clinician has given, and the advice no longer reads as if nothing were left to do: both
    name the decision and what is left, marking the lesion referred once arranged; marked, both move on."""
    from dermadesk.services.attention import flag_line, lesion_flag

    _, follow = register.captures.for_lesion(lesion)
    review_capture(register, "t", follow.id, "refer", "growth: dermatology")
    left = "arrange it, then mark the lesion referred"
    flag = flag_line(*lesion_flag(register, lesion))
    assert flag.startswith("⚠ CHANGED: significant change on 3 Nov 2026 (")
    assert flag.endswith(f"; status still 'monitoring' — decision refer on the 3 Nov 2026 capture: {left}")
    assert "answer it with a decision" not in flag
    said = capture_advice(register, follow.id)
    assert said is not None and said.line == (
        "Clinician's decision: refer, after the significant change since 25 Aug 2026; "
        f"status still 'monitoring': {left}"
    )
    register.lesions.update("t", lesion, status="referred")
    assert lesion_flag(register, lesion) == ("", "")
    marked = capture_advice(register, follow.id)
    assert marked is not None and "mark the lesion" not in marked.line
