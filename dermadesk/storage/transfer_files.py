"""A transfer package's image files by kind: the captures' images and the assessments' heat maps, counted apart so
that an export says "2 images and 2 heat maps" rather than "4 images", and its progress, and an import's, count each
kind as the export's summary does ("packing image 1 of 2", then "packing heat map 1 of 2")."""

from __future__ import annotations

from typing import Any, Iterator, Mapping, Sequence

from dermadesk.domain.text import counted

IMAGE, HEAT_MAP = "image", "heat map"


def image_files(records: Mapping[str, Sequence[Mapping[str, Any]]]) -> dict[str, list[str]]:
    """The digests ``records`` need, by kind: {IMAGE: the captures' images, HEAT_MAP: the assessments' heat maps (one
    that is also a capture's image counted once, as an image)}, each sorted."""
    images = {str(r["image_sha256"]) for r in records.get("captures", [])}
    heat_maps = {str(r["cam_sha256"]) for r in records.get("assessments", []) if r.get("cam_sha256")} - images
    return {IMAGE: sorted(images), HEAT_MAP: sorted(heat_maps)}


def files_text(images: int, heat_maps: int) -> str:
    """ "2 images and 2 heat maps", "1 image" ("" for none)."""
    return " and ".join(counted(n, kind) for n, kind in ((images, IMAGE), (heat_maps, HEAT_MAP)) if n)


def each_file(files: Mapping[str, Sequence[str]]) -> Iterator[tuple[str, str]]:
    """(digest, its place in words: "image 1 of 2", "heat map 2 of 2") for every file of ``image_files``, the images
    first."""
    for kind in (IMAGE, HEAT_MAP):
        shas = files.get(kind, [])
        for i, sha in enumerate(shas):
            yield sha, f"{kind} {i + 1} of {len(shas)}"
