"""The files a command is given to read, checked before anything is read or asked, and said in the words of the file
asked for (never the system's "No such file or directory: PATH"): a transfer package, a passphrase file."""

from __future__ import annotations

import getpass
import os
from pathlib import Path

from dermadesk.domain.errors import IntegrityError, NotFoundError, PassphraseError, ValidationError


def read_passphrase(file: Path | None, what: str, new: bool) -> str:
    """The passphrase from the file's first line, else asked for (twice when ``new``). A file not there is said in
    these words, "passphrase file not found: PATH; nothing was changed" (never the system's "No such file or
    directory"), "nothing was written" for a new package or backup."""
    if file is not None:
        if not os.path.isfile(file):  # os.path: a folder, or a name too long, is not found either
            raise NotFoundError(f"passphrase file not found: {file}; nothing was {'written' if new else 'changed'}")
        lines = Path(file).read_text(encoding="utf-8").splitlines()
        if not lines or not lines[0]:
            raise ValidationError(f"the passphrase file {file} is empty")
        return lines[0]
    try:
        first = getpass.getpass(f"Passphrase for {what}: ")
        if new and getpass.getpass("The same passphrase again: ") != first:
            raise ValidationError("the two passphrases differ; nothing was written")
    except EOFError:
        raise PassphraseError(f"{what} needs a passphrase: give --passphrase-file FILE") from None
    if not first:
        raise PassphraseError(f"a passphrase is needed for {what}; nothing was changed")
    return first


def require_package_file(path: Path) -> None:
    """Before anything is read or asked: "package file not found: PATH; nothing was changed" for a file not there,
    and a folder said as one, as ``backup restore`` says its file (never the system's "No such file or directory:
    PATH" or "Is a directory: PATH")."""
    if os.path.isdir(path):
        raise IntegrityError(f"{path} is a folder, not a package file; nothing was changed")
    if not os.path.exists(path):  # os.path: a name too long is not found either, never an OSError
        raise NotFoundError(f"package file not found: {path}; nothing was changed")
