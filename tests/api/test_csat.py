"""CSAT is taken only when the buyer was asked (an agent resolved or handed back, or the human side asked),
and once per request; otherwise the widget's socket gets an error frame in the buyer's language."""

from __future__ import annotations

import pytest

from tests.support.console import CONSOLE, hand_over, login
from tests.support.conversations import buyer_token, event, open_session

pytestmark = pytest.mark.usefixtures("agents_go_home")


def frames_until(ws, kind: str) -> list[dict]:
    frames = [ws.receive_json()]
    while frames[-1]["type"] != kind:
        frames.append(ws.receive_json())
    return frames


def rate(ws, score) -> dict:
    ws.send_json({"type": "csat", "score": score})
    return ws.receive_json()


def stored(conversation_id: str) -> tuple[int | None, object]:
    from api.db import get_sessionmaker
    from api.gateway.models import Conversation

    with get_sessionmaker()() as session:
        row = session.get(Conversation, conversation_id)
        return row.csat_score, row.csat_requested_at


def with_an_agent(client, ws, language: str, buyer: str) -> tuple[str, dict]:
    agent = login(client, (language,))
    cid = open_session(ws, language=language, buyer_token=buyer_token(client, buyer))["conversation"]["conversation_id"]
    hand_over(client, cid)
    assert client.post(f"{CONSOLE}/conversations/{cid}/claim", headers=agent).status_code == 200
    frames_until(ws, "state")  # queued ...
    while ws.receive_json().get("state") != "with_agent":
        pass
    return cid, agent


@pytest.mark.parametrize(
    ("language", "buyer", "fragment"), [("tr", "tr-0002", "görüşmeniz bittiğinde"), ("pl", "pl-0002", "po zakończeniu")]
)
def test_a_rating_nobody_asked_for_is_refused_in_the_buyers_language(client, language, buyer, fragment):
    with client.websocket_connect("/api/v1/chat/ws") as ws:
        cid = open_session(ws, language=language, buyer_token=buyer_token(client, buyer))["conversation"][
            "conversation_id"
        ]
        refused = rate(ws, 1)
        assert refused["type"] == "error" and refused["code"] == "csat_not_requested"
        assert fragment in refused["message"]
        assert rate(ws, 7)["code"] == "invalid_frame"  # out of range stays what it was
        ws.send_json({"type": "message", "text": "merhaba", "client_message_id": "still-open"})
        assert ws.receive_json()["type"] == "ack"
    assert stored(cid) == (None, None)


def test_resolving_asks_once_and_the_first_rating_stands(client, staffed):
    with client.websocket_connect("/api/v1/chat/ws") as ws:
        cid, agent = with_an_agent(client, ws, "pl", "pl-0002")
        assert rate(ws, 1)["code"] == "csat_not_requested"  # the agent is still helping
        assert client.post(f"{CONSOLE}/conversations/{cid}/resolve", headers=agent).status_code == 200
        assert frames_until(ws, "csat_request")[-1] == {"type": "csat_request"}
        assert rate(ws, 4) == {"type": "csat_saved", "score": 4}
        again = rate(ws, 1)
        assert again["code"] == "csat_already_given" and "już" in again["message"]
    assert stored(cid)[0] == 4


def test_handing_back_asks_too(client, staffed):
    with client.websocket_connect("/api/v1/chat/ws") as ws:
        cid, agent = with_an_agent(client, ws, "tr", "tr-0002")
        assert client.post(f"{CONSOLE}/conversations/{cid}/handback", headers=agent).status_code == 200
        frames_until(ws, "csat_request")
        assert rate(ws, 5) == {"type": "csat_saved", "score": 5}
        assert rate(ws, 5)["code"] == "csat_already_given"
    assert stored(cid)[0] == 5


def test_a_new_request_takes_a_new_rating(client, service_headers):
    with client.websocket_connect("/api/v1/chat/ws") as ws:
        cid = open_session(ws, language="tr", buyer_token=buyer_token(client, "tr-0001"))["conversation"][
            "conversation_id"
        ]
        for score in (2, 5):
            assert event(client, service_headers, cid, type="csat_request").status_code == 200
            assert ws.receive_json() == {"type": "csat_request"}
            assert rate(ws, score) == {"type": "csat_saved", "score": score}
            assert rate(ws, 3)["code"] == "csat_already_given"
    assert stored(cid)[0] == 5
