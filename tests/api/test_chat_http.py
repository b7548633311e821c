"""The HTTP fallback of the chat: conversations, validation, idempotency, bot-down behaviour."""

from __future__ import annotations

import pytest

from api.gateway.buyer_tokens import issue
from ops.servers import BUYER_TOKEN_SECRET
from tests.support.conversations import history, post, start


def test_conversation_takes_the_buyers_market(client):
    conv = start(client, "pl", "pl-0002")
    assert conv["market"] == "PL" and conv["language"] == "pl" and conv["state"] == "bot"
    assert start(client, "tr", None)["buyer_id"] is None


@pytest.mark.parametrize(
    ("body", "code", "fragment"),
    [
        ({"language": "de"}, "unsupported_language", "Türkçe"),
        ({"language": "pl", "buyer_id": "pl-0001"}, "buyer_token_required", "musisz się zalogować"),
        ({"language": "tr", "buyer_id": "tr-0001"}, "buyer_token_required", "giriş yapmanız gerekiyor"),
        (
            {"language": "pl", "buyer_token": issue("pl-9999", BUYER_TOKEN_SECRET)},
            "unknown_buyer",
            "Nie znaleziono konta",
        ),
        (
            {"language": "tr", "buyer_token": issue("nobody", BUYER_TOKEN_SECRET)},
            "unknown_buyer",
            "Müşteri hesabı bulunamadı",
        ),
    ],
)
def test_bad_starts_get_a_clear_error(client, body, code, fragment):
    response = client.post("/api/v1/conversations", json=body)
    assert response.status_code == 422
    assert response.json()["detail"]["code"] == code
    assert fragment in response.json()["detail"]["message"]


@pytest.mark.parametrize(("language", "fragment"), [("tr", "asistanımız şu anda"), ("pl", "nasz asystent nie może")])
def test_bot_down_gives_a_friendly_answer_and_keeps_the_message(client, language, fragment):
    conv = start(client, language, f"{language}-0001")
    response = post(client, conv, "siparişim nerede" if language == "tr" else "gdzie jest moja paczka")
    assert response.status_code == 200
    body = response.json()
    assert body["message"]["sender"] == "buyer"
    assert [r["sender"] for r in body["replies"]] == ["system"]
    assert fragment in body["replies"][0]["text"]
    assert [m["sender"] for m in history(client, conv)] == ["buyer", "system"]


def test_resent_message_is_stored_once(client):
    conv = start(client)
    first = post(client, conv, "merhaba", client_message_id="c-1").json()
    again = post(client, conv, "merhaba", client_message_id="c-1").json()
    assert again["duplicate"] is True
    assert again["message"]["id"] == first["message"]["id"]
    assert again["replies"] == first["replies"]
    assert len(history(client, conv)) == 2


@pytest.mark.parametrize(
    ("text", "code", "language", "fragment"),
    [
        ("", "empty_message", "tr", "Boş mesaj"),
        ("   \n\t ", "empty_message", "pl", "pustej wiadomości"),
        ("x" * 2001, "message_too_long", "tr", "2000"),
        ("x" * 2001, "message_too_long", "pl", "za długa"),
    ],
)
def test_bad_text_is_refused_and_nothing_is_stored(client, text, code, language, fragment):
    conv = start(client, language, None)
    response = post(client, conv, text)
    assert response.status_code == 422
    assert response.json()["detail"]["code"] == code
    assert fragment in response.json()["detail"]["message"]
    assert history(client, conv) == []


def test_button_payload_must_look_like_one(client):
    conv = start(client)
    assert post(client, conv, "TR1", payload="rm -rf").status_code == 422
    ok = post(client, conv, "TR12345678 · Kulaklık", payload='/inform{"order_number":"TR12345678"}')
    assert ok.status_code == 200
    assert ok.json()["message"]["text"] == "TR12345678 · Kulaklık"
    assert ok.json()["message"]["payload"].startswith("/inform")


def test_html_is_kept_as_plain_text(client):
    conv = start(client)
    payload = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
    assert post(client, conv, payload).status_code == 200
    assert history(client, conv)[0]["text"] == payload


@pytest.mark.parametrize("token", ["wrong", None])
def test_a_conversation_needs_its_token(client, token):
    conv = start(client)
    headers = {"X-Conversation-Token": token} if token else {}
    response = client.get(f"/api/v1/conversations/{conv['conversation_id']}/messages", headers=headers)
    assert response.status_code == 404
    assert response.json()["detail"]["code"] == "unknown_conversation"


def test_unknown_conversation(client):
    response = client.post(
        "/api/v1/conversations/doesnotexist/messages", json={"text": "hi"}, headers={"X-Conversation-Token": "x"}
    )
    assert response.status_code == 404


def test_malformed_json_body(client):
    conv = start(client)
    response = client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/messages",
        content=b"{not json",
        headers={"X-Conversation-Token": conv["token"], "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert history(client, conv) == []
