"""E-mail addresses, links, handles and bank accounts in a message, spelt out or not.

Buyers who know "@" and "." are filtered write them as words or in brackets:
"ali (at) ornek (nokta) com", "kasia małpa onet kropka pl", "instagram nokta com slash
butik", "tanie-buty . pl". The text is first rewritten with those spellings turned back
into "@", "." and "/", then plain patterns find the address or link. Each finding is
cut out of the text so that it is one reason, not also a phone number, a handle and a
link.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from stdnum import iban

from api.support.moderation_lexicon import common_list

CUT = " ; "  # what a finding is replaced with: ends a number run and a phrase


@dataclass(frozen=True)
class Contacts:
    """What ``scan`` found, and the text left for the phone and word-list rules."""

    email: bool
    link: bool
    social_link: bool  # a link to a messaging or social site (t.me/..., instagram.com/...)
    handle: bool  # an @name
    handle_like: bool  # a name.with.dots or name_with_underscores that reads like a user name
    account: bool  # an IBAN or a Polish account number: payment outside the platform
    rest: str  # the text with all of the above cut out


def scan(skel: str) -> Contacts:
    """Find contact details in folded text (see ``moderation_normalise.skeleton``)."""
    p = _patterns()
    text, account = _cut(p.account, skel)
    text = p.respell(text)
    text, email = _cut(p.email, text)
    text, social_link = _cut(p.social_domain, text)
    link = social_link or any(not _allowed(match) for match in p.link.finditer(text))
    text = p.link.sub(CUT, text)
    handle = bool(p.handle.search(text))
    handle_like = any(ch.isalpha() for m in p.handle_like.finditer(text) for ch in m.group())
    return Contacts(email, link, social_link, handle, handle_like, account, text)


def _allowed(match: re.Match[str]) -> bool:
    """A link to one of the platform's own domains (``allowed_domain`` in common.yml)."""
    host = match.group("host") or re.sub(r"^(?:https?://)?(?:www\.)?", "", match.group()).split("/")[0]
    return any(host == domain or host.endswith("." + domain) for domain in common_list("allowed_domain"))


def _cut(pattern: re.Pattern[str] | _IbanChecked, text: str) -> tuple[str, bool]:
    cut, count = pattern.subn(CUT, text)
    return cut, bool(count)


@dataclass(frozen=True)
class _Patterns:
    rewrites: tuple[tuple[re.Pattern[str], str], ...]
    email: re.Pattern[str]
    link: re.Pattern[str]
    social_domain: re.Pattern[str]
    handle: re.Pattern[str]
    handle_like: re.Pattern[str]
    account: _IbanChecked

    def respell(self, text: str) -> str:
        for pattern, replacement in self.rewrites:
            text = pattern.sub(replacement, text)
        return text


def _alternation(words: tuple[str, ...]) -> str:
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True)) + ")"


@cache
def _patterns() -> _Patterns:
    at = _alternation(common_list("email_at"))
    dot = _alternation(common_list("dot_word"))
    slash = _alternation(common_list("slash_word"))
    tld = _alternation(common_list("tld"))
    providers = _alternation(common_list("email_provider"))
    # Only TLDs no sentence starts with may follow a spaced-out dot ("tanie-buty . pl").
    spaced_tld = r"(?:com|net|org|pl|tr|eu|io|info)"
    word = r"[a-z0-9]"
    rewrites = (
        (re.compile(r"h\s*t\s*t\s*p\s*(s?)\s*:\s*/\s*/\s*"), r"http\1://"),
        (re.compile(rf"\s*[(\[{{<]\s*(?:@|{at})\s*[)\]}}>]\s*"), "@"),
        (re.compile(rf"\s*[(\[{{<]\s*(?:\.|{dot})\s*[)\]}}>]\s*"), "."),
        (re.compile(rf"(?<=[a-z0-9_.-])\s+@\s+(?={word})"), "@"),  # "ali @ gmail" but not "bak @ali"
        (re.compile(rf"(?<=[a-z0-9_.-])@\s+(?={word})"), "@"),
        (re.compile(rf"(?<=[a-z0-9_.-])\s+{at}\s+(?={word})"), "@"),
        (re.compile(rf"(?<={word})\s+{dot}\s+(?={word})"), "."),
        (re.compile(rf"(?<={word})\s*\.\s*(?={spaced_tld}(?![a-z0-9])(?!\s*[0-9]))"), "."),
        (re.compile(rf"(?<=[a-z0-9])\s+{slash}\s+(?={word})"), "/"),
        (re.compile(r"(?<=[a-z0-9-]{3})\s+(?=(?:com|net|org)(?![a-z0-9])(?!\s*[0-9]))"), "."),
    )
    local = r"(?<![a-z0-9._%+-])[a-z0-9][a-z0-9._%+-]{0,63}"  # starts at a word: no O(n²) rescans
    email = re.compile(rf"{local}@(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*(?:\.|\s+){tld}(?![a-z0-9])|{providers}(?![a-z0-9]))")
    host = rf"(?P<host>(?:{word}(?:[a-z0-9-]*{word})?\.)+{tld})"
    link = re.compile(rf"(?:https?://|www\.)\S+|(?<![a-z0-9@._-]){host}(?![a-z0-9])(?:/\S*)?")
    social_domains = _alternation(common_list("social_domain"))
    social_domain = re.compile(rf"(?:https?://)?(?:www\.)?(?<![a-z0-9-]){social_domains}(?![a-z0-9])(?:/\S*)?")
    handle = re.compile(r"(?<![a-z0-9._%+-])@[a-z0-9_][a-z0-9_.]{2,}")
    handle_like = re.compile(r"(?<![a-z0-9@])[a-z0-9]+(?:[._][a-z0-9]+)+(?![a-z0-9@])")
    account = re.compile(
        r"(?<![a-z0-9])(?:(?P<national>(?:tr|pl)\s?[0-9]{2}(?:[\s-]?[0-9]){20,30})"  # TR/PL IBAN
        r"|(?P<foreign>[a-z]{2}[0-9]{2}(?: ?[0-9a-z]{4}){2,7}(?: ?[0-9a-z]{1,4})?)"  # checked below
        r"|(?P<nrb>[0-9]{2}(?:[\s-]?[0-9]{4}){6}))(?![a-z0-9])"  # Polish account number, 26 digits
    )
    return _Patterns(rewrites, email, link, social_domain, handle, handle_like, _IbanChecked(account))


class _IbanChecked:
    """The account pattern, but a foreign-looking IBAN only counts when its checksum holds."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern

    def subn(self, replacement: str, text: str) -> tuple[str, int]:
        count = 0

        def replace(match: re.Match[str]) -> str:
            nonlocal count
            found = match.group()
            if not match.group("foreign") or iban.is_valid(found.replace(" ", "").upper()):
                count += 1
                return replacement
            return found

        return self.pattern.sub(replace, text), count
