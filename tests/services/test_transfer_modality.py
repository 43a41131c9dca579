"""A capture's modality corrected on the other workstation travels with its transfer package, as a date or a scale does:
the import brings it (the preview names it), the assessment made there for the modality it has now is the capture's
assessment here (``storage.assessments``: only one made for the capture's modality now shows), and the comparisons made
here with the tier it had before are compared again. Brought without one (not assessed again there), no tier shows:
the capture's assessment is out of date. Both registers holding it as a different modality, never agreed, is a
conflict, left as here until answered; a package of a DermaDesk without ``assessments.modality`` still imports. Real
registers, real packages, the tiny ONNX model assessing, real synthetic images compared by the real pipeline."""

from __future__ import annotations

from pathlib import Path

from dermadesk.inference.engine import open_assessor
from dermadesk.inference.registry import install_model
from dermadesk.services import reassessed
from dermadesk.services import register_ops as ops
from dermadesk.services.assessment import assess_capture
from dermadesk.services.modality import assess_for_modality, outdated_words
from dermadesk.services.tracking import latest_change
from dermadesk.services.transfer import export_patients, import_package
from dermadesk.storage.register import Register
from dermadesk.storage.transfer import collect_records, write_package
from dermadesk.storage.transfer_answers import Answers
from dermadesk.storage.transfer_values import KEEP, TAKE
from tests.services.test_since_review import DAYS, GROWN
from tests.services.test_transfer_assessed_compares import add, tiers
from tests.services.test_transfer_review_compares import MRN, ids_by_day, send

BROUGHT = "modality 'dermoscopic' → 'clinical' (changed in the package since the two registers last agreed, not here)"
# what the preview says the import does to the capture's assessment (read ahead: it assesses nothing)
WITH_ITS_OWN = "; then its assessment is the one made in the package for a clinical image: NOT ASSESSABLE, no risk tier"
OUT_OF_DATE_AHEAD = (
    "; then its assessment (made for a dermoscopic image) is out of date: no risk tier shows until it is assessed "
    "again after the import"
)


def open_tiny(data_dir: Path):  # noqa: ANN201  (the model the tests assess with)
    return lambda: open_assessor(data_dir, "tiny-test", "cpu")


def corrected_on_the_laptop(
    tmp_path: Path, tiny_model_dir: Path, model: str = "tiny-test", clinic: Path | None = None
) -> tuple[Path, Path]:
    """The clinic's baseline and grown capture, assessed by the tiny model and compared, the grown one answered
    'monitor', sent to the laptop; the clinic then takes in a later capture (compared with the grown one, the reviewed
    capture: its tier recorded), while on the laptop the grown capture is corrected to clinical and assessed again for
    its modality as the app does (``model``: the one it tries; one not installed fails, leaving its assessment out of
    date there too). (clinic, laptop)."""
    clinic, laptop = clinic or tmp_path / "clinic", tmp_path / "laptop"
    for data_dir in (clinic, laptop):
        install_model(tiny_model_dir / "tiny-test.json", data_dir)
    with Register(clinic) as reg:
        lid = reg.lesions.add("t", reg.patients.add("t", MRN, "Tom Transfer").id, "lower extremity").id
        add(reg, lid, tmp_path, 1.0, DAYS[0], "tiny-test")
        grown = add(reg, lid, tmp_path, GROWN, DAYS[1], "tiny-test")
        assert reg.assessments.latest(grown).risk_tier is not None
        ops.review_capture(reg, "dr clinic", grown, "monitor", "even growth")
    send(clinic, laptop, tmp_path)
    with Register(clinic) as reg:
        later = add(reg, lid, tmp_path, GROWN * GROWN, DAYS[2], "tiny-test")
        assert tiers(reg, lid, grown, later)["before"] == reg.assessments.latest(grown).risk_tier
    _, there = ids_by_day(laptop)
    with Register(laptop) as reg:
        ops.edit_capture(reg, "dr field", there[DAYS[1]], {"modality": "clinical"})
        again = assess_for_modality(reg, lambda: open_assessor(laptop, model, "cpu"), "dr field", there[DAYS[1]])
        assert (again.assessment is not None) == (model == "tiny-test")
    return clinic, laptop


def test_a_modality_corrected_and_assessed_there_is_clinical_here_with_no_tier(
    tmp_path: Path, tiny_model_dir: Path
) -> None:
    clinic, laptop = corrected_on_the_laptop(tmp_path, tiny_model_dir)
    lid, here = ids_by_day(clinic)
    base, grown = here[DAYS[0]], here[DAYS[1]]
    with Register(clinic) as reg:
        tier_before = reg.assessments.latest(grown).risk_tier
        assert tier_before is not None and latest_change(reg, grown).metrics["risk_tier"]["after"] == tier_before
    package = tmp_path / "back.ddtx"
    with Register(laptop) as reg:
        export_patients(reg, package, None)
    with Register(clinic) as reg:
        previewed = import_package(reg, package, None, "importer", dry_run=True)
    assert previewed.plan.updated["captures"] == 1
    assert any(line.endswith(BROUGHT + WITH_ITS_OWN) for line in previewed.plan.update_lines)
    with Register(clinic) as reg:
        outcome = import_package(reg, package, None, "importer")
    assert outcome.applied and [(m.capture_id, m.before, m.after) for m in outcome.modality] == [
        (grown, "dermoscopic", "clinical")
    ]
    assert outcome.reassess == [lid] and outcome.reassess_error == ""
    with Register(clinic) as reg:
        assert reg.captures.get(grown).modality == "clinical"
        now = reg.assessments.latest(grown)  # the laptop's, made for a clinical image
        assert (now.status, now.modality, now.risk_tier) == ("not assessable", "clinical", None)
        assert outdated_words(reg, grown) == ""
        row = latest_change(reg, grown)  # compared again without the tier made for a dermoscopic image
        before = reg.assessments.latest(base).risk_tier
        assert row is not None and row.metrics["risk_tier"] == {"before": before, "after": None}
        later = here[DAYS[2]]  # its comparison with the reviewed capture, made here with its tier, made again
        assert tiers(reg, lid, grown, later) == {"before": None, "after": reg.assessments.latest(later).risk_tier}
        assert [r.followup_capture_id for r in outcome.reassessed] == [later]
        assert reassessed.outdated(reg, [base, grown, later]) == []
        # assessed again here: still for a clinical image, no tier
        assert assess_capture(reg, open_tiny(clinic)(), "dr clinic", grown).risk_tier is None


def test_a_modality_brought_without_an_assessment_leaves_it_out_of_date(tmp_path: Path, tiny_model_dir: Path) -> None:
    clinic, laptop = corrected_on_the_laptop(tmp_path, tiny_model_dir, model="no-such-model")
    lid, here = ids_by_day(clinic)
    grown = here[DAYS[1]]
    outcome = send(laptop, clinic, tmp_path)
    assert [line for line in outcome.plan.update_lines if "modality" in line][0].endswith(BROUGHT + OUT_OF_DATE_AHEAD)
    assert [m.capture_id for m in outcome.modality] == [grown] and outcome.reassess == [lid]
    with Register(clinic) as reg:
        assert reg.captures.get(grown).modality == "clinical" and reg.assessments.latest(grown) is None
        assert outdated_words(reg, grown).startswith(
            "assessment out of date: it was made for a dermoscopic image, the capture is now clinical"
        )
        assert latest_change(reg, grown).metrics["risk_tier"]["after"] is None  # compared there
        assert tiers(reg, lid, grown, here[DAYS[2]])["before"] is None  # compared again here all the same
    again = send(laptop, clinic, tmp_path)  # nothing new: nothing said again
    assert not again.applied and again.modality == [] and again.reassess == []


def same_image_both_sides(tmp_path: Path, tiny_model_dir: Path) -> tuple[Path, Path, int]:
    """The clinic's baseline sent to the laptop; then each register takes in the same later image itself, the clinic
    as dermoscopic (assessed by the tiny model), the laptop as clinical: never agreed. (clinic, laptop, the clinic's
    capture of it)."""
    clinic, laptop = tmp_path / "clinic", tmp_path / "laptop"
    install_model(tiny_model_dir / "tiny-test.json", clinic)
    with Register(clinic) as reg:
        lid = reg.lesions.add("t", reg.patients.add("t", MRN, "Tom Transfer").id, "lower extremity").id
        add(reg, lid, tmp_path, 1.0, DAYS[0])
    send(clinic, laptop, tmp_path)
    with Register(clinic) as reg:
        grown = add(reg, lid, tmp_path, GROWN, DAYS[1], "tiny-test")
    there_lid, _ = ids_by_day(laptop)
    with Register(laptop) as reg:  # the same file, taken in as clinical
        other = add(reg, there_lid, tmp_path, GROWN, DAYS[1])
        ops.edit_capture(reg, "dr field", other, {"modality": "clinical"})
    return clinic, laptop, grown


def test_the_same_image_as_another_modality_on_each_side_is_a_conflict_until_taken(
    tmp_path: Path, tiny_model_dir: Path
) -> None:
    """As for a date: a conflict left as here until answered; taken, the capture is clinical and its assessment, made
    for a dermoscopic image, out of date."""
    clinic, laptop, grown = same_image_both_sides(tmp_path, tiny_model_dir)
    outcome = send(laptop, clinic, tmp_path)
    [conflict] = outcome.plan.fields
    assert conflict.name == "modality" and (conflict.here, conflict.package) == ("dermoscopic", "clinical")
    assert "modality differs (here: 'dermoscopic', in the package: 'clinical')" in conflict.text
    assert "left as it is here until answered" in conflict.text and outcome.modality == []
    with Register(clinic) as reg:
        assert reg.captures.get(grown).modality == "dermoscopic" and reg.assessments.latest(grown).risk_tier
    taken = send(laptop, clinic, tmp_path, answers=Answers(each={conflict.key: TAKE}))
    assert [m.capture_id for m in taken.modality] == [grown]
    [line] = [line for line in taken.plan.update_lines if "modality 'dermoscopic' → 'clinical'" in line]
    assert "(changed on both sides: the package's value taken, as answered)" + OUT_OF_DATE_AHEAD in line
    with Register(clinic) as reg:
        assert reg.captures.get(grown).modality == "clinical" and reg.assessments.latest(grown) is None
        assert outdated_words(reg, grown).startswith("assessment out of date: it was made for a dermoscopic image")


def test_the_same_image_as_another_modality_kept_here_is_not_asked_again(tmp_path: Path, tiny_model_dir: Path) -> None:
    clinic, laptop, grown = same_image_both_sides(tmp_path, tiny_model_dir)
    [conflict] = send(laptop, clinic, tmp_path).plan.fields
    kept = send(laptop, clinic, tmp_path, answers=Answers(each={conflict.key: KEEP}))
    assert kept.modality == [] and kept.plan.fields[0].answer == KEEP
    again = send(laptop, clinic, tmp_path)
    assert again.plan.fields == [] and any("modality" in n and "as answered" in n for n in again.plan.notes)
    with Register(clinic) as reg:
        assert reg.captures.get(grown).modality == "dermoscopic" and reg.assessments.latest(grown).risk_tier


def old_style_package(laptop: Path, out: Path) -> None:
    """The laptop's patients in a package as a DermaDesk without ``assessments.modality`` (schema 11) wrote it."""
    with Register(laptop) as reg:
        records = collect_records(reg.database, [reg.patients.by_mrn(MRN).id])
        for row in records["assessments"]:
            del row["modality"]
        write_package(reg.database, reg.images, out, records, None, schema_version=11)


def test_a_package_without_assessment_modalities_still_gives_no_tier(tmp_path: Path, tiny_model_dir: Path) -> None:
    clinic, laptop = corrected_on_the_laptop(tmp_path, tiny_model_dir)
    lid, here = ids_by_day(clinic)
    package = tmp_path / "old.ddtx"
    old_style_package(laptop, package)
    with Register(clinic) as reg:
        outcome = import_package(reg, package, None, "importer")
    assert outcome.applied and [m.capture_id for m in outcome.modality] == [here[DAYS[1]]]
    assert any(line.endswith(BROUGHT + WITH_ITS_OWN) for line in outcome.plan.update_lines)  # a row with none: no tier
    with Register(clinic) as reg:
        brought = reg.assessments.for_capture(here[DAYS[1]])[-1]
        assert brought.modality is None  # as the package held it
        assert reg.captures.get(here[DAYS[1]]).modality == "clinical"
        assert reg.assessments.latest(here[DAYS[1]]) == brought and brought.risk_tier is None
        assert latest_change(reg, here[DAYS[1]]).metrics["risk_tier"]["after"] is None
