"""Personal data in chat text: find it and replace it with a placeholder before anything is stored.

Why: buyers paste card numbers, national ids, IBANs, phone numbers and e-mail addresses
into a support chat. The seeds say never to keep them, and under KVKK and GDPR every
copy (app DB, Rasa's tracker, tickets, logs) is a liability. Masking at the gateway, on
the way in, means no later store ever sees them.

How: spaCy's tokenizer (a blank multi-language pipeline, loaded once per process) splits
the text, and a Matcher finds candidates: runs of digit groups joined by spaces, dashes,
dots or brackets; IBAN-shaped runs; e-mail anchors ("@", "(at)", "małpa", ...). Each
candidate is then validated (``pii_checks``: Luhn and card prefixes, TCKN/PESEL
checksums, IBAN mod 97, phonenumbers for TR and PL). Validation decides, not shape: order
numbers (TR48213377), tracking codes, amounts, dates and numbers that fail their checksum
are left alone because agents and the bot need them. The tokenizer never splits digits glued to
letters out of their token, which is what keeps ``YK804215573TR`` and ``TR-48213377`` whole; a
second, character-level pass then judges digit runs (and IBANs) glued to a word or a file name
("kimlik_12345678950.jpg", "kartam5555555555554444", "TC12345678950") by their checksum, unless
their neighbours make them part of a code (upper-case letters that say nothing, digits on both
sides of letters).

Placeholders are language-neutral (``[CARD]``, ``[TCKN]``, ``[PESEL]``, ``[IBAN]``,
``[PHONE]``, ``[EMAIL]``): agents of both markets read them in the console, and the bot's
NLU treats them as opaque tokens. ``mask`` is idempotent and only ever removes text.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, overload

from api.commerce.order_numbers import ORDER_NUMBER_RE
from api.security.pii_checks import (
    GLUE_PHONE_WORDS,
    GLUE_WORDS,
    classify_digits,
    fold,
    is_iban,
    looks_like_code,
)

if TYPE_CHECKING:  # spaCy takes seconds to import; it is loaded on first use or by warm_up()
    from spacy.language import Language
    from spacy.matcher import Matcher
    from spacy.tokens import Doc

KINDS = ("CARD", "TCKN", "PESEL", "IBAN", "PHONE", "EMAIL")
PLACEHOLDERS = {kind: f"[{kind}]" for kind in KINDS}
_PLACEHOLDER_RE = re.compile(r"\[(" + "|".join(KINDS) + r")\]")

_DIGIT_GROUP = r"\+?\d+(?:\.\d+)*"
_DIGIT_TOKEN = re.compile(rf"^{_DIGIT_GROUP}$")
_CHAIN_TOKEN = rf"^(?:{_DIGIT_GROUP}|[-.()–]|\s+)$"
_GLUE = frozenset("-._")
_MAX_WINDOW_TOKENS = 26  # a card typed one digit at a time, with room for a country code
_MAX_WINDOW_DIGITS = 26  # a Polish account number (NRB) is the longest
# Digit counts worth validating: phones 9-15 (with a country code), cards 13-19, ids 11, NRB 26.
_WINDOW_LENGTHS = frozenset([*range(9, 20), 26])

_AT_WORDS = frozenset({"@", "at", "et", "małpa", "malpa"})
_DOT_WORDS = frozenset({".", "dot", "nokta", "kropka", "punkt"})
_OPEN, _CLOSE = frozenset("([{<"), frozenset(")]}>")
_LOCAL = re.compile(r"^[\w][\w.+-]*$")
_LABEL = re.compile(r"^[\w-]+(?:\.[\w-]+)*$")
_PLAIN_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]*\w@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,24}(?![\w-])")
_EMAIL = re.compile(r"^[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.([a-z]{2,24})$", re.IGNORECASE)
# An obfuscated address ("ali at gmail dot com") must end in a real top-level domain, and a bare
# "at"/"et" (a Turkish verb, an English word) must name a known mail provider, or it is just prose.
_TLDS = frozenset("com net org pl tr eu de uk io info biz edu gov me co tv app dev online".split())  # noqa: SIM905
_PROVIDERS = frozenset(
    "gmail googlemail hotmail outlook live msn yahoo yandex icloud me mail proton protonmail aol gmx "  # noqa: SIM905
    "mynet windowslive superonline ttmail wp onet op o2 interia poczta gazeta tlen vp int".split()
)


@dataclass(frozen=True)
class Finding:
    start: int  # character offsets into the text
    end: int
    kind: str


@dataclass(frozen=True)
class Masked:
    text: str
    kinds: list[str] = field(default_factory=list)  # kinds found, in order of first appearance

    @property
    def changed(self) -> bool:
        return bool(self.kinds)


@lru_cache(maxsize=1)
def _pipeline() -> tuple[Language, Matcher]:
    import spacy
    from spacy.matcher import Matcher
    from spacy.util import compile_infix_regex

    nlp = spacy.blank("xx")
    # Brackets, colons, slashes and quotes split tokens ("+90(532)...", "PESEL:4405...", "67'den") so the
    # number stands alone; letters and digits stay glued, which keeps codes like TR48213377 whole.
    infixes = [*nlp.Defaults.infixes, r"[()\[\]{}<>;:,!?\"'’=|*/]"]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    # No URL rule: it would keep "wa.me/905321234567" or '{"note":"ali@wp.pl"}' in one opaque token.
    nlp.tokenizer.url_match = None
    matcher = Matcher(nlp.vocab)
    # One token per match: a "+" or "*" pattern over a long run of digits makes the Matcher
    # enumerate every sub-span (quadratic); chains are joined below in linear time instead.
    matcher.add("DIGITS", [[{"TEXT": {"REGEX": _CHAIN_TOKEN}}]])
    iban_tail = {"TEXT": {"REGEX": r"^(?:[A-Za-z0-9]{1,30}|-)$"}, "OP": "{0,20}"}
    matcher.add(
        "IBAN",
        [
            [{"TEXT": {"REGEX": r"^[A-Za-z]{2}\d{2}[A-Za-z0-9]*$"}}, iban_tail],
            [{"TEXT": {"REGEX": r"^[A-Z]{2}$"}}, {"TEXT": {"REGEX": r"^\d{2}[A-Za-z0-9]*$"}}, iban_tail],
        ],
        greedy="LONGEST",
    )
    matcher.add("EMAIL", [[{"TEXT": {"REGEX": "@"}}], [{"LOWER": {"IN": sorted(_AT_WORDS)}}]])
    return nlp, matcher


def warm_up() -> None:
    """Load the tokenizer and matcher now (api start-up), not on the first buyer message."""
    _pipeline()


def _alnum(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def _glued_left(doc: Doc, i: int) -> bool:
    """Token i is stuck to a word or code on its left ("TR-261122-0042": the 0042)."""
    if i == 0 or doc[i - 1].whitespace_:
        return False
    prev = doc[i - 1].text
    if _alnum(prev):
        return True
    return prev in _GLUE and i >= 2 and not doc[i - 2].whitespace_ and _alnum(doc[i - 2].text)


def _glued_right(doc: Doc, i: int) -> bool:
    if i + 1 >= len(doc) or doc[i].whitespace_:
        return False
    nxt = doc[i + 1].text
    if _alnum(nxt):
        return True
    return nxt in _GLUE and i + 2 < len(doc) and not doc[i + 1].whitespace_ and _alnum(doc[i + 2].text)


def _words_around(doc: Doc, start: int, end: int) -> tuple[list[str], list[str]]:
    before = [t.text for t in doc[max(0, start - 6) : start] if _alnum(t.text)][-3:]
    after = [t.text for t in doc[end : end + 4] if _alnum(t.text)][:2]
    return before, after


def _digit_windows(doc: Doc, lo: int, hi: int, language: str | None) -> list[tuple[int, int, str]]:
    """Validated, non-overlapping windows (first token, last token, kind) in the chain doc[lo:hi].

    Every window that starts and ends on a digit group is validated once; then the longest win
    (a card beats the phone-like piece inside it), leftmost first among equals.
    """
    positions = [i for i in range(lo, hi) if _DIGIT_TOKEN.match(doc[i].text)]
    counts = [sum(ch.isdigit() for ch in doc[i].text) for i in positions]
    valid: list[tuple[int, int, int, str]] = []  # (-digits, first, last, kind)
    for a, first in enumerate(positions):
        if _glued_left(doc, first):
            continue
        digits = 0
        for b in range(a, min(len(positions), a + _MAX_WINDOW_TOKENS)):
            digits += counts[b]
            if digits > _MAX_WINDOW_DIGITS:
                break
            last = positions[b]
            if digits not in _WINDOW_LENGTHS or _glued_right(doc, last):
                continue
            kind = classify_digits(doc[first : last + 1].text, language)
            # Only the phone rule is weak enough (dense numbering plans) to need context; a checksum
            # decides for cards, ids and IBANs even after "sipariş" or "przesyłka".
            if kind and (kind != "PHONE" or not looks_like_code(*_words_around(doc, first, last + 1))):
                valid.append((-digits, first, last, kind))
    chosen: list[tuple[int, int, str]] = []
    used: set[int] = set()
    for _, first, last, kind in sorted(valid):
        if not used.intersection(range(first, last + 1)):
            chosen.append((first, last, kind))
            used.update(range(first, last + 1))
    return chosen


def _iban_at(doc: Doc, start: int, end: int) -> int | None:
    """The last token of the longest valid IBAN starting at ``start`` (tokens start..end-1)."""
    if _glued_left(doc, start):
        return None
    for last in range(end - 1, start - 1, -1):
        if doc[last].text == "-" or _glued_right(doc, last):
            continue
        if is_iban("".join(t.text for t in doc[start : last + 1] if t.text != "-").upper()):
            return last
    return None


def _printed_iban(doc: Doc, start: int, end: int) -> int:
    """How many tokens of "TR05 6195 6036 ..." (country and check digits, then groups of four) form
    a printed IBAN, valid or not; 0 if it isn't one. Its digit groups are not a card or a phone."""
    if not re.fullmatch(r"[A-Z]{2}\d{2}", doc[start].text):
        return 0
    groups = [i for i in range(start + 1, end) if doc[i].text != "-"]
    count = 0
    while count < len(groups) and len(doc[groups[count]].text) == 4:
        count += 1
    if count < len(groups) and len(doc[groups[count]].text) < 4:
        count += 1
    return groups[count - 1] - start + 1 if count >= 3 else 0


def _email_at(doc: Doc, i: int) -> tuple[int, int] | None:
    """(first, last) token of an e-mail address anchored at token i ("@" inside it, or an at-word)."""
    text = doc[i].text
    obfuscated = "@" not in text
    bracketed = 0 < i < len(doc) - 1 and doc[i - 1].text in _OPEN and doc[i + 1].text in _CLOSE
    if obfuscated or text.startswith("@"):  # the local part is the word before
        left = i - 1 - bracketed
        if left < 0 or not _LOCAL.match(doc[left].text) or doc[left].lower_ in _AT_WORDS:
            return None
        start, local = left, doc[left].text
    else:
        start, local = i, text.split("@", 1)[0]
    domain = "" if obfuscated else text.split("@", 1)[1]
    j = i + 1 + bracketed
    if not domain:  # the domain is the next word
        if j >= len(doc) or not _LABEL.match(doc[j].text):
            return None
        domain, j = doc[j].text, j + 1
    best, last, word_dots = None, j - 1, False
    while True:
        match = _EMAIL.match(f"{local}@{domain}")
        if match:
            known_tld = match.group(1).lower() in _TLDS or not (obfuscated or word_dots)
            provider = domain.split(".")[0].lower() in _PROVIDERS
            if known_tld and (not obfuscated or bracketed or word_dots or provider):
                best = (start, last)
        # Extend by one "[(] dot [)] label" step: "gmail (dot) com", "wp kropka pl", "o2 . pl".
        k = j + (j < len(doc) and doc[j].text in _OPEN)
        if k + 1 >= len(doc) or doc[k].lower_ not in _DOT_WORDS:
            break
        literal = doc[k].text == "."
        word_dots = word_dots or not literal
        k += 1 + (doc[k + 1].text in _CLOSE)
        if k >= len(doc) or not _LABEL.match(doc[k].text):
            break
        if literal and doc[k - 1].whitespace_ and doc[k].lower_ not in _TLDS:
            break  # "ali@gmail.com. Thanks": a sentence ends, the address doesn't go on
        domain, last, j = f"{domain}.{doc[k].text}", k, k + 1
    return best


def _order_number_digits(doc: Doc) -> set[int]:
    """Digit tokens that end an order number typed with a gap ("TR 12000000", "pl/30571246"): never
    part of a phone or card window, or "TR 12000000 2 adet" would lose its number to a phone."""
    shielded = set()
    for token in doc:
        if len(token.text) == 8 and token.text.isdigit():
            for back in (1, 2):
                if token.i - back >= 0 and ORDER_NUMBER_RE.match(doc[token.i - back : token.i + 1].text):
                    shielded.add(token.i)
    return shielded


# ---- numbers glued to words and file names ---------------------------------------------------
# "kimlik_12345678950.jpg", "foto.4111111111111111.jpg", "kartam5555555555554444", "TC12345678950",
# "dekont_TR330006100519786457841326.png": the tokenizer keeps each in one token (it must, or codes
# like YK804215573TR would fall apart), so the digit windows above never see the number. Here a
# maximal digit run (or an IBAN) with a letter, "_", "." or "-" stuck to it is judged on its own:
# its checksum decides, as for a free-standing number, once its neighbours look like a word or a
# file name rather than a code. A code is an upper-case letter run that says nothing ("HJ", "SN",
# "TR", the "U" of a DPD number) or letters between digits ("1Z999AA1..."). Numbers written in
# groups ("4111-1111-...", "12.05.2024") never reach here: no group is 9 digits long.
_GLUED_RUN = re.compile(r"(?<!\d)(?:\d{9,19}|\d{26})(?!\d)")
_GLUED_IBAN = re.compile(r"[A-Z]{2}\d{2}(?=[A-Za-z0-9]{11})")
_SEPARATORS = frozenset("._-")
FREE, SEPARATED, GLUED, CODE = "free", "separated", "glued", "code"


def _letters_left(text: str, end: int) -> str:
    start = end
    while start > 0 and text[start - 1].isalpha():
        start -= 1
    return text[start:end]


def _letters_right(text: str, start: int) -> str:
    end = start
    while end < len(text) and text[end].isalpha():
        end += 1
    return text[start:end]


def _a_word(letters: str, before: str) -> bool:
    """Letters stuck to a number read as a word ("kartam", "zdj", "TC"), not as part of a code."""
    if before.isdigit():  # digits, letters, digits: "1Z999AA10123456784"
        return False
    return any(ch.islower() for ch in letters) or fold(letters).startswith(GLUE_WORDS)


def _side(text: str, at: int, step: int) -> tuple[str, str]:
    """How the character next to a number (``at``, looking in direction ``step``) joins it, and the
    word on that side (for phones)."""
    if not 0 <= at < len(text) or not (text[at].isalnum() or text[at] in _SEPARATORS):
        return FREE, ""
    if text[at] in _SEPARATORS:  # "kimlik_", ".jpg", "-1.jpg", "-12/27" (a card's expiry)
        return SEPARATED, _letters_left(text, at) if step < 0 else _letters_right(text, at + 1)
    if text[at].isdigit():
        return CODE, ""
    if step < 0:
        word = _letters_left(text, at + 1)
        before = text[at - len(word)] if at - len(word) >= 0 else ""
    else:
        word = _letters_right(text, at)
        before = ""
    return (GLUED, word) if _a_word(word, before) else (CODE, "")


def _glued_findings(text: str, language: str | None, covered: list[Finding]) -> list[Finding]:
    """Cards, ids, account numbers (and phones after "tel"/"cep") glued to words or file names."""
    found: list[Finding] = []

    def free(start: int, end: int) -> bool:
        return not any(f.start < end and start < f.end for f in [*covered, *found])

    for match in _GLUED_IBAN.finditer(text):
        start = match.start()
        left, _ = _side(text, start - 1, -1)
        if left == CODE or not free(start, start + 15):
            continue
        tail = match.end()
        while tail < len(text) and text[tail].isalnum() and tail - start < 34:
            tail += 1
        for end in range(tail, start + 14, -1):  # the longest valid IBAN, not followed by a digit
            if (end == len(text) or not text[end].isdigit()) and is_iban(text[start:end].upper()):
                if free(start, end):
                    found.append(Finding(start, end, "IBAN"))
                break
    for match in _GLUED_RUN.finditer(text):
        start, end = match.span()
        (left, left_word), (right, _) = _side(text, start - 1, -1), _side(text, end, 1)
        if CODE in (left, right) or (left == FREE and right == FREE) or not free(start, end):
            continue  # a code, or a free-standing number (the token pass judged it)
        kind = classify_digits(match.group(), language)
        if kind == "PHONE" and not fold(left_word).startswith(GLUE_PHONE_WORDS):
            continue
        if kind:
            found.append(Finding(start, end, kind))
    return found


def _runs(indices: list[int], taken: set[int]) -> list[tuple[int, int]]:
    """Consecutive chain tokens as [lo, hi) ranges, cut wherever a token is already taken."""
    runs: list[tuple[int, int]] = []
    for i in indices:
        if i in taken:
            continue
        if runs and runs[-1][1] == i:
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    return runs


def find(text: str, language: str | None = None) -> list[Finding]:
    """Validated personal data in ``text``, in order, never overlapping."""
    nlp, matcher = _pipeline()
    doc = nlp.make_doc(text)
    taken: set[int] = set()
    shielded: set[int] = _order_number_digits(doc)
    spans: list[tuple[int, int, str]] = []
    # Plain addresses by characters: the tokenizer splits "ali@firma-xyz.com" at the hyphen, and
    # an address may sit inside a larger token ('{"note":"ali@wp.pl"}').
    plain = [Finding(m.start(), m.end(), "EMAIL") for m in _PLAIN_EMAIL.finditer(text)]
    for token in doc:
        if any(f.start < token.idx + len(token.text) and token.idx < f.end for f in plain):
            taken.add(token.i)

    def take(first: int, last: int, kind: str) -> None:
        spans.append((first, last, kind))
        taken.update(range(first, last + 1))

    matches = sorted(matcher(doc), key=lambda m: (nlp.vocab.strings[m[0]] != "EMAIL", m[1]))
    for match_id, start, end in matches:  # e-mail first, then IBAN, then digit runs
        label = nlp.vocab.strings[match_id]
        if taken.intersection(range(start, end)):
            continue
        if label == "EMAIL":
            if found := _email_at(doc, start):
                take(*found, "EMAIL")
        elif label == "IBAN":
            last = _iban_at(doc, start, end)
            if last is not None:
                take(start, last, "IBAN")
            else:
                shielded.update(range(start, start + _printed_iban(doc, start, end)))
    chain = [start for match_id, start, _ in matches if nlp.vocab.strings[match_id] == "DIGITS"]
    for lo, hi in _runs(sorted(chain), taken | shielded):
        for first, last, kind in _digit_windows(doc, lo, hi, language):
            take(first, last, kind)
    findings = plain
    for first, last, kind in spans:
        # "(0532) 123 45 67": take the opening bracket along when its partner is inside.
        if first > 0 and doc[first - 1].text == "(" and ")" in doc[first : last + 1].text:
            first -= 1
        findings.append(Finding(doc[first].idx, doc[last].idx + len(doc[last].text), kind))
    findings += _glued_findings(text, language, findings)
    return sorted(findings, key=lambda f: f.start)


def _mask_once(text: str, language: str | None) -> tuple[str, list[str]]:
    findings = find(text, language)
    out, cursor = [], 0
    for f in findings:
        out += [text[cursor : f.start], PLACEHOLDERS[f.kind]]
        cursor = f.end
    out.append(text[cursor:])
    return "".join(out), [f.kind for f in findings]


def mask(text: str, language: str | None = None) -> Masked:
    """Replace every validated piece of personal data with its placeholder.

    ``language`` (tr/pl, optional) only breaks the tie when an 11-digit number is both a
    valid TCKN and a valid PESEL. Masking repeats until nothing changes (at most a few
    passes), so ``mask(mask(x).text) == mask(x)`` holds by construction.
    """
    kinds: list[str] = []
    for _ in range(4):
        masked, found = _mask_once(text, language)
        if not found:
            break
        kinds += [k for k in dict.fromkeys(found) if k not in kinds]
        text = masked
    return Masked(text, kinds)


@overload
def mask_field(value: str, language: str | None = None) -> str: ...
@overload
def mask_field(value: None, language: str | None = None) -> None: ...
def mask_field(value: str | None, language: str | None = None) -> str | None:
    """The one way free text is written to a store or sent out of the api: masked (None stays None).

    Buyer, agent and seller text and what the bot relays of it (messages, payloads, notes, ticket
    summaries, handoff details, return notes, seller messages, file names, FAQ questions sent to
    Rasa) all pass here. ``tests/api/security/test_masking_integration.py`` posts personal data through
    the write endpoints and scans every text column of the database for it: extend it with a new one.
    """
    return None if value is None else mask(value, language).text


def mask_fields(values: dict[str, str], language: str | None = None) -> dict[str, str]:
    """A dict of free text (the bot's handoff details): keys and values masked."""
    return {mask_field(str(k), language): mask_field(str(v), language) for k, v in values.items()}


def mask_identifier(raw: str, key: str) -> str:
    """An opaque id a client chose (a message's ``client_message_id``) with personal data in it.

    An id without personal data is kept as sent (the widget matches acknowledgements by it). One
    with personal data becomes ``masked-`` plus a keyed hash of the raw id: deterministic, so a
    resend of the same raw id still finds the stored message, distinct for distinct ids (masking
    the id like text would let "msg-<card 1>" and "msg-<card 2>" collide), and keyed, because an
    unkeyed hash of a card number or a national id is reversed by trying the few billion candidates.
    """
    if mask_field(raw) == raw:
        return raw
    digest = hmac.new(key.encode(), b"client-message-id\0" + raw.encode(), hashlib.sha256).hexdigest()
    return f"masked-{digest[:40]}"


def placeholders_in(text: str) -> list[str]:
    """The kinds whose placeholders appear in an already-masked text (e.g. to word a notice)."""
    seen: list[str] = []
    for match in _PLACEHOLDER_RE.finditer(text or ""):
        if match.group(1) not in seen:
            seen.append(match.group(1))
    return seen
