"""Content-addressed image store: files named by the sha256 of their bytes, kept exactly as imported."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Iterator

from dermadesk.domain.errors import IntegrityError, NotFoundError
from dermadesk.files import atomic_writer, private_dir


class ImageStore:
    """``root/ab/cd/abcd...`` files (0600, folders 0700); writes are temp file + fsync + rename + fsync of the
    folder."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a sha256 hex digest: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, data: bytes) -> str:
        """Store bytes durably (before any database row refers to them); return their sha256."""
        sha = hashlib.sha256(data).hexdigest()
        target = self.path(sha)
        if target.is_file() and target.stat().st_size == len(data):
            os.utime(target)  # in use again: ``db check --clean`` leaves files touched within the hour
            return sha
        for folder in (self.root, target.parent.parent, target.parent):
            private_dir(folder)
        with atomic_writer(target, prefix=".incoming-") as fh:  # a crash leaves .incoming-* (see below)
            fh.write(data)
        return sha

    def read(self, sha256: str, verify: bool = True) -> bytes:
        path = self.path(sha256)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise NotFoundError(f"image {sha256[:12]} is missing from the image store") from None
        if verify and hashlib.sha256(data).hexdigest() != sha256:
            raise IntegrityError(f"image {sha256[:12]} in the store is damaged (hash mismatch)")
        return data

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def verify(self, sha256: str) -> bool:
        try:
            self.read(sha256, verify=True)
        except (NotFoundError, IntegrityError):
            return False
        return True

    def __iter__(self) -> Iterator[str]:
        """Every stored digest (temporary files from interrupted writes are skipped)."""
        if not self.root.is_dir():
            return
        for path in self.root.glob("??/??/*"):
            if path.is_file() and not path.name.startswith(".") and len(path.name) == 64:
                yield path.name

    def leftovers(self) -> list[Path]:
        """Temporary files left by an interrupted write."""
        return sorted(self.root.glob("??/??/.incoming-*")) if self.root.is_dir() else []

    def delete(self, sha256: str) -> None:
        self.path(sha256).unlink(missing_ok=True)
