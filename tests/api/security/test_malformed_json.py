"""Malformed input is a 4xx (or an error frame) in the buyer's language, never a 500 or a dropped socket.

Python's json module accepts NaN, Infinity, numbers that overflow to infinity and lone surrogates
("\\ud800", or their raw bytes): none of them can be stored or written back as JSON, so each used to
end in a 500 with a traceback (HTTP) or a socket closed without a close frame (the chat WebSocket).
"""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.security.json_guard import MalformedJson, strict_loads
from ops.servers import SERVICE_TOKEN
from tests.support.conversations import history, open_session, start

JSON = {"content-type": "application/json"}
TR = "Mesaj okunamadı"
PL = "Nie udało się odczytać wiadomości"

# Bodies of a buyer message (raw JSON text, as a client could send it).
BAD_MESSAGES = [
    pytest.param(b'{"text": "a\\ud800b"}', id="surrogate-in-text"),
    pytest.param(b'{"text": "hi", "payload": "/affirm\\udc00"}', id="surrogate-in-payload"),
    pytest.param(b'{"text": "hi", "client_message_id": "\\ud800"}', id="surrogate-in-client-id"),
    pytest.param(b'{"text": "hi", "\\ud800": 1}', id="surrogate-in-a-key"),
    pytest.param('{"text": "a\udc80b"}'.encode("utf-8", "surrogatepass"), id="raw-surrogate-bytes"),
    pytest.param(b'{"text": NaN}', id="nan"),
    pytest.param(b'{"text": "x", "client_message_id": Infinity}', id="infinity"),
    pytest.param(b'{"text": "x", "payload": -Infinity}', id="minus-infinity"),
    pytest.param(b'{"text": "x", "client_message_id": 1e999}', id="overflow-to-infinity"),
    pytest.param(b'{"text": "\xff\xfe"}', id="not-utf8"),
    pytest.param(b'{"text": "x", "payload": ' + b"9" * 5000 + b"}", id="int-past-the-digit-limit"),
    pytest.param(b"[" * 50_000 + b"]" * 50_000, id="too-deep"),
]


def raw_post(client, conv: dict, body: bytes, **headers):
    return client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/messages",
        content=body,
        headers={**JSON, "X-Conversation-Token": conv["token"], **headers},
    )


def refused(response, fragment: str) -> None:
    assert response.status_code == 400, response.text
    detail = response.json()["detail"]
    assert detail["code"] == "invalid_json" and fragment in detail["message"]


@pytest.mark.parametrize("body", BAD_MESSAGES)
def test_a_malformed_message_is_refused_in_the_conversations_language_and_not_stored(client, body):
    conv = start(client, "pl", "pl-0001")
    # The conversation speaks Polish: that wins over the browser's Accept-Language.
    refused(raw_post(client, conv, body, **{"Accept-Language": "tr-TR"}), PL)
    assert history(client, conv) == []


def test_well_formed_text_still_goes_through(client):
    conv = start(client, "tr", None)
    emoji = raw_post(client, conv, b'{"text": "kargom \\ud83d\\ude00", "client_message_id": "ok-1"}')
    assert emoji.status_code == 200 and emoji.json()["message"]["text"] == "kargom \U0001f600"
    # Not JSON at all stays FastAPI's validation answer (422 with the position).
    broken = raw_post(client, conv, b'{"text": "a"')
    assert broken.status_code == 422 and broken.json()["detail"][0]["type"] == "json_invalid"


@pytest.mark.parametrize(
    ("headers", "fragment"),
    [({}, TR), ({"Accept-Language": "pl-PL,pl;q=0.9"}, PL), ({"Accept-Language": "de, tr;q=0.5"}, TR)],
)
def test_without_a_conversation_the_language_is_accept_language_else_turkish(client, headers, fragment):
    refused(client.post("/api/v1/conversations", content=b'{"language": NaN}', headers={**JSON, **headers}), fragment)


@pytest.mark.parametrize(
    ("path", "body", "service"),
    [
        ("/api/v1/conversations", b'{"language": "tr", "buyer_token": "\\ud800"}', False),
        ("/api/v1/console/login", b'{"username": "\\ud800", "password": "x"}', False),
        ("/api/v1/console/login", b'{"username": NaN, "password": "x"}', False),
        ("/api/v1/internal/moderation/seller-message", b'{"text": "\\udfff", "language": "tr"}', True),
        ("/api/v1/internal/handoffs", b'{"conversation_id": "x", "reason": "r", "details": {"a": Infinity}}', True),
        ("/api/v1/internal/conversations/x/events", b'{"type": "agent_message", "text": "\\ud800"}', True),
    ],
)
def test_every_json_endpoint_refuses_the_same_way(client, path, body, service):
    headers = {**JSON, **({"Authorization": f"Bearer {SERVICE_TOKEN}"} if service else {})}
    refused(client.post(path, content=body, headers=headers), TR)


def test_console_endpoints_with_a_session_refuse_too(client):
    from tests.support.console import login

    agent = login(client, ("tr",), online=False)
    response = client.put("/api/v1/console/presence", content=b'{"presence": "\\ud800"}', headers={**agent, **JSON})
    refused(response, TR)


@pytest.mark.parametrize("content_type", [None, "text/plain"])
def test_a_body_that_is_not_utf8_is_refused_whatever_its_type(client, content_type):
    headers = {"content-type": content_type} if content_type else {}
    response = client.post("/api/v1/console/login", content=b'{"username": "\xff"}', headers=headers)
    refused(response, TR)


def test_query_strings_cannot_smuggle_a_surrogate(client):
    # Percent-decoding replaces what is not UTF-8: a search for one is an ordinary (empty) search.
    assert client.get("/api/v1/faq?q=%ED%A0%80&lang=pl").status_code == 200


WS_BAD_FRAMES = [
    '{"type": "message", "text": "a\\ud800"}',
    '{"type": "message", "text": "x", "payload": "\\udc00"}',
    '{"type": "message", "text": "x", "client_message_id": "\\ud800"}',
    '{"type": "message", "text": NaN}',
    '{"type": "message", "text": "x", "client_message_id": Infinity}',
    '{"type": "csat", "score": -Infinity}',
    '{"type": "csat", "score": 1e400}',
    '{"type": "start", "language": "\\ud800"}',
    "[" * 50_000 + "]" * 50_000,
]


def test_the_socket_answers_malformed_frames_with_an_error_and_stays_open(client):
    with client.websocket_connect("/api/v1/chat/ws") as ws:
        conversation = open_session(ws, language="pl")["conversation"]
        for frame in WS_BAD_FRAMES:
            ws.send_text(frame)
            error = ws.receive_json()
            assert error["type"] == "error" and error["code"] == "invalid_json", frame
            assert PL in error["message"]
        ws.send_json({"type": "message", "text": "cześć", "client_message_id": "after"})
        assert ws.receive_json()["type"] == "ack"
        while ws.receive_json() != {"type": "typing", "on": False}:
            pass
    assert [m["text"] for m in history(client, conversation) if m["sender"] == "buyer"] == ["cześć"]


# What the standard library accepts: finite and non-finite floats, any strings (lone surrogates too).
any_character = st.characters(exclude_categories=()) | st.characters(categories=["Cs"])
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(any_character, max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(any_character, max_size=4), inner, max_size=4),
    max_leaves=12,
)


def _acceptable(value) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, str):
        return not any(0xD800 <= ord(c) <= 0xDFFF for c in value)
    if isinstance(value, list):
        return all(_acceptable(v) for v in value)
    if isinstance(value, dict):
        return all(_acceptable(k) and _acceptable(v) for k, v in value.items())
    return True


@given(json_values, st.booleans())
def test_strict_loads_refuses_exactly_what_cannot_be_stored_or_answered(value, ascii_only):
    document = json.dumps(value, ensure_ascii=ascii_only)
    if _acceptable(value):
        assert strict_loads(document) == json.loads(document)
        assert strict_loads(document.encode()) == json.loads(document)
    else:
        with pytest.raises(MalformedJson):
            strict_loads(document)


def test_the_console_socket_answers_malformed_frames_with_an_error_and_stays_open(client):
    from tests.support.console import login

    agent = login(client, online=False)
    with client.websocket_connect(f"/api/v1/console/ws?token={agent['Authorization'][7:]}") as ws:
        assert ws.receive_json()["type"] == "hello"
        for raw in ('{"type": "watch", "conversation_id": "\\ud800"}', '{"type": NaN}', "not json"):
            ws.send_text(raw)
            assert ws.receive_json() == {"type": "error", "code": "invalid_json"}
        ws.send_bytes(b"\xff\xfe")
        assert ws.receive_json() == {"type": "error", "code": "invalid_json"}
        ws.send_json({"type": "watch", "conversation_id": "no-such-conversation"})
        assert ws.receive_json() == {"type": "error", "code": "unknown_conversation"}  # still served
