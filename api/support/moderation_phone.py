"""Phone numbers in a message, however they are spelt out.

A buyer who wants the seller to call writes "0 5 3 2 ...", "0532-l23-45-67", "sıfır beş
yüz otuz iki ..." or "pięćset jeden, dwieście trzydzieści cztery ...". The scan reads the
text as runs of number groups (digits, or number words composed the way they are spoken),
joined only by spaces and the punctuation people put inside phone numbers, and asks
libphonenumber whether some stretch of whole groups is a valid number of the market.

What is not a phone number matters as much: order numbers ("TR48213377", "PL 70490681"),
tracking codes glued to letters ("YK804215573TR"), model numbers ("RTX 4070", "5G"),
amounts, dates, sizes, tax and article numbers after their label ("NIP 5261040828",
"barkodu 8690..."): digits glued to letters are codes, a number after a reference word is
a reference, and a group only counts with its neighbours if the whole is a valid number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

import phonenumbers

from api.support.moderation_lexicon import NumberWords, lexicon
from api.support.moderation_normalise import squeeze

_TOKEN = re.compile(r"[0-9]+|[a-z]+|\S")
# Punctuation found inside written phone numbers: 0532.123.45.67, (535) 221-43-09, 601/222/333.
_SEPARATORS = frozenset(".-/()+,_")
# Letters drawn like digits inside a number: "O532", "5O5", "l23", "|23". Only in a chunk
# that ends with a digit and has at least two real ones, so "10l", "i5" and "o2" stay.
_DIGIT_LIKE = re.compile(r"(?<![a-z0-9])[0-9oli|]*[0-9](?![a-z0-9])")
_AS_DIGITS = str.maketrans({"o": "0", "l": "1", "i": "1", "|": "1"})
# A lone "O" among spaced digits ("6 O 1 2 2 2"). Not "i" or "l": Polish "i" is "and".
_LONE_O = re.compile(r"(?<=[0-9])([\s.-]+)o(?=[\s.-]+[0-9])")
# Turkish case endings glued to a number ("05321234567den") keep it a number.
_GLUED_SUFFIXES = frozenset(
    {"e", "a", "ye", "ya", "i", "yi", "u", "yu", "de", "da", "te", "ta", "den", "dan", "ten", "tan"}
)
_MARKET_PREFIXES = frozenset({"tr", "pl"})
_ORDER_DIGITS = 8  # order numbers are the market prefix and 8 digits (TR48213377, PL 70490681)
# Words between a reference word and its number: "sipariş no: 123", "numer zamówienia nr 123".
_FILLERS = frozenset(
    {"no", "nr", "numara", "numarasi", "numarali", "numaram", "nolu", "numer", "numeru", "kod", "kodu", "kodum", "id"}
)
_FILLER_SIGNS = frozenset(":#.-")
_REGIONS = {"tr": ("TR",), "pl": ("PL",)}
_NATIONAL_LENGTHS = {"TR": (10, 11), "PL": (9,)}
_LONGEST_NUMBER = 15
_SHORTEST_NUMBER = 9


@dataclass
class _Run:
    groups: list[str] = field(default_factory=list)
    international: bool = False  # a "+" before the first group
    reference: bool = False


def has_phone(skel: str, language: str) -> bool:
    """True when the folded text holds a valid phone number of the market or with a country code."""
    numbers = lexicon(language).numbers
    text = _LONE_O.sub(r"\g<1>0", _DIGIT_LIKE.sub(_digit_like, skel))
    return any(_run_has_phone(run, language) for run in _runs(text, language, numbers))


def _digit_like(match: re.Match[str]) -> str:
    chunk = match.group()
    return chunk.translate(_AS_DIGITS) if sum(ch.isdigit() for ch in chunk) >= 2 else chunk


def _runs(text: str, language: str, numbers: NumberWords) -> list[_Run]:
    tokens = list(_TOKEN.finditer(text))
    runs: list[_Run] = []
    run = _Run()
    words: list[str] = []

    def close() -> None:
        nonlocal run
        run.groups.extend(compose(words, numbers))
        words.clear()
        if run.groups:
            runs.append(run)
        run = _Run()

    for index, token in enumerate(tokens):
        value = token.group()
        starting = not run.groups and not words
        if value.isdigit():
            run.groups.extend(compose(words, numbers))
            words.clear()
            if _is_code(tokens, index):
                close()
                continue
            if starting and _after_reference(tokens, index, language):
                run.reference = True
            run.groups.append(value)
        elif value.isalpha():
            spelled = number_words(value, numbers)
            if not spelled:
                close()
                continue
            if starting and _after_reference(tokens, index, language):
                run.reference = True
            words.extend(spelled)
        elif value == "+" and starting:
            run.international = True
        elif value not in _SEPARATORS:
            close()
    close()
    return runs


def _is_code(tokens: list[re.Match[str]], index: int) -> bool:
    """Digits glued to letters (YK804215573TR, RTX4070, 5G) or an order number after its prefix (PL 70490681)."""
    token = tokens[index]
    before = tokens[index - 1] if index else None
    after = tokens[index + 1] if index + 1 < len(tokens) else None
    if before is not None and before.end() == token.start() and before.group().isalpha():
        return True
    if after is not None and after.start() == token.end() and after.group().isalpha():
        return not (len(token.group()) >= _SHORTEST_NUMBER and after.group() in _GLUED_SUFFIXES)
    previous = [t.group() for t in tokens[max(0, index - 2) : index]]
    if previous and previous[-1] == "-":
        previous.pop()
    return len(token.group()) == _ORDER_DIGITS and bool(previous) and previous[-1] in _MARKET_PREFIXES


def _after_reference(tokens: list[re.Match[str]], index: int, language: str) -> bool:
    """The number follows a label such as "sipariş no", "NIP", "numer przesyłki"."""
    reference = lexicon(language).reference
    for token in reversed(tokens[max(0, index - 6) : index]):
        value = token.group()
        if value not in _FILLERS and value not in _FILLER_SIGNS:
            return bool(reference.fullmatch(squeeze(value)))
    return False


def number_words(token: str, numbers: NumberWords) -> list[str]:
    """The number words a token is made of ("beşyüzotuzüç" -> beş yüz otuz üç), or []."""
    if numbers.knows(token):
        return [token]
    return list(_segment(token, numbers)) if len(token) <= 40 else []


@cache
def _segment(token: str, numbers: NumberWords) -> tuple[str, ...]:
    """Longest number words first, backtracking; () when the token isn't made of them only."""
    for end in range(len(token), 1, -1):
        head = token[:end]
        if numbers.knows(head):
            if end == len(token):
                return (head,)
            tail = _segment(token[end:], numbers)
            if tail:
                return (head, *tail)
    return ()


def compose(words: list[str], numbers: NumberWords) -> list[str]:
    """Spoken number words to digit groups, as a listener would write them down.

    "sıfır beş yüz otuz iki" -> ["0", "532"]; "kırk beş altmış yedi" -> ["45", "67"];
    "pięćset jeden" -> ["501"]; two units in a row are two groups ("dwa dwa" -> 2, 2).
    """
    groups: list[str] = []
    current: int | None = None
    state = ""  # what the current number ends with: unit, hundred, ten, or final

    def flush() -> None:
        nonlocal current, state
        if current is not None:
            groups.append(str(current))
        current, state = None, ""

    for word in words:
        if word in numbers.hundred_multiplier:
            if state == "unit" and current:
                current, state = current * 100, "hundred"
            else:
                flush()
                current, state = 100, "hundred"
        elif word in numbers.hundreds:
            flush()
            current, state = numbers.hundreds[word], "hundred"
        elif word in numbers.tens or word in numbers.teens:
            value = numbers.tens.get(word, numbers.teens.get(word, 0))
            ends = "ten" if word in numbers.tens else "final"
            if state == "hundred" and current is not None:
                current, state = current + value, ends
            else:
                flush()
                current, state = value, ends
        elif word in numbers.units:
            value = numbers.units[word]
            if state in ("hundred", "ten") and current is not None and value:
                current, state = current + value, "final"
            else:
                flush()
                current, state = value, "unit"
    flush()
    return groups


def _run_has_phone(run: _Run, language: str) -> bool:
    """Some stretch of whole groups is a valid number (the neighbours may be a size or a date).

    Right after a reference label ("REGON", "numer przesyłki", "takip no") one unspaced
    block of digits is that reference unless it is unmistakably a phone number: a mobile
    number, or one dialled with "+", "00" or the Turkish trunk "0". Digits spaced out in
    groups after a label are written like a phone number and count.
    """
    groups = run.groups
    if sum(len(g) for g in groups) < _SHORTEST_NUMBER:
        return False
    for start in range(len(groups)):
        length = 0
        for end in range(start, len(groups)):
            length += len(groups[end])
            if length > _LONGEST_NUMBER:
                break
            if length < _SHORTEST_NUMBER:
                continue
            kind = phone_kind("".join(groups[start : end + 1]), run.international and start == 0, language)
            if kind is not None and not (run.reference and kind == "other" and start == end == 0):
                return True
    return False


@cache
def phone_kind(digits: str, international: bool, language: str) -> str | None:
    """None, or how clearly the digits are a phone number: "dialled", "mobile" or "other".

    Valid means valid for libphonenumber: with "+"/"00" any country, otherwise the
    market's own numbering plan (TR for tr, PL for pl), or its country code without "+".
    """
    dialled = international or digits.startswith("00")
    if international:
        candidates = [("+" + digits, None)]
    elif digits.startswith("00"):
        candidates = [("+" + digits[2:], None)]
    else:
        regions = _REGIONS.get(language, ("TR", "PL"))
        if digits.startswith("0") and "TR" not in regions:
            regions = (*regions, "TR")  # Polish numbers have no trunk "0": a leading 0 reads as Turkish
        candidates = [(digits, region) for region in regions if len(digits) in _NATIONAL_LENGTHS[region]]
        if (digits.startswith("90") and len(digits) == 12) or (digits.startswith("48") and len(digits) == 11):
            candidates.append(("+" + digits, None))
    for number, region in candidates:
        try:
            parsed = phonenumbers.parse(number, region)
        except phonenumbers.NumberParseException:
            continue
        if not phonenumbers.is_valid_number(parsed):
            continue
        if dialled or number.startswith("+") or (region == "TR" and digits.startswith("0")):
            return "dialled"
        if phonenumbers.number_type(parsed) in (
            phonenumbers.PhoneNumberType.MOBILE,
            phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        ):
            return "mobile"
        return "other"
    return None
