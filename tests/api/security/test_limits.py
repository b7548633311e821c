"""Rate limits and size limits: clear tr/pl refusals, and nothing a buyer sent is stored half-way.

Each test builds its own app with tight limits (and fresh in-memory counters); the shared
test app of tests/api runs with limits far above what the suite sends.
"""

from __future__ import annotations

import io
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient
from limits.strategies import MovingWindowRateLimiter
from PIL import Image

from tests.support.conversations import history, post, start, start_body

GENEROUS = "10000/minute"


@contextmanager
def limited_client(database_url: str, **limits: str):
    from api.main import create_app
    from api.settings import Settings

    values = {
        "rate_limit_messages_per_conversation": GENEROUS,
        "rate_limit_messages_per_ip": GENEROUS,
        "rate_limit_starts_per_ip": GENEROUS,
        "rate_limit_uploads_per_conversation": GENEROUS,
        "rate_limit_uploads_per_ip": GENEROUS,
        "rate_limit_faq_per_ip": GENEROUS,
        **limits,
    }
    with TestClient(create_app(Settings(database_url=database_url, **values))) as client:
        yield client


@pytest.mark.parametrize(("language", "fragment"), [("tr", "Bu mesaj kaydedilmedi"), ("pl", "nie została zapisana")])
def test_too_many_messages_in_a_conversation_are_refused_and_not_stored(database_url, language, fragment):
    with limited_client(database_url, rate_limit_messages_per_conversation="3/minute") as client:
        conv = start(client, language, f"{language}-0001")
        for n in range(3):
            assert post(client, conv, f"mesaj {n}").status_code == 200
        refused = post(client, conv, "bir tane daha", client_message_id="over-1")
        assert refused.status_code == 429
        detail = refused.json()["detail"]
        assert detail["code"] == "too_many_messages" and fragment in detail["message"]
        assert 0 < detail["retry_after"] <= 60 and refused.headers["retry-after"] == str(detail["retry_after"])
        assert str(detail["retry_after"]) in detail["message"]
        stored = [m["text"] for m in history(client, conv) if m["sender"] == "buyer"]
        assert stored == ["mesaj 0", "mesaj 1", "mesaj 2"]
        other = start(client, language, None)  # another conversation has its own allowance
        assert post(client, other, "merhaba").status_code == 200
        client.app.state.rate_limits.reset()  # the window has passed: the resend is stored once
        assert post(client, conv, "bir tane daha", client_message_id="over-1").status_code == 200
        assert post(client, conv, "bir tane daha", client_message_id="over-1").json()["duplicate"] is True


def test_the_socket_says_resend_later_and_keeps_the_connection(database_url):
    with limited_client(database_url, rate_limit_messages_per_conversation="2/minute") as client:
        with client.websocket_connect("/api/v1/chat/ws") as ws:
            ws.send_json({"type": "start", **start_body(client, "pl", "pl-0002")})
            conversation = ws.receive_json()["conversation"]
            for n in range(2):
                ws.send_json({"type": "message", "text": f"cześć {n}", "client_message_id": f"m{n}"})
                while ws.receive_json() != {"type": "typing", "on": False}:
                    pass
            ws.send_json({"type": "message", "text": "i jeszcze", "client_message_id": "m2"})
            refused = ws.receive_json()
            assert refused["type"] == "error" and refused["code"] == "too_many_messages"
            assert refused["client_message_id"] == "m2" and refused["retry_after"] >= 1
            assert "nie została zapisana" in refused["message"]
            client.app.state.rate_limits.reset()
            ws.send_json({"type": "message", "text": "i jeszcze", "client_message_id": "m2"})
            assert ws.receive_json()["type"] == "ack"
        texts = [m["text"] for m in history(client, conversation) if m["sender"] == "buyer"]
        assert texts == ["cześć 0", "cześć 1", "i jeszcze"]


def test_one_ip_is_limited_across_conversations_and_a_refusal_costs_nothing(database_url):
    with limited_client(
        database_url, rate_limit_messages_per_conversation="1/minute", rate_limit_messages_per_ip="3/minute"
    ) as client:
        first, second, third, fourth = (start(client, "tr", None) for _ in range(4))
        assert post(client, first, "a").status_code == 200
        assert post(client, first, "b").status_code == 429  # the conversation's window, not the IP's
        assert post(client, second, "c").status_code == 200
        assert post(client, third, "d").status_code == 200  # the refusal above did not use the IP's third
        over = post(client, fourth, "e")
        assert over.status_code == 429 and over.json()["detail"]["code"] == "too_many_messages"


@pytest.mark.parametrize(("language", "fragment"), [("tr", "çok fazla sohbet"), ("pl", "zbyt wiele rozmów")])
def test_too_many_new_conversations_from_one_ip(database_url, language, fragment):
    with limited_client(database_url, rate_limit_starts_per_ip="2/minute") as client:
        kept = start(client, language, None)
        start(client, language, None)
        refused = client.post("/api/v1/conversations", json={"language": language})
        assert refused.status_code == 429
        assert refused.json()["detail"]["code"] == "too_many_starts" and fragment in refused.json()["detail"]["message"]
        with client.websocket_connect("/api/v1/chat/ws") as ws:
            ws.send_json({"type": "start", "language": language})
            frame = ws.receive_json()
            assert frame["code"] == "too_many_starts" and frame["retry_after"] >= 1
            # Resuming is not starting: a buyer who already has a conversation gets back in.
            ws.send_json({"type": "start", "conversation_id": kept["conversation_id"], "token": kept["token"]})
            assert ws.receive_json()["type"] == "session"


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (5, 5), (9, 9, 9)).save(buffer, format="PNG")
    return buffer.getvalue()


def upload(client, conv: dict, **headers: str):
    return client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/attachments",
        files={"file": ("a.png", png(), "image/png")},
        headers={"X-Conversation-Token": conv["token"], **headers},
    )


@pytest.mark.parametrize(("language", "fragment"), [("tr", "Bu dosya kaydedilmedi"), ("pl", "nie został zapisany")])
def test_too_many_uploads(database_url, language, fragment):
    with limited_client(database_url, rate_limit_uploads_per_conversation="1/minute") as client:
        conv = start(client, language, None)
        assert upload(client, conv).status_code == 201
        refused = upload(client, conv)
        assert refused.status_code == 429
        assert (
            refused.json()["detail"]["code"] == "too_many_uploads" and fragment in refused.json()["detail"]["message"]
        )
        assert len(history(client, conv)) == 1


@pytest.mark.parametrize(("language", "fragment"), [("tr", "Çok fazla arama"), ("pl", "Wyszukujesz zbyt często")])
def test_too_many_faq_searches(database_url, language, fragment):
    with limited_client(database_url, rate_limit_faq_per_ip="2/minute") as client:
        for _ in range(2):
            assert client.get("/api/v1/faq", params={"q": "iade", "lang": language}).status_code == 200
        refused = client.get("/api/v1/faq", params={"q": "iade", "lang": language})
        assert refused.status_code == 429 and fragment in refused.json()["detail"]["message"]
        assert refused.headers["retry-after"].isdigit()


def test_limits_are_settings_with_a_storage_uri():
    from api.security.rate_limits import RateLimits
    from api.settings import Settings

    settings = Settings()
    assert settings.rate_limit_storage == "memory://"
    assert isinstance(RateLimits(settings)._window, MovingWindowRateLimiter)
    for name in ("rate_limit_storage", "rate_limit_messages_per_conversation", "rate_limit_faq_per_ip"):
        assert Settings.model_fields[name].description
    with pytest.raises(ValueError):
        RateLimits(Settings(rate_limit_faq_per_ip="lots"))


# -- sizes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "fragment"), [("tr", "çok büyük (en fazla 0,25 MB)"), ("pl", "za duży")])
def test_an_oversized_upload_is_refused_before_it_is_read(client, language, fragment):
    conv = start(client, language, None)
    huge = b"\x89PNG" + b"\x00" * (2 * 1024 * 1024)  # far over 256 KiB + form overhead
    response = client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/attachments",
        files={"file": ("big.png", huge, "image/png")},
        headers={"X-Conversation-Token": conv["token"]},
    )
    assert response.status_code == 413
    assert response.json()["detail"]["code"] == "attachment_too_large"
    assert fragment in response.json()["detail"]["message"]  # the conversation's language
    assert history(client, conv) == []


@pytest.mark.parametrize(("accept", "fragment"), [("pl-PL,pl;q=0.9", "za duże"), ("de-DE", "çok büyük")])
def test_an_oversized_request_body_is_refused(client, accept, fragment):
    conv = start(client, "tr", None)
    response = client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/messages",
        content=b'{"text": "' + b"a" * (2 * 1024 * 1024) + b'"}',
        headers={"X-Conversation-Token": conv["token"], "Content-Type": "application/json", "Accept-Language": accept},
    )
    assert response.status_code == 413 and response.json()["detail"]["code"] == "request_too_large"
    assert fragment in response.json()["detail"]["message"]
    assert history(client, conv) == []


def test_a_streamed_oversized_body_is_cut_off(client):
    conv = start(client, "tr", None)

    def chunks():
        for _ in range(40):
            yield b"a" * 65536

    response = client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/messages",
        content=chunks(),
        headers={"X-Conversation-Token": conv["token"], "Content-Type": "application/json"},
    )
    assert 400 <= response.status_code < 500
    assert history(client, conv) == []


def test_console_logins_are_limited_per_ip(database_url):
    with limited_client(database_url, rate_limit_logins_per_ip="2/minute") as client:
        for _ in range(2):
            assert client.post("/api/v1/console/login", json={"username": "x", "password": "y"}).status_code == 401
        refused = client.post("/api/v1/console/login", json={"username": "demo", "password": "demo-agent-2026"})
        assert refused.status_code == 429 and refused.json()["detail"]["code"] == "too_many_logins"
        assert int(refused.headers["retry-after"]) >= 1
