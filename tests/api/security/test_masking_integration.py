"""Masking where text comes in: buyer messages (stored and sent to Rasa masked, with a notice),
agent replies and notes from the console, and buyer text the bot relays to support records."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from api.db import get_sessionmaker
from api.gateway.models import Message
from api.gateway.rasa_client import BotReply
from api.gateway.texts import text as gateway_text
from tests.support.console import CONSOLE, conversation, hand_over, login
from tests.support.conversations import history, post, start

CARD = "4539 1488 0343 6467"  # Luhn-valid Visa
PHONE = "0532 123 45 67"


def stored_texts(conversation_id: str) -> list[str]:
    with get_sessionmaker()() as session:
        return list(session.scalars(select(Message.text).where(Message.conversation_id == conversation_id)))


def test_buyer_message_is_masked_before_storage_and_rasa(client, app, monkeypatch):
    sent: list[str] = []

    async def fake_send(sender, message, metadata):
        sent.append(message)
        return [BotReply(text="ok")]

    monkeypatch.setattr(app.state.rasa, "send", fake_send)
    conv = start(client, "tr", "tr-0001")
    response = post(client, conv, f"Kartım {CARD}, telefonum {PHONE}; siparişim TR48213377", client_message_id="m1")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["message"]["text"] == "Kartım [CARD], telefonum [PHONE]; siparişim TR48213377"
    assert sent == ["Kartım [CARD], telefonum [PHONE]; siparişim TR48213377"]
    notice, answer = body["replies"]
    assert notice["sender"] == "system" and notice["text"] == gateway_text("personal_data_masked", "tr")
    assert answer["sender"] == "bot"
    assert not any("4539" in t or "0532" in t for t in stored_texts(conv["conversation_id"]))
    # A resend gets the same replies back, the notice included, and nothing is stored twice.
    again = post(client, conv, f"Kartım {CARD}, telefonum {PHONE}; siparişim TR48213377", client_message_id="m1")
    assert again.json()["duplicate"] and [r["id"] for r in again.json()["replies"]] == [notice["id"], answer["id"]]


def test_clean_message_gets_no_notice_and_payload_is_masked(client, app, monkeypatch):
    sent: list[str] = []

    async def fake_send(sender, message, metadata):
        sent.append(message)
        return [BotReply(text="ok")]

    monkeypatch.setattr(app.state.rasa, "send", fake_send)
    conv = start(client, "pl", "pl-0001")
    plain = post(client, conv, "gdzie jest moja paczka PL70490681?").json()
    assert [r["sender"] for r in plain["replies"]] == ["bot"]
    button = post(client, conv, "tak", payload='/inform{"note":"jan.kowalski@wp.pl"}').json()
    assert sent[-1] == '/inform{"note":"[EMAIL]"}'
    assert button["replies"][0]["text"] == gateway_text("personal_data_masked", "pl")


def test_bot_down_still_tells_the_buyer(client):
    conv = start(client, "pl", "pl-0002")
    replies = post(client, conv, "mój PESEL 44051401359").json()["replies"]
    assert replies[0]["text"] == gateway_text("personal_data_masked", "pl")
    assert replies[1]["sender"] == "system"  # the bot-unavailable apology follows
    assert "44051401359" not in str(history(client, conv))


@pytest.mark.usefixtures("staffed")
def test_agent_replies_and_notes_are_masked(client):
    headers = login(client, languages=("tr",))
    conv = conversation(client, "tr", "tr-0003")
    hand_over(client, conv["conversation_id"])
    assert client.post(f"{CONSOLE}/conversations/{conv['conversation_id']}/claim", headers=headers).status_code == 200
    reply = client.post(
        f"{CONSOLE}/conversations/{conv['conversation_id']}/messages",
        json={"text": f"Kartınız {CARD} mi?"},
        headers=headers,
    )
    assert reply.status_code == 200, reply.text
    assert reply.json()["text"] == "Kartınız [CARD] mi?"
    note = client.post(
        f"{CONSOLE}/conversations/{conv['conversation_id']}/notes",
        json={"text": f"müşteri {PHONE} numarasından aranmak istiyor"},
        headers=headers,
    )
    assert note.status_code == 201, note.text
    assert note.json()["text"] == "müşteri [PHONE] numarasından aranmak istiyor"


def test_support_records_from_buyer_text_are_masked(client, service_headers):
    complaint = client.post(
        "/api/v1/internal/buyers/tr-0001/complaints",
        json={"text": f"Param iade edilmedi, kartım {CARD}, IBAN TR33 0006 1005 1978 6457 8413 26"},
        headers=service_headers,
    )
    assert complaint.status_code == 201, complaint.text
    from api.helpdesk.models import Ticket

    with get_sessionmaker()() as session:
        summary = session.scalars(select(Ticket.summary).where(Ticket.reference == complaint.json()["reference"])).one()
    assert summary == "Param iade edilmedi, kartım [CARD], IBAN [IBAN]"


# ---- every write path, then the whole database ------------------------------------------------
# Values used by no other test (checksums valid), so finding one anywhere in the database means a
# path stored it raw. They are glued to words and file names the way buyers write them.
SWEEP_CARD = "4532017766554433"
SWEEP_TCKN = "37291508410"
SWEEP_PESEL = "88072319471"
SWEEP_IBAN = "TR850006200318274659012345"
SWEEP_PHONE = "05437718296"
SWEEP_VALUES = (SWEEP_CARD, SWEEP_TCKN, SWEEP_PESEL, SWEEP_IBAN[2:], SWEEP_PHONE[1:])


def raw_values_in_database() -> list[tuple[str, str, str]]:
    """(table, column, value) for every text cell holding a sweep value, or a card's first 12 digits."""
    import json
    import re

    from sqlalchemy import JSON, String, Text, inspect

    from api.db import Base

    needles = [*SWEEP_VALUES, SWEEP_CARD[:12]]
    hits = []
    with get_sessionmaker()() as session:
        tables = set(inspect(session.get_bind()).get_table_names())
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, String | Text | JSON)]
            if table.name not in tables or not columns:
                continue
            for row in session.execute(select(*columns)):
                for column, cell in zip(columns, row, strict=True):
                    text = cell if isinstance(cell, str) else json.dumps(cell, ensure_ascii=False)
                    digits = re.sub(r"\D", "", text or "")
                    hits += [(table.name, column.name, n) for n in needles if n in (text or "") or n in digits]
    return hits


def test_no_write_path_stores_personal_data(client, service_headers):
    from api.commerce.models import Order
    from tests.support.conversations import image_bytes, upload

    conv = start(client, "tr", "tr-0001")
    cid = conv["conversation_id"]
    # A buyer message, its button payload and its client id.
    said = post(
        client,
        conv,
        f"kartam{SWEEP_CARD} ve tc{SWEEP_TCKN}, cep{SWEEP_PHONE}",
        payload=f'/inform{{"note":"pesel_{SWEEP_PESEL}"}}',
        client_message_id=f"msg-{SWEEP_CARD}",
    )
    assert said.status_code == 200, said.text
    # An upload: its file name and its client id.
    uploaded = upload(
        client, conv, image_bytes(), name=f"dekont_{SWEEP_IBAN}.png", client_message_id=f"foto.{SWEEP_TCKN}"
    )
    assert uploaded.status_code == 201, uploaded.text
    # An agent message relayed by the human side.
    event = client.post(
        f"/api/v1/internal/conversations/{cid}/events",
        json={"type": "agent_message", "agent_name": "Ayşe", "text": f"Kartınız{SWEEP_CARD} mi?"},
        headers=service_headers,
    )
    assert event.status_code == 200, event.text
    # A handoff: summary, detail keys, a detail value whose card straddles the 200-character cut.
    handoff = client.post(
        "/api/v1/internal/handoffs",
        json={
            "conversation_id": cid,
            "reason": "buyer_request",
            "topic": f"kart{SWEEP_CARD}",
            "summary": f"Alıcı TC{SWEEP_TCKN} yazdı",
            "details": {f"kimlik_{SWEEP_TCKN}": "x", "note": "y" * 188 + SWEEP_CARD},
        },
        headers=service_headers,
    )
    assert handoff.status_code == 200, handoff.text
    # A complaint and a message to the seller.
    complaint = client.post(
        "/api/v1/internal/buyers/tr-0001/complaints",
        json={"text": f"Param yatmadı, iban{SWEEP_IBAN} hesabıma", "conversation_id": cid},
        headers=service_headers,
    )
    assert complaint.status_code == 201, complaint.text
    with get_sessionmaker()() as session:
        number = session.scalars(select(Order.number).where(Order.buyer_id == "tr-0001")).first()
    seller = client.post(
        "/api/v1/internal/buyers/tr-0001/seller-messages",
        json={"order_number": number, "text": f"Ürün kırık, foto kirik_{SWEEP_CARD}.jpg", "language": "tr"},
        headers=service_headers,
    )
    assert seller.status_code == 201, seller.text
    # The seller's answer to it and a case update's note, from the seller portal.
    from tests.support.sellers import login as seller_login

    seller_id = session_seller(seller.json()["id"])
    portal = seller_login(client, seller_id)
    answered = client.post(
        f"/api/v1/seller/questions/{seller.json()['id']}/answer",
        json={"text": f"Faturada TC{SWEEP_TCKN} ve kartınız{SWEEP_CARD} görünüyor."},
        headers=portal.headers,
    )
    assert answered.status_code == 201, answered.text
    noted = client.post(
        f"/api/v1/seller/orders/{number}/status-updates",
        json={"status": "return_received", "note": f"İade dekontu kimlik_{SWEEP_TCKN}.pdf ile geldi"},
        headers=portal.headers,
    )
    assert noted.status_code == 201, noted.text
    assert raw_values_in_database() == []


def session_seller(question_id: int) -> str:
    from api.support.models import SellerMessage

    with get_sessionmaker()() as session:
        return session.get(SellerMessage, question_id).seller_id


def test_client_message_id_with_personal_data_is_stored_masked_and_resends_still_match(client):
    conv = start(client, "pl", "pl-0001")
    first = post(client, conv, "gdzie paczka", client_message_id=f"kartam{SWEEP_CARD}").json()
    stored = first["message"]["client_message_id"]
    assert SWEEP_CARD not in stored and stored.startswith("masked-")
    again = post(client, conv, "gdzie paczka", client_message_id=f"kartam{SWEEP_CARD}").json()
    assert again["duplicate"] is True and again["message"]["id"] == first["message"]["id"]
    # Another id with another number in it is another message, not a resend of the first.
    other = post(client, conv, "gdzie paczka", client_message_id="kartam5173092211846073").json()
    assert other["duplicate"] is False and other["message"]["client_message_id"] != stored
    # Ordinary ids (the widget's) come back exactly as sent.
    plain = post(client, conv, "dzięki", client_message_id="c-1f3a9b").json()
    assert plain["message"]["client_message_id"] == "c-1f3a9b"


def test_text_sent_to_rasa_is_masked_at_the_client():
    import asyncio

    import httpx

    from api.gateway.rasa_client import RasaClient

    seen: list[dict] = []

    def handler(request: httpx.Request) -> httpx.Response:
        import json

        seen.append(json.loads(request.content))
        return httpx.Response(200, json=[{"text": "ok"}] if "webhook" in request.url.path else {"intent_ranking": []})

    rasa = RasaClient("http://rasa.test", 2, "t")
    rasa._client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    asyncio.run(rasa.send("c1", f"kartam{SWEEP_CARD}", {"language": "tr"}))
    asyncio.run(rasa.parse(f"pesel{SWEEP_PESEL}zdj.png", "pl"))
    assert seen[0]["message"] == "kartam[CARD]" and seen[1]["text"] == "pesel[PESEL]zdj.png"
