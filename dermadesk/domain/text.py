"""Text a user types (names, MRNs, labels, notes): Unicode NFC, no control or bidi-override characters.

A right-to-left override can make a stored name read differently on screen and in reports, and
NUL or other control characters break exports; such input is refused with a message naming the
character. File names coming from disk are cleaned instead (``clean_file_name``). ``latin`` spells Cyrillic and
Greek letters in Latin, for patient search.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from dermadesk.domain.errors import ValidationError

# Embeddings, overrides and isolates (U+202A..U+202E, U+2066..U+2069): they reorder what follows them.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def bad_character(text: str, allow_newlines: bool = False) -> str | None:
    """The first control (Cc) or bidi-override character in ``text``, named; None when clean."""
    for ch in text:
        if allow_newlines and ch in "\n\t":
            continue
        if ch in BIDI_CONTROLS or unicodedata.category(ch) == "Cc":
            name = unicodedata.name(ch, "control character")
            return f"U+{ord(ch):04X} {name}"
    return None


def clean_text(value: str | None, what: str, max_len: int | None = None, multiline: bool = False) -> str:
    """NFC; one line with runs of spaces collapsed (or, ``multiline``, lines kept); ValidationError for
    control or bidi-override characters or more than ``max_len`` characters."""
    text = unicodedata.normalize("NFC", value or "")
    bad = bad_character(text, allow_newlines=multiline)
    if bad:
        raise ValidationError(f"{what} contains a control or text-direction character ({bad}); remove it")
    text = kept_lines(text) if multiline else " ".join(text.split())
    if max_len is not None and len(text) > max_len:
        raise ValidationError(f"{what} is {len(text)} characters long (at most {max_len})")
    return text


def as_stored(value: str | None, multiline: bool = False) -> str:
    """``value`` as ``clean_text`` stores it (NFC, line ends as \\n, ``kept_lines``; one line's spaces collapsed),
    without refusing anything: to tell typing that changes a record from typing it would store unchanged."""
    text = unicodedata.normalize("NFC", (value or "").replace("\r\n", "\n").replace("\r", "\n"))
    return kept_lines(text) if multiline else " ".join(text.split())


def kept_lines(text: str) -> str:
    """Text on several lines (notes) as stored: blank lines before the first and the spaces and blank lines after the
    last taken off, the first line's indentation kept ("  - refer" stays so; stripped, a list typed from its first
    line lost its first item's indentation, in the report as in the command line). Text on one line is stripped:
    spaces before a single line are no indentation ("  seen with the new dermatoscope" is stored without them)."""
    kept = re.sub(r"\A(?:[^\S\n]*\n)+", "", text.rstrip())
    return kept if "\n" in kept else kept.strip()


TAB_WIDTH = 4  # the spaces a tab typed at a line's start indents it by


def typed_lines(text: str | None) -> list[tuple[int, str]]:
    """Notes' lines as typed, each as its indentation in spaces (a tab as ``TAB_WIDTH``) and its text ("  - photo
    sent": (2, "- photo sent")), spaces at its end dropped; blank lines before the first line and after the last left
    out, a run of them as one (0, ""). The one reading of notes' lines (the lesion report and the command line print
    each line with its indentation: an indented list kept its levels in one and lost them in the other)."""
    lines = [line.rstrip() for line in (text or "").splitlines()]
    filled = [i for i, line in enumerate(lines) if line]
    lines = lines[filled[0] : filled[-1] + 1] if filled else []
    kept = [line for i, line in enumerate(lines) if line or lines[i - 1]]  # a run of blank lines as one
    bodies = [line.lstrip(" \t") for line in kept]
    return [(len(line[: len(line) - len(body)].expandtabs(TAB_WIDTH)), body) for line, body in zip(kept, bodies)]


LIST_MARK = re.compile(r"([-*•–]|\d{1,3}[.)]) ")  # a list item's mark as typed: "- ", "* ", "• ", "1. ", "2) "


def list_mark(text: str) -> str:
    """A notes line's list mark with the space after it ("- ", "* ", "1. ", "2) "), "" for a line that is no list
    item ("-not", "Plan:"): what a wrapped item hangs by, its further lines under the text after the mark, as a word
    processor hangs them. The one rule for a list item (the lesion report and the command line wrap it so)."""
    mark = LIST_MARK.match(text)
    return mark.group(1) + " " if mark else ""


def clean_file_name(name: str) -> str:
    """A file name for display and storage: NFC, control and bidi characters replaced by U+FFFD."""
    text = unicodedata.normalize("NFC", name)
    return "".join("\ufffd" if ch in BIDI_CONTROLS or unicodedata.category(ch) == "Cc" else ch for ch in text)


def with_extension(path: Path, extension: str) -> Path:
    """``path`` with ``extension`` (".zip", ".ddtx") added where its name does not end in it, in any case: "bk1" is
    written as "bk1.zip", and "monday.ZIP" and "week.DDTX" are kept (never "monday.ZIP.zip"). The one rule for a
    backup's and a transfer package's name, in the app and on the command line."""
    path = Path(path)
    return path if path.name.lower().endswith(extension.lower()) else path.with_name(path.name + extension)


# The names a computer's own accounts have (lower case, a Windows domain left out): what the audit log recorded
# where nobody set an operator (before the operator's name was asked), never a person.
SYSTEM_ACCOUNTS = frozenset({"root", "admin", "administrator", "system", "localsystem", "local system"})


def who_text(name: str) -> str:
    """Who acted, for people: a computer's own account ("root", "Administrator", "NT AUTHORITY\\SYSTEM"), which a
    decision saved with no operator set records, said as one, "root (the computer's account)", as the operator
    prompt and the command line's note say it; a person's name (or a personal account's) as it is."""
    bare = name.rsplit("\\", 1)[-1].strip().lower()
    return f"{name} (the computer's account)" if bare in SYSTEM_ACCOUNTS else name


def file_in_the_way(folder: object) -> Path | None:
    """The file that stands where ``folder`` or the nearest of its folders that is there should be (a folder typed
    with a file's name in it: ``notes.txt/export``); None where that is a folder, or nothing is there."""
    for path in (Path(str(folder)), *Path(str(folder)).parents):
        if os.path.exists(path):
            return None if os.path.isdir(path) else path
    return None


def missing_folder(folder: object) -> str:
    """What a write into a folder that is not there says (a backup or a transfer package): the folder named, the
    likeliest cause (a USB drive not connected) asked, and that nothing was written; never made silently on the
    local disk in its place. Where a file is in the way (``file_in_the_way``), that it is a file, not a folder."""
    file = file_in_the_way(folder)
    if file is not None:
        inside = "" if file == Path(str(folder)) else f"folder {folder} cannot be made: "
        return f"{inside}{file} is a file, not a folder; nothing was written"
    return f"folder {folder} does not exist (is the drive connected?); nothing was written"


def counted(count: int, one: str, many: str | None = None, none: str | None = None) -> str:
    """A count in words for people: ``"1 image"``, ``"3 images"``, and ``"no images"`` (``none``: e.g. "No
    image") for 0, never "0 image(s)"; ``many`` where adding an "s" is wrong."""
    if count == 0 and none is not None:
        return none
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _tenth(value: float) -> Decimal:
    return Decimal(repr(float(value))).quantize(Decimal("0.1"), ROUND_HALF_UP)


def decimals(value: float, places: int = 0) -> int:
    """The decimals a change in percent is written with: ``places``, but one where whole percent are asked for and
    the change is under 1 % (at one decimal) without being none: -0.49 is "-0.5%", where whole percent made it "-1%",
    twice what was measured, and 0.6 "+0.6%", not "+1%"; 0.04 stays "+0%", 12.3 "+12%"."""
    return 1 if places == 0 and 0 < abs(_tenth(value)) < 1 else places


def rounded(value: float, places: int = 0) -> float:
    """A change in percent rounded to ``places`` decimals (``decimals``: one for a change under 1 %), half away from
    zero (6.5: 7, -6.5: -7; Python's ``round`` gives 6, to the even), from its figure to one decimal, the finest any
    change is shown: 6.46 is "+6.5%" in the command line's figures, so "+7%" where whole percent are shown, never
    "+6%" beside it (a GP read both in one report). The one way a change in percent is rounded (``signed``,
    ``amount``, ``in_view``; CLI, reports, app)."""
    places = decimals(value, places)
    return float(_tenth(value).quantize(Decimal(1).scaleb(-min(places, 1)), ROUND_HALF_UP))


def signed(value: float, places: int = 0) -> str:
    """A change with its sign, rounded to ``places`` decimals (``rounded``; one for a change under 1 %: "-0.5"):
    ``"+44"``, ``"-3.5"``, and ``"+0"`` (``"+0.0"``) for anything that rounds to zero, never ``"-0"``: "area -0%" read
    as a shrinking lesion. Rounded first, then written, so the sign is that of the figure shown. The one way changes
    are written (CLI, reports, app)."""
    return f"{rounded(value, places) + 0.0:+.{decimals(value, places)}f}"


def amount(value: float, places: int = 0) -> str:
    """A change's size without its sign, as ``signed`` rounds it: "13" for 13.3 or -13.3 ("area grew by 13%"), "0.5"
    for -0.49."""
    return f"{abs(rounded(value, places)):.{decimals(value, places)}f}"


def size_text(size: int) -> str:
    """A file or folder size for people: "800 kB", "12.3 MB", "1.42 GB" (decimal units, as file managers show)."""
    if size >= 1e9:
        return f"{size / 1e9:.2f} GB"
    return f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{max(1, round(size / 1e3)) if size else 0} kB"


def limit_text(limit: int) -> str:
    """A size limit as a refusal names it: ``size_text``'s decimal units without the zeros it pads sizes with,
    "300 MB", "2.5 GB", "70 GB", and terabytes, "2 TB" (where ``size_text`` says "300.0 MB", "70.00 GB", "2000.00
    GB"). The limits are round decimal figures so that they read as such."""
    for unit, scale in (("TB", 10**12), ("GB", 10**9), ("MB", 10**6)):
        if limit >= scale:
            return f"{round(limit / scale, 2):g} {unit}"
    return size_text(limit)


EDGE_OF_IMAGE = "it reaches the edge of an image"  # said with ``in_view``: why its figures are only partial
WHERE_BOTH = "where both images show the lesion"  # where a cut-off lesion's area and diameter were measured
DIAMETER_NOT_KNOWN = "diameter not known"  # a cut-off lesion's in the figures line: its whole length is out of view
WHOLE_DIAMETER_UNKNOWN = f"{EDGE_OF_IMAGE}, so its whole diameter is not known"  # after a diameter's ``in_view``
# (direction words) for a change in area, and in the longest diameter
MORE_LESS = {"area": ("more", "less"), "diameter": ("longer", "shorter")}


def in_view(change: float | None, cut_off: bool, places: int = 0, what: str = "area") -> str:
    """A comparison's change in ``what`` ("area" or "diameter") where the lesion reaches the edge of an image (its
    ``cut_off``): "11% less area where both images show the lesion", "12% more area ...", "17% longer diameter ...",
    "about the same area ..." where it rounds to none (``places`` decimals). The one way every surface says it, with
    ``EDGE_OF_IMAGE``: never "area -11%" nor "shrank", as the lesion may have grown beyond the edge, and never "area
    grew by 12%" alone, as that is the growth of the part in view only. "" for a comparison not cut off (or no
    figure), whose words stay as they are (``analysis.change_verdict.judge`` and ``change_figures`` say both)."""
    if not cut_off or change is None:
        return ""
    shown = rounded(change, places)
    if not shown:
        return f"about the same {what} {WHERE_BOTH}"
    more, less = MORE_LESS[what]
    return f"{amount(change, places)}% {more if shown > 0 else less} {what} {WHERE_BOTH}"


def colour_difference(delta_e: float) -> str:
    """A colour difference (CIELAB ΔE) as every surface writes it: one decimal, "1.2", "0.4", "12.0", whatever decimals
    the changes in percent beside it have. The report wrote "colour ΔE 1" (whole percent's places) where the command
    line wrote "ΔE 1.2" for the same comparison; ΔE 0.6 read "1", 1.4 the same "1"."""
    return f"{delta_e:.1f}"


def change_figures(
    area: float | None,
    diameter: float | None,
    delta_e: float | None,
    places: int = 0,
    colour: str = "ΔE",
    cut_off: bool = False,
) -> str:
    """A comparison's main figures in one line, the changes in percent ``places`` decimals, the colour difference
    always one (``colour_difference``): "area +12.5%, diameter +4.0%, ΔE 1.2", "area +12%, diameter +4%, ΔE 1.2"; a
    figure not measured is left out (never "ΔE 0.0", which reads as no colour change); "" without an area change.
    A lesion cut off by the frame (``cut_off``): "12.5% less area where both images show the lesion, diameter not
    known (it reaches the edge of an image), ΔE ..." (``in_view``): its longest diameter runs out of view, so the
    figure measured (the longest line across the part in view) is not given as the lesion's diameter."""
    if area is None:
        return ""
    if cut_off:
        sizes = [in_view(area, True, places)] + ([DIAMETER_NOT_KNOWN] if diameter is not None else [])
        sizes[-1] += f" ({EDGE_OF_IMAGE})"
    else:
        sizes = [f"area {signed(area, places)}%"]
        sizes += [f"diameter {signed(diameter, places)}%"] if diameter is not None else []
    return ", ".join(sizes + ([f"{colour} {colour_difference(delta_e)}"] if delta_e is not None else []))


def figures_unsaid(
    reasons: Iterable[str],
    area: float | None,
    diameter: float | None,
    delta_e: float | None,
    colour: str = "ΔE",
    cut_off: bool = False,
    places: int = 0,
) -> str:
    """The figures line under a comparison's reasons (``change_figures``, ``places`` decimals) without the sizes a
    reason gives already (in its whole percent): "no significant change under long-term rules (...): area +2%,
    diameter +0.8%" was followed by "area +2%, diameter +0.8%, colour ΔE 1.3", the same figures twice in a row (the
    command line's "area +2.5%, diameter +0.8%" beside the reason's "+3%": two figures for one change); now by "colour
    ΔE 1.3" alone ("" where nothing is left). The one rule for the report, the Change tab's words and the command
    line."""
    sizes = change_figures(area, diameter, None, cut_off=cut_off)
    if sizes and any(sizes in reason for reason in reasons):
        return f"{colour} {colour_difference(delta_e)}" if delta_e is not None else ""
    return change_figures(area, diameter, delta_e, places, colour=colour, cut_off=cut_off)


# Cyrillic and Greek letters in Latin (simple BGN/ELOT-like, lower case; ``latin`` adds the capitals). Greek
# diphthongs first (ου: ou, not oy). Kept equal to the register's ``latin_letters`` table (migration m011).
LATIN_LETTERS_LOWER = (
    "а=a б=b в=v г=g д=d е=e ё=e ж=zh з=z и=i й=y к=k л=l м=m н=n о=o п=p р=r с=s т=t у=u ф=f х=kh ц=ts ч=ch "
    "ш=sh щ=shch ъ= ы=y ь= э=e ю=yu я=ya і=i ї=yi є=ye ґ=g ў=u ђ=dj ј=j љ=lj њ=nj ћ=c џ=dz ѓ=gj ќ=kj ѕ=dz "
    "ου=ou ού=ou αυ=av αύ=av ευ=ev εύ=ev γγ=ng α=a β=v γ=g δ=d ε=e ζ=z η=i θ=th ι=i κ=k λ=l μ=m ν=n ξ=x ο=o π=p "
    "ρ=r σ=s ς=s τ=t υ=y φ=f χ=ch ψ=ps ω=o ά=a έ=e ή=i ί=i ό=o ύ=y ώ=o ϊ=i ϋ=y ΐ=i ΰ=y"
)


def latin_letters() -> dict[str, str]:
    """``LATIN_LETTERS_LOWER`` with its capitals (Щ: Shch; ΟΥ and Ου: Ou): one or two letters to Latin."""
    table: dict[str, str] = {}
    for pair in LATIN_LETTERS_LOWER.split():
        src, dst = pair.split("=")
        table[src] = dst
        for cap in (src.upper(), src[0].upper() + src[1:]):
            if len(cap) == len(src) and cap != src:  # ΐ has no single capital; ς's is σ's
                table.setdefault(cap, dst.capitalize())
    return table


LATIN = latin_letters()


def latin(text: str) -> str:
    """``text`` with Cyrillic and Greek letters spelt in Latin ("Щукин Петров": "Shchukin Petrov",
    "Παπαδόπουλος": "Papadopoulos"); other characters as they are. Left to right, a two-letter diphthong
    before a letter, as the register's ``patients_search`` view spells stored names."""
    text = unicodedata.normalize("NFC", text)
    out: list[str] = []
    i = 0
    while i < len(text):
        pair = text[i : i + 2]
        if len(pair) == 2 and pair in LATIN:
            out.append(LATIN[pair])
            i += 2
        else:
            out.append(LATIN.get(text[i], text[i]))
            i += 1
    return "".join(out)
