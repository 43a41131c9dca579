"""Image decoding users can trust: EXIF orientation, any colour mode to RGB, size limits, clear errors.

Size limits are checked before reading: a file's size from the file system, its pixel count from the
image header, so a 2 GB file, a 40 GB sparse file or a 100-megapixel PNG is refused at once, in one line.
"""

from __future__ import annotations

import datetime as dt
import errno
import io
import os
import stat
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import IO, NamedTuple

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from dermadesk.domain.errors import BadImageError
from dermadesk.domain.text import size_text

MAX_PIXELS = 100_000_000  # decoding ceiling, so images stored by earlier versions still open
IMPORT_MAX_PIXELS = 50_000_000  # new files: above any dermatoscope or 48 MP phone; guards against bombs
MAX_FILE_MB = 200  # decimal megabytes, as size_text and file managers count them
MAX_FILE_BYTES = MAX_FILE_MB * 10**6
MIN_SIDE = 32
# The formats an image is imported from, with their file name endings: the one list the importer goes by (a folder's
# files by their endings, a file by its header) and every message that names formats says (FORMATS_TEXT).
IMPORT_FORMATS: dict[str, tuple[str, ...]] = {"JPEG": (".jpg", ".jpeg"), "PNG": (".png",), "TIFF": (".tif", ".tiff"),
                                              "BMP": (".bmp",), "WebP": (".webp",)}
FORMATS_TEXT = ", ".join(list(IMPORT_FORMATS)[:-1]) + " or " + list(IMPORT_FORMATS)[-1]  # "JPEG, PNG, ... or WebP"
IMAGE_SUFFIXES = frozenset(end for ends in IMPORT_FORMATS.values() for end in ends)
ALLOWED_FORMATS = {name.upper() for name in IMPORT_FORMATS} | {"MPO"}  # MPO: a camera's JPEG with a second picture

# what to do next, after each refusal's reason
NOT_IMAGE = f"import the photo itself, exported as {FORMATS_TEXT} from the camera or an image editor"
DAMAGED = "copy it again from the camera or its card (the copy may have been cut short)"
RESAVE = "open it in an image editor and save it again as JPEG or PNG, then import that copy"
Image.MAX_IMAGE_PIXELS = None  # our own limit below gives a clearer message than Pillow's warning


@dataclass(frozen=True)
class DecodedImage:
    """An RGB uint8 image (orientation applied) plus facts about the file it came from."""

    rgb: np.ndarray
    format: str
    taken_at: str | None  # EXIF DateTimeOriginal as ISO 8601, when present

    @property
    def width(self) -> int:
        return int(self.rgb.shape[1])

    @property
    def height(self) -> int:
        return int(self.rgb.shape[0])


# why an image has no EXIF date, in plain words (the import dialog shows them: "no EXIF date (...)")
NO_EXIF = "the file has no EXIF data"
NO_DATE_TAG = "its EXIF data has no date tag"
DAMAGED_EXIF = "its EXIF data is damaged"
UNREADABLE_FILE = "the file cannot be read"


class ExifDate(NamedTuple):
    """An image's EXIF date as ISO 8601, or None and why in plain words (a reason above, or what is wrong with
    the date tag: empty, or unreadable with its text)."""

    taken_at: str | None
    why_none: str | None = None


def _unreadable_date(raw: object) -> str:
    text = str(raw).strip("\x00 ")
    if not text:
        return "its EXIF date tag is empty"
    plain = text.isascii() and text.isprintable() and len(text) <= 40  # e.g. "0000:00:00 00:00:00": clock never set
    shown = f': "{text}"' if plain else ""
    return f"its EXIF date tag is unreadable{shown}"


def _exif_date(im: Image.Image) -> ExifDate:
    try:
        exif = im.getexif()
        raw = exif.get_ifd(0x8769).get(0x9003) or exif.get(0x0132)  # DateTimeOriginal, else DateTime
        tags, block = len(exif), im.info.get("exif")  # Pillow gives no tags for a block it cannot parse
    except Exception:  # noqa: BLE001 - broken EXIF is common and never fatal
        return ExifDate(None, DAMAGED_EXIF)
    if not raw:
        return ExifDate(None, NO_DATE_TAG if tags else DAMAGED_EXIF if block else NO_EXIF)
    try:
        return ExifDate(dt.datetime.strptime(str(raw).strip("\x00 "), "%Y:%m:%d %H:%M:%S").isoformat())
    except ValueError:
        return ExifDate(None, _unreadable_date(raw))


def _exif_taken_at(im: Image.Image) -> str | None:
    return _exif_date(im).taken_at


def read_exif_date(path: Path | str | IO[bytes]) -> ExifDate:
    """EXIF date of an image file (or its bytes, as a file object) from its header only (no pixel decoding), or
    why it has none; never raises."""
    try:
        with Image.open(path) as im:
            return _exif_date(im)
    except Exception:  # noqa: BLE001 - a damaged, cut-short or non-image file has no date, and says so
        return ExifDate(None, UNREADABLE_FILE)


def read_taken_at(path: Path) -> str | None:
    """EXIF date of an image file from its header only (no pixel decoding); None when absent or unreadable."""
    return read_exif_date(path).taken_at


def pil_to_rgb(im: Image.Image) -> np.ndarray:
    """Palette, grey, CMYK, alpha and 16-bit images to 8-bit RGB (alpha composited on white)."""
    if im.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        arr = np.array(im, dtype=np.float32)  # one float copy, scaled in place (float64 copies took 1.3 GB at 50 MP)
        top = 65535.0 if im.mode.startswith("I;16") or arr.max() > 255 else 255.0
        np.multiply(arr, np.float32(255.0 / top), out=arr)
        arr += np.float32(0.5)
        np.clip(arr, 0, 255, out=arr)
        return np.repeat(arr.astype(np.uint8)[..., None], 3, axis=2)
    if im.mode == "P" and "transparency" in im.info:
        im = im.convert("RGBA")
    if im.mode in ("RGBA", "LA", "PA"):
        rgba = im.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        im = Image.alpha_composite(background, rgba)
    return np.asarray(im.convert("RGB"), dtype=np.uint8).copy()


def _smaller_copy(limit: str) -> str:
    return f"export a smaller copy, at most {limit}, from the camera or an image editor, and import that"


def too_small(width: int, height: int) -> str:
    """Which side is too short: "image is only 30 pixels high (40x30); at least 32 needed each way"."""
    short = [f"{n} pixels {side}" for n, side in ((width, "wide"), (height, "high")) if n < MIN_SIDE]
    return f"image is only {' and '.join(short)} ({width}x{height}); at least {MIN_SIDE} needed each way"


def _too_large(label: str, size: int) -> BadImageError:
    return BadImageError(
        f"{label}: file is {size_text(size)}, over the {MAX_FILE_MB} MB limit; {_smaller_copy(f'{MAX_FILE_MB} MB')}"
    )


def _check_header(im: Image.Image, label: str, max_pixels: int) -> str:
    """The format, after checking it and the pixel count from the header (no pixels decoded yet)."""
    fmt = (im.format or "").upper()
    if fmt not in ALLOWED_FORMATS:
        raise BadImageError(f"{label}: {fmt or 'unknown'} files are not supported (use {FORMATS_TEXT})")
    w, h = im.size
    if w * h > max_pixels:
        raise BadImageError(
            f"{label}: image is {w}x{h} = {w * h / 1e6:.0f} megapixels, over the "
            f"{max_pixels / 1e6:.0f} MP limit; {_smaller_copy(f'{max_pixels / 1e6:.0f} MP')}"
        )
    return fmt


def file_problem(path: Path | str, max_pixels: int = IMPORT_MAX_PIXELS) -> str | None:
    """Why ``read_image_file`` would refuse ``path`` (the same size, format and pixel-count checks, no pixels
    decoded, so a file cut short passes here and is refused when decoded), or None."""
    try:
        read_image_file(path, max_pixels=max_pixels, header_only=True)
    except BadImageError as exc:
        return str(exc)
    return None


def link_loops(path: Path) -> bool:
    """``path`` is a link in a loop of links: its target can never be reached."""
    try:
        os.stat(path)
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False


def read_image_file(
    path: Path | str, name: str | None = None, max_pixels: int = IMPORT_MAX_PIXELS, header_only: bool = False
) -> bytes:
    """A file's bytes, read only after its size (file system) and its format and pixel count (header) pass
    (``header_only``: the checks alone, b"" returned)."""
    path = Path(path)
    label = name or path.name
    try:
        st = os.stat(path)
    except OSError as exc:
        if path.is_symlink() and exc.errno == errno.ELOOP:
            raise BadImageError(
                f"{label}: a link that leads back to itself (a loop of links); link to the image itself"
            ) from None
        if path.is_symlink():
            raise BadImageError(f"{label}: broken link (its target {os.readlink(path)} does not exist)") from None
        raise BadImageError(f"{label}: cannot read file ({exc.strerror or exc})") from None
    if not stat.S_ISREG(st.st_mode):
        raise BadImageError(f"{label}: not a regular file")
    if st.st_size == 0:
        raise BadImageError(f"{label}: file is empty; {DAMAGED}")
    if st.st_size > MAX_FILE_BYTES:
        raise _too_large(label, st.st_size)
    try:
        with open(path, "rb") as fh:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("error", Image.DecompressionBombWarning)
                    with Image.open(fh) as im:
                        _check_header(im, label, max_pixels)
            except UnidentifiedImageError:
                raise BadImageError(
                    f"{label}: not an image file (or a format DermaDesk cannot read); {NOT_IMAGE}"
                ) from None
            except (SyntaxError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
                raise BadImageError(f"{label}: cannot decode image ({exc}); {RESAVE}") from None
            if header_only:
                return b""
            fh.seek(0)
            data = fh.read(MAX_FILE_BYTES + 1)  # the file may have grown since stat
    except OSError as exc:
        raise BadImageError(f"{label}: cannot read file ({exc.strerror or exc})") from None
    if len(data) > MAX_FILE_BYTES:
        raise _too_large(label, len(data))
    return data


def decode_image(source: bytes | Path, name: str | None = None, max_pixels: int | None = None) -> DecodedImage:
    """Decode bytes or a file; raises BadImageError naming the file for anything unusable.

    A file is checked by ``read_image_file`` before it is read (limit ``IMPORT_MAX_PIXELS``); bytes (e.g.
    from the image store) are held to ``MAX_PIXELS`` unless ``max_pixels`` says otherwise.
    """
    label = name or (Path(source).name if isinstance(source, (str, Path)) else "image")
    if isinstance(source, (str, Path)):
        max_pixels = max_pixels or IMPORT_MAX_PIXELS
        data = read_image_file(source, label, max_pixels)
    else:
        max_pixels = max_pixels or MAX_PIXELS
        data = source
    if not data:
        raise BadImageError(f"{label}: file is empty; {DAMAGED}")
    if len(data) > MAX_FILE_BYTES:
        raise _too_large(label, len(data))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im: Image.Image = Image.open(io.BytesIO(data))
            fmt = _check_header(im, label, max_pixels)
            taken_at = _exif_taken_at(im)
            im.load()
            im = ImageOps.exif_transpose(im)
            rgb = pil_to_rgb(im)
    except BadImageError:
        raise
    except MemoryError:  # one huge file: named and skipped, the rest of an import goes on
        raise BadImageError(
            f"{label}: too large to decode in this computer's free memory; {_smaller_copy('20 MP')}"
        ) from None
    except UnidentifiedImageError:
        raise BadImageError(f"{label}: not an image file (or a format DermaDesk cannot read); {NOT_IMAGE}") from None
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        text = str(exc)
        if "truncated" in text or "broken data stream" in text or "premature end" in text.lower():
            raise BadImageError(f"{label}: image file is truncated or damaged; {DAMAGED}") from None
        raise BadImageError(f"{label}: cannot decode image ({text}); {RESAVE}") from None
    if min(rgb.shape[:2]) < MIN_SIDE:
        raise BadImageError(f"{label}: {too_small(rgb.shape[1], rgb.shape[0])}; "
                            "import the full-size image, not a thumbnail")
    return DecodedImage(rgb=rgb, format="JPEG" if fmt == "MPO" else fmt, taken_at=taken_at)
