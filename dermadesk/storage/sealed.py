"""The sealed container of transfer packages and encrypted backups: a header, then authenticated chunks.

Layout: ``MAGIC``, the header's length (4 bytes, big-endian), the header (JSON), the sha256 of everything
before it, then the payload in chunks of ``chunk_size`` bytes, each followed by a 16-byte tag.

- Cipher ``aes-256-gcm``: the key comes from the passphrase through scrypt (its parameters and salt are in
  the header, so they can be raised later without breaking older files). Each chunk's nonce is a random
  7-byte prefix, the chunk's number (4 bytes) and a final-chunk flag (1 byte), and the whole header bytes
  are the additional authenticated data: a changed header, a changed, reordered, removed or appended chunk,
  and a file cut short all fail authentication (a STREAM construction).
- Cipher ``none`` (only when asked): the same chunks in clear, each tagged with a truncated sha256 over the
  header's digest, the nonce and the chunk, which detects damage and truncation (not tampering).

A key-check value in the header tells a wrong passphrase from a damaged file.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import os
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Callable

from dermadesk import __version__
from dermadesk.domain.errors import IntegrityError, PassphraseError
from dermadesk.domain.text import size_text

MAGIC = b"\x89DDSEAL\n"
FORMAT_VERSION = 1
CHUNK_SIZE = 1 << 20
TAG_BYTES = 16
MAX_HEADER_BYTES = 64 * 1024
MAX_SCRYPT_MEMORY = 1 << 30  # a crafted header cannot make us allocate more (128 * n * r * p bytes)
MIN_PASSPHRASE = 8
Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class KdfParams:
    """scrypt cost: n=2**16, r=8 takes about 0.2 s and 64 MiB on a laptop (tests pass cheaper ones)."""

    n: int = 1 << 16
    r: int = 8
    p: int = 1


def _noop(_: float, __: str) -> None:
    return None


def _aesgcm(key: bytes) -> Any:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(key)


def derive_key(passphrase: str, kdf: dict[str, Any]) -> tuple[bytes, str]:
    """(AES key, key-check hex) from the passphrase and the header's scrypt parameters."""
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    n, r, p = int(kdf["n"]), int(kdf["r"]), int(kdf["p"])
    out = Scrypt(salt=bytes.fromhex(kdf["salt"]), length=64, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))
    return out[:32], hashlib.sha256(b"dermadesk key check" + out[32:]).hexdigest()[:32]


@dataclass(frozen=True)
class Header:
    """What precedes the chunks: ``fields`` (parsed JSON) and ``raw`` (the exact bytes, the AAD)."""

    fields: dict[str, Any]
    raw: bytes

    @property
    def encrypted(self) -> bool:
        return self.fields.get("cipher") != "none"

    @property
    def schema_version(self) -> int:
        return int(self.fields["schema_version"])


def new_header(kind: str, schema_version: int, passphrase: str | None, kdf: KdfParams | None = None,
               extra: dict[str, Any] | None = None) -> tuple[Header, bytes | None]:
    """A header for a new container, and the key (None without a passphrase: cipher "none")."""
    import datetime as dt

    fields: dict[str, Any] = {"format": "dermadesk-sealed", "format_version": FORMAT_VERSION, "kind": kind,
                              "schema_version": schema_version, "app_version": __version__,
                              "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                              "chunk_size": CHUNK_SIZE, "nonce_prefix": os.urandom(7).hex(), **(extra or {})}
    key = None
    if passphrase is None:
        fields["cipher"] = "none"
    else:
        kdf = kdf or KdfParams()
        fields["cipher"] = "aes-256-gcm"
        fields["kdf"] = {"name": "scrypt", "n": kdf.n, "r": kdf.r, "p": kdf.p, "salt": os.urandom(16).hex()}
        key, fields["key_check"] = derive_key(passphrase, fields["kdf"])
    body = json.dumps(fields, sort_keys=True, separators=(",", ":")).encode("utf-8")
    head = MAGIC + struct.pack(">I", len(body)) + body
    return Header(fields, head + hashlib.sha256(head).digest()), key


def _nonce(header: Header, index: int, final: bool) -> bytes:
    return bytes.fromhex(header.fields["nonce_prefix"]) + struct.pack(">IB", index, 1 if final else 0)


def _clear_tag(header: Header, nonce: bytes, data: bytes) -> bytes:
    return hashlib.sha256(hashlib.sha256(header.raw).digest() + nonce + data).digest()[:TAG_BYTES]


class SealedWriter(io.RawIOBase):
    """A write-only, unseekable stream that seals what is written into ``fh`` (zipfile can write into it)."""

    def __init__(self, fh: IO[bytes], header: Header, key: bytes | None) -> None:
        super().__init__()
        self.fh, self.header = fh, header
        self.aead = _aesgcm(key) if key is not None else None
        self.chunk_size = int(header.fields["chunk_size"])
        self.buffer = bytearray()
        self.index = 0
        self.written = 0
        fh.write(header.raw)

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.buffer += bytes(data)
        self.written += len(data)
        while len(self.buffer) > self.chunk_size:  # the last chunk is always written by close(), as final
            self._emit(bytes(self.buffer[:self.chunk_size]), final=False)
            del self.buffer[:self.chunk_size]
        return len(data)

    def _emit(self, chunk: bytes, final: bool) -> None:
        nonce = _nonce(self.header, self.index, final)
        if self.aead is not None:
            self.fh.write(self.aead.encrypt(nonce, chunk, self.header.raw))
        else:
            self.fh.write(chunk + _clear_tag(self.header, nonce, chunk))
        self.index += 1

    def close(self) -> None:
        if not self.closed:
            self._emit(bytes(self.buffer), final=True)
            self.buffer.clear()
        super().close()


def starts_with(path: Path, magic: bytes) -> bool:
    """True when the file's first bytes are ``magic`` (False where it cannot be read)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(len(magic)) == magic
    except OSError:
        return False


def is_sealed(path: Path) -> bool:
    """True when the file starts like a sealed container (a package or an encrypted backup)."""
    return starts_with(path, MAGIC)


def read_header(path: Path, what: str = "package", newest_schema: int | None = None) -> Header:
    """The header, checked: magic, its checksum, a format and schema this app knows. IntegrityError otherwise."""
    name = Path(path).name
    with open(path, "rb") as fh:
        magic = fh.read(len(MAGIC))
        if magic != MAGIC:
            raise IntegrityError(f"{name} is not a DermaDesk {what}; nothing was changed")
        length_bytes = fh.read(4)
        length = struct.unpack(">I", length_bytes)[0] if len(length_bytes) == 4 else -1
        if not 0 < length <= MAX_HEADER_BYTES:
            raise IntegrityError(f"{name} is damaged or cut short (its header is unreadable); nothing was changed")
        body = fh.read(length)
        digest = fh.read(32)
    head = magic + length_bytes + body
    if len(body) != length or not hmac.compare_digest(hashlib.sha256(head).digest(), digest):
        raise IntegrityError(f"{name} is damaged or cut short (its header fails its checksum); nothing was changed")
    try:
        fields = json.loads(body)
        if not isinstance(fields, dict) or not isinstance(fields.get("schema_version"), int):
            raise ValueError("no schema version")
        format_version = int(fields["format_version"])
        bytes.fromhex(fields["nonce_prefix"])
        if not 1024 <= int(fields["chunk_size"]) <= 64 * CHUNK_SIZE:
            raise ValueError("chunk size out of range")
    except (ValueError, KeyError, TypeError) as exc:
        raise IntegrityError(f"{name} has a header DermaDesk cannot read ({exc}); nothing was changed") from None
    if format_version > FORMAT_VERSION or (newest_schema is not None and fields["schema_version"] > newest_schema):
        raise IntegrityError(f"{name} was made by a newer DermaDesk (register schema {fields['schema_version']}, "
                             f"this app knows {newest_schema}); update DermaDesk to open it; nothing was changed")
    if fields.get("cipher") not in ("aes-256-gcm", "none"):
        raise IntegrityError(f"{name} uses a cipher this DermaDesk does not know ({fields.get('cipher')!r}); "
                             "nothing was changed")
    return Header(fields, head + digest)


def _key_for(header: Header, passphrase: str | None, name: str) -> bytes | None:
    if not header.encrypted:
        return None
    if not passphrase:
        raise PassphraseError(f"{name} is encrypted: give its passphrase")
    kdf = header.fields.get("kdf") or {}
    try:
        n, r, p = int(kdf["n"]), int(kdf["r"]), int(kdf["p"])
        if kdf.get("name") != "scrypt" or n < 2 or n & (n - 1) or not (1 <= r <= 64 and 1 <= p <= 64) \
                or 128 * n * r * p > MAX_SCRYPT_MEMORY or len(bytes.fromhex(kdf["salt"])) < 16:
            raise ValueError("out of range")
    except (KeyError, TypeError, ValueError) as exc:
        raise IntegrityError(f"{name} has key-derivation settings DermaDesk refuses ({exc}); "
                             "nothing was changed") from None
    key, check = derive_key(passphrase, kdf)
    if not hmac.compare_digest(check, str(header.fields.get("key_check", ""))):
        raise PassphraseError(f"wrong passphrase for {name}; nothing was changed")
    return key


def check_passphrase(path: Path, passphrase: str | None, what: str = "package",
                     newest_schema: int | None = None) -> None:
    """Whether ``passphrase`` opens ``path`` (header and key check only, no decryption): PassphraseError
    (none given, or wrong) or IntegrityError (not readable), one line each; quick, so a person can try again."""
    path = Path(path)
    _key_for(read_header(path, what, newest_schema), passphrase, path.name)


def unseal(path: Path, out: IO[bytes], passphrase: str | None, progress: Progress = _noop,
           cancel: Callable[[], None] | None = None, what: str = "package",
           newest_schema: int | None = None) -> Header:
    """Authenticate and decrypt every chunk of ``path`` into ``out``; returns the header.

    Raises PassphraseError (none given, or wrong) or IntegrityError (damaged, altered, cut short, newer), one
    line each. ``out`` then holds a prefix of unauthenticated-as-a-whole data: the caller throws it away.
    """
    path = Path(path)
    name = path.name
    header = read_header(path, what, newest_schema)
    key = _key_for(header, passphrase, name)
    aead = _aesgcm(key) if key is not None else None
    block = int(header.fields["chunk_size"]) + TAG_BYTES
    total = max(path.stat().st_size - len(header.raw), 1)
    with open(path, "rb") as fh:
        fh.seek(len(header.raw))
        current, index, done = fh.read(block), 0, 0
        while True:
            if cancel is not None:
                cancel()
            following = fh.read(block) if len(current) == block else b""
            final = not following
            out.write(_open_chunk(header, aead, current, index, final, name, what))
            done += len(current)
            progress(done / total, f"checking {what}: {size_text(done)} of {size_text(total)}")
            if final:
                return header
            current, index = following, index + 1


def _open_chunk(header: Header, aead: Any, chunk: bytes, index: int, final: bool, name: str,
                what: str = "package") -> bytes:
    """One chunk authenticated (and decrypted); a failure says whether the file was cut short."""
    def attempt(as_final: bool) -> bytes | None:
        if len(chunk) < TAG_BYTES:
            return None
        nonce = _nonce(header, index, as_final)
        if aead is not None:
            from cryptography.exceptions import InvalidTag

            try:
                return aead.decrypt(nonce, chunk, header.raw)
            except InvalidTag:
                return None
        data, tag = chunk[:-TAG_BYTES], chunk[-TAG_BYTES:]
        return data if hmac.compare_digest(tag, _clear_tag(header, nonce, data)) else None

    data = attempt(final)
    if data is not None:
        return data
    if final and attempt(False) is not None:
        raise IntegrityError(f"{name}: the {what} is incomplete (it was cut short after part {index + 1}); ask for "
                             "a new copy; nothing was changed")
    raise IntegrityError(f"{name}: the {what} is damaged, cut short or changed after it was made (part "
                         f"{index + 1} does not {'authenticate' if aead is not None else 'match its checksum'}); "
                         "ask for a new copy; nothing was changed")


def check_new_passphrase(passphrase: str) -> str:
    """A passphrase for a new package or backup: at least MIN_PASSPHRASE characters."""
    from dermadesk.domain.errors import ValidationError

    if len(passphrase) < MIN_PASSPHRASE:
        raise ValidationError(f"the passphrase must have at least {MIN_PASSPHRASE} characters")
    return passphrase
