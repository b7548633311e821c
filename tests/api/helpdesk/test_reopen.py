"""After "resolved" (api/helpdesk/reopen.py): back to the bot within the window, a linked new
conversation after it, returning buyers first in line for their previous agent, buyer messages
added to open tickets. Rules get ``now``; the api-level tests move ``resolved_at`` instead of waiting."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from api.clock import utcnow
from api.db import get_sessionmaker
from api.gateway.models import Conversation, ConversationState
from api.helpdesk import queue, reopen
from api.helpdesk.models import Agent, Presence, Priority, Ticket, TicketNote, TicketStatus
from api.helpdesk.tickets import open_ticket
from api.security.audit import AuditEntry
from tests.support.console import CONSOLE, conversation, hand_over, login, make_agent

pytestmark = pytest.mark.usefixtures("agents_go_home")

NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)


def _set(conversation_id: str, **values) -> None:
    with get_sessionmaker()() as session:
        row = session.get(Conversation, conversation_id)
        for key, value in values.items():
            setattr(row, key, value)
        session.commit()


def _get(conversation_id: str) -> Conversation:
    with get_sessionmaker()() as session:
        row = session.get(Conversation, conversation_id)
        session.expunge(row)
        return row


def _agent(username: str) -> Agent:
    with get_sessionmaker()() as session:
        agent = session.scalars(select(Agent).where(Agent.username == username)).one()
        session.expunge(agent)
        return agent


def _resolved(client, hours_ago: float, last_agent_id: int | None = None) -> str:
    cid = conversation(client)["conversation_id"]
    _set(
        cid,
        state=ConversationState.RESOLVED.value,
        resolved_at=NOW - dt.timedelta(hours=hours_ago),
        last_agent_id=last_agent_id,
    )
    return cid


# -- the rule -------------------------------------------------------------------------------


def test_within_the_window_the_same_conversation_goes_back_to_the_bot(client):
    cid = _resolved(client, hours_ago=23.9)
    with get_sessionmaker()() as session:
        decision = reopen.on_buyer_message(session, cid, NOW, window_hours=24)
        again = reopen.on_buyer_message(session, cid, NOW, window_hours=24)  # a second tab: nothing more
        audited = session.scalars(
            select(AuditEntry).where(
                AuditEntry.target == f"conversation:{cid}", AuditEntry.action == "conversation.reopen"
            )
        ).all()
    assert decision == reopen.Reopen("reopened", cid)
    assert again.action == "none"
    row = _get(cid)
    assert row.state == ConversationState.BOT
    assert row.reopened_at == NOW and row.reopen_count == 1 and row.agent_id is None
    assert len(audited) == 1


def test_after_the_window_a_new_conversation_links_the_old_one(client):
    cid = _resolved(client, hours_ago=24.1, last_agent_id=None)
    with get_sessionmaker()() as session:
        decision = reopen.on_buyer_message(session, cid, NOW, window_hours=24)
    assert decision.action == "new" and decision.previous_conversation_id == cid
    new = _get(decision.conversation_id)
    old = _get(cid)
    assert new.previous_conversation_id == cid
    assert (new.buyer_id, new.language, new.market, new.state) == (old.buyer_id, "tr", old.market, "bot")
    assert new.token != old.token
    assert old.state == ConversationState.RESOLVED  # the old one stays as it was


def test_the_window_is_a_setting(client):
    cid = _resolved(client, hours_ago=2)
    with get_sessionmaker()() as session:
        assert reopen.on_buyer_message(session, cid, NOW, window_hours=1).action == "new"


def test_conversations_not_resolved_are_left_alone(client):
    cid = conversation(client)["conversation_id"]
    with get_sessionmaker()() as session:
        assert reopen.on_buyer_message(session, cid, NOW, window_hours=24) == reopen.Reopen("none", cid)


# -- returning buyers in the queue ----------------------------------------------------------


def _reopened_with(client, agent_username: str | None) -> Conversation:
    last = _agent(agent_username).id if agent_username else None
    cid = _resolved(client, hours_ago=1, last_agent_id=last)
    _set(cid, reopened_at=NOW - dt.timedelta(minutes=5))
    return _get(cid)


def test_returning_buyer_gets_a_bonus_and_the_previous_agent_if_online(client):
    username, _ = make_agent(("tr",))
    with get_sessionmaker()() as session:
        session.scalars(select(Agent).where(Agent.username == username)).one().presence = Presence.ONLINE
        session.commit()
    returning = _reopened_with(client, username)
    with get_sessionmaker()() as session:
        row = session.get(Conversation, returning.id)
        bonus, preferred, until = reopen.returning_preference(
            session, row, NOW, window_hours=24, bonus=10, preferred_seconds=120
        )
    assert (bonus, preferred, until) == (10, _agent(username).id, NOW + dt.timedelta(seconds=120))


@pytest.mark.parametrize("presence", [Presence.OFFLINE, Presence.AWAY])
def test_previous_agent_not_online_still_front_of_the_queue(client, presence):
    username, _ = make_agent(("tr",))
    with get_sessionmaker()() as session:
        session.scalars(select(Agent).where(Agent.username == username)).one().presence = presence
        session.commit()
    returning = _reopened_with(client, username)
    with get_sessionmaker()() as session:
        row = session.get(Conversation, returning.id)
        assert reopen.returning_preference(session, row, NOW, window_hours=24, bonus=10, preferred_seconds=120) == (
            10,
            None,
            None,
        )


def test_no_bonus_outside_the_window_or_without_a_reopen(client):
    fresh = conversation(client)["conversation_id"]
    late = _reopened_with(client, None)
    with get_sessionmaker()() as session:
        assert reopen.returning_preference(
            session, session.get(Conversation, fresh), NOW, window_hours=24, bonus=10, preferred_seconds=120
        ) == (0, None, None)
        assert reopen.returning_preference(
            session,
            session.get(Conversation, late.id),
            NOW + dt.timedelta(hours=24),
            window_hours=24,
            bonus=10,
            preferred_seconds=120,
        ) == (0, None, None)


def test_offered_to_the_previous_agent_first_then_to_anyone(client):
    preferred_headers = login(client)
    other_headers = login(client)
    preferred = client.get(f"{CONSOLE}/me", headers=preferred_headers).json()
    cid = conversation(client)["conversation_id"]
    now = utcnow()
    _set(
        cid,
        state=ConversationState.QUEUED.value,
        queued_at=now,
        priority=10,
        preferred_agent_id=_agent(preferred["username"]).id,
        preferred_until=now + dt.timedelta(minutes=5),
    )
    other_queue = [r["conversation_id"] for r in client.get(f"{CONSOLE}/queue", headers=other_headers).json()["queue"]]
    mine = client.get(f"{CONSOLE}/queue", headers=preferred_headers).json()["queue"]
    assert cid not in other_queue
    (row,) = [r for r in mine if r["conversation_id"] == cid]
    assert row["returning"] is True and row["effective_priority"] >= 10  # 10 points: 50 minutes of waiting
    fresh = [r for r in mine if r["wait_seconds"] < 600 and r["conversation_id"] != cid]
    assert all(mine.index(row) < mine.index(r) for r in fresh if r["priority"] < 10)  # ahead of recent arrivals
    refused = client.post(f"{CONSOLE}/conversations/{cid}/claim", headers=other_headers)
    assert refused.status_code == 409 and refused.json()["detail"]["code"] == "offered_to_previous_agent"
    # The offer runs out: anyone may claim.
    _set(cid, preferred_until=now - dt.timedelta(seconds=1))
    assert cid in [r["conversation_id"] for r in client.get(f"{CONSOLE}/queue", headers=other_headers).json()["queue"]]
    assert client.post(f"{CONSOLE}/conversations/{cid}/claim", headers=other_headers).status_code == 200
    assert _get(cid).preferred_agent_id is None


def test_enqueue_applies_the_bonus(client):
    username, _ = make_agent(("tr",))
    with get_sessionmaker()() as session:
        session.scalars(select(Agent).where(Agent.username == username)).one().presence = Presence.ONLINE
        session.commit()
    now = utcnow()
    cid = conversation(client)["conversation_id"]
    _set(
        cid,
        state=ConversationState.BOT.value,
        resolved_at=now - dt.timedelta(hours=1),
        reopened_at=now - dt.timedelta(minutes=1),
        last_agent_id=_agent(username).id,
    )
    with get_sessionmaker()() as session:
        row = session.get(Conversation, cid)
        queue.enqueue(session, row, reason="buyer_request", topic=None, summary="again", details={}, now=now)
    row = _get(cid)
    assert row.priority >= 10 and row.preferred_agent_id == _agent(username).id
    assert row.resolved_at is None  # the bonus was taken before enqueue cleared it


def test_release_remembers_the_last_agent(client, staffed):
    headers = login(client)
    cid = conversation(client)["conversation_id"]
    hand_over(client, cid)
    assert client.post(f"{CONSOLE}/conversations/{cid}/claim", headers=headers).status_code == 200
    assert client.post(f"{CONSOLE}/conversations/{cid}/resolve", headers=headers).status_code == 200
    me = client.get(f"{CONSOLE}/me", headers=headers).json()
    row = _get(cid)
    assert row.state == ConversationState.RESOLVED and row.last_agent_id == _agent(me["username"]).id


# -- open tickets ---------------------------------------------------------------------------


def test_buyer_message_is_added_to_the_open_ticket_and_the_owner_named(client):
    username, _ = make_agent(("tr",))
    cid = conversation(client)["conversation_id"]
    with get_sessionmaker()() as session:
        ticket = open_ticket(
            session, market="TR", topic="return_request", priority=Priority.HIGH, now=NOW, conversation_id=cid
        )
        ticket.status, ticket.owner = TicketStatus.PENDING.value, username
        done = open_ticket(session, market="TR", topic="x", now=NOW, conversation_id=cid)
        done.status = TicketStatus.RESOLVED.value
        session.commit()
        notices = reopen.add_to_open_ticket(session, cid, 1, "kart 4111 1111 1111 1111 hala gelmedi", NOW)
        notes = session.scalars(select(TicketNote).where(TicketNote.ticket_id == ticket.id)).all()
        status = session.get(Ticket, ticket.id).status
        done_notes = session.scalars(select(TicketNote).where(TicketNote.ticket_id == done.id)).all()
    assert notices == [reopen.TicketNotice(ticket.reference, cid, _agent(username).id)]
    assert [n.author for n in notes] == ["buyer"] and "4111" not in notes[0].text  # masked
    assert status == TicketStatus.OPEN  # the buyer answered a pending ticket
    assert done_notes == []


def test_ticket_without_owner_notifies_the_last_agent(client):
    username, _ = make_agent(("tr",))
    cid = conversation(client)["conversation_id"]
    _set(cid, last_agent_id=_agent(username).id)
    with get_sessionmaker()() as session:
        open_ticket(session, market="TR", topic="x", now=NOW, conversation_id=cid)
        (notice,) = reopen.add_to_open_ticket(session, cid, 1, "merhaba", NOW)
    assert notice.agent_id == _agent(username).id


# -- through the api --------------------------------------------------------------------------


def _post(client, started: dict, text: str, cid: str | None = None) -> dict:
    response = client.post(
        f"/api/v1/conversations/{cid or started['conversation_id']}/messages",
        json={"text": text},
        headers={"X-Conversation-Token": started["token"]},
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_api_a_message_after_resolve_goes_back_to_the_bot(client):
    started = conversation(client)
    cid = started["conversation_id"]
    _set(cid, state=ConversationState.RESOLVED.value, resolved_at=utcnow() - dt.timedelta(hours=1))
    body = _post(client, started, "bir sorum daha var")
    assert "conversation" not in body
    assert body["replies"]  # the bot (here: down, so the gateway's apology) answers, not silence
    assert _get(cid).state == ConversationState.BOT and _get(cid).reopen_count == 1


def test_api_a_message_long_after_resolve_starts_a_linked_conversation(client):
    headers = login(client)
    started = conversation(client)
    cid = started["conversation_id"]
    _set(cid, state=ConversationState.RESOLVED.value, resolved_at=utcnow() - dt.timedelta(hours=30))
    body = _post(client, started, "yeni bir sorum var")
    moved = body["conversation"]
    assert moved["conversation_id"] != cid and moved["state"] == "bot"
    history = client.get(
        f"/api/v1/conversations/{moved['conversation_id']}/messages", headers={"X-Conversation-Token": moved["token"]}
    ).json()["messages"]
    assert history[0]["text"] == "yeni bir sorum var"
    assert _get(moved["conversation_id"]).previous_conversation_id == cid
    # A resend of the same client message to the old conversation lands in the new one, once.
    first = client.post(
        f"/api/v1/conversations/{cid}/messages",
        json={"text": "tekrar", "client_message_id": "c-1"},
        headers={"X-Conversation-Token": started["token"]},
    ).json()
    again = client.post(
        f"/api/v1/conversations/{cid}/messages",
        json={"text": "tekrar", "client_message_id": "c-1"},
        headers={"X-Conversation-Token": started["token"]},
    ).json()
    assert again["duplicate"] is True and again["message"]["id"] == first["message"]["id"]
    # The console detail names the earlier conversation (a supervisor sees every conversation).
    with get_sessionmaker()() as session:
        me = client.get(f"{CONSOLE}/me", headers=headers).json()
        session.scalars(select(Agent).where(Agent.username == me["username"])).one().role = "supervisor"
        session.commit()
    detail = client.get(f"{CONSOLE}/conversations/{moved['conversation_id']}", headers=headers).json()
    assert detail["conversation"]["previous_conversation_id"] == cid


def test_ws_moves_the_widget_to_the_new_conversation_and_tracks_presence(client):
    started = conversation(client)
    cid = started["conversation_id"]
    _set(cid, state=ConversationState.RESOLVED.value, resolved_at=utcnow() - dt.timedelta(hours=30))
    with client.websocket_connect("/api/v1/chat/ws") as ws:
        ws.send_json({"type": "start", "conversation_id": cid, "token": started["token"]})
        assert ws.receive_json()["type"] == "session"
        ws.send_json({"type": "message", "text": "yeni soru", "client_message_id": "w-1"})
        frames = [ws.receive_json()]
        while frames[-1]["type"] != "session":
            frames.append(ws.receive_json())
    session_frame = frames[-1]
    new_id = session_frame["conversation"]["conversation_id"]
    assert new_id != cid and session_frame["history"][0]["text"] == "yeni soru"
    assert [f["type"] for f in frames[:2]] == ["ack", "typing"]
    assert _get(new_id).previous_conversation_id == cid
    # The socket closed: the buyer counts as gone (a queued buyer then becomes a ticket, idle.py).
    assert _get(new_id).buyer_left_at is not None
    with client.websocket_connect("/api/v1/chat/ws") as ws:
        ws.send_json({"type": "start", "conversation_id": new_id, "token": session_frame["conversation"]["token"]})
        assert ws.receive_json()["type"] == "session"
        assert _get(new_id).buyer_left_at is None
