"""Every support flow end to end (gateway -> Rasa -> action server -> api) in Turkish and Polish,
against the demo fixtures 0003-0006 of each market."""

from __future__ import annotations

import io
import re

import httpx
import pytest
from PIL import Image

from tests.support.stack import texts

LANGUAGES = ["tr", "pl"]
TICKET = {"tr": re.compile(r"TR-\d{6}-\d{4}"), "pl": re.compile(r"PL-\d{6}-\d{4}")}
ENGLISH = re.compile(r"\b(the|your|please|order|sorry|refund)\b", re.I)
SAY = {
    "cancel": {"tr": "siparişimi iptal etmek istiyorum", "pl": "chcę anulować zamówienie"},
    "return": {"tr": "aldığım ürünü iade etmek istiyorum", "pl": "chcę zwrócić produkt, który dostałem"},
    "return_status": {"tr": "iade ettiğim ürün ne durumda", "pl": "co się dzieje z moim zwrotem"},
    "return_rejected": {"tr": "satıcı iademi reddetmiş, kabul etmiyorum", "pl": "sprzedawca odrzucił mój zwrot"},
    "digital": {"tr": "aldığım oyun kodu çalışmıyor", "pl": "kod do gry nie działa"},
    "wallet": {"tr": "cüzdanımdaki bakiye bloke olmuş", "pl": "środki w portfelu są zablokowane"},
    "not_received": {
        "tr": "kargo teslim edildi görünüyor ama paket elime ulaşmadı",
        "pl": "status mówi doręczono, ale paczki nie dostałem",
    },
    "damaged": {"tr": "ürün kırık geldi kutusu ezilmiş", "pl": "paczka przyszła zgnieciona, produkt uszkodzony"},
    "wrong": {"tr": "siparişimde yanlış ürün geldi", "pl": "przyszedł inny produkt niż zamówiłem"},
    "seller": {"tr": "satıcıya soru sormak istiyorum", "pl": "chcę napisać do sprzedawcy"},
    "account": {"tr": "hesabıma kısıtlama gelmiş sipariş veremiyorum", "pl": "moje konto jest zablokowane"},
    "complaint": {"tr": "şikayette bulunmak istiyorum", "pl": "chcę złożyć skargę"},
}


def assert_clean(reply: str) -> None:
    assert not ENGLISH.search(reply), reply


def click_number(conversation, number: str):
    index = next(i for i, b in enumerate(conversation.last_buttons) if b["title"].startswith(number))
    return conversation.click(index)


def click_payload(conversation, fragment: str):
    index = next(i for i, b in enumerate(conversation.last_buttons) if fragment in b["payload"])
    return conversation.click(index)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_cancel_a_preparing_order_then_nothing_left_to_cancel(stack, chat, lang):
    buyer = f"{lang}-0004"
    [order] = stack.internal(f"/buyers/{buyer}/orders?purpose=cancel")["orders"]
    conversation = chat(lang, buyer)
    asked = texts(conversation.say(SAY["cancel"][lang]))
    assert order["number"] in asked and [b["payload"] for b in conversation.last_buttons] == ["/affirm", "/deny"]
    done = texts(conversation.click(0))
    assert order["number"] in done and ("TL" if lang == "tr" else "zł") in done
    assert_clean(done)
    assert stack.internal(f"/buyers/{buyer}/orders?purpose=cancel")["count"] == 0
    wallet = stack.internal(f"/buyers/{buyer}/wallet")
    assert order["number"] in [line["order_number"] for line in wallet["frozen"]]
    again = texts(conversation.say(SAY["cancel"][lang]))
    assert again and order["number"] not in again


@pytest.mark.parametrize("lang", LANGUAGES)
def test_return_with_an_faq_digression_then_a_closed_window(stack, chat, lang):
    buyer = f"{lang}-0004"
    delivered = stack.internal(f"/buyers/{buyer}/orders?purpose=delivered")["orders"]
    offered = {o["number"] for o in stack.internal(f"/buyers/{buyer}/orders?purpose=return")["orders"]}
    verdicts = {
        o["number"]: stack.internal(f"/buyers/{buyer}/orders/{o['number']}/return-eligibility") for o in delivered
    }
    eligible = next(n for n, v in verdicts.items() if v["eligible"])
    closed = next(n for n, v in verdicts.items() if v["reason"] == "window_closed")
    conversation = chat(lang, buyer)
    conversation.say(SAY["return"][lang])
    # Only deliveries within the window are offered; the closed one is reachable by typing its number.
    assert {b["title"][:10] for b in conversation.last_buttons} == offered == set(verdicts) - {closed}
    reply = click_number(conversation, eligible)
    if any("return_item" in b["payload"] for b in conversation.last_buttons):
        reply = conversation.click(0)
    assert any("return_reason" in b["payload"] for b in conversation.last_buttons), texts(reply)
    faq = texts(conversation.say("iade süresi kaç gün" if lang == "tr" else "ile mam dni na zwrot towaru"))
    assert "14" in faq  # the FAQ answer, then the form asks its question again
    assert any("return_reason" in b["payload"] for b in conversation.last_buttons), faq
    created = texts(click_payload(conversation, "doesnt_fit"))
    assert (
        re.search(rf"RET-{lang.upper()}-\d{{6}}", created)
        and ("Yurtiçi Kargo" if lang == "tr" else "InPost") in created
    )
    assert_clean(created)
    conversation.say(SAY["return"][lang])
    blocked = texts(conversation.say(closed))
    deadline = verdicts[closed]["deadline"]
    assert f"{deadline[8:10]}.{deadline[5:7]}.{deadline[:4]}" in blocked


@pytest.mark.parametrize("lang", LANGUAGES)
def test_return_status_lists_every_return(stack, chat, lang):
    returns = stack.internal(f"/buyers/{lang}-0005/returns")["returns"]
    reply = texts(chat(lang, f"{lang}-0005").say(SAY["return_status"][lang]))
    assert all(r["code"] in reply for r in returns)
    assert_clean(reply)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_rejected_return_resubmitted_with_a_photo(stack, chat, lang):
    buyer = f"{lang}-0005"
    [rejected] = stack.internal(f"/buyers/{buyer}/returns?state=rejected")["returns"]
    conversation = chat(lang, buyer)
    shown = texts(conversation.say(SAY["return_rejected"][lang]))
    assert rejected["rejection_reason"] in shown and rejected["code"] in shown
    conversation.say(
        "ürünü hiç kullanmadım, etiketi üzerinde" if lang == "tr" else "nie używałem, metka jest na miejscu"
    )
    assert [b["payload"] for b in conversation.last_buttons] == ["/affirm", "/deny"]
    image = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(image, format="PNG")
    conversation_id = conversation.session["conversation"]["conversation_id"]
    uploaded = httpx.post(
        f"{stack.api_url}/api/v1/conversations/{conversation_id}/attachments",
        files={"file": ("etiket.png", image.getvalue(), "image/png")},
        headers={"X-Conversation-Token": conversation.session["conversation"]["token"]},
    )
    assert uploaded.status_code == 201, uploaded.text
    done = texts(conversation.click(0))
    assert rejected["code"] in done and "1" in done
    after = stack.internal(f"/buyers/{buyer}/returns")["returns"]
    assert next(r for r in after if r["code"] == rejected["code"])["state"] == "requested"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_second_rejection_goes_to_a_person(stack, chat, lang):
    reply = texts(chat(lang, f"{lang}-0006").say(SAY["return_rejected"][lang]))
    assert TICKET[lang].search(reply), reply


@pytest.mark.parametrize(("lang", "which", "expect"), [("tr", 1, "ticket"), ("pl", 2, "masked")])
def test_digital_code_follows_the_seed_table(stack, chat, lang, which, expect):
    buyer = f"{lang}-0004"
    digital = stack.internal(f"/buyers/{buyer}/orders?purpose=digital")["orders"]  # undelivered, fresh, activated
    conversation = chat(lang, buyer)
    conversation.say(SAY["digital"][lang])
    click_number(conversation, digital[which]["number"])
    reply = texts(click_payload(conversation, "invalid"))
    if expect == "ticket":
        assert TICKET[lang].search(reply), reply
    else:
        assert "XXXX-XXXX-" in reply
    assert_clean(reply)


@pytest.mark.parametrize(("lang", "buyer", "expect"), [("tr", "tr-0006", "ticket"), ("pl", "pl-0005", "ticket")])
def test_frozen_wallet_security_hold_and_system_freeze(stack, chat, lang, buyer, expect):
    reply = texts(chat(lang, buyer).say(SAY["wallet"][lang]))
    assert TICKET[lang].search(reply), reply
    assert_clean(reply)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_delivered_not_received_opens_an_investigation(stack, chat, lang):
    buyer = f"{lang}-0004"
    order = stack.internal(f"/buyers/{buyer}/orders?purpose=delivered")["orders"][0]
    facts = stack.internal(f"/buyers/{buyer}/orders/{order['number']}/delivery")
    conversation = chat(lang, buyer)
    conversation.say(SAY["not_received"][lang])
    shown = texts(click_number(conversation, order["number"]))
    assert facts["delivered_to"] in shown and facts["carrier"] in shown
    opened = texts(conversation.click(0))
    assert TICKET[lang].search(opened), opened
    assert_clean(opened)


# The reported edge: tr-0001's newest order is in transit, pl-0001's waits at a pickup point; both have
# two delivered ones. "Delivered but not received" offers only the delivered ones; the newer parcel
# is still reachable by typing its number and gets "still on its way, expected <date>", no fallback.
NOT_YET = {"tr": "hâlâ yolda, tahmini teslim tarihi", "pl": "jest nadal w drodze, przewidywana dostawa"}
REPHRASE = {"tr": "anlayamadım", "pl": "nie do końca rozumiem"}  # utter_ask_rephrase, the fallback


@pytest.mark.parametrize("lang", LANGUAGES)
def test_delivered_not_received_offers_delivered_orders_first(stack, chat, lang):
    buyer = f"{lang}-0001"
    every = stack.internal(f"/buyers/{buyer}/orders?purpose=seller")["orders"]
    delivered = stack.internal(f"/buyers/{buyer}/orders?purpose=delivered")["orders"]
    on_its_way = next(o for o in every if o["status"] != "delivered")
    assert every[0]["number"] == on_its_way["number"]  # newest first: the edge is reproduced
    conversation = chat(lang, buyer)
    conversation.say(SAY["not_received"][lang])
    offered = [b["title"].split(" · ")[0] for b in conversation.last_buttons]
    assert offered == [o["number"] for o in delivered] and on_its_way["number"] not in offered
    reply = texts(conversation.say(on_its_way["number"]))
    assert on_its_way["number"] in reply and NOT_YET[lang] in reply, reply
    assert REPHRASE[lang] not in reply.lower(), reply
    assert_clean(reply)


@pytest.mark.parametrize(("lang", "moment"), [("tr", "at_door"), ("pl", "after_delivery")])
def test_damaged_item_records(stack, chat, lang, moment):
    buyer = f"{lang}-0005"
    order = stack.internal(f"/buyers/{buyer}/orders?purpose=damaged")["orders"][0]
    conversation = chat(lang, buyer)
    conversation.say(SAY["damaged"][lang])
    click_number(conversation, order["number"])
    reply = texts(click_payload(conversation, moment))
    assert TICKET[lang].search(reply), reply


@pytest.mark.parametrize(("lang", "problem"), [("tr", "wrong"), ("pl", "missing")])
def test_wrong_or_missing_item(stack, chat, lang, problem):
    buyer = f"{lang}-0006"
    order = stack.internal(f"/buyers/{buyer}/orders?purpose=wrong_or_missing")["orders"][0]
    conversation = chat(lang, buyer)
    reply = conversation.say(SAY["wrong"][lang])
    if conversation.last_buttons and "order_number" in conversation.last_buttons[0]["payload"]:
        click_number(conversation, order["number"])
    reply = texts(click_payload(conversation, problem))
    if problem == "missing":
        assert TICKET[lang].search(reply), reply
    else:
        assert reply and not TICKET[lang].search(reply)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_seller_message_blocked_then_sent(stack, chat, lang):
    buyer = f"{lang}-0001"
    order = stack.internal(f"/buyers/{buyer}/orders?purpose=seller")["orders"][0]
    conversation = chat(lang, buyer)
    conversation.say(SAY["seller"][lang])
    click_number(conversation, order["number"])
    # "call me at <number>" reads as a plea for a person; as the seller message it is refused, not handed over.
    phone = "beni 0532 444 55 66 dan arayın" if lang == "tr" else "zadzwoń do mnie 601 222 333"
    blocked = texts(conversation.say(phone))
    assert "0532" not in blocked and "601" not in blocked
    # Masked before the bot saw it, the number still refuses the message, and the buyer hears both why.
    assert ("telefon numarası içerdiği" if lang == "tr" else "zawiera numer telefonu") in blocked, blocked
    assert ("kişisel bilgileri" if lang == "tr" else "danych osobowych") in blocked, blocked
    clean = "Hediye paketi yapabilir misiniz?" if lang == "tr" else "Czy możecie zapakować na prezent?"
    sent = texts(conversation.say(clean))
    assert re.search(r"\d{2}\.\d{2}\.\d{4}", sent), sent
    assert ("72" if lang == "tr" else "24") in sent
    assert_clean(sent)


@pytest.mark.parametrize(("lang", "buyer"), [("tr", "tr-0004"), ("pl", "pl-0006")])
def test_account_restrictions(stack, chat, lang, buyer):
    reply = texts(chat(lang, buyer).say(SAY["account"][lang]))
    if buyer.endswith("0006"):
        assert TICKET[lang].search(reply), reply  # suspension: a person takes it
    else:
        assert re.search(r"\d{2}\.\d{2}\.\d{4}", reply), reply
    assert_clean(reply)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_complaint_recorded_with_the_market_bodies(stack, chat, lang):
    conversation = chat(lang, f"{lang}-0003")
    conversation.say(SAY["complaint"][lang])
    story = (
        "üç haftadır iadem için kimse dönüş yapmadı, çağrı merkezi de telefonu kapatıyor"
        if lang == "tr"
        else "od trzech tygodni nikt nie odpowiada w sprawie mojego zwrotu, infolinia się rozłącza"
    )
    reply = texts(conversation.say(story))
    assert TICKET[lang].search(reply), reply
    assert ("CİMER" if lang == "tr" else "UOKiK") in reply


@pytest.mark.parametrize(
    ("lang", "question", "fact"),
    [("tr", "müşteri hizmetleri kaçta kapanıyor", "24:00"), ("pl", "jakie są metody płatności", "BLIK")],
)
def test_faq_in_chat_and_on_demand_from_the_same_model(stack, chat, lang, question, fact):
    assert fact in texts(chat(lang, None).say(question))
    response = httpx.get(f"{stack.api_url}/api/v1/faq", params={"q": question, "lang": lang})
    body = response.json()
    assert response.status_code == 200 and body["source"] == "model", body
    assert fact in body["results"][0]["answer"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_person_on_request(stack, chat, lang):
    question = "müşteri temsilcisiyle görüşmek istiyorum" if lang == "tr" else "chcę rozmawiać z konsultantem"
    reply = texts(chat(lang, f"{lang}-0002").say(question))
    assert TICKET[lang].search(reply), reply


@pytest.mark.parametrize("lang", LANGUAGES)
def test_anonymous_buyer_is_asked_to_sign_in(stack, chat, lang):
    reply = texts(chat(lang, None).say(SAY["wallet"][lang]))
    assert reply and not TICKET[lang].search(reply)
    assert_clean(reply)
