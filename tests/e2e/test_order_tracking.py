"""Whole conversations through the real gateway, Rasa and action server, in Turkish and Polish."""

from __future__ import annotations

import re

import pytest

from ops.servers import http_json
from tests.support.stack import texts

TURKISH_MARKERS = ("Kargo firması", "Kargo takip numarası")
POLISH_MARKERS = ("Przewoźnik", "Numer przesyłki")


def test_health_is_green_when_everything_runs(stack):
    status, body = http_json(f"{stack.api_url}/healthz")
    assert status == 200, body
    assert body["checks"] == {"database": "ok", "rasa": "ok", "action_server": "ok"}


@pytest.mark.parametrize(
    ("language", "buyer", "question", "markers"),
    [
        ("tr", "tr-0001", "siparişim nerede", TURKISH_MARKERS),
        ("tr", "tr-0001", "kargom nerde kaldı ya", TURKISH_MARKERS),
        ("pl", "pl-0001", "gdzie jest moja paczka", POLISH_MARKERS),
        ("pl", "pl-0001", "kiedy dojdzie moje zamowienie", POLISH_MARKERS),
    ],
)
def test_single_open_order_is_answered_at_once(stack, chat, language, buyer, question, markers):
    order = stack.internal(f"/buyers/{buyer}/trackable-orders")["orders"][0]
    reply = texts(chat(language, buyer).say(question))
    assert order["number"] in reply
    assert order["shipment"]["carrier"] in reply
    assert order["shipment"]["tracking_code"] in reply
    assert all(marker in reply for marker in markers)


def test_turkish_buyer_picks_one_of_several_orders_by_button(stack, chat):
    orders = stack.internal("/buyers/tr-0002/trackable-orders")["orders"]
    conversation = chat("tr", "tr-0002")
    reply = conversation.say("merhaba, kargom ne zaman gelir")
    assert "Hangisini" in texts(reply)
    assert [b["title"].split(" · ")[0] for b in conversation.last_buttons] == [o["number"] for o in orders]
    shipped = next(i for i, o in enumerate(orders) if o["shipment"])
    answer = texts(conversation.click(shipped))
    assert orders[shipped]["shipment"]["tracking_code"] in answer
    assert "Kargo firması" in answer


def test_polish_buyer_types_the_number(stack, chat):
    orders = stack.internal("/buyers/pl-0002/trackable-orders")["orders"]
    conversation = chat("pl", "pl-0002")
    assert "O które chodzi" in texts(conversation.say("co z moim zamówieniem?"))
    number = next(o for o in orders if o["shipment"])
    typed = f"{number['number'][:2].lower()} {number['number'][2:]}"
    answer = texts(conversation.say(typed))
    assert number["shipment"]["tracking_code"] in answer and "Przewoźnik" in answer


def test_polish_unknown_numbers_three_times_then_a_person_is_offered(stack, chat):
    foreign = stack.internal("/buyers/pl-0001/trackable-orders")["orders"][0]["number"]
    conversation = chat("pl", "pl-0002")
    conversation.say("gdzie moja paczka")
    first = texts(conversation.say("PL00000001"))
    assert "nie ma zamówienia o numerze PL00000001" in first
    second = texts(conversation.say(foreign))
    assert f"nie ma zamówienia o numerze {foreign}" in second  # someone else's order: same answer
    third = conversation.say("12345")
    assert "To nie wygląda na numer zamówienia" in texts(third)
    assert "konsultantowi" in texts(third)
    assert [b["payload"] for b in conversation.last_buttons] == ["/human_agent", "/deny"]
    assert re.search(r"PL-\d{6}-\d{4}", texts(conversation.click(0)))  # a person: a ticket when none is online


def test_turkish_unknown_number_then_success(stack, chat):
    own = stack.internal("/buyers/tr-0002/trackable-orders")["orders"][0]["number"]
    conversation = chat("tr", "tr-0002")
    conversation.say("siparişimi takip etmek istiyorum")
    assert "TR99999999 numaralı bir sipariş bulunmuyor" in texts(conversation.say("TR99999999"))
    assert own in texts(conversation.say(own))


def test_order_number_in_the_first_message(stack, chat):
    order = stack.internal("/buyers/tr-0002/trackable-orders")["orders"][-1]
    reply = texts(chat("tr", "tr-0002").say(f"{order['number']} nolu siparişim nerede"))
    assert order["number"] in reply


@pytest.mark.parametrize(
    ("language", "question", "expected"),
    [("tr", "kargom nerede", "giriş yapmanız gerekiyor"), ("pl", "gdzie jest paczka", "zaloguj się")],
)
def test_anonymous_buyer_is_asked_to_sign_in(chat, language, question, expected):
    assert expected in texts(chat(language, None).say(question))


def test_language_switch_on_request(chat):
    conversation = chat("tr", "tr-0001")
    assert "Merhaba" in texts(conversation.say("merhaba"))
    assert "po polsku" in texts(conversation.say("Polski proszę"))
    assert "Przewoźnik" in texts(conversation.say("gdzie jest moja paczka"))
    assert "Türkçe devam" in texts(conversation.say("Türkçe konuşalım lütfen"))


@pytest.mark.parametrize(
    ("language", "message", "expected"),
    [
        ("tr", "yarın hava nasıl olacak", "yardımcı olamıyorum"),
        ("pl", "jaka będzie jutro pogoda", "w tym nie pomogę"),
        ("tr", "bot musun sen", "sanal asistan"),
        ("pl", "czy ty jesteś botem", "wirtualnym asystentem"),
    ],
)
def test_small_talk_stays_in_the_buyers_language(chat, language, message, expected):
    assert expected in texts(chat(language, None).say(message))
