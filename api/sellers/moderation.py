"""Moderation of what a seller writes to a buyer (answers and status notes).

The buyer side's rules apply (``api/support/moderation.py``: no phone numbers, e-mail, links,
messenger handles, deals off the platform, insults, haggling), because the seeds forbid a
seller the same channels: all communication stays on the platform. One rule is added and one
replaced:

- ``marketing``: the Polish Helpdesk rules forbid contacting buyers for marketing through any
  channel, the Helpdesk included: discount codes, "visit our shop", "our other products",
  newsletters, sales. The phrases below are matched on the same folded views as the buyer
  word lists (syntax: data/moderation/README.md), so "İNDİRİM KODU" and "kod rabatowy" both hit.
- ``carrier_request`` is not applied: it stops buyers asking for another carrier than the
  platform's, while a seller naming the platform carrier a parcel travels with ("Aras Kargo ile
  gönderildi") is exactly the information the seeds ask sellers to give.
- ``bargaining`` is the seller's side of haggling: offering a price other than the listing's
  ("50 TL'ye bırakırım", "mogę opuścić cenę"). The buyer list is not used for sellers: it
  refuses the words of a price question, and a seller declining one ("indirim yapamıyoruz",
  "nie możemy obniżyć ceny") is the answer the platform wants.
"""

from __future__ import annotations

from functools import cache

from api.support import moderation
from api.support.moderation_lexicon import Rule, _compile
from api.support.moderation_normalise import leet_views, skeleton, word_view

NOT_FOR_SELLERS = frozenset({"carrier_request", "bargaining"})
REASONS = (*(r for r in moderation.REASONS if r != "carrier_request"), "marketing")

OFFERS: dict[str, list[str]] = {
    "tr": [
        "indirim yaparım|yapabilirim|yapalım|yapıyorum|yaparız|yapabiliriz|yapıyoruz",
        "# tl|lira|liraya|tlye .. veririm|veririz|bırakırım|bırakırız|olur",
        "ucuz*|ucuza veririm|veririz|bırakırım|bırakırız",
        "fiyat* düşürebilir*|düşürürüm|düşürürüz|kırarım|kırarız|kırabilir*|indiririm|indiririz",
        "size özel fiyat*",
    ],
    "pl": [
        "dam|damy|dostanie|dostaniesz .. rabat*|zniżk*|upust*",
        "mogę|możemy|moglibyśmy .. obniż*|opuści*|spuści*|zejść",
        "sprzedam|sprzedamy|oddam|oddamy .. taniej",
        "sprzedam|sprzedamy|oddam|oddamy .. za #",
        "taniej .. sprzedam|sprzedamy|oddam|oddamy|dam|damy",
        "zejdę|zejdziemy .. z ceny",
        "specjaln* cen* dla",
    ],
}
# A refusal is not an offer: "nie możemy obniżyć ceny".
OFFERS_EXCEPT: dict[str, list[str]] = {
    "tr": [],
    "pl": ["nie dam|damy|mogę|możemy|moglibyśmy|sprzedam|sprzedamy|oddam|oddamy|zejdę|zejdziemy"],
}

MARKETING: dict[str, list[str]] = {
    "tr": [
        "indirim kod*|kupon*|çeki*",
        "kupon kod*",
        "promosyon kod*",
        "kampanyamız*|kampanyalarımız*",
        "mağazamız*|dükkanımız*|sayfamız*|hesabımız* .. ziyaret*|takip*|göz*",
        "diğer|yeni|tüm ürünlerimiz*",
        "ürünlerimize göz*",
        "bizi takip*",
        "abone ol*",
        "bülten*",
        "yeni sezon*",
        "fırsat* kaçırma*",
        "sonraki siparişiniz*|alışverişiniz*",
        "size özel indirim*|kampanya*|fırsat*",
    ],
    "pl": [
        "kod* rabatow*|promocyjn*",
        "kupon* rabatow*|promocyjn*",
        "nasz* promocj*",
        "zaprasza* do .. sklep*|zakup*",
        "odwiedź*|obserwuj* nasz*",
        "newsletter*",
        "nasz* inn*|now* produkt*|ofert*",
        "inn* nasz* produkt*|ofert*",
        "now* kolekcj*",
        "wyprzedaż*",
        "przy|na następn*|kolejn* zakup*",
        "rabat* .. następn*|kolejn* zakup*|zamówieni*",
    ],
    "common": [
        "discount|promo|coupon code*",
        "follow us",
        "our other products",
    ],
}


def _entries(lists: dict[str, list[str]], language: str) -> list[tuple[str, dict]]:
    languages = [language] if language in ("tr", "pl") else ["tr", "pl"]
    return [(entry, {}) for lang in [*languages, "common"] for entry in lists.get(lang, [])]


@cache
def _rules(language: str) -> dict[str, Rule]:
    return {
        "bargaining": Rule(_compile(_entries(OFFERS, language)), _compile(_entries(OFFERS_EXCEPT, language))),
        "marketing": Rule(_compile(_entries(MARKETING, language)), None),
    }


def seller_rules(text: str, language: str) -> set[str]:
    """The seller-only reasons (price offers, marketing) found in ``text``."""
    skel = skeleton(text)
    views = (word_view(skel), *leet_views(skel).views)
    return {reason for reason, rule in _rules(language).items() if rule.search(views)}


def check(text: str, language: str) -> list[str]:
    """Why this seller text can't go to the buyer (empty: it may), in ``REASONS`` order.

    ``language`` is the text's language: the market's (the buyer reads it), not the seller
    user's portal language, which only decides how the reasons are worded.
    """
    if not isinstance(text, str) or not text.strip():
        return []
    found = (set(moderation.check(text, language)) - NOT_FOR_SELLERS) | seller_rules(text, language)
    return [reason for reason in REASONS if reason in found]
