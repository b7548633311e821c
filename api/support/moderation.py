"""Buyer-to-seller message rules: contact stays on the platform and stays civil.

The seeds forbid dealing outside the platform (phone, private e-mail, messengers,
payments and deliveries agreed off the platform) and the platform keeps the talk civil,
so a message to a seller is refused, with every reason that applies:

- ``phone_number``, ``email``, ``link``, ``social_handle``: a way to reach someone off the
  platform, however it is spelt ("0 5 3 2 ...", "sıfır beş yüz...", "ali (at) gmail
  (nokta) com", "wh4tsapp", "1nstagram");
- ``off_platform``: paying or dealing outside the platform without naming a channel
  ("IBAN'a gönder", "elden ödeme", "zapłacę blikiem na telefon", "napisz prywatnie");
- ``insult``: profanity and insults, in the message's language and English;
- ``bargaining`` and ``carrier_request``: haggling over the listed price, asking for
  another carrier than the platform's.

The work is split by concern: ``moderation_normalise`` folds away look-alike letters,
zero-width characters, leetspeak and repeated letters; ``moderation_contacts`` and
``moderation_phone`` find contact details; ``moderation_lexicon`` compiles the word lists
in ``data/moderation/``. Precision matters as much as recall: a buyer whose order number,
tracking code, size or model number is refused can't ask the seller anything, so the
labelled set in ``evaluation/data/moderation/moderation_labelled.yml`` carries as many
look-alike allowed messages as refused ones (``make moderation-eval``).
"""

from __future__ import annotations

import re

from api.support.moderation_contacts import Contacts, scan
from api.support.moderation_lexicon import Lexicon, lexicon
from api.support.moderation_normalise import leet_views, skeleton, word_view
from api.support.moderation_phone import has_phone

REASONS = (
    "phone_number",
    "email",
    "link",
    "social_handle",
    "off_platform",
    "insult",
    "bargaining",
    "carrier_request",
)


MASKED_AS = {"[PHONE]": "phone_number", "[EMAIL]": "email", "[IBAN]": "off_platform", "[CARD]": "off_platform"}
_PLACEHOLDER = re.compile(r"\[(?:PHONE|EMAIL|IBAN|CARD|TCKN|PESEL)\]")


def check(text: str, language: str) -> list[str]:
    """The reasons this message can't go to the seller (empty: it may), in ``REASONS`` order."""
    if not isinstance(text, str) or not text.strip():
        return []
    lex = lexicon(language)
    # Chat text is masked before the bot sees it: a placeholder is the personal data it replaced.
    found: set[str] = {reason for placeholder, reason in MASKED_AS.items() if placeholder in text}
    text = _PLACEHOLDER.sub(" ", text)
    contacts = scan(skeleton(text))
    if contacts.email:
        found.add("email")
    if contacts.link:
        found.add("link")
    if contacts.account:
        found.add("off_platform")
    if has_phone(contacts.rest, language):
        found.add("phone_number")

    leet = leet_views(contacts.rest)
    views = (word_view(contacts.rest), *leet.views)
    if _social_handle(contacts, lex, views):
        found.add("social_handle")
    for reason, rule in lex.rules.items():
        if rule.search(views):
            found.add(reason)
    if "insult" not in found and any(lex.mask_forms.matches(word) for word in leet.masked):
        found.add("insult")
    return [reason for reason in REASONS if reason in found]


def _social_handle(contacts: Contacts, lex: Lexicon, views: tuple[str, ...]) -> bool:
    """A messenger is named, or a handle given; a social network only counts with a way in.

    "whatsapp'tan yazın" and "@butik.elif" are contact; "Instagramda gördüm" is where the
    buyer saw the product, so a network needs a contact word, a handle or a user name.
    """
    if contacts.social_link or contacts.handle or lex.messenger.search(views):
        return True
    return lex.network.search(views) and (contacts.handle_like or lex.contact_context.search(views))
