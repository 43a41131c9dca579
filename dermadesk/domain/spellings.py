"""Other Latin spellings of a typed word, as ``domain.text.latin`` would spell the same Cyrillic or Greek name, for
patient search: people type a name as they hear it or as another document spells it ("Julia", "Pyotr", "Petroff",
"Andrei", "Alexander"), while the register holds one spelling per letter (Юлия: Yuliya, Пётр: Petr, Петров:
Petrov, Андрей: Andrey, Александр: Aleksandr).

``spellings`` reads the word left to right, each piece as typed or as one of its common alternatives (below); a
piece that ends a name ("-off", "-y", "-der") makes the spelling a whole word, not a beginning ("peter" is Petr, not
Petrov), while one typed on the way to such an end stays a beginning ("alexande": Aleksand...)."""

from __future__ import annotations

import re

# (typed, as latin() spells it, where): the first that fits where the word is read is taken, so the longer pieces
# come first; a piece with no alternative keeps its letters together (the h of "sh" is no Х). Where: "" anywhere,
# "$" at the end of the word, making the spelling a whole word, "$*" at the end, still a beginning
RULES: list[tuple[str, tuple[str, ...], str]] = [
    ("shch", (), ""),
    ("shtch", ("shch",), ""),
    ("sch", ("shch", "sh"), ""),  # Щ (Scherbakova), or German Ш (Schmidt)
    ("sc", ("shch",), "$*"),  # "sc" typed on the way to "sch"
    ("sh", ("shch",), ""),  # Sherbakova
    ("tsch", ("ch",), ""),
    ("tch", ("ch",), ""),  # Tchaikovsky
    ("zh", (), ""),
    ("th", (), ""),
    ("ts", (), ""),
    ("tz", ("ts",), ""),
    ("kh", ("ch",), ""),  # Greek χ (Christos)
    ("ch", ("kh",), ""),  # Х as the Germans write it (Michail)
    ("ph", ("f",), ""),
    ("cz", ("ch",), ""),
    ("sz", ("sh",), ""),
    ("ck", ("k",), ""),
    ("ks", ("x",), ""),  # Greek ξ (Alexandros)
    ("x", ("ks",), ""),  # кс (Aleksandr)
    ("c", ("k", "ts"), ""),
    ("h", ("kh", "g", "ch"), ""),  # Х (Mihail), Г (Hanna), χ (Hristos)
    ("w", ("v",), ""),
    ("iya", (), ""),
    ("ija", ("iya",), ""),
    ("ia", ("iya", "ya"), ""),  # Yulia, Natalia, Tatiana
    ("ja", ("ya",), ""),
    ("iu", ("yu",), ""),
    ("ju", ("yu",), ""),
    ("yo", ("e",), ""),  # Ё: Pyotr, Fyodor, Semyon
    ("jo", ("e", "yo"), ""),
    ("io", ("e", "yo"), ""),  # Piotr
    ("ye", ("e",), ""),  # Yelena, Sergeyev
    ("je", ("e", "ye"), ""),
    ("j", ("y",), ""),
    ("ii", ("iy",), "$"),  # Yurii
    ("yi", ("yy",), "$"),  # Belyi
    ("der", ("dr",), "$"),  # Alexander
    ("nde", ("nd",), "$*"),  # "Alexande" typed on the way to "Alexander"
    ("ter", ("tr",), "$"),  # Peter
    ("off", ("ov",), "$"),  # Petroff
    ("of", ("ov",), "$"),  # Petrof, on the way to Petroff
    ("eff", ("ev",), "$"),
    ("ef", ("ev",), "$"),
    ("mb", ("mp",), ""),  # Greek μπ (Lambros: Lampros)
]
# Й after a vowel typed as i (Andrei, Nikolai); ий and ый as a last y (Dmitry, Bely); Greek μπ and ντ as a first b
# or d (Bambis: Mpampis, Dinos: Ntinos)
AFTER_VOWEL_I = re.compile(r"(?<=[aeou])i(?![aeiouy])")
LAST_Y = re.compile(r"(?<=[bcdfghjklmnpqrstvwxz])y$")
MOST = 24  # spellings of one word at most, those with the fewest changes first


def _pieces(word: str) -> list[tuple[str, tuple[str, ...], bool]]:
    """``word`` cut into pieces, each with its alternatives and whether these make the spelling a whole word."""
    pieces: list[tuple[str, tuple[str, ...], bool]] = []
    i = 0
    while i < len(word):
        if AFTER_VOWEL_I.match(word, i):
            piece: tuple[str, tuple[str, ...], bool] = ("i", ("y",), False)
        elif LAST_Y.match(word, i):
            piece = ("y", ("iy", "yy"), True)
        else:
            at_end = [(t, o, w == "$") for t, o, w in RULES if w and word.endswith(t) and len(word) - len(t) == i]
            anywhere = [(t, o, False) for t, o, w in RULES if not w and word.startswith(t, i)]
            first = {"b": ("mp",), "d": ("nt",)}.get(word[i], ()) if i == 0 else ()
            piece = (at_end + anywhere + [(word[i], first, False)])[0]
        pieces.append(piece)
        i += len(piece[0])
    return pieces


def spellings(word: str) -> list[tuple[str, bool]]:
    """Other Latin spellings of ``word`` (two or more lower-case Latin letters; [] for anything else: one letter
    begins too many names already), each with whether it is a whole word (True) or may begin one: "julia" gives
    ("yuliya", False) among others, "petroff" ("petrov", True)."""
    if not re.fullmatch(r"[a-z]{2,}", word):
        return []
    spelt: list[tuple[str, int, bool]] = [("", 0, False)]  # text, changes, whole word
    for typed, options, whole_word in _pieces(word):
        spelt = [
            (text + option, changes + (option != typed), whole or (whole_word and option != typed))
            for text, changes, whole in spelt
            for option in (typed, *options)
        ]
        spelt = sorted(spelt, key=lambda s: s[1])[: MOST + 1]
    return list(dict.fromkeys((text, whole) for text, changes, whole in spelt if changes))
