"""The human side's events reach the buyer's open socket; while a person has the chat, the bot is not asked."""

from __future__ import annotations

import pytest

from tests.support.conversations import buyer_token, event, open_session, start


def receive_until_idle(ws) -> list[dict]:
    frames = []
    while (frame := ws.receive_json()) != {"type": "typing", "on": False}:
        frames.append(frame)
    return frames


def test_queue_agent_bot_and_csat_reach_the_widget(client, service_headers):
    with client.websocket_connect("/api/v1/chat/ws") as ws:
        conversation = open_session(ws, language="tr", buyer_token=buyer_token(client, "tr-0001"))["conversation"]
        cid = conversation["conversation_id"]

        queued = event(client, service_headers, cid, type="state", state="queued", position=2, wait_seconds=90)
        assert queued.status_code == 200 and queued.json()["delivered_to"] == 1
        assert ws.receive_json() == {"type": "state", "state": "queued", "position": 2, "wait_seconds": 90}

        # Queued: the message is stored and acknowledged, and the (down) bot is not asked.
        ws.send_json({"type": "message", "text": "ne kadar beklerim", "client_message_id": "q1"})
        frames = receive_until_idle(ws)
        assert [f["type"] for f in frames] == ["ack", "typing"]

        event(client, service_headers, cid, type="state", state="with_agent", agent_name="Ayşe")
        assert ws.receive_json() == {"type": "state", "state": "with_agent", "agent": {"name": "Ayşe"}}
        event(client, service_headers, cid, type="agent_typing", on=True, agent_name="Ayşe")
        assert ws.receive_json()["type"] == "agent_typing"
        event(client, service_headers, cid, type="agent_message", agent_name="Ayşe", text="Merhaba, ben Ayşe.")
        said = ws.receive_json()["message"]
        assert said["sender"] == "agent" and said["agent_name"] == "Ayşe" and said["text"] == "Merhaba, ben Ayşe."

        event(client, service_headers, cid, type="state", state="bot")
        assert ws.receive_json() == {"type": "state", "state": "bot"}
        event(client, service_headers, cid, type="csat_request")
        assert ws.receive_json() == {"type": "csat_request"}
        ws.send_json({"type": "csat", "score": 5})
        assert ws.receive_json() == {"type": "csat_saved", "score": 5}
        ws.send_json({"type": "csat", "score": 9})
        assert ws.receive_json()["code"] == "invalid_frame"

    history = client.get(
        f"/api/v1/conversations/{cid}/messages", headers={"X-Conversation-Token": conversation["token"]}
    ).json()
    assert [m["sender"] for m in history["messages"]] == ["buyer", "agent"]
    assert history["conversation"]["csat_score"] == 5 and history["conversation"]["state"] == "bot"


def test_with_agent_is_visible_on_resume(client, service_headers):
    conv = start(client, "pl", "pl-0001")
    cid = conv["conversation_id"]
    event(client, service_headers, cid, type="state", state="queued", position=1)
    event(client, service_headers, cid, type="state", state="with_agent", agent_name="Kasia")
    with client.websocket_connect("/api/v1/chat/ws") as ws:
        resumed = open_session(ws, conversation_id=cid, token=conv["token"])
        assert resumed["conversation"]["state"] == "with_agent"
        assert resumed["conversation"]["agent"] == {"name": "Kasia"}


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"type": "state", "state": "with_agent", "agent_name": "X"}, 409),  # bot -> with_agent skips the queue
        ({"type": "state", "state": "sleeping"}, 422),
        ({"type": "agent_message", "agent_name": "X", "text": ""}, 422),
        ({"type": "teleport"}, 422),
    ],
)
def test_bad_events_are_refused(client, service_headers, body, status):
    cid = client.post("/api/v1/conversations", json={"language": "tr"}).json()["conversation_id"]
    assert event(client, service_headers, cid, **body).status_code == status


def test_events_need_the_service_token_and_a_real_conversation(client, service_headers):
    assert event(client, {}, "whatever", type="csat_request").status_code == 401
    assert event(client, service_headers, "nope", type="csat_request").status_code == 404
