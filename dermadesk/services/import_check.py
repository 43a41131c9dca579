"""Before the import dialog asks: which chosen images the import will skip as already in the register, by content
hash as ``import_files`` checks (the same bytes a capture of this lesion, or of another), and which repeat an earlier
chosen file (imported once). Said in the dialog, not only after the user has confirmed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Collection, Mapping

from dermadesk.domain.text import counted
from dermadesk.services.captures import known_image
from dermadesk.storage.register import Register


@dataclass
class KnownImages:
    """Files (as chosen) the import will skip, each with its line ("name: why"), in the order chosen."""

    in_register: dict[str, str] = field(default_factory=dict)  # its image is a capture already
    repeated: dict[str, str] = field(default_factory=dict)  # the same image as an earlier chosen file

    def all(self) -> dict[str, str]:
        return {**self.in_register, **self.repeated}


def known_images(register: Register, lesion_id: int, digests: Mapping[str, str]) -> KnownImages:
    """``digests``: file -> sha256 of its bytes (``FileFacts.digests``), in the order the import takes them."""
    known, first = KnownImages(), dict[str, str]()  # sha -> the first file chosen with it
    for file, sha in digests.items():
        if (why := known_image(register, lesion_id, Path(file).name, sha, first)) is not None:
            (known.repeated if why[0] == "repeated" else known.in_register)[file] = why[1]
    return known


def known_line(known: KnownImages, chosen: int) -> str:
    """ "1 of 3 images is already in the register and will be skipped." ("" when none is), and the files chosen
    twice ("1 is the same image as another chosen file: imported once.")."""
    lines = []
    if k := len(known.in_register):
        lines.append(f"{k} of {chosen} images {'is' if k == 1 else 'are'} already in the register and will be skipped.")
    if r := len(known.repeated):
        lines.append(f"{r} {'is' if r == 1 else 'are'} the same image as another chosen file: imported once.")
    return " ".join(lines)


def skipped_as_said(known: KnownImages, passed: Collection[str]) -> str:
    """After the import, the files of ``known`` it passed over (``passed``), counted, not named again: the dialog
    named them before it asked: "As said before the import, 2 images already in the register were skipped; 1 file
    was the same image as another chosen file (imported once)."; "" for none."""
    here = sum(1 for f in known.in_register if f in passed)
    twice = sum(1 for f in known.repeated if f in passed)
    lines = []
    if here:
        lines.append(f"{counted(here, 'image')} already in the register {'was' if here == 1 else 'were'} skipped")
    if twice:
        lines.append(
            f"{counted(twice, 'file')} {'was' if twice == 1 else 'were'} the same image as another chosen file "
            "(imported once)"
        )
    return f"As said before the import, {'; '.join(lines)}." if lines else ""
