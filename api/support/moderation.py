"""Buyer-to-seller message rules: contact stays on the platform and stays civil.

Reason codes: phone_number, email, link, social_handle, insult, bargaining,
carrier_request. This first version handles plain forms and the common spacing
trick for phone numbers; the privacy issue hardens it against look-alikes.
"""

from __future__ import annotations

import re
import unicodedata

import phonenumbers

_EMAIL = re.compile(
    r"[\w.+-]+\s*(?:@|[(\[]\s*(?:at|et)\s*[)\]])\s*[\w-]+\s*(?:\.|[(\[]?\s*(?:dot|nokta|kropka)\s*[)\]]?)\s*[a-z]{2,}",
    re.I,
)
_LINK = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|pl|net|org|tr|io|me|ly|link)(?:\.tr)?\b", re.I)
_SOCIAL = re.compile(
    r"\b(?:whats\s*app|watsap|wp|vatsap|insta(?:gram)?|ig|telegram|tg|facebook|fb|messenger|signal|tiktok|"
    r"snap(?:chat)?|viber|dm)\b|(?<![\w.])@[a-z0-9_.]{3,}",
    re.I,
)
_ORDER_NUMBER = re.compile(r"(?:TR|PL)[\s\-]?\d{8}", re.I)
_DIGIT_RUN = re.compile(r"(?:\+?\d[\s.\-()/]*){9,}")
_INSULTS = {
    "tr": r"\b(?:aptal|salak|gerizekal[ıi]|geri zekal[ıi]|dangalak|şerefsiz|serefsiz|haysiyetsiz|"
    r"ahmak|hırsız|hirsiz|dolandırıcı|dolandirici|pislik|orospu\w*|siktir\w*|amk|aq|piç)\b",
    "pl": r"\b(?:idiot\w*|debil\w*|kretyn\w*|głupi\w*|glupi\w*|złodziej\w*|zlodziej\w*|oszust\w*|"
    r"kurw\w*|chuj\w*|huj\w*|pierdol\w*|jeban\w*|spierdalaj|frajer\w*|dureń|duren|palant\w*)\b",
}
_BARGAINING = {
    "tr": r"\b(?:indirim\s+yap\w*|pazarl[ıi]k|son\s+fiyat\w*|daha\s+ucuz\w*|fiyat\w*\s+d[üu]ş\w*|"
    r"fiyat\w*\s+kır\w*|fiyat\w*\s+kir\w*|ucuza\s+ver\w*|elden\s+sat\w*)",
    "pl": r"\b(?:taniej|obniż\w*\s+cen\w*|obniz\w*\s+cen\w*|rabat\w*|zniżk\w*|znizk\w*|negocj\w*|"
    r"ostateczn\w*\s+cen\w*|opuść\w*\s+cen\w*|opusc\w*\s+cen\w*|sprzedaj\w*\s+poza)",
}
_CARRIER = {
    "tr": r"\b(?:(?:yurti[çc]i|aras|mng|ptt|s[üu]rat|ups|dhl|hepsijet)\s*(?:kargo)?\s*"
    r"(?:ile|ilen|la|le)\s+g[öo]nder\w*|"
    r"ba[şs]ka\s+kargo\w*|kargo\s+firmas\w*\s+de[ğg]i[şs]tir\w*|kargoyu\s+de[ğg]i[şs]tir\w*)",
    "pl": r"\b(?:wy[śs]lij\w*\s+(?:przez|kurierem|inpostem|dpd|dhl|pocztą|poczta)|inn\w*\s+kurier\w*|"
    r"inn\w*\s+firm\w*\s+kurier\w*|zmie[ńn]\w*\s+(?:kuriera|przewo[źz]nika)|zamiast\s+(?:inpost|dpd|dhl)\w*)",
}


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _inside_code(text: str, start: int, end: int) -> bool:
    """Digits glued to letters (YK804215573TR, TR48213377) are a code, not a phone number."""
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    return before.isalpha() or after.isalpha()


def _has_phone(text: str) -> bool:
    for region in ("TR", "PL"):
        for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.POSSIBLE):
            if _inside_code(text, match.start, match.end):
                continue
            if phonenumbers.is_possible_number(match.number) and len(re.sub(r"\D", "", match.raw_string)) >= 9:
                return True
    # Digits spread out with spaces or dots ("0 5 3 2 ...") that the matcher does not join.
    for run in _DIGIT_RUN.finditer(text):
        digits = re.sub(r"\D", "", run.group())
        around = text[max(0, run.start() - 3) : run.end()]
        if (
            9 <= len(digits) <= 13
            and not _inside_code(text, run.start(), run.end())
            and not _ORDER_NUMBER.search(around)
        ):
            return True
    return False


def check(text: str, language: str) -> list[str]:
    """The reasons this message can't go to the seller (empty: it may)."""
    text = _fold(text)
    reasons = []
    if _has_phone(text):
        reasons.append("phone_number")
    if _EMAIL.search(text):
        reasons.append("email")
        text = _EMAIL.sub(" ", text)  # an address is one reason, not also a link and a handle
    if _LINK.search(text):
        reasons.append("link")
    if _SOCIAL.search(text):
        reasons.append("social_handle")
    for kind, patterns in (("insult", _INSULTS), ("bargaining", _BARGAINING), ("carrier_request", _CARRIER)):
        if any(re.search(patterns[lang], text, re.I) for lang in (language, *(k for k in patterns if k != language))):
            reasons.append(kind)
    return reasons
