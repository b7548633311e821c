"""The agent console api: logins, the queue, claims (one winner), replies both ways, hand back."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from zoneinfo import ZoneInfo

import pytest

from tests.support.console import CONSOLE, conversation, empty_queue, hand_over, login, make_agent

pytestmark = pytest.mark.usefixtures("agents_go_home")


@pytest.fixture(scope="module")
def app(own_database: str):
    """Queue positions are read here: an app on a database of its own, so conversations other modules
    left queued (some offered to one agent first, which no new agent can claim) are not in the line."""
    from api.main import create_app

    return create_app()


def test_login_needs_the_right_password_and_sessions_end(client):
    username, password = make_agent()
    wrong = client.post(f"{CONSOLE}/login", json={"username": username, "password": "nope-nope"})
    unknown = client.post(f"{CONSOLE}/login", json={"username": "nobody", "password": "whatever1"})
    assert wrong.status_code == unknown.status_code == 401
    token = client.post(f"{CONSOLE}/login", json={"username": username.upper(), "password": password}).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get(f"{CONSOLE}/me", headers=headers).json()["username"] == username
    assert client.post(f"{CONSOLE}/logout", headers=headers).status_code == 204
    assert client.get(f"{CONSOLE}/me", headers=headers).status_code == 401
    assert client.get(f"{CONSOLE}/queue").status_code == 401


def test_password_is_stored_as_argon2():
    from sqlalchemy import select

    from api.db import get_sessionmaker
    from api.helpdesk.models import Agent

    username, password = make_agent()
    with get_sessionmaker()() as session:
        stored = session.scalars(select(Agent.password_hash).where(Agent.username == username)).one()
    assert stored.startswith("$argon2id$") and password not in stored


def test_nobody_online_leaves_a_message_as_a_ticket(client, staffed):
    convo = conversation(client, "pl", "pl-0002")  # no Polish agent is online in this test session
    result = hand_over(client, convo["conversation_id"])
    assert result["mode"] == "ticket" and result["reference"].startswith("PL-")


def test_outside_staffed_hours_it_is_a_ticket(client):
    from api.db import get_sessionmaker
    from api.helpdesk.queue import is_staffed
    from api.support import handoff_requests

    login(client, ("tr",))
    convo = conversation(client)
    night = dt.datetime(2026, 11, 23, 3, 0, tzinfo=ZoneInfo("Europe/Istanbul"))
    assert not is_staffed("TR", night) and is_staffed("TR", night.replace(hour=23, minute=30))
    assert not is_staffed("PL", dt.datetime(2026, 11, 22, 12, 0, tzinfo=ZoneInfo("Europe/Warsaw")))  # Sunday
    with get_sessionmaker()() as session:
        record = handoff_requests.request(
            session,
            conversation_id=convo["conversation_id"],
            reason="buyer_request",
            topic=None,
            summary="",
            details={},
            now=night,
        )
    assert record.mode == "ticket" and record.reference.startswith("TR-")


def test_queue_position_claim_reply_and_buyer_messages_reach_the_agent(client, staffed):
    agent = login(client, ("tr",))
    convo = conversation(client)
    queued = hand_over(client, convo["conversation_id"], order_number="TR12345678")
    assert queued["mode"] == "queued" and queued["position"] >= 1 and queued["wait_seconds"] > 0
    listed = client.get(f"{CONSOLE}/queue", headers=agent).json()["queue"]
    assert convo["conversation_id"] in [row["conversation_id"] for row in listed]
    token = {"X-Conversation-Token": convo["token"]}
    path = f"/api/v1/conversations/{convo['conversation_id']}/messages"
    with client.websocket_connect(f"{CONSOLE}/ws?token={agent['Authorization'][7:]}") as ws:
        assert ws.receive_json()["type"] == "hello"
        ws.send_json({"type": "watch", "conversation_id": convo["conversation_id"]})
        client.get(f"{CONSOLE}/me", headers=agent)  # let the watch frame land
        sent = client.post(path, json={"text": "<b>hâlâ</b> bekliyorum"}, headers=token)
        assert sent.status_code == 200 and sent.json()["replies"] == []  # the bot stays silent
        frame = ws.receive_json()
        while frame["type"] != "message":
            frame = ws.receive_json()
        assert frame["message"]["text"] == "<b>hâlâ</b> bekliyorum"
    detail = client.post(f"{CONSOLE}/conversations/{convo['conversation_id']}/claim", headers=agent).json()
    assert detail["conversation"]["state"] == "with_agent"
    assert detail["conversation"]["details"]["order_number"] == "TR12345678"
    assert [m["text"] for m in detail["messages"]][-1] == "<b>hâlâ</b> bekliyorum"
    reply = client.post(
        f"{CONSOLE}/conversations/{convo['conversation_id']}/messages",
        json={"text": "Merhaba, bakıyorum"},
        headers=agent,
    )
    assert reply.status_code == 200 and reply.json()["sender"] == "agent"
    history = client.get(f"/api/v1/conversations/{convo['conversation_id']}/messages", headers=token).json()
    assert history["messages"][-1]["text"] == "Merhaba, bakıyorum" and history["conversation"]["state"] == "with_agent"


def claim_status(client, url: str, headers: dict[str, str]) -> int:
    return client.post(url, headers=headers).status_code


def test_two_agents_claiming_at_once_one_wins(client, staffed):
    first, second = login(client, ("tr",)), login(client, ("tr",))
    for _ in range(5):
        convo = conversation(client)
        hand_over(client, convo["conversation_id"])
        url = f"{CONSOLE}/conversations/{convo['conversation_id']}/claim"
        with ThreadPoolExecutor(2) as pool:
            codes = sorted(pool.map(partial(claim_status, client, url), [first, second]))
        assert codes == [200, 409]


def test_claim_respects_language_and_capacity(client, staffed):
    polish_only = login(client, ("pl",))
    busy = login(client, ("tr",), capacity=1)
    convo_a, convo_b = conversation(client), conversation(client)
    hand_over(client, convo_a["conversation_id"])
    hand_over(client, convo_b["conversation_id"])
    assert (
        client.post(f"{CONSOLE}/conversations/{convo_a['conversation_id']}/claim", headers=polish_only).status_code
        == 403
    )
    assert client.post(f"{CONSOLE}/conversations/{convo_a['conversation_id']}/claim", headers=busy).status_code == 200
    assert client.post(f"{CONSOLE}/conversations/{convo_b['conversation_id']}/claim", headers=busy).status_code == 409


def test_accessibility_needs_go_first(client, staffed):
    empty_queue(client, ("tr",))  # empty the line first, however long other modules left it
    agent = login(client, ("tr",), capacity=10)
    early = conversation(client, buyer="tr-0002")
    hand_over(client, early["conversation_id"])
    flagged = conversation(client, buyer="tr-0003")  # accessibility needs in the buyer's profile
    result = hand_over(client, flagged["conversation_id"])
    assert result["position"] == 1
    order = [r["conversation_id"] for r in client.get(f"{CONSOLE}/queue", headers=agent).json()["queue"]]
    assert order.index(flagged["conversation_id"]) < order.index(early["conversation_id"])


def test_hand_back_without_rasa_still_brings_the_bot_back(client, staffed):
    agent = login(client, ("tr",))
    convo = conversation(client)
    hand_over(client, convo["conversation_id"])
    client.post(f"{CONSOLE}/conversations/{convo['conversation_id']}/claim", headers=agent)
    note = client.post(
        f"{CONSOLE}/conversations/{convo['conversation_id']}/notes", json={"text": "iade istiyor"}, headers=agent
    )
    assert note.status_code == 201 and note.json()["ticket"].startswith("TR-")
    back = client.post(f"{CONSOLE}/conversations/{convo['conversation_id']}/handback", headers=agent).json()
    assert back["state"] == "bot" and back["bot_replies"][0]["sender"] == "system"  # Rasa is down in these tests
    again = client.post(
        f"{CONSOLE}/conversations/{convo['conversation_id']}/messages", json={"text": "x"}, headers=agent
    )
    assert again.status_code == 403


def test_canned_responses_exist_in_both_languages(client):
    agent = login(client, ("tr", "pl"), online=False)
    tr = client.get(f"{CONSOLE}/canned", params={"lang": "tr"}, headers=agent).json()["responses"]
    pl = client.get(f"{CONSOLE}/canned", params={"lang": "pl"}, headers=agent).json()["responses"]
    assert [r["id"] for r in tr] == [r["id"] for r in pl] and len(tr) >= 4


def test_support_metrics_and_prometheus(client, staffed):
    agent = login(client, ("tr",))
    convo = conversation(client)
    token = {"X-Conversation-Token": convo["token"]}
    # Rasa is down in these tests: the gateway itself hands the buyer to the online agent.
    said = client.post(
        f"/api/v1/conversations/{convo['conversation_id']}/messages", json={"text": "merhaba"}, headers=token
    ).json()
    assert said["replies"][0]["sender"] == "system" and "sıradaki yeriniz" in said["replies"][0]["text"]
    client.post(f"{CONSOLE}/conversations/{convo['conversation_id']}/claim", headers=agent)
    client.post(
        f"{CONSOLE}/conversations/{convo['conversation_id']}/messages", json={"text": "buradayım"}, headers=agent
    )
    metrics = client.get("/api/v1/metrics/support").json()
    assert metrics["handoffs_by_reason"]["bot_unavailable"] >= 1
    assert metrics["first_response_seconds"]["n"] >= 1 and 0 <= metrics["containment_rate"] < 1
    text = client.get("/metrics").text
    assert 'marketdesk_handoffs{reason="bot_unavailable"}' in text and "marketdesk_containment_ratio" in text


def test_insults_and_repeats_go_to_a_person_when_one_is_free(client, app, staffed):
    stuck = conversation(client)
    headers = {"X-Conversation-Token": stuck["token"]}
    path = f"/api/v1/conversations/{stuck['conversation_id']}/messages"
    for text in ("kargom nerede", "Kargom  NEREDE", "KARGOM nerede"):  # nobody online yet: the bot-down apology
        client.post(path, json={"text": text}, headers=headers)
    assert app.state.chat._needs_person(stuck["conversation_id"], "kargom nerede", "tr") == "repeated_problem"
    login(client, ("tr", "pl"))
    rude = conversation(client, "pl", "pl-0002")
    said = client.post(
        f"/api/v1/conversations/{rude['conversation_id']}/messages",
        json={"text": "jesteście idiotami"},
        headers={"X-Conversation-Token": rude["token"]},
    ).json()
    assert "kolejce" in said["replies"][0]["text"]
    assert client.get("/api/v1/metrics/support").json()["handoffs_by_reason"]["buyer_upset"] >= 1


def test_transfer_to_a_colleague_and_skilled_agents_see_their_topic_first(client, staffed):
    first, second = login(client, ("tr",)), login(client, ("tr",))
    convo = conversation(client)
    hand_over(client, convo["conversation_id"])
    client.post(f"{CONSOLE}/conversations/{convo['conversation_id']}/claim", headers=first)
    colleague = client.get(f"{CONSOLE}/me", headers=second).json()["username"]
    moved = client.post(
        f"{CONSOLE}/conversations/{convo['conversation_id']}/transfer",
        json={"agent_username": colleague},
        headers=first,
    )
    assert moved.status_code == 200 and moved.json()["agent"] == colleague.title()
    assert (
        client.post(
            f"{CONSOLE}/conversations/{convo['conversation_id']}/messages", json={"text": "x"}, headers=second
        ).status_code
        == 200
    )


def test_skilled_agents_see_their_topic_first(client):
    from api.clock import utcnow
    from api.db import get_sessionmaker
    from api.gateway.models import Conversation
    from api.helpdesk.queue import queued

    now = utcnow()
    with get_sessionmaker()() as session:
        for cid, topic in (("skill-a", "complaint"), ("skill-b", "wallet_frozen")):
            session.add(
                Conversation(id=cid, token="t", language="tr", market="TR", state="queued", topic=topic, queued_at=now)
            )
        session.commit()
        plain = [c.id for c in queued(session, ["tr"], now) if c.id.startswith("skill-")]
        skilled = [c.id for c in queued(session, ["tr"], now, ["wallet_frozen"]) if c.id.startswith("skill-")]
    assert plain == ["skill-a", "skill-b"] and skilled == ["skill-b", "skill-a"]
