"""The widget's WebSocket: frames, errors that keep the connection usable, resume with history."""

from __future__ import annotations

import json

from api.gateway.buyer_tokens import issue
from ops.servers import BUYER_TOKEN_SECRET
from tests.support.conversations import buyer_token, open_session


def test_message_gets_ack_and_reply(client):
    with client.websocket_connect("/api/v1/chat/ws") as ws:
        session = open_session(ws, language="pl", buyer_token=buyer_token(client, "pl-0001"))
        assert session["history"] == []
        ws.send_json({"type": "message", "text": "cześć", "client_message_id": "m1"})
        ack = ws.receive_json()
        assert ack["type"] == "ack" and ack["message"]["text"] == "cześć" and not ack["duplicate"]
        assert ws.receive_json() == {"type": "typing", "on": True}
        reply = ws.receive_json()
        assert reply["type"] == "message" and reply["message"]["sender"] == "system"
        assert "asystent" in reply["message"]["text"]
        assert ws.receive_json() == {"type": "typing", "on": False}


def test_errors_are_frames_and_the_connection_survives(client):
    with client.websocket_connect("/api/v1/chat/ws") as ws:
        ws.send_json({"type": "message", "text": "too early"})
        early = ws.receive_json()
        assert early == {"type": "error", "code": "no_session", "message": early["message"]}
        ws.send_text("{not json")
        assert ws.receive_json()["code"] == "invalid_json"
        ws.send_bytes(b"\x00\x01\xff")
        assert ws.receive_json()["code"] == "invalid_frame"
        ws.send_text(json.dumps([1, 2]))
        assert ws.receive_json()["code"] == "invalid_frame"
        ws.send_json({"type": "dance"})
        assert ws.receive_json()["code"] == "invalid_frame"
        open_session(ws, language="tr")
        ws.send_json({"type": "message", "text": "   "})
        empty = ws.receive_json()
        assert empty["code"] == "empty_message" and "Boş mesaj" in empty["message"]
        ws.send_json({"type": "message", "text": 42})
        assert ws.receive_json()["code"] == "invalid_frame"
        ws.send_json({"type": "message", "text": "merhaba"})
        assert ws.receive_json()["type"] == "ack"


def test_resume_restores_history_and_needs_the_token(client):
    with client.websocket_connect("/api/v1/chat/ws") as ws:
        session = open_session(ws, language="tr", buyer_token=buyer_token(client, "tr-0002"))
        ws.send_json({"type": "message", "text": "kargom nerde", "client_message_id": "a"})
        while ws.receive_json() != {"type": "typing", "on": False}:
            pass
    conv = session["conversation"]
    with client.websocket_connect("/api/v1/chat/ws") as ws:
        ws.send_json({"type": "start", "conversation_id": conv["conversation_id"], "token": "stolen?"})
        refused = ws.receive_json()
        assert refused["code"] == "unknown_conversation"
        resumed = open_session(ws, conversation_id=conv["conversation_id"], token=conv["token"])
        assert resumed["history"][0]["text"] == "kargom nerde"
        assert len(resumed["history"]) == 2
        ws.send_json({"type": "message", "text": "kargom nerde", "client_message_id": "a"})
        again = ws.receive_json()
        assert again["type"] == "ack" and again["duplicate"] is True
        earlier = ws.receive_json()
        assert earlier["type"] == "message" and earlier["message"] == resumed["history"][1]
        assert ws.receive_json() == {"type": "typing", "on": False}


def test_unknown_buyer_on_the_socket_is_refused_in_polish(client):
    with client.websocket_connect("/api/v1/chat/ws") as ws:
        ws.send_json({"type": "start", "language": "pl", "buyer_token": issue("x' OR 1=1 --", BUYER_TOKEN_SECRET)})
        frame = ws.receive_json()
        assert frame["code"] == "unknown_buyer" and "Nie znaleziono" in frame["message"]
