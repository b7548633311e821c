"""Masking where text comes in: buyer messages (stored and sent to Rasa masked, with a notice),
agent replies and notes from the console, and buyer text the bot relays to support records."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from api.db import get_sessionmaker
from api.gateway.models import Message
from api.gateway.rasa_client import BotReply
from api.gateway.texts import text as gateway_text
from tests.api.helpdesk.test_console import CONSOLE, conversation, hand_over, login
from tests.api.test_chat_http import history, post, start

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
