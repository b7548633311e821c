"""Seller-message moderation: what is refused and, as important, what is not."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from api.support.moderation import REASONS, check


@pytest.mark.parametrize(
    ("text", "language", "reason"),
    [
        ("beni 0 5 3 2 1 2 3 4 5 6 7 numarasından arayın", "tr", "phone_number"),
        ("+90 532 123 45 67", "tr", "phone_number"),
        ("zadzwoń: 601-222-333", "pl", "phone_number"),
        ("mail atın: ali(at)ornek(nokta)com", "tr", "email"),
        ("https://bit.ly/xyz adresine bakın", "tr", "link"),
        ("telegram'dan yaz", "tr", "social_handle"),
        ("odezwij się na whatsapp", "pl", "social_handle"),
        ("salak mısın nesin", "tr", "insult"),
        ("ty debilu", "pl", "insult"),
        ("pazarlık payı var mı", "tr", "bargaining"),
        ("a można taniej?", "pl", "bargaining"),
        ("başka kargo ile gönderin", "tr", "carrier_request"),
        ("zmień kuriera na DHL", "pl", "carrier_request"),
    ],
)
def test_refused_with_the_reason(text, language, reason):
    assert reason in check(text, language)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("TR48213377 numaralı siparişimde beden değişimi mümkün mü?", "tr"),
        ("Kargo takip numaram YK804215573TR görünüyor, paketlediniz mi?", "tr"),
        ("Czy zamówienie PL30571246 może być zapakowane na prezent?", "pl"),
        ("Numer przesyłki 520000012345678901234567 nie działa w wyszukiwarce", "pl"),
        ("Ürün 2 adet mi geliyor, 1299,90 TL ödedim", "tr"),
        ("Czy rozmiar 42 jest zgodny z tabelą?", "pl"),
    ],
)
def test_ordinary_questions_pass(text, language):
    assert check(text, language) == []


def test_goods_are_not_an_insult():
    assert check("malı iade etmek istiyorum, mal hasarlı geldi", "tr") == []


def test_masked_personal_data_still_refuses_the_message():
    """Chat text reaches the seller relay already masked; the placeholder keeps the reason."""
    assert check("beni [PHONE] numarasından arayın", "tr") == ["phone_number"]
    assert check("napisz na [EMAIL] albo przelej na [IBAN]", "pl") == ["email", "off_platform"]
    assert check("[TCKN] bu benim numaram, fatura için", "tr") == []


def test_every_moderation_reason_has_words_in_the_bot_for_both_languages():
    """The action server tells the buyer only the reasons the domain has a response for: none may be missing."""
    domain = yaml.safe_load((Path(__file__).resolve().parents[3] / "bot/domain/seller_contact.yml").read_text())
    for reason in REASONS:
        variants = domain["responses"].get(f"utter_seller_message_blocked_{reason}")
        assert variants, reason
        languages = {v.get("condition", [{}])[0].get("value") for v in variants}
        assert {"tr", "pl"} <= languages, (reason, languages)
