"""Maintenance from the app: back up, restore, check and export the register (the CLI's db commands' work).

Each long one takes ``progress(fraction, message)`` and a cancel token; a cancel before the end leaves no
file behind (backup, export) and the register as it was (restore, until it switches the data in).

The readable export never replaces a file: it writes into the folder chosen when that is new or empty, else into
a new dermadesk-export-<date> folder in it. Its CSV files are UTF-8 with a byte-order mark (Excel on Windows
reads Greek and Cyrillic names right) and a text value starting with =, +, -, @, a tab or a carriage return gets
a single quote in front (OWASP's advice against CSV formula injection: a spreadsheet shows it, never runs it);
the JSON export keeps every value exactly as stored.
"""

from __future__ import annotations

import csv
import datetime as dt
import errno
import io
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dermadesk.config import IMAGES_DIR, REGISTER_FILE
from dermadesk.domain.errors import DermaDeskError, NotFoundError
from dermadesk.domain.text import file_in_the_way, missing_folder, size_text, who_text, with_extension
from dermadesk.files import DIR_MODE, NotWritten, make_private, write_private
from dermadesk.services.export_readable import add_readable_columns, readme_text
from dermadesk.services.maintenance_text import PlainCheck, contents_text, made_text, plain_check
from dermadesk.services.progress import NEVER, CancelLike, ProgressFn, no_progress
from dermadesk.storage.backup import DELETED_SQL, backup, verify_archive
from dermadesk.storage.check import CheckReport, check_register
from dermadesk.storage.export_rows import EXPORT_TABLES, table_rows
from dermadesk.storage.register import Register
from dermadesk.services.restore_text import kept_text, other_register_text, patients_text
from dermadesk.storage.identity import RegisterIdentity, identity_of, identity_of_file
from dermadesk.storage.kept_aside import PREVIOUS_PREFIX
from dermadesk.storage.restore import restore

BACKUP_SUFFIX = ".zip"


def backup_file_name(path: Path) -> Path:
    """``path`` with ".zip" added where its name does not end in it (any case: ``with_extension``), as File >
    Restore from backup... lists .zip files: "bk1" is written as "bk1.zip" (and said so), "monday.ZIP" is kept."""
    return with_extension(path, BACKUP_SUFFIX)


def _checked(progress: ProgressFn, cancel: CancelLike, until: float = float("inf")) -> ProgressFn:
    """``progress`` that stops the work (Cancelled) when the user cancels, up to ``until`` (the point of no
    return: a restore's switch is never interrupted)."""

    def report(fraction: float, message: str) -> None:
        if fraction < until:
            cancel.raise_if_cancelled()
        progress(fraction, message)

    return report


def back_up(
    register: Register,
    archive: Path,
    passphrase: str | None = None,
    progress: ProgressFn = no_progress,
    cancel: CancelLike = NEVER,
) -> dict[str, object]:
    """The same archive as ``dermadesk backup`` (encrypted with ``passphrase`` when given); a cancel at any
    progress report leaves no file (the archive is renamed into place only at the end), and so does a full disk
    (said in one line naming ``archive``)."""
    try:
        return backup(register.data_dir, Path(archive), _checked(progress, cancel), passphrase=passphrase)
    except NotWritten as exc:
        raise DermaDeskError(str(exc)) from None


def restore_backup(
    data_dir: Path,
    archive: Path,
    passphrase: str | None = None,
    progress: ProgressFn = no_progress,
    cancel: CancelLike = NEVER,
) -> dict[str, object]:
    """``dermadesk restore``: verified, staged, then switched in; the register must be closed meanwhile."""
    return restore(Path(archive), Path(data_dir), _checked(progress, cancel, until=0.9), passphrase=passphrase)


@dataclass(frozen=True)
class BackupFacts:
    """What a backup holds, from its manifest (after every file's checksum was verified)."""

    archive: Path
    created: str  # ISO date-time the backup was made
    patients: int
    captures: int
    images: int  # image files: photographs and their heat maps
    lesions: int = 0
    deleted: dict[str, int] | None = None  # of the counts, the rows a user does not see (None: an older backup)
    register: RegisterIdentity | None = None  # which register it is a backup of (None: cannot tell)

    @property
    def contents(self) -> str:
        return contents_text(self.patients, self.lesions, self.captures, self.images, self.deleted)

    @property
    def made(self) -> str:
        return made_text(self.created)


def backup_facts(
    archive: Path, passphrase: str | None = None, progress: ProgressFn = no_progress, cancel: CancelLike = NEVER
) -> BackupFacts:
    """Verify ``archive`` (every checksum; decrypted with ``passphrase``) and say what it holds and when it was
    made, and which register it is a backup of, for the question before a restore replaces the register. Changes
    nothing (its database is read from a temporary copy)."""
    with tempfile.TemporaryDirectory(prefix="dermadesk-facts-") as tmp:
        database = Path(tmp) / REGISTER_FILE
        manifest = verify_archive(Path(archive), _checked(progress, cancel), passphrase, register_to=database)
        return facts_of(Path(archive), manifest, identity_of_file(database))


def facts_of(archive: Path, manifest: dict[str, Any], register: RegisterIdentity | None = None) -> BackupFacts:
    """What a backup's verified manifest says it holds and when it was made (``register``: which register its
    database says it is)."""
    counts = manifest.get("counts") or {}
    images = sum(1 for name in manifest["files"] if str(name).startswith(f"{IMAGES_DIR}/"))
    deleted = manifest.get("deleted")
    return BackupFacts(
        archive, str(manifest.get("created", "")), int(counts.get("patients", 0)),
        int(counts.get("captures", 0)), images, int(counts.get("lesions", 0)),
        {str(k): int(v) for k, v in deleted.items()} if isinstance(deleted, dict) else None, register,
    )  # fmt: skip


@dataclass(frozen=True)
class RegisterFacts:
    """What the current register holds (counted as a backup counts it) and when it last changed, for the
    question before a restore replaces it."""

    patients: int
    lesions: int
    captures: int
    images: int
    last_change: str  # ISO date-time of the newest audit row ("" for none)
    last_actor: str = ""
    deleted: dict[str, int] | None = None  # of the counts, the rows a user does not see
    identity: RegisterIdentity | None = None  # which register it is

    @property
    def contents(self) -> str:
        return contents_text(self.patients, self.lesions, self.captures, self.images, self.deleted)

    @property
    def changed(self) -> str:
        """'last changed 22 Nov 2026 at 18:30 by nurse1' ('by root (the computer's account)': ``who_text``), or 'no
        change recorded yet'."""
        if not self.last_change:
            return "no change recorded yet"
        by = f" by {who_text(self.last_actor)}" if self.last_actor else ""
        return f"last changed {made_text(self.last_change)}{by}"


def register_facts(register: Register) -> RegisterFacts:
    """Rows of the current register (deleted ones included, as a backup's manifest counts them, and counted apart),
    the image files its captures and heat maps use, and its newest audit row. A few counts: cheap enough for the
    GUI thread."""
    db = register.database
    count = {t: int(db.query(f"SELECT count(*) FROM {t}")[0][0]) for t in ("patients", "lesions", "captures")}
    images = db.query(
        "SELECT count(*) FROM (SELECT image_sha256 FROM captures UNION "
        "SELECT cam_sha256 FROM assessments WHERE cam_sha256 IS NOT NULL)"
    )[0][0]
    last = db.one("SELECT at, actor FROM audit_log ORDER BY id DESC LIMIT 1")
    deleted = {t: int(db.query(sql)[0][0]) for t, sql in DELETED_SQL.items()}
    return RegisterFacts(
        count["patients"], count["lesions"], count["captures"], int(images),
        str(last[0]) if last else "", str(last[1]) if last else "", deleted, identity_of(db.conn),
    )  # fmt: skip


def backed_up_text(info: dict[str, Any]) -> str:
    """What a finished backup says: where, what it holds (counted as the restore counts it), how big."""
    counts = info.get("counts") or {}
    held = contents_text(
        int(counts.get("patients", 0)), int(counts.get("lesions", 0)), int(counts.get("captures", 0)),
        int(info["images"]), info.get("deleted"),
    )  # fmt: skip
    return f"Backup written to\n{info['archive']}\n\nIt holds {held}; {size_text(info['bytes'])}" + (
        ", encrypted: keep the passphrase safe, it cannot be recovered." if info["encrypted"] else "."
    )


def kept_aside_text(data_dir: Path, now: dt.datetime | None = None) -> str:
    """Where a restore keeps the current data, for the question before it: a new folder in the data folder,
    named by the date and time the data is switched (as ``storage.restore`` names it), with an example."""
    example = f"{PREVIOUS_PREFIX}{(now or dt.datetime.now()):%Y%m%d-%H%M%S}"
    return (
        "The current register is not deleted: it is kept aside whole (its records and images, as they are now) "
        f"in a new folder in\n{Path(data_dir)}\nnamed {PREVIOUS_PREFIX}<date>-<time> of the restore (like "
        f"{example}); the message at the end names it. It is not shown in DermaDesk; your IT support can bring "
        "it back."
    )


def other_register(facts: BackupFacts, current: RegisterFacts, cli: bool = False) -> str:
    """'This backup is from another register (..., 2 patients, made on ...); restoring replaces this register's 3
    patients ...', or "" for a backup of this register (``restore_text.other_register_text``)."""
    return other_register_text(
        facts.register, patients_text(facts.patients, facts.deleted), facts.created,
        current.identity, patients_text(current.patients, current.deleted), current.patients, cli,
    )  # fmt: skip


def restore_question(facts: BackupFacts, current: RegisterFacts, data_dir: Path, cli: bool = False) -> str:
    """The question before a restore: that the backup is from another register (which), what the register holds
    now (and when it last changed), what the backup holds (and when it was made), what is replaced (what changed
    since the backup; of another register's backup, all of this register's patients) and where the current
    register is kept."""
    warning = other_register(facts, current, cli)
    replaced = "Everything added or changed since the backup was made is replaced."  # a backup of this register
    if warning:  # another register's: nothing of this one is in it
        seen = current.patients - int((current.deleted or {}).get("patients", 0))
        replaced = (
            f"{'This' if seen == 1 else 'All of this'} register's {patients_text(current.patients, current.deleted)} "
            f"and their images are replaced by the backup's {patients_text(facts.patients, facts.deleted)}."
        )
    return (warning + "\n\n" if warning else "") + (
        f"Replace the current register with the backup of {facts.made} ({facts.archive.name})?\n\n"
        f"The register now holds {current.contents}; {current.changed}.\n\n"
        f"The backup holds {facts.contents}.\n\n{replaced}\n\n" + kept_aside_text(data_dir)
    )


def restored_text(info: dict[str, object], facts: BackupFacts) -> str:
    """What a finished restore says: where from, made when, what the register holds now, where the earlier data
    was kept, and the registers earlier restores set aside (how many, how much room)."""
    return (
        f"Restored from {Path(str(info['restored_from'])).name}, the backup of {facts.made}. The register now "
        f"holds {facts.contents}.\n\n{kept_text(info)}"
    )


@dataclass(frozen=True)
class CheckResult:
    report: CheckReport
    lines: list[str]  # as ``dermadesk db check`` prints them

    @property
    def ok(self) -> bool:
        return self.report.ok

    @property
    def plain(self) -> PlainCheck:
        """The result in plain words for a nurse, with these lines as its details."""
        return plain_check(self.report, self.lines)


def check(register: Register, progress: ProgressFn = no_progress, cancel: CancelLike = NEVER) -> CheckResult:
    """``dermadesk db check`` (without --clean): the report and its lines as the command prints them."""
    progress(0.1, "checking the register")
    cancel.raise_if_cancelled()
    r = check_register(register)
    progress(1.0, "checked")
    lines = [
        "integrity: " + ("ok" if not r.integrity else "; ".join(r.integrity[:5])),
        "foreign keys: " + ("ok" if not r.foreign_keys else "; ".join(r.foreign_keys[:5])),
        f"audit log: {r.audit_rows} rows, chain "
        + ("ok" if not r.audit else "BROKEN: " + "; ".join(r.audit[:5]))
        + f" (head {r.audit_head[:16]})",
        f"image files checked: {r.images_checked} ({r.captures_checked} capture images, "
        f"{r.images_checked - r.captures_checked} heat maps); missing {len(r.missing_images)}, "
        f"damaged {len(r.damaged_images)}",
        f"orphan files: {len(r.orphan_files)}, leftover temporary files: {len(r.leftover_temp_files)} "
        + ("(not to be removed)" if r.not_this_register else "(remove with 'dermadesk db check --clean')"),
    ]
    if r.not_this_register:
        lines.append(f"unreferenced images: {r.not_this_register}")
    if r.duplicate_mrns:
        lines.append("MRNs equal ignoring case (give one of each a distinct MRN): " + "; ".join(r.duplicate_mrns))
    lines.append("register OK" if r.ok else "register has PROBLEMS")
    return CheckResult(r, lines)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    """A CSV cell: a list or mapping as JSON text; text that a spreadsheet would run as a formula (starting with
    =, +, -, @, a tab or a carriage return: a patient named '=HYPERLINK(...)') with a single quote in front, as
    OWASP advises against CSV injection, so Excel and LibreOffice show it as the text it is. Numbers are left
    as they are (a negative number is not text)."""
    if isinstance(value, (dict, list)):
        value = json.dumps(value)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _csv(rows: list[dict[str, Any]]) -> bytes:
    """UTF-8 with a byte-order mark (Excel on Windows then reads Σοφία and Иван, not mojibake), every text cell
    safe from formula injection (``_cell``). The JSON export keeps every value exactly as stored."""
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _cell(v) for k, v in row.items()})
    return out.getvalue().encode("utf-8-sig")


EXPORT_FOLDER = "dermadesk-export-{day}"


def export_folder(chosen: Path, today: dt.date | None = None) -> Path:
    """Where an export writes: ``chosen`` itself when it is new or empty, else a new folder in it named
    dermadesk-export-<date> (-2, -3... after it where taken), so that no file of the user's (a patients.csv of
    their own, an earlier export) is ever replaced or mixed with this export's. Makes the folder, owner-only (0700)
    as the files in it: a folder of the user's that is already there keeps its permissions. A new folder is made
    only in a folder that is there (NotFoundError, as a backup's: a USB drive not connected)."""
    chosen = Path(chosen)
    try:
        if not chosen.is_dir():
            if file_in_the_way(chosen.absolute()) is not None:  # a file's name given, or a file's name in it
                raise NotFoundError(missing_folder(chosen.absolute()))
            if not chosen.absolute().parent.exists():  # never made on the local disk in a USB drive's place
                raise NotFoundError(missing_folder(chosen.absolute().parent))
            chosen.mkdir(mode=DIR_MODE)
            make_private(chosen)  # 0700 whatever the umask
        if not any(chosen.iterdir()):
            return chosen
        name = EXPORT_FOLDER.format(day=(today or dt.date.today()).isoformat())
        n = 1
        while True:
            folder = chosen / (name if n == 1 else f"{name}-{n}")
            try:
                folder.mkdir(mode=DIR_MODE)
                make_private(folder)
                return folder
            except FileExistsError:
                n += 1
    except OSError as exc:
        why = "its name is too long" if exc.errno == errno.ENAMETOOLONG else exc.strerror or exc
        raise DermaDeskError(f"the folder {chosen} cannot be made ({why}); nothing was written") from None


def export_register(
    register: Register,
    folder: Path,
    fmt: str = "csv",
    progress: ProgressFn = no_progress,
    cancel: CancelLike = NEVER,
) -> list[Path]:
    """Patients, lesions, captures and assessments: one CSV file per table (``fmt="csv"``), with a README.txt
    saying what each file and column is, or one ``register.json``; each row with readable columns added
    (``export_readable``). Written into ``folder`` when it is new or empty, else into a new folder in it
    (``export_folder``): the files' parent says which. Everything is read before anything is written, so a
    cancel writes nothing; a full disk leaves no file and says which one could not be written."""
    if fmt not in ("csv", "json"):
        raise ValueError("fmt must be 'csv' or 'json'")
    tables: dict[str, list[dict[str, Any]]] = {}
    for i, table in enumerate(EXPORT_TABLES):
        cancel.raise_if_cancelled()
        progress(i / len(EXPORT_TABLES) * 0.8, f"reading {table}")
        tables[table] = table_rows(register, table)
    add_readable_columns(tables, csv=fmt == "csv")
    cancel.raise_if_cancelled()
    chosen, folder = Path(folder), export_folder(Path(folder))
    progress(0.9, "writing")
    if fmt == "json":
        files = {"register.json": json.dumps(tables, ensure_ascii=False, indent=1).encode("utf-8")}
    else:
        files = {f"{table}.csv": _csv(rows) for table, rows in tables.items()}
        files["README.txt"] = readme_text().encode("utf-8")
    written: list[Path] = []
    try:
        for name, data in files.items():
            write_private(folder / name, data)
            written.append(folder / name)
    except NotWritten as exc:
        for path in written:  # no half export: the files already written go again
            path.unlink(missing_ok=True)
        if folder != chosen:
            folder.rmdir()  # the new folder made for it, empty again
        raise DermaDeskError(str(exc)) from None
    progress(1.0, "exported")
    return written
