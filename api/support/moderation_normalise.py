"""Folding a buyer's message into the forms the moderation rules match on.

People who want a phone number or a slur to reach a seller write it so that a person
still reads it and a plain pattern does not: Cyrillic letters that look Latin, fullwidth
digits, zero-width spaces, "wh4tsapp", "k*rwa", "s.i.k.t.i.r", "aptaaal". Each step here
undoes one family of tricks. The word lists are folded with the same functions, so they
can be written with Turkish and Polish letters and still match a buyer who types without
diacritics ("gönderin" and "gonderin" fold to the same word).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from unidecode import unidecode

# Cyrillic and Greek letters drawn like Latin ones. Only applied inside a word that also
# has Latin letters or digits ("Sаlаk" with a Cyrillic "а"): a word written wholly in
# Cyrillic is a Cyrillic word and is transliterated instead ("сука" -> "suka").
_LOOKALIKES = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
        "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "һ": "h",
        "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l", "ь": "b", "п": "n", "г": "r", "з": "3",
        "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
        "Т": "T", "У": "Y", "Х": "X", "Ѕ": "S", "І": "I", "Ј": "J", "Һ": "H", "Ԛ": "Q", "Ԝ": "W",
        "Ӏ": "I", "З": "3",
        # Greek
        "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
        "υ": "u", "χ": "x", "ω": "w", "γ": "y",
        "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
        "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    }
)  # fmt: skip
_WORD = re.compile(r"\w+")

# Digits and signs used for letters in "wh4tsapp", "s1kt1r", "wypierd@laj", "a$$".
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"})
_LEET_ONE_AS_L = str.maketrans({"1": "l"})
_LEET_CHARS = frozenset("0134578@$!")
# Put between the letters of one word: "s.i.k.t.i.r", "ch-u-j", "whatsapp'tan".
_INNER_SEPARATORS = re.compile(r"[.\-_'`´·•|/\\~^+]")
# Stand for one hidden letter: "k*rwa", "ch#j".
MASKS = "*#"
_EDGE_PUNCTUATION = ".,;:!?\"'()[]{}<>«»“”„…"
_SPACED_LETTERS = re.compile(r"(?<![a-z0-9])(?:[a-z] ){2,}[a-z](?![a-z0-9])")
_REPEATS = re.compile(r"([a-z])\1+")
_TOKEN = re.compile(r"[a-z]+|[0-9]+")


def skeleton(text: str) -> str:
    """ASCII lower-case text a person reads the same way as the original.

    NFKC turns fullwidth and styled characters ("０５３２", "𝐰𝐡") into plain ones;
    format characters (zero-width space and joiner, soft hyphen, BOM) go, since they
    only serve to split a word for a filter; look-alike letters inside Latin words
    become Latin; unidecode then folds Turkish and Polish letters (ş->s, ı->i, ł->l)
    and transliterates everything else.
    """
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    text = _WORD.sub(_unspoof_word, text)
    return unidecode(text).lower()


def _unspoof_word(match: re.Match[str]) -> str:
    word = match.group()
    if word.isascii():
        return word
    if any(_is_latin_or_digit(ch) for ch in word):
        return word.translate(_LOOKALIKES)
    return word


def _is_latin_or_digit(ch: str) -> bool:
    if ch.isascii():
        return ch.isalnum()
    return unicodedata.name(ch, "").startswith("LATIN")


def squeeze(text: str) -> str:
    """One letter for a run of the same letter ("aptaaal", "kuuurwa"); digits are kept."""
    return _REPEATS.sub(r"\1", text)


def fold(text: str) -> str:
    """The form a word-list entry is compared in: skeleton, then squeezed."""
    return squeeze(skeleton(text))


def word_view(skel: str) -> str:
    """Letters and digits as space-separated words; punctuation and symbols dropped.

    "whatsapp'tan" becomes "whatsap tan" and "900e" becomes "900 e", so list entries
    can name a stem and a Turkish suffix separately.
    """
    return " ".join(squeeze(token) for token in _TOKEN.findall(skel))


@dataclass(frozen=True)
class LeetViews:
    views: tuple[str, ...]  # one view per reading of "1" (i or l)
    masked: tuple[str, ...]  # words with hidden letters, e.g. "k*rwa"


def leet_views(skel: str) -> LeetViews:
    """Words with leetspeak undone, split words joined and masked words set aside.

    A word counts as leetspeak only when it has fewer digits and signs than letters
    ("s1kt1r", "4mk"): "900e", "3D", "RTX4070" and "5G" stay as they are. Separators
    inside a word are dropped ("s.i.k.t.i.r" -> "siktir"), "vv" is read as "w", and runs
    of three or more single letters are joined ("k u r w a" -> "kurwa").
    """
    variants: list[list[str]] = [[], []]
    masked: list[str] = []
    ambiguous_one = False
    for chunk in skel.split():
        core = chunk.strip(_EDGE_PUNCTUATION)
        letters = sum(ch.isalpha() for ch in core)
        leet = sum(ch in _LEET_CHARS for ch in core)
        readings = [core, core]
        if leet and leet < letters:
            ambiguous_one = ambiguous_one or "1" in core
            readings = [core.translate(_LEET), core.translate(_LEET_ONE_AS_L).translate(_LEET)]
        for variant, reading in zip(variants, readings, strict=True):
            joined = _INNER_SEPARATORS.sub("", reading).replace("vv", "w")  # "vvhatsapp"; no tr/pl word has "vv"
            if any(mask in joined for mask in MASKS):
                if sum(ch.isalpha() for ch in joined) >= 2:
                    masked.append(squeeze(joined))
                joined = joined.translate({ord(mask): " " for mask in MASKS})
            variant.append(joined)
    views = []
    for words in variants[: 2 if ambiguous_one else 1]:
        view = " ".join(words)
        view = _SPACED_LETTERS.sub(lambda m: m.group().replace(" ", ""), view)
        views.append(squeeze(" ".join(_TOKEN.findall(view))))
    return LeetViews(tuple(views), tuple(dict.fromkeys(masked)))
