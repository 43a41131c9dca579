"""A transfer package's image files by kind: the captures' images and the assessments' heat maps, counted apart so
that an export says "2 images and 2 heat maps" rather than "4 images", and its progress, and an import's, count each
kind as the export's summary does ("packing image 1 of 2", then "packing heat map 1 of 2").

A heat map the app never shows (a NOT ASSESSABLE result's: the engine stores one, the app and the report show "No
heat map"; one of an assessment superseded: the capture assessed again, or its modality corrected since, as
``transfer_shown`` reads the register's rule) is packed and imported too, so that the receiving register holds the
same records and files as the sender's and shows the same, but it is no heat map the summary counts: it is one of its
own kind, "withheld heat map", packed after the others."""

from __future__ import annotations

from typing import AbstractSet, Any, Iterator, Mapping, Sequence

from dermadesk.domain.text import counted
from dermadesk.storage.transfer_shown import shown_heat_maps

IMAGE, HEAT_MAP, WITHHELD = "image", "heat map", "withheld heat map"


def image_files(
    records: Mapping[str, Sequence[Mapping[str, Any]]], shown: AbstractSet[str] | None = None
) -> dict[str, list[str]]:
    """The digests ``records`` need, by kind: {IMAGE: the captures' images, HEAT_MAP: the heat maps the app shows
    (``shown``; None: those of ``records``' own captures, ``transfer_shown``), WITHHELD: the others, never shown} (a
    file that is also one of an earlier kind counted once, as that), each sorted."""
    shown = shown_heat_maps(records) if shown is None else shown
    images = {str(r["image_sha256"]) for r in records.get("captures", [])}
    cams = {str(r["cam_sha256"]) for r in records.get("assessments", []) if r.get("cam_sha256")}
    heat_maps = (cams & set(shown)) - images
    withheld = cams - images - heat_maps
    return {IMAGE: sorted(images), HEAT_MAP: sorted(heat_maps), WITHHELD: sorted(withheld)}


def files_text(images: int, heat_maps: int) -> str:
    """ "2 images and 2 heat maps", "1 image" ("" for none)."""
    return " and ".join(counted(n, kind) for n, kind in ((images, IMAGE), (heat_maps, HEAT_MAP)) if n)


def each_file(files: Mapping[str, Sequence[str]]) -> Iterator[tuple[str, str]]:
    """(digest, its place in words: "image 1 of 2", "heat map 2 of 2", "withheld heat map 1 of 1") for every file of
    ``image_files``, the images first."""
    for kind in (IMAGE, HEAT_MAP, WITHHELD):
        shas = files.get(kind, [])
        for i, sha in enumerate(shas):
            yield sha, f"{kind} {i + 1} of {len(shas)}"
