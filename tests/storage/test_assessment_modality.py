"""Which stored assessment is current for a capture: only one made for the modality the capture has now. A register
from before assessments recorded their modality is filled in from the audit log when it opens (a capture corrected to
clinical after its assessment keeps no tier); a row with none recorded (an older package's) never gives a clinical
capture a tier. Real SQLite registers, migrated for real."""

from __future__ import annotations

from pathlib import Path

from dermadesk.domain.records import Assessment
from dermadesk.services.modality import outdated_words, to_assess_again
from dermadesk.storage.db import Database, open_db, utc_now
from dermadesk.storage.migrations import migrate
from dermadesk.storage.register import Register
from dermadesk.storage.repositories import Audit

ROW = ("INSERT INTO assessments (capture_id, model_name, model_version, provider, probabilities, top_class, "
       "malignant_probability, melanoma_probability, risk_tier, recommendation, ood_score, ood_flag, created_at, "
       "status) VALUES (?, 'm', '1', 'CPU', '{}', 'nv', 0.5, 0.1, ?, ?, 0.1, 0, ?, ?)")  # fmt: skip
CAPTURE = ("INSERT INTO captures (lesion_id, taken_at, image_sha256, width, height, file_size, image_format, "
           "modality, created_at) VALUES (1, ?, ?, 10, 10, 1, 'JPEG', ?, 'x')")  # fmt: skip
EARLY = "2026-01-05T10:00:00.000+00:00"


def assessed(conn, capture_id: int, tier: str | None, at: str) -> None:
    status = "assessed" if tier else "not assessable"
    conn.execute(ROW, (capture_id, tier, "see a specialist" if tier else None, at, status))


def test_an_older_register_learns_each_assessments_modality_from_the_audit_log(tmp_path: Path) -> None:
    path = tmp_path / "register.sqlite3"
    old = Database(path)
    migrate(old.db, upto=11)  # before assessments recorded their modality
    conn = old.conn
    conn.execute("INSERT INTO patients (mrn, name, created_at, updated_at) VALUES ('M1', 'Old', 'x', 'x')")
    conn.execute("INSERT INTO lesions (patient_id, site, created_at, updated_at) VALUES (1, 'head/neck', 'x', 'x')")
    for day, sha in (("2026-01-01", "a1"), ("2026-02-01", "b2"), ("2026-03-01", "c3"), ("2026-04-01", "d4")):
        conn.execute(CAPTURE, (day, sha, "dermoscopic"))
    for cid in (1, 2, 3):  # capture 4 never assessed
        assessed(conn, cid, "urgent", EARLY)
    conn.commit()
    audit = Audit(old)
    for cid in (1, 3):  # corrected to clinical after their assessment, as Edit capture did (audited)
        with old.transaction() as tx:
            tx.execute("UPDATE captures SET modality = 'clinical' WHERE id = ?", (cid,))
            audit.write("dr.a", "update", "capture", cid, {"modality": "dermoscopic"}, {"modality": "clinical"})
    assessed(conn, 1, None, utc_now())  # capture 1 assessed again since: NOT ASSESSABLE for clinical
    conn.commit()
    old.close()
    with Register(tmp_path, open_db(path)) as reg:
        made_for = [(a.capture_id, a.modality) for c in (1, 2, 3) for a in reg.assessments.for_capture(c)]
        assert made_for == [(1, "dermoscopic"), (1, "clinical"), (2, "dermoscopic"), (3, "dermoscopic")]
        now = reg.assessments.latest(1)
        assert now is not None and now.status == "not assessable" and now.risk_tier is None
        assert reg.assessments.latest(2).risk_tier == "urgent"  # never corrected: its tier stands
        assert reg.assessments.latest(3) is None  # corrected, not assessed since: no tier shown
        assert reg.assessments.outdated(3).risk_tier == "urgent" and reg.assessments.outdated(1) is None
        # a modality corrected: assessed again where it was assessed before, current or not; never assessed: left so
        assert [to_assess_again(reg, c) for c in (1, 2, 3, 4)] == [True, True, True, False]
        assert outdated_words(reg, 3) == (
            "assessment out of date: it was made for a dermoscopic image, the capture is now clinical; assess it "
            "again (Patient > Re-assess capture)"
        )
        reg.captures.update("t", 3, modality="dermoscopic")  # corrected back: the one made for it is current again
        assert reg.assessments.latest(3).risk_tier == "urgent" and outdated_words(reg, 3) == ""


def test_a_row_with_no_modality_never_gives_a_clinical_capture_a_tier(register: Register) -> None:
    lid = register.lesions.add("t", register.patients.add("t", "N-1", "No Modality").id, "head/neck").id
    ids = []
    for day, modality in (("2026-01-01", "dermoscopic"), ("2026-02-01", "clinical"), ("2026-03-01", "clinical")):
        ids.append(register.captures.add("t", lid, day, day, 10, 10, 1, "JPEG", modality=modality).id)
    with register.database.transaction() as conn:  # as a package of an older DermaDesk brings them: no modality
        for cid, tier in zip(ids, ("urgent", "urgent", None)):
            assessed(conn, cid, tier, EARLY)
    derm, clinical, clinical_na = (register.assessments.latest(c) for c in ids)
    assert derm is not None and derm.risk_tier == "urgent" and derm.modality is None
    assert clinical is None and register.assessments.outdated(ids[1]).risk_tier == "urgent"
    assert clinical_na is not None and clinical_na.status == "not assessable"


def test_a_stored_assessment_records_the_modality_it_was_made_for(register: Register) -> None:
    lid = register.lesions.add("t", register.patients.add("t", "S-1", "Stored").id, "head/neck").id
    cid = register.captures.add("t", lid, "2026-01-01", "ab", 10, 10, 1, "JPEG", modality="clinical").id
    made = Assessment(model_name="m", model_version="1", provider="CPU", probabilities={}, top_class="",
                      malignant_probability=None, melanoma_probability=None, risk_tier=None, recommendation=None,
                      status="not assessable", status_reasons=["clinical"])  # fmt: skip
    assert register.assessments.store("t", cid, made).modality == "clinical"  # none said: the capture's now
    said = Assessment(**{**vars(made), "modality": "dermoscopic", "status": "assessed", "risk_tier": "low",
                         "recommendation": "routine", "status_reasons": []})  # fmt: skip
    register.assessments.store("t", cid, said)  # made while it was dermoscopic (an edit since): not current
    assert register.assessments.latest(cid).status == "not assessable"
