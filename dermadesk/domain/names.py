"""Whether two patient names could be one person's, for the likely-duplicate check before a patient is added.

A name is folded to words as patient search reads it: accents and case ignored (José Núñez: jose nunez), punctuation
inside a word left out (O'Brien: obrien), a Cyrillic or Greek name spelt in Latin (``domain.text.latin``: Петров is
petrov). Two names are

- the **same** when their words are the same in any order ("Núñez, José" and "jose nunez"), also where a space
  stands for a hyphen or an apostrophe ("Jean Luc Picard" and "Jean-Luc Picard"; "O Brien" and "O'Brien"), and a
  word in Latin letters matches a Cyrillic or Greek one by its common other spellings (``domain.spellings``:
  "Julia Petrova" is Юлия Петрова, "Alexander" Александр);
- **alike** when every word of the shorter (two at least, one of them more than an initial) is a word of the longer,
  an initial standing for any word it begins: "J. Nunez" or "José Núñez" for "José Antonio Núñez García".

Twins share a birth date and a surname, not a first name: "Anna Smith" and "Alice Smith" are neither (a surname
with the first name's initial alone would take them for one person), nor are "José" and "Jorge Núñez".
"""

from __future__ import annotations

import re
import unicodedata
from itertools import permutations
from typing import NamedTuple

from dermadesk.domain.spellings import spellings
from dermadesk.domain.text import latin

# letters NFKD does not take apart into a base letter and an accent
_PLAIN = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ħ": "h", "ı": "i", "þ": "th", "æ": "ae", "œ": "oe"})
_BETWEEN_WORDS = re.compile(r"[\s,;/()]+")
_MOST_PERMUTED = 6  # words; a longer name is compared word by word only (6! = 720 orders)

SAME, ALIKE = "same", "alike"


class Folded(NamedTuple):
    """A name's folded words, and whether it was written in Cyrillic or Greek letters (its words then also match
    the other spellings of a Latin name's words)."""

    words: tuple[str, ...]
    other_script: bool


def fold_name(name: str) -> Folded:
    """``name`` as lower-case Latin words without accents or punctuation ("Núñez, José": ("nunez", "jose"))."""
    text = unicodedata.normalize("NFC", name)
    spelt = latin(text)
    plain = unicodedata.normalize("NFKD", spelt.casefold().translate(_PLAIN))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    words = ("".join(c for c in part if c.isalnum()) for part in _BETWEEN_WORDS.split(plain))
    return Folded(tuple(w for w in words if w), spelt != text)


def _same_word(a: str, b: str, a_other: bool, b_other: bool) -> bool:
    """Equal, or a Latin word spelt another common way as the Cyrillic or Greek one is ("julia": yuliya)."""
    if a == b:
        return True
    if b_other and not a_other:
        return any(text == b for text, _ in spellings(a))
    if a_other and not b_other:
        return any(text == a for text, _ in spellings(b))
    return False


def _initial(a: str, b: str) -> bool:
    """One of them a single letter that begins the other."""
    return (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))


def _matched(short: Folded, long: Folded, initials: bool) -> bool:
    """Every word of ``short`` matched to a word of its own in ``long`` (tried every way: a few words each)."""

    def fits(i: int, free: frozenset[int]) -> bool:
        if i == len(short.words):
            return True
        a = short.words[i]
        return any(
            fits(i + 1, free - {j})
            for j in free
            if _same_word(a, long.words[j], short.other_script, long.other_script)
            or (initials and _initial(a, long.words[j]))
        )

    return fits(0, frozenset(range(len(long.words))))


def _joined(words: tuple[str, ...]) -> set[str]:
    """The words run together in every order (a few words only)."""
    if len(words) > _MOST_PERMUTED:
        return {"".join(words)}
    return {"".join(order) for order in permutations(words)}


def name_likeness(a: Folded, b: Folded) -> str | None:
    """``SAME``, ``ALIKE`` (see the module's docstring) or None."""
    if not a.words or not b.words:
        return None
    if len(a.words) == len(b.words) and _matched(a, b, initials=False):
        return SAME
    if _joined(a.words) & _joined(b.words):
        return SAME
    short, long = sorted((a, b), key=lambda f: len(f.words))
    if len(short.words) < 2 or any(all(len(w) == 1 for w in f.words) for f in (a, b)):
        return None  # a word or two initials are too little to go by
    return ALIKE if _matched(short, long, initials=True) else None
