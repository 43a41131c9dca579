"""Schema migrations: an ordered list of small functions, each recorded in ``_migrations``.

Append new migrations at the end; never edit one that has shipped. Each holds the literal SQL of its
time: nothing is built from today's vocabularies, so a shipped migration never changes when a list does.
A file whose ``_migrations`` table names a migration this app does not know was written by a newer
DermaDesk and is refused.
"""

from __future__ import annotations

import datetime as dt
from typing import Callable

import sqlite_utils

from dermadesk.domain.errors import RegisterVersionError
from dermadesk.storage.audit_chain import GENESIS, row_hash


def m001_initial(db: sqlite_utils.Database) -> None:
    """The first schema, as shipped (vocabularies written out: a migration never follows a list that changes)."""
    db.executescript("""
    CREATE TABLE patients (
        id INTEGER PRIMARY KEY,
        mrn TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        birth_date TEXT,
        sex TEXT CHECK (sex IS NULL OR sex IN ('female', 'male', 'other', 'unknown')),
        skin_type TEXT CHECK (skin_type IS NULL OR skin_type IN ('I', 'II', 'III', 'IV', 'V', 'VI')),
        notes TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        deleted_at TEXT
    );
    CREATE INDEX patients_name ON patients(name, id);
    CREATE TABLE lesions (
        id INTEGER PRIMARY KEY,
        patient_id INTEGER NOT NULL REFERENCES patients(id),
        site TEXT NOT NULL CHECK (site IN ('head/neck', 'upper extremity', 'lower extremity', 'anterior torso', 'posterior torso', 'lateral torso', 'palms/soles', 'oral/genital')),
        label TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'monitoring' CHECK (status IN ('monitoring', 'excised', 'referred', 'discharged')),
        body_view TEXT CHECK (body_view IS NULL OR body_view IN ('front', 'back')),
        body_x REAL, body_y REAL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        deleted_at TEXT
    );
    CREATE INDEX lesions_patient ON lesions(patient_id);
    CREATE TABLE captures (
        id INTEGER PRIMARY KEY,
        lesion_id INTEGER NOT NULL REFERENCES lesions(id),
        taken_at TEXT NOT NULL,
        image_sha256 TEXT NOT NULL,
        width INTEGER NOT NULL, height INTEGER NOT NULL, file_size INTEGER NOT NULL,
        image_format TEXT NOT NULL,
        modality TEXT NOT NULL DEFAULT 'dermoscopic' CHECK (modality IN ('dermoscopic', 'clinical')),
        polarisation TEXT CHECK (polarisation IS NULL OR polarisation IN ('polarised', 'non-polarised', 'unknown')),
        magnification REAL, mm_per_px REAL,
        operator TEXT NOT NULL DEFAULT '',
        notes TEXT NOT NULL DEFAULT '',
        original_name TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        deleted_at TEXT
    );
    CREATE INDEX captures_lesion ON captures(lesion_id, taken_at);
    CREATE INDEX captures_sha ON captures(image_sha256);
    CREATE TABLE assessments (
        id INTEGER PRIMARY KEY,
        capture_id INTEGER NOT NULL REFERENCES captures(id),
        model_name TEXT NOT NULL, model_version TEXT NOT NULL, provider TEXT NOT NULL,
        probabilities TEXT NOT NULL,
        top_class TEXT NOT NULL,
        malignant_probability REAL NOT NULL, melanoma_probability REAL NOT NULL,
        risk_tier TEXT NOT NULL, recommendation TEXT NOT NULL,
        quality TEXT NOT NULL DEFAULT '{}',
        ood_score REAL NOT NULL, ood_flag INTEGER NOT NULL,
        cam_sha256 TEXT,
        created_at TEXT NOT NULL
    );
    CREATE INDEX assessments_capture ON assessments(capture_id, id);
    CREATE TABLE comparisons (
        id INTEGER PRIMARY KEY,
        lesion_id INTEGER NOT NULL REFERENCES lesions(id),
        baseline_capture_id INTEGER NOT NULL REFERENCES captures(id),
        followup_capture_id INTEGER NOT NULL REFERENCES captures(id),
        interval_days INTEGER,
        verdict TEXT NOT NULL CHECK (verdict IN ('significant', 'not significant', 'cannot tell')),
        reasons TEXT NOT NULL, metrics TEXT NOT NULL, transform TEXT,
        created_at TEXT NOT NULL
    );
    CREATE INDEX comparisons_lesion ON comparisons(lesion_id, id);
    CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
        entity TEXT NOT NULL, entity_id INTEGER,
        before TEXT, after TEXT
    );
    CREATE INDEX audit_entity ON audit_log(entity, entity_id);
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    """)


def m002_patient_search(db: sqlite_utils.Database) -> None:
    """Full-text search over patient name and MRN (FTS5, kept in sync by triggers)."""
    db["patients"].enable_fts(["name", "mrn"], fts_version="FTS5", create_triggers=True,  # type: ignore[union-attr]
                              tokenize="unicode61 remove_diacritics 2")


def m003_capture_review(db: sqlite_utils.Database) -> None:
    """Clinician decision and notes per capture (audited like every change)."""
    db.execute("ALTER TABLE captures ADD COLUMN decision TEXT "
               "CHECK (decision IS NULL OR decision IN ('monitor', 'excise', 'refer', 'discharge'))")
    db.execute("ALTER TABLE captures ADD COLUMN clinician_notes TEXT NOT NULL DEFAULT ''")


def m004_alive_patients_by_name(db: sqlite_utils.Database) -> None:
    """Covering partial index: the unfiltered patient list (100,000 rows) in name order without a sort."""
    db.execute("CREATE INDEX patients_alive_name ON patients(name, id) WHERE deleted_at IS NULL")


def m005_assessment_status(db: sqlite_utils.Database) -> None:
    """An assessment is "assessed" or "not assessable" (with reasons); a not-assessable one has no risk tier
    and no recommendation, and with invalid model output no probabilities: those columns become nullable.
    Statement by statement (not executescript, which would commit first): the rebuild is one transaction."""
    script = """
    CREATE TABLE assessments_new (
        id INTEGER PRIMARY KEY,
        capture_id INTEGER NOT NULL REFERENCES captures(id),
        model_name TEXT NOT NULL, model_version TEXT NOT NULL, provider TEXT NOT NULL,
        probabilities TEXT NOT NULL,
        top_class TEXT NOT NULL,
        malignant_probability REAL, melanoma_probability REAL,
        risk_tier TEXT, recommendation TEXT,
        quality TEXT NOT NULL DEFAULT '{}',
        ood_score REAL, ood_flag INTEGER NOT NULL,
        cam_sha256 TEXT,
        created_at TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'assessed' CHECK (status IN ('assessed', 'not assessable')),
        status_reasons TEXT NOT NULL DEFAULT '[]',
        CHECK (status = 'not assessable' OR (risk_tier IS NOT NULL AND recommendation IS NOT NULL)),
        CHECK (status = 'assessed' OR (risk_tier IS NULL AND recommendation IS NULL))
    );
    INSERT INTO assessments_new (id, capture_id, model_name, model_version, provider, probabilities, top_class,
        malignant_probability, melanoma_probability, risk_tier, recommendation, quality, ood_score, ood_flag,
        cam_sha256, created_at)
    SELECT id, capture_id, model_name, model_version, provider, probabilities, top_class, malignant_probability,
        melanoma_probability, risk_tier, recommendation, quality, ood_score, ood_flag, cam_sha256, created_at
    FROM assessments;
    DROP TABLE assessments;
    ALTER TABLE assessments_new RENAME TO assessments;
    CREATE INDEX assessments_capture ON assessments(capture_id, id)
    """
    for statement in script.split(";"):
        db.execute(statement)


def m006_audit_chain(db: sqlite_utils.Database) -> None:
    """Audit rows chained by hash (each holds the previous row's hash); REPLACE can no longer overwrite a row:
    a new row must take the next id (a BEFORE INSERT trigger runs before conflict resolution) and carry the
    hash of the last row. Existing rows are chained in id order. Statement by statement: one transaction."""
    db.execute("""CREATE TABLE audit_log_new (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
        entity TEXT NOT NULL, entity_id INTEGER,
        before TEXT, after TEXT,
        prev_hash TEXT NOT NULL, hash TEXT NOT NULL
    )""")
    prev = GENESIS
    for row in db.execute("SELECT id, at, actor, action, entity, entity_id, before, after FROM audit_log "
                          "ORDER BY id").fetchall():
        values = dict(zip(("id", "at", "actor", "action", "entity", "entity_id", "before", "after"), row))
        digest = row_hash(prev, values)
        db.execute("INSERT INTO audit_log_new VALUES (?,?,?,?,?,?,?,?,?,?)", [*values.values(), prev, digest])
        prev = digest
    db.execute("DROP TABLE audit_log")
    db.execute("ALTER TABLE audit_log_new RENAME TO audit_log")
    db.execute("CREATE INDEX audit_entity ON audit_log(entity, entity_id)")
    refuse = "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
    db.execute(f"CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log {refuse}")
    db.execute(f"CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log {refuse}")
    db.execute("CREATE TRIGGER audit_log_append_only BEFORE INSERT ON audit_log "
               "WHEN NEW.id <= (SELECT coalesce(max(id), 0) FROM audit_log) "
               "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only (a new row takes the next id)'); END")
    db.execute("CREATE TRIGGER audit_log_chained BEFORE INSERT ON audit_log "
               f"WHEN NEW.prev_hash IS NOT coalesce((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), '{GENESIS}') "
               "BEGIN SELECT RAISE(ABORT, 'an audit row must hold the hash of the row before it'); END")


def m007_mrn_case_insensitive(db: sqlite_utils.Database) -> None:
    """MRNs unique ignoring (ASCII) case for new and changed rows. Triggers rather than a UNIQUE index, so a
    register that already holds case-duplicates still opens (``db check`` lists them)."""
    db.execute("CREATE INDEX patients_mrn_nocase ON patients(mrn COLLATE NOCASE)")
    refuse = "BEGIN SELECT RAISE(ABORT, 'UNIQUE constraint failed: patients.mrn (ignoring case)'); END"
    db.execute("CREATE TRIGGER patients_mrn_nocase_insert BEFORE INSERT ON patients "
               f"WHEN EXISTS (SELECT 1 FROM patients WHERE mrn = NEW.mrn COLLATE NOCASE) {refuse}")
    db.execute("CREATE TRIGGER patients_mrn_nocase_update BEFORE UPDATE OF mrn ON patients "
               f"WHEN EXISTS (SELECT 1 FROM patients WHERE mrn = NEW.mrn COLLATE NOCASE AND id != NEW.id) {refuse}")


UID_TABLES = ("patients", "lesions", "captures", "assessments", "comparisons")  # reviews are columns of captures
ORIGIN_TABLES = ("assessments", "comparisons")
UUID4_SQL = ("lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || "
             "substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + abs(random()) % 4, 1) || "
             "substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))")


def m008_transfer_ids(db: sqlite_utils.Database) -> None:
    """Stable ids for transfer packages: a uuid4 ``uid`` on every record (filled now; the repositories give new
    rows one), this register's workstation identity (uuid + host name, stored once), and the ``origin``
    workstation of assessments and comparisons (this one for rows made here). No insert triggers: one that
    updates a new patient row would run before the full-text index's own trigger and corrupt it. Statement
    by statement: one transaction."""
    import socket
    import uuid

    for table in UID_TABLES:
        db.execute(f"ALTER TABLE {table} ADD COLUMN uid TEXT")
        db.execute(f"UPDATE {table} SET uid = {UUID4_SQL} WHERE uid IS NULL")
        db.execute(f"CREATE UNIQUE INDEX {table}_uid ON {table}(uid)")
    db.execute("""CREATE TABLE workstations (
        uid TEXT PRIMARY KEY,
        hostname TEXT NOT NULL,
        is_self INTEGER NOT NULL DEFAULT 0 CHECK (is_self IN (0, 1)),
        first_seen TEXT NOT NULL
    )""")
    db.execute("CREATE UNIQUE INDEX workstations_one_self ON workstations(is_self) WHERE is_self = 1")
    db.execute("INSERT INTO workstations (uid, hostname, is_self, first_seen) VALUES (?, ?, 1, ?)",
               [str(uuid.uuid4()), socket.gethostname() or "unknown", dt.datetime.now(dt.timezone.utc).isoformat()])
    for table in ORIGIN_TABLES:
        db.execute(f"ALTER TABLE {table} ADD COLUMN origin TEXT")
        db.execute(f"UPDATE {table} SET origin = (SELECT uid FROM workstations WHERE is_self = 1)")


def m009_workstation_machine(db: sqlite_utils.Database) -> None:
    """The machine a register's own workstation identity belongs to (a digest; NULL until the register is next
    opened, when it is tied to that machine): on another machine the register takes a new identity."""
    db.execute("ALTER TABLE workstations ADD COLUMN machine TEXT")



def m010_lesion_numbers(db: sqlite_utils.Database) -> None:
    """A lesion's number within its patient ("Lesion 2"): creation order, deleted lesions counted, never given out
    again. Existing lesions are numbered in id order per patient. A lesion inserted without a number (the
    repositories, an import, raw SQL) gets the next one by trigger: one more than the patient's highest number
    and than its floor in ``lesion_number_floors`` (kept by a restore: the numbers the replaced register had
    given out, so a lesion lost with it does not lend its number to a new one). Statement by statement."""
    db.execute("ALTER TABLE lesions ADD COLUMN number INTEGER CHECK (number IS NULL OR number > 0)")
    db.execute("UPDATE lesions SET number = (SELECT count(*) FROM lesions AS l "
               "WHERE l.patient_id = lesions.patient_id AND l.id <= lesions.id)")
    db.execute("CREATE UNIQUE INDEX lesions_patient_number ON lesions(patient_id, number)")
    db.execute("CREATE TABLE lesion_number_floors (patient_uid TEXT PRIMARY KEY, last INTEGER NOT NULL)")
    db.execute("CREATE TRIGGER lesions_number AFTER INSERT ON lesions WHEN NEW.number IS NULL BEGIN "
               "UPDATE lesions SET number = 1 + max("
               "(SELECT coalesce(max(number), 0) FROM lesions WHERE patient_id = NEW.patient_id), "
               "coalesce((SELECT f.last FROM lesion_number_floors f JOIN patients p ON p.uid = f.patient_uid "
               "WHERE p.id = NEW.patient_id), 0)) WHERE id = NEW.id; END")


# m011's letters, as they shipped (lower case; the migration adds the capitals as ``domain.text.latin`` does)
M011_LATIN_LOWER = (
    "а=a б=b в=v г=g д=d е=e ё=e ж=zh з=z и=i й=y к=k л=l м=m н=n о=o п=p р=r с=s т=t у=u ф=f х=kh ц=ts ч=ch "
    "ш=sh щ=shch ъ= ы=y ь= э=e ю=yu я=ya і=i ї=yi є=ye ґ=g ў=u ђ=dj ј=j љ=lj њ=nj ћ=c џ=dz ѓ=gj ќ=kj ѕ=dz "
    "ου=ou ού=ou αυ=av αύ=av ευ=ev εύ=ev γγ=ng α=a β=v γ=g δ=d ε=e ζ=z η=i θ=th ι=i κ=k λ=l μ=m ν=n ξ=x ο=o π=p "
    "ρ=r σ=s ς=s τ=t υ=y φ=f χ=ch ψ=ps ω=o ά=a έ=e ή=i ί=i ό=o ύ=y ώ=o ϊ=i ϋ=y ΐ=i ΰ=y"
)
M011_LETTER = ("(SELECT {col} FROM latin_letters WHERE src IN (substr(patients.name, i, 2), substr(patients.name, i, 1)) "
               "ORDER BY length(src) DESC LIMIT 1)")


def m011_patient_search_latin(db: sqlite_utils.Database) -> None:
    """Patient search finds a Cyrillic or Greek name typed in Latin ("petrov": Петров): the full-text index also
    holds each such name spelt in Latin (``name_latin`` of the ``patients_search`` view, letter by letter from
    ``latin_letters``, a diphthong before a letter; NULL for a name it leaves unchanged). The index is rebuilt
    from the view; triggers keep it in sync, the old entry removed before a change (read from the view while
    the row still holds it). Statement by statement: one transaction."""
    db.execute("CREATE TABLE latin_letters (src TEXT PRIMARY KEY, dst TEXT NOT NULL) WITHOUT ROWID")
    for pair in M011_LATIN_LOWER.split():
        src, dst = pair.split("=")
        db.execute("INSERT INTO latin_letters (src, dst) VALUES (?, ?)", [src, dst])
        for cap in (src.upper(), src[0].upper() + src[1:]):
            if len(cap) == len(src) and cap != src:
                db.execute("INSERT OR IGNORE INTO latin_letters (src, dst) VALUES (?, ?)", [cap, dst.capitalize()])
    for trigger in ("patients_ai", "patients_ad", "patients_au"):
        db.execute(f"DROP TRIGGER {trigger}")
    db.execute("DROP TABLE patients_fts")
    db.execute(
        "CREATE VIEW patients_search AS SELECT id, name, mrn, CASE WHEN name GLOB '*[^ -~]*' THEN nullif(("
        "WITH RECURSIVE t(i, spelt) AS (SELECT 1, '' UNION ALL "
        f"SELECT i + coalesce({M011_LETTER.format(col='length(src)')}, 1), "
        f"spelt || coalesce({M011_LETTER.format(col='dst')}, substr(patients.name, i, 1)) "
        "FROM t WHERE i <= length(patients.name)) "
        "SELECT spelt FROM t ORDER BY i DESC LIMIT 1), name) END AS name_latin FROM patients")
    db.execute("CREATE VIRTUAL TABLE patients_fts USING fts5(name, mrn, name_latin, "
               "tokenize='unicode61 remove_diacritics 2', content='patients_search', content_rowid='id')")
    add = ("INSERT INTO patients_fts (rowid, name, mrn, name_latin) "
           "SELECT id, name, mrn, name_latin FROM patients_search WHERE id = NEW.id")
    remove = ("INSERT INTO patients_fts (patients_fts, rowid, name, mrn, name_latin) "
              "SELECT 'delete', id, name, mrn, name_latin FROM patients_search WHERE id = OLD.id")
    db.execute(f"CREATE TRIGGER patients_search_insert AFTER INSERT ON patients BEGIN {add}; END")
    db.execute(f"CREATE TRIGGER patients_search_delete BEFORE DELETE ON patients BEGIN {remove}; END")
    db.execute(f"CREATE TRIGGER patients_search_unindex BEFORE UPDATE OF id, name, mrn ON patients BEGIN {remove}; END")
    db.execute(f"CREATE TRIGGER patients_search_reindex AFTER UPDATE OF id, name, mrn ON patients BEGIN {add}; END")
    db.execute("INSERT INTO patients_fts (patients_fts) VALUES ('rebuild')")


def m012_assessment_modality(db: sqlite_utils.Database) -> None:
    """The capture modality each assessment was made for (``assessments.modality``): once a capture's modality is
    corrected, only an assessment made for the modality it has now is current (``Assessments.latest``). Filled for
    the rows there: the capture's modality when the row was made, read back from the audit log (the 'before' of the
    first modality correction after it), else its modality now. NULL only in a row an older DermaDesk's transfer
    package brings. Statement by statement: one transaction."""
    db.execute("ALTER TABLE assessments ADD COLUMN modality TEXT "
               "CHECK (modality IS NULL OR modality IN ('dermoscopic', 'clinical'))")
    was = "CASE WHEN json_valid(l.before) THEN json_extract(l.before, '$.modality') END"
    db.execute(f"UPDATE assessments SET modality = coalesce((SELECT {was} FROM audit_log l WHERE l.entity = 'capture' "
               "AND l.entity_id = assessments.capture_id AND l.at > assessments.created_at "
               f"AND {was} IN ('dermoscopic', 'clinical') ORDER BY l.id LIMIT 1), "
               "(SELECT c.modality FROM captures c WHERE c.id = assessments.capture_id))")


def m013_capture_recheck(db: sqlite_utils.Database) -> None:
    """The re-check interval (months) a clinician's 'monitor' decision may carry (``captures.recheck_months``,
    saved with the decision by ``Captures.review``): NULL for every row there, as for a decision that names none."""
    db.execute("ALTER TABLE captures ADD COLUMN recheck_months INTEGER "
               "CHECK (recheck_months IS NULL OR recheck_months BETWEEN 1 AND 60)")


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    m001_initial,
    m002_patient_search,
    m003_capture_review,
    m004_alive_patients_by_name,
    m005_assessment_status,
    m006_audit_chain,
    m007_mrn_case_insensitive,
    m008_transfer_ids,
    m009_workstation_machine,
    m010_lesion_numbers,
    m011_patient_search_latin,
    m012_assessment_modality,
    m013_capture_recheck,
]
SCHEMA_VERSION = len(MIGRATIONS)


def applied(db: sqlite_utils.Database) -> list[str]:
    if "_migrations" not in db.table_names():
        return []
    return [r["name"] for r in db.query("SELECT name FROM _migrations ORDER BY id")]


def _check_known(done: list[str]) -> None:
    known = [m.__name__ for m in MIGRATIONS]
    if any(name not in known for name in done) or len(done) > len(known):
        raise RegisterVersionError(
            f"this register was written by a newer DermaDesk (schema {len(done)}, this app knows "
            f"{len(known)}); update DermaDesk to open it")


def migrate(db: sqlite_utils.Database, upto: int | None = None) -> list[str]:
    """Apply pending migrations, each in its own BEGIN IMMEDIATE transaction; return the names applied now.

    The applied list is read again after the write lock is taken, so several processes opening a new
    register together apply each migration once (no "table already exists", no lost writes).
    """
    wanted = MIGRATIONS[:upto]
    done = applied(db)
    _check_known(done)
    if all(m.__name__ in done for m in wanted):
        return []
    now_applied: list[str] = []
    while True:
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute("CREATE TABLE IF NOT EXISTS _migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, "
                       "applied_at TEXT NOT NULL)")
            done = applied(db)  # under the write lock: another process may have migrated meanwhile
            _check_known(done)
            pending = [m for m in wanted if m.__name__ not in done]
            if pending:
                pending[0](db)
                db.execute("INSERT INTO _migrations (name, applied_at) VALUES (?, ?)",
                           [pending[0].__name__, dt.datetime.now(dt.timezone.utc).isoformat()])
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        if not pending:
            return now_applied
        now_applied.append(pending[0].__name__)
