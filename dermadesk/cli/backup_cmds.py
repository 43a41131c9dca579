"""Backup and restore commands: ``dermadesk backup FILE`` (an existing FILE replaced only with --overwrite; ".zip"
added to a name without it, and said; a folder that is not there refused, never made) and
``dermadesk restore FILE`` (the backup read once and checked whole, then the question: the app's, saying when a
backup is from another register; --yes to restore without it)."""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path
from typing import Any

from dermadesk.cli.output import Context, refuse_to_write
from dermadesk.domain.errors import DermaDeskError, ValidationError


def backup_cmd(ctx: Context, args: argparse.Namespace) -> int:
    from dermadesk.cli.given_files import read_passphrase
    from dermadesk.domain.text import counted, size_text
    from dermadesk.services.maintenance import BACKUP_SUFFIX, backup_file_name
    from dermadesk.services.maintenance_text import KINDS
    from dermadesk.storage.backup import backup

    given = Path(args.file)
    target = backup_file_name(given)  # "bk1" written as "bk1.zip": the app's Restore lists .zip files
    refuse_to_write(target, args.overwrite, "backup", "dermadesk-backup.zip", given)  # as transfer export, report
    passphrase = read_passphrase(args.passphrase_file, "the backup", new=True) if args.passphrase_file else None
    info = backup(ctx.data_dir, target, passphrase=passphrase)  # disk full: said as every write says it (run_command)
    added = f" ({BACKUP_SUFFIX} added to the name given)" if target != given else ""
    ctx.emit(
        info,
        f"backup written to {info['archive']}{added}: {counted(info['images'], 'image file')} {KINDS}, "
        f"{size_text(info['bytes'])}" + (", encrypted" if passphrase else ""),  # KINDS: as restore counts them
    )
    return 0


def _register_now(ctx: Context) -> tuple[Any, str]:
    """What the register holds now and which register it is (``maintenance.register_facts``), or None and why it
    cannot be read (a damaged register is what a restore is for)."""
    from dermadesk.services import maintenance as m

    try:
        with ctx.register() as reg:
            return m.register_facts(reg), ""
    except (DermaDeskError, sqlite3.Error, OSError) as exc:
        return None, str(exc)[:160]


def _answered_yes(ctx: Context, facts: Any, current: Any, unreadable: str) -> bool:
    """The app's question before a restore (that the backup is from another register, the backup's date and
    contents against the register's now, where the current data is kept), answered y/N on the terminal."""
    from dermadesk.services import maintenance as m

    if current is not None:
        question = m.restore_question(facts, current, ctx.data_dir, cli=True)
    else:
        question = (
            f"Replace the current register with the backup of {facts.made} ({facts.archive.name})?\n\n"
            f"The register now cannot be read ({unreadable}).\n\nThe backup holds {facts.contents}."
            f"\n\n{m.kept_aside_text(ctx.data_dir)}"
        )
    print(question, file=sys.stderr if ctx.json else sys.stdout, flush=True)
    try:
        answer = input("Restore? [y/N] ")
    except EOFError:
        answer = ""
    return answer.strip().lower() in ("y", "yes")


def restore_cmd(ctx: Context, args: argparse.Namespace) -> int:
    from dermadesk.cli.given_files import read_passphrase
    from dermadesk.config import REGISTER_FILE
    from dermadesk.services import maintenance as m
    from dermadesk.storage.archive import require_backup_file
    from dermadesk.storage.identity import identity_of_file
    from dermadesk.storage.lost_register import NEW_BESIDE, refuse_new_folder
    from dermadesk.storage.migrations import SCHEMA_VERSION
    from dermadesk.storage.restore import refuse_package, stage_restore, switch_staged
    from dermadesk.storage.sealed import is_sealed, read_header

    archive = Path(args.file)
    require_backup_file(archive)  # "backup file not found: PATH", before anything is asked
    sealed = is_sealed(archive)
    if sealed:  # encrypted (or a transfer package): checked before anything is asked
        refuse_package(archive, read_header(archive, "backup", SCHEMA_VERSION))
    replacing = (ctx.data_dir / REGISTER_FILE).exists()  # no question where there is nothing to replace
    if not replacing:  # a mistyped or unmounted --data-dir: no new folder on the local disk in its place
        refuse_new_folder(ctx.data_dir, NEW_BESIDE)
    ask = not args.yes and replacing
    if ask and not sys.stdin.isatty():
        raise ValidationError(  # said before the backup is read: what it holds, and whose, is not known yet
            f"not restored: restoring {archive.name} replaces the current register (kept aside, not deleted), and "
            "this was not run from a terminal, so it cannot ask first; run it in a terminal to see what the "
            "register and the backup hold before answering, or give --yes to restore without being asked; nothing "
            "was changed"
        )
    passphrase = read_passphrase(args.passphrase_file, archive.name, new=False) if sealed else None
    # the backup read once, unpacked and checked whole (before the question, where a register is replaced);
    # switched in after a yes; what it holds said as every restore says it (into an empty folder too)
    staged = stage_restore(archive, ctx.data_dir, passphrase=passphrase)
    try:
        facts = m.facts_of(archive, staged.manifest, identity_of_file(staged.staging / REGISTER_FILE))
        other = ""
        if replacing:
            current, unreadable = _register_now(ctx)
            other = m.other_register(facts, current, cli=True) if current is not None else ""
            if ask and not _answered_yes(ctx, facts, current, unreadable):  # the question says ``other`` first
                ctx.emit({"restored": False}, "not restored; nothing was changed")
                return 0
            if other and not ask and (staged.patients or args.force):  # --yes: said before the register is
                # replaced, as the question would say it (not before the refusal of a backup with no patients)
                print(f"dermadesk: note: {other[:1].lower()}{other[1:]}", file=sys.stderr, flush=True)
        info = {**switch_staged(staged, force=args.force), "other_register": other or None}
    finally:
        staged.discard()  # after a no or a refusal (after the switch there is nothing left to discard)
    ctx.emit(info, m.restored_text(info, facts))
    return 0


def add_parsers(sub: argparse._SubParsersAction) -> None:
    a = sub.add_parser("backup", help="write one archive: database snapshot + images + checksums")
    a.add_argument(
        "file",
        type=Path,
        metavar="FILE",
        help="the backup file to write, e.g. monday.zip ('.zip' is added to a name without it; an existing file is "
        "replaced only with --overwrite)",
    )
    a.add_argument("--overwrite", action="store_true", help="replace FILE if it exists (default: refuse)")
    a.add_argument(
        "--passphrase-file",
        type=Path,
        metavar="FILE",
        help="encrypt the backup with the passphrase on this file's first line",
    )
    a.set_defaults(func=backup_cmd)
    a = sub.add_parser("restore", help="verify a backup, then replace the data (previous data kept aside)")
    a.add_argument(
        "file",
        type=Path,
        metavar="FILE",
        help="the backup file to restore (written by 'dermadesk backup' or the app's File > Back up...)",
    )
    a.add_argument(
        "--force", action="store_true", help="restore a backup with no patients over a register that has some"
    )
    a.add_argument(
        "--passphrase-file",
        type=Path,
        metavar="FILE",
        help="an encrypted backup's passphrase, on this file's first line (default: ask)",
    )
    a.add_argument(
        "--yes",
        action="store_true",
        help="replace the register without asking first (needed when not "
        "run from a terminal); without it the backup's and the register's contents are shown and y/N asked",
    )
    a.set_defaults(func=restore_cmd)
