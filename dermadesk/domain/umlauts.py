"""Letters a keyboard may lack, as clinic staff type them, for patient search: ue, oe and ae for ü, ö and ä, ss for
ß, aa for å, oe or o for ø, ae for æ ("mueller" and "muel": Müller, "goethe": Göthe, "strasse": Straße, "joergensen"
and "jorgensen": Jørgensen, "aasen": Åsen, "aeroe": Ærø).

The register's index reads ü, ö, ä and å as u, o and a (their accents removed: "muller" finds Müller as typed) but
keeps ß, ø and æ (SQLite's unicode61 tokenizer). ``index_spellings`` gives a typed word as the index holds such a
name: with ß, ø or æ, found as it is (only a name with that letter holds it), or with u, o or a for ue, oe, ae or
aa, which a name without the letter holds too ("rueda": "ruda", Rudakov), so a hit of these counts only where
``typed_as`` finds the typed word in the name itself (Rüdiger's "rüd" is "rued"; Rudakov's "rud" is not): a name
with a real "ue" (Manuel, Samuel, Rueda) is found as typed, not drowned in names with a u."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# typed: (as the index holds it, whether a name without the letter holds that too)
TWO: dict[str, tuple[tuple[str, bool], ...]] = {
    "ue": (("u", True),),  # ü
    "oe": (("o", True), ("ø", False)),  # ö, ø
    "ae": (("a", True), ("æ", False)),  # ä, æ
    "aa": (("a", True),),  # å
    "ss": (("ß", False),),
}
ONE: dict[str, tuple[tuple[str, bool], ...]] = {"o": (("ø", False),)}  # Jorgensen
LAST: dict[str, tuple[tuple[str, bool], ...]] = {"s": (("ß", False),), "a": (("æ", False),)}  # on the way to ss, ae
# the letters of a name a typed piece stands for (``typed_as``): a typed u, o or a is also ü, ö or ø, ä or å, as the
# index reads them ("gruenmuller" is Grünmüller)
NAME_LETTERS = {"ue": "(?:ue|ü)", "oe": "(?:oe|ö|ø)", "ae": "(?:ae|ä|æ)", "aa": "(?:aa|å)", "ss": "(?:ss|ß)",
                "u": "[uü]", "o": "[oöø]", "a": "[aäå]"}  # fmt: skip
NAME_LAST = {"s": "(?:s|ß)", "a": "[aäåæ]"}
# accents a name is compared without (``typed_as``): all but those of ü, ö, ä and å (ø, æ and ß have none)
OTHER_ACCENTS = re.compile("[\u0300-\u0307\u0309\u030b-\u036f]|(?<![uoaUOA])\u0308|(?<![aA])\u030a")
MOST = 16  # spellings of one word at most, those with the fewest changes first


def _pieces(word: str) -> list[str]:
    """``word`` cut left to right into two-letter pieces where one stands for a letter, else letters."""
    pieces: list[str] = []
    i = 0
    while i < len(word):
        step = 2 if word[i : i + 2] in TWO else 1
        pieces.append(word[i : i + step])
        i += step
    return pieces


def index_spellings(word: str) -> tuple[list[str], list[str]]:
    """The index's spellings of ``word`` (two or more lower-case Latin letters; none for anything else), as two lists:
    those found as they are ("joergensen": "jørgensen"; "strasse": "straße") and those that hold u, o or a for a
    letter and count only where ``typed_as`` agrees ("mueller": "muller")."""
    if not re.fullmatch(r"[a-z]{2,}", word):
        return [], []
    pieces = _pieces(word)
    spelt: list[tuple[str, int, bool]] = [("", 0, False)]  # text, changes, holds a u, o or a for a letter
    for i, piece in enumerate(pieces):
        others = TWO.get(piece) or ONE.get(piece, ()) or (LAST.get(piece, ()) if i == len(pieces) - 1 else ())
        spelt = [
            (text + option, changes + (option != piece), loose or loose_option)
            for text, changes, loose in spelt
            for option, loose_option in ((piece, False), *others)
        ]
        spelt = sorted(spelt, key=lambda s: s[1])[: MOST + 1]
    kept = [(text, loose) for text, changes, loose in spelt if changes]
    return [s for s, loose in kept if not loose], [s for s, loose in kept if loose]


@lru_cache(maxsize=256)
def _typed_pattern(word: str) -> re.Pattern[str]:
    pieces = _pieces(word)
    last = len(pieces) - 1
    parts = [NAME_LAST.get(p, "") if i == last else "" for i, p in enumerate(pieces)]
    parts = [part or NAME_LETTERS.get(p, re.escape(p)) for part, p in zip(parts, pieces)]
    return re.compile(r"(?<!\w)" + "".join(parts))


def name_letters(name: str) -> str:
    """``name`` in lower case, without its accents but for those of ü, ö, ä and å ("Chloé Müller": "chloe müller")."""
    return unicodedata.normalize("NFC", OTHER_ACCENTS.sub("", unicodedata.normalize("NFD", name))).lower()


def typed_as(name: str | None, word: str) -> bool:
    """Whether a word of ``name`` begins with ``word`` as typed, ue for ü and so on ("Müller": "muel", "mueller")."""
    return bool(name) and _typed_pattern(word).search(name_letters(name or "")) is not None
