"""Validators for personal-data candidates: the part of masking that decides, not guesses.

Shapes alone can't tell a card number from a tracking code or a T.C. kimlik no from
an order reference, so every candidate the tokenizer finds must pass the number's own
rule: the Luhn check plus a real card-scheme prefix and length, the TCKN and PESEL
checksums (python-stdnum), IBAN mod 97 with the country's length, or phonenumbers'
numbering plans for Turkey and Poland. Kept apart from the matcher so each rule can be
tested and reasoned about on its own.
"""

from __future__ import annotations

import re
import unicodedata

import phonenumbers
from stdnum import iban, luhn
from stdnum.pl import pesel
from stdnum.tr import tckimlik

NON_DIGITS = re.compile(r"\D")

# Words before a number that make it a code rather than personal data ("kargo takip no 4123...")
# and words that make it personal data again ("telefonum", "arayın", "kart"). Matched as prefixes
# of lower-cased tokens; only the phone rule consults them (checksums decide the other kinds).
CODE_WORDS = (
    "takip",
    "kargo",
    "gönderi",
    "gonderi",
    "barkod",
    "fatura",
    "sipariş",
    "siparis",
    "ilan",
    "referans",
    "tracking",
    "awb",
    "przesył",
    "przesyl",
    "paczk",
    "nadani",
    "przewozow",
    "zamówieni",
    "zamowieni",
    "faktur",
    "kod",
    "code",
    "sku",
)
DATA_WORDS = (
    "tel",
    "cep",
    "gsm",
    "whatsapp",
    "ara",  # ara, arayın, arasın, ararsanız: "call me"
    "zadzwo",
    "dzwo",
    "komórk",
    "komork",
    "kontakt",
    "iletişim",
    "iletisim",
    "kimlik",
    "tckn",
    "pesel",
    "kart",
    "card",
    "iban",
    "konto",
    "hesap",
    "hesab",
)


# A word glued to a number that says what the number is, whatever its case ("TC12345678950",
# "PESEL44051401359", "KARTA4111..."): the words above, plus the bare "tc" of "T.C. kimlik".
GLUE_WORDS = (*DATA_WORDS, "tc")
# Only these make a glued run a phone ("tel05321234567", "cep5321234567"): phone numbering plans are
# dense, so a 9-12 digit run glued to anything else (a file name's time stamp, a product id) is not one.
GLUE_PHONE_WORDS = ("tel", "cep", "gsm", "whatsapp", "komórk", "komork")


def fold(word: str) -> str:
    """Lower-case without diacritics, Turkish dotted and dotless i included ("KİMLİK" -> "kimlik")."""
    word = word.replace("İ", "i").replace("ı", "i").replace("ł", "l").replace("Ł", "l").casefold()
    return "".join(ch for ch in unicodedata.normalize("NFKD", word) if not unicodedata.combining(ch))


def is_card(digits: str) -> bool:
    """Luhn-valid, 13-19 digits, and a prefix/length pair a card scheme actually issues."""
    n = len(digits)
    if not 13 <= n <= 19 or not luhn.is_valid(digits):
        return False
    p2, p3, p4 = int(digits[:2]), int(digits[:3]), int(digits[:4])
    if digits[0] == "4":  # Visa
        return n in (13, 16, 19)
    if 51 <= p2 <= 55 or 2221 <= p4 <= 2720:  # Mastercard
        return n == 16
    if p2 in (34, 37):  # American Express
        return n == 15
    if p4 == 9792:  # Troy (Turkey)
        return n == 16
    if p2 == 62 or p4 == 6011 or p2 == 65 or 644 <= p3 <= 649 or 3528 <= p4 <= 3589:
        return n >= 16  # UnionPay, Discover, JCB
    if p2 in (36, 38, 39) or 300 <= p3 <= 305:  # Diners
        return n >= 14
    return p2 in (50, 56, 57, 58, 60, 63, 67)  # Maestro (5018, 5020, 5893, 6304, 67xx) and RuPay (60)


def national_id(digits: str, language: str | None) -> str | None:
    """``TCKN`` or ``PESEL`` for a valid 11-digit id; the conversation's language breaks a tie."""
    if len(digits) != 11:
        return None
    tckn, pl = tckimlik.is_valid(digits), pesel.is_valid(digits)
    if tckn and pl:
        return "PESEL" if language == "pl" else "TCKN"
    return "TCKN" if tckn else "PESEL" if pl else None


def is_iban(compact: str) -> bool:
    return 15 <= len(compact) <= 34 and iban.is_valid(compact)


_NRB_LAYOUT = re.compile(r"\d{26}|\d{2}(?:[ -]?\d{4}){6}")


def is_polish_account(raw: str, digits: str) -> bool:
    """Poles write their 26-digit account number (NRB) without the PL prefix; it is an IBAN all the same.
    Only its own layouts count (26 digits, or 2 + six groups of 4), not any 26 digits in a row."""
    return len(digits) == 26 and _NRB_LAYOUT.fullmatch(raw) is not None and iban.is_valid("PL" + digits)


def is_phone(raw: str, digits: str) -> bool:
    """A valid number: international ("+49...", "0048...") of any country, national of TR or PL."""
    if raw.lstrip("(").startswith("+") or digits.startswith("00"):
        number = digits[2:] if digits.startswith("00") else digits
        candidates = [("+" + number, None)] if 8 <= len(number) <= 15 else []
    else:
        # Cheap gates before the numbering plans: TR 10 digits (0 or 90 in front), PL 9 (48 in front).
        n, first = len(digits), digits[:1]
        candidates = []
        if (n == 10 and first != "0") or (n == 11 and first == "0") or (n == 12 and digits.startswith("90")):
            candidates.append((digits, "TR"))
        if n == 9 or (n == 11 and digits.startswith("48")):
            candidates.append((digits, "PL"))
    for text, region in candidates:
        try:
            parsed = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(parsed):
            return True
    return False


def classify_digits(raw: str, language: str | None) -> str | None:
    """The kind of a run of digit groups (``raw`` keeps the separators), or None for no personal data."""
    digits = NON_DIGITS.sub("", raw)
    if not raw.lstrip("(").startswith("+"):  # "+" says phone; "00" may still be a PESEL born 2000-09
        if is_card(digits):
            return "CARD"
        if is_polish_account(raw, digits):
            return "IBAN"
        kind = national_id(digits, language)
        # "0532 123 45 67" is an 11-digit Turkish mobile that may also pass the PESEL checksum.
        if kind == "PESEL" and language != "pl" and digits.startswith("05") and is_phone(raw, digits):
            return "PHONE"
        if kind:
            return kind
    return "PHONE" if is_phone(raw, digits) else None


def looks_like_code(before: list[str], after: list[str]) -> bool:
    """A tracking/order word just before the number, and no word that says it is a phone or an id."""
    words = [w.casefold() for w in before + after]
    if any(w.startswith(DATA_WORDS) for w in words):
        return False
    return any(w.casefold().startswith(CODE_WORDS) for w in before)
