"""Word lists of the seller-message moderation, read from ``data/moderation/*.yml``.

The lists are data so that whoever looks after moderation in a market can add a slur
or a payment app without reading Python. Each entry is a small phrase pattern (syntax in
``data/moderation/README.md``) compiled here to one regular expression per reason, run
against the folded views of ``moderation_normalise``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from api.support.moderation_normalise import fold, skeleton

DATA = Path(__file__).resolve().parents[2] / "data" / "moderation"
LANGUAGES = ("tr", "pl")

_START = r"(?<![a-z0-9])"
_END = r"(?![a-z0-9])"
_GAP = r"(?: [a-z0-9]+){0,3}"


@dataclass(frozen=True)
class Rule:
    """Entries of one reason with the phrases that cancel them."""

    pattern: re.Pattern[str] | None
    exceptions: re.Pattern[str] | None

    def search(self, views: tuple[str, ...]) -> bool:
        """True when some view has a match that no exception phrase overlaps."""
        if self.pattern is None:
            return False
        for view in views:
            spans = [m.span() for m in self.exceptions.finditer(view)] if self.exceptions else []
            for match in self.pattern.finditer(view):
                if not any(start < match.end() and match.start() < end for start, end in spans):
                    return True
        return False


@dataclass(frozen=True)
class MaskForms:
    """Single-word insults for comparing masked words ("k*rwa") letter by letter."""

    words: frozenset[str]
    stems: tuple[str, ...]

    def matches(self, masked: str) -> bool:
        """One mask character stands for exactly one letter; at least half the word is letters."""
        letters = sum(ch.isalpha() for ch in masked)
        if letters < 2 or letters * 2 < len(masked):
            return False
        if any(len(word) == len(masked) and _fits(masked, word) for word in self.words):
            return True
        return any(len(masked) >= len(stem) and _fits(masked[: len(stem)], stem) for stem in self.stems)


def _fits(masked: str, word: str) -> bool:
    return all(m == w or not m.isalpha() for m, w in zip(masked, word, strict=True))


@dataclass(frozen=True, eq=False)  # hashed by identity: one instance per cached lexicon
class NumberWords:
    """Number words of a language, for phone numbers written out in words.

    Not squeezed like the other lists: the phone scan reads text as written, where
    "elli" (50) and "yirmiiki" (22) need their double letters.
    """

    units: dict[str, int]
    teens: dict[str, int]
    tens: dict[str, int]
    hundreds: dict[str, int]
    hundred_multiplier: frozenset[str]

    def knows(self, word: str) -> bool:
        tables = (self.units, self.teens, self.tens, self.hundreds, self.hundred_multiplier)
        return any(word in table for table in tables)


@dataclass(frozen=True)
class Lexicon:
    """Everything moderation needs to know about one language (plus the common lists)."""

    language: str
    rules: dict[str, Rule]  # insult, off_platform, bargaining, carrier_request
    messenger: Rule
    network: Rule
    contact_context: Rule
    reference: re.Pattern[str]
    mask_forms: MaskForms
    numbers: NumberWords


@cache
def lexicon(language: str) -> Lexicon:
    """The lists for ``language`` ("tr", "pl"); another value gets every language's lists."""
    common = _load("common")
    languages = (language,) if language in LANGUAGES else LANGUAGES
    files = [_load(lang) for lang in languages]

    def entries(key: str, *, with_common: bool = False) -> list[tuple[str, dict[str, Any]]]:
        sources = [*files, common] if with_common else files
        return [(entry, source) for source in sources for entry in source.get(key) or []]

    rules = {
        reason: Rule(
            _compile(entries(reason, with_common=True)),
            _compile(entries(f"{reason}_except", with_common=True)),
        )
        for reason in ("insult", "off_platform", "bargaining", "carrier_request")
    }
    return Lexicon(
        language=language,
        rules=rules,
        messenger=Rule(_compile(entries("messenger", with_common=True)), None),
        network=Rule(_compile(entries("network", with_common=True)), None),
        contact_context=Rule(_compile(entries("contact_context")), None),
        reference=_compile(entries("reference")) or re.compile(r"(?!)"),
        mask_forms=_mask_forms(entries("insult", with_common=True)),
        numbers=_numbers(files),
    )


@cache
def common_list(key: str) -> tuple[str, ...]:
    """A plain list of ``common.yml`` (domains, mail providers, words for "@"), folded."""
    return tuple(fold(str(item)) for item in _load("common").get(key) or [])


@cache
def _load(name: str) -> dict[str, Any]:
    return yaml.safe_load((DATA / f"{name}.yml").read_text(encoding="utf-8")) or {}


def _compile(entries: list[tuple[str, dict[str, Any]]]) -> re.Pattern[str] | None:
    if not entries:
        return None
    alternatives = sorted({_phrase(str(entry), source) for entry, source in entries}, key=len, reverse=True)
    return re.compile(_START + "(?:" + "|".join(alternatives) + ")" + _END)


def _phrase(entry: str, source: dict[str, Any]) -> str:
    """One entry as a regular expression over a view (words separated by single spaces)."""
    out = ""
    tokens = entry.split()
    for index, token in enumerate(tokens):
        if token == "..":
            if index in (0, len(tokens) - 1):
                raise ValueError(f"moderation list entry can't start or end with '..': {entry!r}")
            out += _GAP
            continue
        optional = token.endswith("?") and len(token) > 1
        if optional:
            if index == 0:
                raise ValueError(f"moderation list entry can't start with an optional word: {entry!r}")
            token = token[:-1]
        piece = _token(token, source)
        if index:
            piece = " " + piece
        out += f"(?:{piece})?" if optional else piece
    return out


def _token(token: str, source: dict[str, Any]) -> str:
    if token == "#":
        return "[0-9]+"
    if token.startswith("{") and token.endswith("}"):
        items = (source.get("lists") or {})[token[1:-1]]
        return "(?:" + "|".join(sorted({_phrase(str(item), source) for item in items}, key=len, reverse=True)) + ")"
    alternatives = []
    for alternative in token.split("|"):
        if alternative.endswith("*"):
            alternatives.append(re.escape(fold(alternative[:-1])) + "[a-z]*")
        elif alternative.endswith("+"):
            suffixes = source.get("suffixes") or [""]
            forms = {fold(alternative[:-1] + str(suffix)) for suffix in suffixes}
            alternatives.extend(re.escape(form) for form in sorted(forms, key=len, reverse=True))
        else:
            alternatives.append(re.escape(fold(alternative)))
    return "(?:" + "|".join(alternatives) + ")"


def _mask_forms(entries: list[tuple[str, dict[str, Any]]]) -> MaskForms:
    words: set[str] = set()
    stems: set[str] = set()
    for entry, source in entries:
        entry = str(entry)
        if " " in entry.strip():
            continue
        for alternative in entry.split("|"):
            if alternative.endswith("*"):
                stems.add(fold(alternative[:-1]))
            elif alternative.endswith("+"):
                words.update(fold(alternative[:-1] + str(suffix)) for suffix in source.get("suffixes") or [""])
            else:
                words.add(fold(alternative))
    return MaskForms(frozenset(words), tuple(sorted(stems)))


def _numbers(files: list[dict[str, Any]]) -> NumberWords:
    tables: dict[str, dict[str, int]] = {"units": {}, "teens": {}, "tens": {}, "hundreds": {}}
    multiplier: set[str] = set()
    for source in files:
        numbers = source.get("numbers") or {}
        for kind, table in tables.items():
            table.update({skeleton(word): int(value) for word, value in (numbers.get(kind) or {}).items()})
        multiplier.update(skeleton(word) for word in numbers.get("hundred_multiplier") or [])
    return NumberWords(tables["units"], tables["teens"], tables["tens"], tables["hundreds"], frozenset(multiplier))
