"""Transfer packages (``.ddtx``): selected patients with their records and original images, sealed.

Inside the sealed container (``sealed.py``) is a zip holding ``MANIFEST.json`` (package id, the exporting
workstation, schema version, row counts and the sha256 of every other member), ``records.json`` (rows of
patients, lesions, captures, assessments, comparisons and their audit entries, joined by uids instead of
row ids) and ``images/<sha256>`` (capture images and heat maps, bytes as stored). Reading decrypts into a
private temporary folder inside the data directory (the register beside it holds the same data in clear; where
that folder is read-only, a preview's goes in the system's temporary folder, owner-only, removed after),
checks every checksum, and only then hands the records over; ``validate`` checks their shape against a
register's tables before merging (``transfer_merge.py``) plans anything.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import tempfile
import uuid
import zipfile
import zlib
from pathlib import Path
from typing import Any, Callable

from dermadesk.domain.errors import IntegrityError
from dermadesk.files import atomic_writer
from dermadesk.storage.db import Database
from dermadesk.storage.images import ImageStore
from dermadesk.storage.migrations import ORIGIN_TABLES, SCHEMA_VERSION, UID_TABLES, UUID4_SQL
from dermadesk.storage.sealed import KdfParams, SealedWriter, new_header, unseal
from dermadesk.storage.transfer_files import HEAT_MAP, IMAGE, WITHHELD, each_file, files_text, image_files
from dermadesk.domain.text import counted, limit_text, size_text

PACKAGE_FORMAT = "dermadesk-transfer"
PACKAGE_VERSION = 1
MANIFEST, RECORDS = "MANIFEST.json", "records.json"
# Limits on what a package's members declare, round decimal figures as refusals say them ("over the 300 MB limit";
# each at least the binary one it replaced: 64 MiB, 2 GiB, 256 MiB)
MAX_MANIFEST_BYTES = 70 * 10**6
MAX_RECORDS_BYTES = 2500 * 10**6
MAX_IMAGE_BYTES = 300 * 10**6  # imports stop at 200 MB
TEMP_PREFIX = ".transfer-"
TABLES = UID_TABLES  # parents before children: the order rows are written in
# row-id columns replaced by the uid of the row they point at: column -> (uid field, table)
FOREIGN_KEYS: dict[str, dict[str, tuple[str, str]]] = {
    "patients": {},
    "lesions": {"patient_id": ("patient_uid", "patients")},
    "captures": {"lesion_id": ("lesion_uid", "lesions")},
    "assessments": {"capture_id": ("capture_uid", "captures")},
    "comparisons": {"lesion_id": ("lesion_uid", "lesions"), "baseline_capture_id": ("baseline_capture_uid", "captures"),
                    "followup_capture_id": ("followup_capture_uid", "captures")},
}
_SELECT = {  # rows of the chosen patients, with the uids their foreign keys point at
    "patients": "SELECT t.* FROM patients t WHERE t.id IN ({ids}) ORDER BY t.id",
    "lesions": "SELECT t.*, p.uid AS patient_uid FROM lesions t JOIN patients p ON p.id = t.patient_id "
               "WHERE t.patient_id IN ({ids}) ORDER BY t.id",
    "captures": "SELECT t.*, l.uid AS lesion_uid FROM captures t JOIN lesions l ON l.id = t.lesion_id "
                "WHERE l.patient_id IN ({ids}) ORDER BY t.id",
    "assessments": "SELECT t.*, c.uid AS capture_uid FROM assessments t JOIN captures c ON c.id = t.capture_id "
                   "JOIN lesions l ON l.id = c.lesion_id WHERE l.patient_id IN ({ids}) ORDER BY t.id",
    "comparisons": "SELECT t.*, l.uid AS lesion_uid, b.uid AS baseline_capture_uid, f.uid AS followup_capture_uid "
                   "FROM comparisons t JOIN lesions l ON l.id = t.lesion_id JOIN captures b ON b.id = "
                   "t.baseline_capture_id JOIN captures f ON f.id = t.followup_capture_id "
                   "WHERE l.patient_id IN ({ids}) ORDER BY t.id",
}
Progress = Callable[[float, str], None]
Cancel = Callable[[], None]


def _noop(_: float, __: str) -> None:
    return None


def workstation(db: Database) -> dict[str, str]:
    """This register's workstation identity: {"uid", "hostname"}."""
    row = db.one("SELECT uid, hostname FROM workstations WHERE is_self = 1")
    if row is None:
        raise IntegrityError("this register has no workstation identity; run 'dermadesk db check'")
    return {"uid": row[0], "hostname": row[1]}


def ensure_ids(db: Database) -> int:
    """Give a uid (and an origin) to rows written without one (bulk tools, raw SQL); returns rows changed."""
    changed = 0
    with db.transaction() as conn:
        for table in UID_TABLES:
            changed += conn.execute(f"UPDATE {table} SET uid = {UUID4_SQL} WHERE uid IS NULL").rowcount
        for table in ORIGIN_TABLES:
            changed += conn.execute(f"UPDATE {table} SET origin = (SELECT uid FROM workstations WHERE is_self = 1) "
                                    "WHERE origin IS NULL").rowcount
    return changed


def ready_to_export(db: Database) -> None:
    """Before an export: ``ensure_ids``. A register opened read-only (``Database.read_only``) is exported as it is,
    where it can be without writing: ReadOnlyFolder, nothing written, where its workstation identity is not tied to
    this machine (a copy from another computer: a package would claim to come from there, and the register takes an
    identity of its own here only by writing it, ``identity.bind_to_machine``) or a row lacks its uid or origin."""
    if not db.read_only:
        ensure_ids(db)
        return
    from dermadesk.storage.identity import machine_id
    from dermadesk.storage.read_only import ReadOnlyFolder

    row = db.one("SELECT uid, machine FROM workstations WHERE is_self = 1")
    if row is None or row[1] != machine_id():
        raise ReadOnlyFolder(db.path.parent, db.read_only, "its register was made or last opened on another computer"
                             f"{f' (workstation {str(row[0])[:8]})' if row else ''}, so a package made from it here "
                             "would claim to come from there, and giving it an identity of its own on this computer "
                             "writes to it; nothing was written", to="export from it")
    missing = sum(len(db.query(f"SELECT 1 FROM {t} WHERE uid IS NULL")) for t in UID_TABLES) + sum(
        len(db.query(f"SELECT 1 FROM {t} WHERE origin IS NULL")) for t in ORIGIN_TABLES)
    if missing:
        raise ReadOnlyFolder(db.path.parent, db.read_only, f"its register holds {counted(missing, 'record')} with no "
                             "transfer id yet (written by another program), which an export gives by writing to it; "
                             "nothing was written", to="export from it")


def select_patients(db: Database, mrns: list[str] | None = None, since: str | None = None) -> list[int]:
    """Ids of the patients to export: the MRNs given (ignoring case), else every patient not deleted; with
    ``since`` (YYYY-MM-DD) only those with a record created, changed or taken on or after that day, or an audit row
    of theirs written then (a review, a conflict answered at an import)."""
    from dermadesk.domain.errors import NotFoundError

    if mrns:
        ids = []
        for mrn in mrns:
            row = db.one("SELECT id FROM patients WHERE mrn = ? COLLATE NOCASE AND deleted_at IS NULL "
                         "ORDER BY mrn = ? DESC, id LIMIT 1", (mrn.strip(), mrn.strip()))
            if row is None:
                raise NotFoundError(f"no patient with MRN {mrn}")
            ids.append(int(row[0]))
        ids = list(dict.fromkeys(ids))
    else:
        ids = [int(r[0]) for r in db.query("SELECT id FROM patients WHERE deleted_at IS NULL ORDER BY id")]
    if since is None:
        return ids
    recent = {int(r[0]) for r in db.query(
        "SELECT id FROM patients WHERE updated_at >= :d UNION SELECT patient_id FROM lesions WHERE updated_at >= :d "
        "UNION SELECT l.patient_id FROM captures c JOIN lesions l ON l.id = c.lesion_id "
        "WHERE c.created_at >= :d OR c.taken_at >= :d "
        "UNION SELECT l.patient_id FROM assessments a JOIN captures c ON c.id = a.capture_id "
        "JOIN lesions l ON l.id = c.lesion_id WHERE a.created_at >= :d "
        "UNION SELECT l.patient_id FROM comparisons m JOIN lesions l ON l.id = m.lesion_id WHERE m.created_at >= :d "
        "UNION SELECT l.patient_id FROM audit_log a JOIN captures c ON a.entity = 'capture' AND c.id = a.entity_id "
        "JOIN lesions l ON l.id = c.lesion_id WHERE a.at >= :d "  # a review or edit of an older capture
        "UNION SELECT a.entity_id FROM audit_log a WHERE a.entity = 'patient' AND a.at >= :d "
        "UNION SELECT l.patient_id FROM audit_log a JOIN lesions l ON a.entity = 'lesion' AND l.id = a.entity_id "
        "WHERE a.at >= :d",  # a conflict answered at an import ("keep this register's"): no field written, a row
        {"d": since})}
    return [i for i in ids if i in recent]


def collect_records(db: Database, patient_ids: list[int]) -> dict[str, list[dict[str, Any]]]:
    """The rows of these patients (row ids replaced by uids), their audit entries and the workstations named."""
    ids = ",".join(str(int(i)) for i in patient_ids) or "NULL"
    records: dict[str, list[dict[str, Any]]] = {}
    uid_of: dict[tuple[str, int], str] = {}
    for table in TABLES:
        rows = []
        for row in db.query(_SELECT[table].format(ids=ids)):
            values = dict(row)
            uid_of[(table[:-1], values["id"])] = values["uid"]
            for column in ("id", *FOREIGN_KEYS[table]):
                values.pop(column)
            rows.append(values)
        records[table] = rows
    audit = []
    for row in db.query("SELECT at, actor, action, entity, entity_id, before, after FROM audit_log "
                        "WHERE entity IN ('patient', 'lesion', 'capture', 'assessment', 'comparison') ORDER BY id"):
        uid = uid_of.get((row["entity"], row["entity_id"]))
        if uid is not None:
            entry = dict(row)
            entry.pop("entity_id")
            audit.append({**entry, "entity_uid": uid})
    records["audit"] = audit
    origins = {r["origin"] for t in ORIGIN_TABLES for r in records[t] if r.get("origin")}
    records["workstations"] = [dict(r) for r in db.query("SELECT uid, hostname FROM workstations ORDER BY first_seen")
                               if r["uid"] in origins or r["uid"] == workstation(db)["uid"]]
    return records


def validate(db_columns: dict[str, set[str]], records: dict[str, Any]) -> None:
    """Refuse (IntegrityError) records of the wrong shape before anything is planned or written."""
    for table in TABLES:
        allowed = db_columns[table] - {"id"} - set(FOREIGN_KEYS[table])
        links = {f for f, _ in FOREIGN_KEYS[table].values()}
        for row in records[table]:
            if not isinstance(row, dict):
                raise IntegrityError(f"a {table[:-1]} record in the package is not an object")
            try:
                uuid.UUID(str(row.get("uid")))
                for link in links:
                    uuid.UUID(str(row.get(link)))
            except ValueError:
                raise IntegrityError(f"a {table[:-1]} record in the package has no valid uid") from None
            unknown = set(row) - allowed - links
            if unknown:
                raise IntegrityError(
                    f"a {table[:-1]} record in the package has fields this DermaDesk does not "
                    f"know: {', '.join(sorted(unknown))[:120]}"
                )
            if any(v is not None and not isinstance(v, (str, int, float)) for v in row.values()):
                raise IntegrityError(f"a {table[:-1]} record in the package holds a value that is not plain data")
        uids = [r["uid"] for r in records[table]]
        if len(uids) != len(set(uids)):
            raise IntegrityError(f"the package holds a {table[:-1]} twice")


def table_columns(db: Any) -> dict[str, set[str]]:
    """The columns of each transfer table in a register (what ``validate`` lets a package's records hold)."""
    return {t: {r[1] for r in db.query(f"PRAGMA table_info({t})")} for t in TABLES}


def write_package(db: Database, images: ImageStore, out: Path, records: dict[str, list[dict[str, Any]]],
                  passphrase: str | None, kdf: KdfParams | None = None, progress: Progress = _noop,
                  cancel: Cancel | None = None, schema_version: int = SCHEMA_VERSION) -> dict[str, Any]:
    """Write the sealed package to ``out`` (owner-only, via a temp file beside it); returns its manifest."""
    out = Path(out)
    me = workstation(db)
    manifest: dict[str, Any] = {
        "format": PACKAGE_FORMAT, "format_version": PACKAGE_VERSION, "package_uid": str(uuid.uuid4()),
        "schema_version": schema_version, "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "workstation": me, "counts": {t: len(records[t]) for t in (*TABLES, "audit")}, "files": {}}
    header, key = new_header("transfer", schema_version, passphrase, kdf,
                             {"package_uid": manifest["package_uid"], "workstation": me})
    files = image_files(records)  # capture images, then heat maps: the progress counts each kind
    with atomic_writer(out, sweep=True) as raw:  # owner-only temp file, fsynced, renamed into place, or removed
        sink = SealedWriter(raw, header, key)
        with zipfile.ZipFile(sink, "w", allowZip64=True) as zf:
            body = json.dumps(records, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            zf.writestr(RECORDS, body, compress_type=zipfile.ZIP_DEFLATED)
            manifest["files"][RECORDS] = hashlib.sha256(body).hexdigest()
            total = sum(len(shas) for shas in files.values())
            for i, (sha, said) in enumerate(each_file(files)):
                if cancel is not None:
                    cancel()
                zf.writestr(f"images/{sha}", images.read(sha, verify=True), compress_type=zipfile.ZIP_STORED)
                manifest["files"][f"images/{sha}"] = sha
                progress((i + 1) / max(total, 1), f"packing {said}")
            zf.writestr(MANIFEST, json.dumps(manifest, indent=1), compress_type=zipfile.ZIP_DEFLATED)
        sink.close()
    return manifest


class OpenedPackage:
    """A package decrypted into a private temporary folder (in ``data_dir``; None: the system's, owner-only too, for
    a data folder that cannot be written) and fully checked; ``close()`` removes it."""

    def __init__(self, path: Path, data_dir: Path | None, passphrase: str | None, progress: Progress = _noop,
                 cancel: Cancel | None = None) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise IntegrityError(f"{self.path.name}: no such package file")
        self.folder = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=data_dir))
        try:
            plain = self.folder / "package.zip"
            with open(plain, "wb") as fh:
                self.header = unseal(self.path, fh, passphrase, lambda f, m: progress(0.8 * f, m), cancel,
                                     "package", SCHEMA_VERSION)
            if self.header.fields.get("kind") != "transfer":
                raise self._refuse(f"it is a DermaDesk {self.header.fields.get('kind')}, not a transfer package")
            self.zip = zipfile.ZipFile(plain)
            self.manifest, self.records = self._read_checked(progress, cancel)
        except BaseException:
            self.close()
            raise

    def _refuse(self, message: str) -> IntegrityError:
        return IntegrityError(f"{self.path.name}: {message}; nothing was changed")

    def _member(self, name: str, limit: int, sha256: str | None) -> bytes:
        try:
            info = self.zip.getinfo(name)
        except KeyError:
            raise self._refuse(f"{name} is missing from the package") from None
        if info.file_size > limit:
            raise self._refuse(f"{name} declares {size_text(info.file_size)}, over the {limit_text(limit)} limit")
        try:
            with self.zip.open(info) as fh:
                data = fh.read(limit + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
            raise self._refuse(f"{name} cannot be read ({exc})") from None
        if len(data) > limit or (sha256 is not None and hashlib.sha256(data).hexdigest() != sha256):
            raise self._refuse(f"{name} is damaged (checksum mismatch)")
        return data

    def _read_checked(self, progress: Progress, cancel: Cancel | None) -> tuple[dict, dict]:
        try:
            manifest = json.loads(self._member(MANIFEST, MAX_MANIFEST_BYTES, None))
            files = manifest["files"]
            if manifest.get("format") != PACKAGE_FORMAT or not isinstance(files, dict):
                raise ValueError("not a transfer manifest")
            if int(manifest["format_version"]) > PACKAGE_VERSION or manifest["schema_version"] != \
                    self.header.schema_version:
                raise ValueError("its manifest and header disagree, or it is a newer package format")
            records = json.loads(self._member(RECORDS, MAX_RECORDS_BYTES, files[RECORDS]))
            if not isinstance(records, dict) or not all(isinstance(records.get(t), list) for t in TABLES):
                raise ValueError("records.json is not a set of tables")
        except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
            raise self._refuse(f"not a readable transfer package ({exc})") from None
        names = [n for n in self.zip.namelist() if n not in (MANIFEST, RECORDS)]
        if sorted(names) != sorted(n for n in files if n != RECORDS):
            raise self._refuse("its contents do not match its manifest")
        kinds = image_files(records)  # said as the export counts them: capture images, then heat maps
        named = {f"images/{sha}": said for sha, said in each_file(kinds)}
        order = {name: k for k, name in enumerate(named)}
        names.sort(key=lambda n: order.get(n, len(order)))
        for i, name in enumerate(names):
            if cancel is not None:
                cancel()
            if name != f"images/{files[name]}":
                raise self._refuse(f"member {name[:80]!r} is not an image named by its checksum")
            self._member(name, MAX_IMAGE_BYTES, files[name])
            said = named.get(name) or f"file {i + 1} of {len(names)}"
            progress(0.8 + 0.2 * (i + 1) / max(len(names), 1), f"checking {said}")
        missing = {kind: [s for s in shas if f"images/{s}" not in files] for kind, shas in kinds.items()}
        if any(missing.values()):
            first = next(s for shas in missing.values() for s in shas)
            heat_maps = len(missing[HEAT_MAP]) + len(missing[WITHHELD])  # every heat-map file the records name
            raise self._refuse(f"{files_text(len(missing[IMAGE]), heat_maps)} its records need are "
                               f"not in it, e.g. {first[:12]}")
        return manifest, records

    @property
    def package_uid(self) -> str:
        return str(self.manifest.get("package_uid", ""))

    @property
    def source(self) -> dict[str, str]:
        """The exporting workstation: {"uid", "hostname"}."""
        ws = self.manifest.get("workstation") or {}
        return {"uid": str(ws.get("uid", "")), "hostname": str(ws.get("hostname", ""))}

    def image(self, sha256: str) -> bytes:
        return self._member(f"images/{sha256}", MAX_IMAGE_BYTES, sha256)

    def close(self) -> None:
        zf = getattr(self, "zip", None)
        if zf is not None:
            zf.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> "OpenedPackage":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
