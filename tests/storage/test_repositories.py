"""Repositories: round trips, search, soft delete/restore, audit rows, validation."""

import sqlite3

import pytest

from dermadesk.domain.errors import DuplicateError, NotFoundError, ValidationError
from dermadesk.storage.register import Register


def test_patient_round_trip_and_audit(register: Register) -> None:
    p = register.patients.add("dr.a", "MRN-1", "  Ana   Silva ", "1980-05-17", "Female", "iii", "allergic")
    assert (p.mrn, p.name, p.birth_date, p.sex, p.skin_type, p.notes) == (
        "MRN-1", "Ana Silva", "1980-05-17", "female", "III", "allergic")
    assert register.patients.get(p.id) == p
    assert register.patients.by_mrn("MRN-1") == p
    created = register.audit.entries("patient", p.id)
    assert [e.action for e in created] == ["create"]
    assert created[0].actor == "dr.a" and created[0].after["mrn"] == "MRN-1" and created[0].before is None
    register.patients.update("dr.b", p.id, name="Ana Souza", skin_type="IV")
    upd = register.audit.entries("patient", p.id)[0]
    assert upd.action == "update" and upd.actor == "dr.b"
    assert upd.before == {"name": "Ana Silva", "skin_type": "III"}
    assert upd.after == {"name": "Ana Souza", "skin_type": "IV"}


def test_lesion_capture_assessment_comparison_round_trip(register: Register) -> None:
    p = register.patients.add("u", "M2", "Bo Chen")
    les = register.lesions.add("u", p.id, "Posterior Torso", "scapula", body_view="back", body_x=0.4, body_y=0.3)
    assert (les.site, les.status, les.body_view) == ("posterior torso", "monitoring", "back")
    sha = register.images.put(b"fake-bytes-for-row-test")
    c = register.captures.add("u", les.id, "2026-01-02", sha, 600, 450, 23, "JPEG", mm_per_px=0.02)
    assert register.captures.get(c.id) == c and c.operator == "u"
    a = register.assessments.add("u", c.id, model_name="m", model_version="1", provider="CPUExecutionProvider",
                                 probabilities={"mel": 0.7, "nv": 0.3}, top_class="mel",
                                 malignant_probability=0.7, melanoma_probability=0.7, risk_tier="refer",
                                 recommendation="r", quality={"status": "pass"}, ood_score=0.5, ood_flag=False)
    assert register.assessments.latest(c.id) == a and a.probabilities["mel"] == 0.7 and a.ood_flag is False
    a2 = register.assessments.add("u", c.id, model_name="m", model_version="2", provider="CPUExecutionProvider",
                                  probabilities={"nv": 1.0}, top_class="nv", malignant_probability=0.0,
                                  melanoma_probability=0.0, risk_tier="low", recommendation="r", ood_score=0.1,
                                  ood_flag=True)
    assert [x.model_version for x in register.assessments.for_capture(c.id)] == ["1", "2"]
    assert register.assessments.latest(c.id) == a2
    # an older assessment that arrives later (a transfer package) does not become the latest
    register.database.conn.execute("UPDATE assessments SET created_at = '2000-01-01T00:00:00+00:00' WHERE id = ?",
                                   (a2.id,))
    assert register.assessments.latest(c.id).id == a.id
    cmp_ = register.comparisons.add("u", les.id, c.id, c.id, 90, "not significant", ["no change"],
                                    {"area_change_percent": 1.5}, [[1, 0, 0], [0, 1, 0]])
    assert register.comparisons.for_lesion(les.id) == [cmp_]
    assert cmp_.metrics["area_change_percent"] == 1.5 and cmp_.transform == [[1, 0, 0], [0, 1, 0]]
    reviewed = register.captures.review("dr.c", c.id, "Refer", "dermoscopy: atypical network")
    assert reviewed.decision == "refer"
    entry = register.audit.entries("capture", c.id)[0]
    assert entry.actor == "dr.c" and entry.after == {"decision": "refer",
                                                      "clinician_notes": "dermoscopy: atypical network"}


def test_search_by_name_prefix_mrn_and_diacritics(register: Register) -> None:
    for mrn, name in [("H-100", "Zoë Müller"), ("H-101", "Zoe Miller"), ("X-7", "Иван Петров"), ("Q9", "Ann Lee")]:
        register.patients.add("u", mrn, name)
    assert {p.mrn for p in register.patients.search("zoe")} == {"H-100", "H-101"}
    assert [p.mrn for p in register.patients.search("mül")] == ["H-100"]
    assert [p.mrn for p in register.patients.search("Пет")] == ["X-7"]
    assert [p.mrn for p in register.patients.search("Q9")] == ["Q9"]
    assert [p.mrn for p in register.patients.search("zoe mil")] == ["H-101"]
    assert len(register.patients.search("")) == 4
    assert register.patients.search("nobody") == []


def test_search_by_birth_date_and_across_punctuation(register: Register) -> None:
    """Clinics find a patient by name and date of birth, however the date is written; an apostrophe or hyphen
    in a name need not be typed."""
    for mrn, name, born in [("B-1", "Sean O'Brien", "1961-03-12"), ("B-2", "Anna Smith-Jones", "1961-12-03"),
                            ("B-3", "Obi Rienzi", "1975-01-30"), ("2061", "Mary Brien", None)]:
        register.patients.add("u", mrn, name, born)

    def found(text: str) -> list[str]:
        return [p.mrn for p in register.patients.search(text)]

    assert found("obrien") == ["B-1"] and found("o'brien") == ["B-1"] and found("smithjon") == ["B-2"]
    assert found("1961-03-12") == ["B-1"] and found("12.03.1961") == ["B-1"] and found("12 Mar 1961") == ["B-1"]
    assert found("12/03/1961") == ["B-2", "B-1"]  # day/month or month/day: both shown, by name
    assert found("1961") == ["B-2", "B-1"] and found("obrien 1961") == ["B-1"] and found("sean 1975") == []
    assert found("2061") == ["2061"]  # a year typed can still be the beginning of an MRN
    assert found("31.02.1961") == [] and found("brien") == ["2061", "B-1"]  # no such date; a word's beginning
    assert found("obiri") == ["B-3"]  # two words typed as one
    register.patients.add("u", "MRN-1001", "Liam D'Arcy-Ng", "1980-07-04")
    assert found("darcyng") == ["MRN-1001"] and found("mrn1001") == ["MRN-1001"]
    assert found("04-07-1980") == ["MRN-1001"]
    assert found("30 January 1975") == ["B-3"]


def test_soft_delete_and_restore_are_audited(register: Register) -> None:
    p = register.patients.add("u", "D1", "Del Person")
    register.patients.soft_delete("nurse", p.id)
    assert register.patients.search("del") == []
    assert [x.mrn for x in register.patients.search("del", include_deleted=True)] == ["D1"]
    with pytest.raises(NotFoundError):
        register.patients.by_mrn("D1")
    register.patients.restore("nurse", p.id)
    assert register.patients.by_mrn("D1").deleted_at is None
    actions = [e.action for e in register.audit.entries("patient", p.id)]
    assert actions == ["restore", "delete", "create"]


def test_audit_log_is_append_only(register: Register) -> None:
    register.patients.add("u", "A1", "Audit Test")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        register.database.conn.execute("UPDATE audit_log SET actor = 'mallory'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        register.database.conn.execute("DELETE FROM audit_log")


@pytest.mark.parametrize("kwargs, message", [
    (dict(mrn="", name="X"), "MRN"),
    (dict(mrn="Z1", name="  "), "name"),
    (dict(mrn="Z1", name="X", sex="yes"), "unknown sex"),
    (dict(mrn="Z1", name="X", skin_type="VII"), "skin type"),
    (dict(mrn="Z1", name="X", birth_date="1990-13-01"), "not a real date"),
    (dict(mrn="Z1", name="X", birth_date="2999-01-01"), "future"),
])
def test_bad_patient_values_are_refused_and_nothing_saved(register: Register, kwargs: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        register.patients.add("u", **kwargs)
    assert register.patients.count() == 0
    assert register.audit.entries() == []


def test_duplicate_mrn_and_unknown_site(register: Register) -> None:
    p = register.patients.add("u", "DUP", "First")
    with pytest.raises(DuplicateError, match="DUP already exists"):
        register.patients.add("u", "DUP", "Second")
    with pytest.raises(ValidationError, match="unknown anatomic site 'elbow'"):
        register.lesions.add("u", p.id, "elbow")
    with pytest.raises(NotFoundError):
        register.lesions.add("u", 9999, "head/neck")
    assert register.patients.count() == 1
    assert len(register.audit.entries()) == 1


def test_failed_transaction_leaves_no_row_and_no_audit(register: Register) -> None:
    p = register.patients.add("u", "T1", "Tx Test")
    with pytest.raises(RuntimeError):
        with register.database.transaction():
            register.lesions.add("u", p.id, "head/neck")
            raise RuntimeError("boom")
    assert register.lesions.for_patient(p.id) == []
    assert [e.entity for e in register.audit.entries()] == ["patient"]
