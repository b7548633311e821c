"""Idle conversations (api/helpdesk/idle.py) on a controlled clock: messages are written at fixed
past moments and every rule gets ``now``; nothing sleeps. Business-hour timers use the TR
calendar (Mon-Fri 09:00-18:00 Europe/Istanbul)."""

from __future__ import annotations

import asyncio
import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from api.db import get_sessionmaker
from api.gateway.models import Conversation, ConversationState, Message, Sender
from api.gateway.rasa_client import BotUnavailable
from api.gateway.texts import text
from api.helpdesk import idle
from api.helpdesk.live import notice_channel
from api.helpdesk.models import Agent, Role, Ticket
from api.helpdesk.tickets import open_ticket
from api.security.audit import AuditEntry
from tests.support.console import conversation, make_agent

pytestmark = pytest.mark.usefixtures("agents_go_home", "tidy")

_created: list[str] = []


@pytest.fixture
def tidy():
    """These conversations live in the past (queued two weeks ago): none may stay in other tests' queue."""
    yield
    with get_sessionmaker()() as session:
        for cid in _created:
            row = session.get(Conversation, cid)
            if row is not None and row.state in (ConversationState.QUEUED, ConversationState.WITH_AGENT):
                row.state, row.agent_id = ConversationState.RESOLVED.value, None
        session.commit()
    _created.clear()


IST = ZoneInfo("Europe/Istanbul")
T0 = dt.datetime(2026, 11, 24, 11, 0, tzinfo=dt.UTC)  # a Tuesday, 14:00 in Istanbul
FRIDAY_1755 = dt.datetime(2026, 11, 27, 17, 55, tzinfo=IST)

SETTINGS = SimpleNamespace(
    bot_idle_minutes=30.0, queue_left_minutes=10.0, agent_idle_remind_minutes=10.0, agent_idle_escalate_minutes=10.0
)


class FakeRasa:
    def __init__(self, form=None, down: bool = False) -> None:
        self.form, self.down, self.asked = form, down, []

    async def active_form(self, sender: str):
        self.asked.append(sender)
        if self.down:
            raise BotUnavailable("down")
        return self.form


class FakeHub:
    def __init__(self) -> None:
        self.frames: list[tuple[str, dict]] = []

    async def publish(self, channel: str, frame: dict) -> int:
        self.frames.append((channel, frame))
        return 1


def _conversation(client, language="tr", buyer="tr-0002", **values) -> str:
    cid = conversation(client, language, buyer)["conversation_id"]
    _created.append(cid)
    with get_sessionmaker()() as session:
        row = session.get(Conversation, cid)
        for key, value in values.items():
            setattr(row, key, value)
        session.commit()
    return cid


def _say(cid: str, at: dt.datetime, sender: str = Sender.BUYER, text_: str = "merhaba") -> int:
    with get_sessionmaker()() as session:
        message = Message(conversation_id=cid, sender=sender, text=text_, created_at=at)
        session.add(message)
        session.commit()
        return message.id


def _get(cid: str) -> Conversation:
    with get_sessionmaker()() as session:
        row = session.get(Conversation, cid)
        session.expunge(row)
        return row


def _run(now: dt.datetime, rasa=None, hub=None) -> idle.Report:
    return asyncio.run(idle.run_once(get_sessionmaker(), rasa or FakeRasa(), hub or FakeHub(), SETTINGS, now))


# -- bot conversations ------------------------------------------------------------------------


def test_idle_bot_conversation_closes_after_30_minutes_with_a_closing_message(client):
    cid = _conversation(client)
    _say(cid, T0)
    _say(cid, T0 + dt.timedelta(seconds=2), Sender.BOT, "Sipariş numaranız nedir?")
    rasa, hub = FakeRasa(form={"form": "return_form", "slot": "order_number"}), FakeHub()
    assert cid not in [c.conversation_id for c in _run(T0 + dt.timedelta(minutes=29, seconds=59), rasa, hub).closed]
    assert _get(cid).state == ConversationState.BOT
    report = _run(T0 + dt.timedelta(minutes=30), rasa, hub)
    (closed,) = [c for c in report.closed if c.conversation_id == cid]
    row = _get(cid)
    assert row.state == ConversationState.RESOLVED and row.closed_reason == "idle"
    assert row.abandoned_form == {"form": "return_form", "slot": "order_number"}
    assert closed.message["sender"] == "system" and closed.message["text"] == text("idle_closed", "tr")
    assert "buradayım" in closed.message["text"]
    assert (cid, {"type": "message", "message": closed.message}) in hub.frames  # pushed live
    # Claimed once: a second pass (another api process) closes nothing more.
    assert cid not in [c.conversation_id for c in _run(T0 + dt.timedelta(minutes=31)).closed]


def test_polish_closing_message_and_no_form(client):
    cid = _conversation(client, "pl", "pl-0002")
    _say(cid, T0, text_="dzień dobry")
    report = _run(T0 + dt.timedelta(minutes=45), FakeRasa(form=None))
    (closed,) = [c for c in report.closed if c.conversation_id == cid]
    assert "Jestem tutaj" in closed.message["text"]
    assert _get(cid).abandoned_form is None


def test_rasa_down_closes_without_recording_a_form(client):
    cid = _conversation(client)
    _say(cid, T0)
    rasa = FakeRasa(form={"form": "x", "slot": "y"}, down=True)
    assert cid in [c.conversation_id for c in _run(T0 + dt.timedelta(hours=1), rasa).closed]
    assert cid in rasa.asked and _get(cid).abandoned_form is None


def test_a_newer_buyer_message_keeps_it_open(client):
    cid = _conversation(client)
    _say(cid, T0)
    _say(cid, T0 + dt.timedelta(minutes=20))
    with get_sessionmaker()() as session:
        # Even if it was a candidate a moment ago, the claim checks the cutoff again.
        assert idle.close_idle(session, cid, T0 + dt.timedelta(minutes=31), 30, None) is None
    assert _get(cid).state == ConversationState.BOT


def test_a_buyer_who_comes_back_reopens_it(client):
    from api.helpdesk import reopen

    cid = _conversation(client)
    _say(cid, T0)
    _run(T0 + dt.timedelta(minutes=30))
    with get_sessionmaker()() as session:
        assert reopen.on_buyer_message(session, cid, T0 + dt.timedelta(hours=3), 24).action == "reopened"
    assert _get(cid).state == ConversationState.BOT and _get(cid).closed_reason is None


def test_queued_and_agent_conversations_are_not_closed_as_bot_idle(client):
    queued = _conversation(client, state=ConversationState.QUEUED.value, queued_at=T0)
    _say(queued, T0)
    assert queued not in [c.conversation_id for c in _run(T0 + dt.timedelta(hours=2)).closed]


# -- queued buyers who left -------------------------------------------------------------------


def test_queued_buyer_who_left_becomes_a_ticket_with_the_transcript(client):
    cid = _conversation(
        client,
        state=ConversationState.QUEUED.value,
        queued_at=T0 - dt.timedelta(minutes=3),
        handoff_reason="buyer_request",
        topic="return_request",
        handoff_summary="İade istiyor, kart 4111 1111 1111 1111",
        handoff_details={"order_number": "TR12345678"},
        buyer_left_at=T0,
    )
    _say(cid, T0 - dt.timedelta(minutes=4))
    with get_sessionmaker()() as session:
        assert cid not in [k.conversation_id for k in idle.keep_left_queue(session, T0 + dt.timedelta(minutes=9), 10)]
    hub = FakeHub()
    report = _run(T0 + dt.timedelta(minutes=10), hub=hub)
    (kept,) = [k for k in report.kept if k.conversation_id == cid]
    with get_sessionmaker()() as session:
        ticket = session.scalars(select(Ticket).where(Ticket.reference == kept.reference)).one()
        assert ticket.conversation_id == cid and ticket.order_number == "TR12345678" and ticket.priority == "high"
        assert f"conversation {cid}" in ticket.summary and "4111" not in ticket.summary
    row = _get(cid)
    assert row.state == ConversationState.RESOLVED and row.closed_reason == "queue_left"
    assert kept.reference in kept.message["text"]
    assert (cid, {"type": "message", "message": kept.message}) in hub.frames
    assert ("console", {"type": "queue_changed"}) in hub.frames
    with get_sessionmaker()() as session:  # once only
        assert cid not in [k.conversation_id for k in idle.keep_left_queue(session, T0 + dt.timedelta(hours=1), 10)]


def test_queue_left_counts_business_minutes_only(client):
    cid = _conversation(client, state=ConversationState.QUEUED.value, queued_at=FRIDAY_1755, buyer_left_at=FRIDAY_1755)
    saturday = dt.datetime(2026, 11, 28, 12, 0, tzinfo=IST)
    monday_0904 = dt.datetime(2026, 11, 30, 9, 4, tzinfo=IST)
    monday_0905 = dt.datetime(2026, 11, 30, 9, 5, tzinfo=IST)
    with get_sessionmaker()() as session:
        assert cid not in [k.conversation_id for k in idle.keep_left_queue(session, saturday, 10)]  # 5 min
        assert cid not in [k.conversation_id for k in idle.keep_left_queue(session, monday_0904, 10)]  # 9 min
        assert cid in [k.conversation_id for k in idle.keep_left_queue(session, monday_0905, 10)]  # 10 min


def test_a_buyer_who_came_back_is_not_turned_into_a_ticket(client):
    cid = _conversation(client, state=ConversationState.QUEUED.value, queued_at=T0, buyer_left_at=None)
    with get_sessionmaker()() as session:
        assert cid not in [k.conversation_id for k in idle.keep_left_queue(session, T0 + dt.timedelta(hours=1), 10)]


# -- agent conversations ----------------------------------------------------------------------


def _with_agent(client, claimed_at: dt.datetime) -> tuple[str, int]:
    username, _ = make_agent(("tr",))
    with get_sessionmaker()() as session:
        agent = session.scalars(select(Agent).where(Agent.username == username)).one()
        agent_id = agent.id
    cid = _conversation(
        client, state=ConversationState.WITH_AGENT.value, agent_id=agent_id, agent_name="Ayşe", claimed_at=claimed_at
    )
    return cid, agent_id


def _supervisor() -> int:
    username, _ = make_agent(("tr", "pl"))
    with get_sessionmaker()() as session:
        agent = session.scalars(select(Agent).where(Agent.username == username)).one()
        agent.role = Role.SUPERVISOR.value
        session.commit()
        return agent.id


def _mine(reminders, cid):
    return [r for r in reminders if r.conversation_id == cid]


def test_idle_agent_is_reminded_then_the_supervisors(client):
    supervisor = _supervisor()
    cid, agent_id = _with_agent(client, T0)
    _say(cid, T0 + dt.timedelta(minutes=1))
    with get_sessionmaker()() as session:
        assert _mine(idle.remind_idle_agents(session, T0 + dt.timedelta(minutes=10, seconds=59), 10, 10), cid) == []
    hub = FakeHub()
    first = _mine(_run(T0 + dt.timedelta(minutes=11), hub=hub).reminders, cid)
    assert [(r.level, r.agent_ids) for r in first] == [("agent", [agent_id])]
    assert any(
        ch == notice_channel(agent_id) and f["type"] == "idle_reminder" and f["level"] == "agent"
        for ch, f in hub.frames
    )
    with get_sessionmaker()() as session:  # once per silence
        assert _mine(idle.remind_idle_agents(session, T0 + dt.timedelta(minutes=15), 10, 10), cid) == []
    hub = FakeHub()
    second = _mine(_run(T0 + dt.timedelta(minutes=21), hub=hub).reminders, cid)
    assert [r.level for r in second] == ["supervisor"] and supervisor in second[0].agent_ids
    assert (notice_channel(supervisor), {**hub.frames[-1][1]}) in hub.frames
    with get_sessionmaker()() as session:
        assert _mine(idle.remind_idle_agents(session, T0 + dt.timedelta(hours=2), 10, 10), cid) == []
        audited = session.scalars(
            select(AuditEntry).where(
                AuditEntry.target == f"conversation:{cid}", AuditEntry.action == "conversation.idle_reminder"
            )
        ).all()
    assert [a.details["level"] for a in audited] == ["agent", "supervisor"]
    # A new message starts a new silence: the agent is reminded again.
    _say(cid, T0 + dt.timedelta(hours=3), Sender.AGENT, "bakıyorum")
    with get_sessionmaker()() as session:
        again = _mine(idle.remind_idle_agents(session, T0 + dt.timedelta(hours=3, minutes=10), 10, 10), cid)
    assert [r.level for r in again] == ["agent"]


def test_a_fresh_claim_is_not_a_silence(client):
    cid, _ = _with_agent(client, T0 + dt.timedelta(minutes=30))
    _say(cid, T0)  # the buyer wrote while queued
    with get_sessionmaker()() as session:
        assert _mine(idle.remind_idle_agents(session, T0 + dt.timedelta(minutes=35), 10, 10), cid) == []
        assert len(_mine(idle.remind_idle_agents(session, T0 + dt.timedelta(minutes=40), 10, 10), cid)) == 1


def test_with_an_open_ticket_the_silence_counts_in_business_hours(client):
    cid, _ = _with_agent(client, FRIDAY_1755)
    _say(cid, FRIDAY_1755)
    with get_sessionmaker()() as session:
        open_ticket(session, market="TR", topic="x", now=FRIDAY_1755, conversation_id=cid)
        saturday = dt.datetime(2026, 11, 28, 12, 0, tzinfo=IST)
        assert _mine(idle.remind_idle_agents(session, saturday, 10, 10), cid) == []  # 5 business minutes
        monday = dt.datetime(2026, 11, 30, 9, 5, tzinfo=IST)
        assert [r.level for r in _mine(idle.remind_idle_agents(session, monday, 10, 10), cid)] == ["agent"]


def test_without_a_ticket_the_silence_is_wall_clock(client):
    cid, _ = _with_agent(client, FRIDAY_1755)
    _say(cid, FRIDAY_1755)
    with get_sessionmaker()() as session:
        saturday = dt.datetime(2026, 11, 28, 12, 0, tzinfo=IST)
        assert [r.level for r in _mine(idle.remind_idle_agents(session, saturday, 10, 10), cid)] == ["agent"]


# -- the form source: Rasa's tracker ----------------------------------------------------------


def test_active_form_is_read_from_the_tracker():
    import httpx

    from api.gateway.rasa_client import RasaClient

    trackers = {
        "in-form": {"active_loop": {"name": "return_form"}, "slots": {"requested_slot": "order_number"}},
        "no-form": {"active_loop": {}, "slots": {"requested_slot": None}},
    }

    def handler(request: httpx.Request) -> httpx.Response:
        sender = request.url.path.split("/")[2]
        assert request.url.params["token"] == "tok"
        if sender not in trackers:
            return httpx.Response(500)
        return httpx.Response(200, json=trackers[sender])

    async def ask() -> list:
        client = RasaClient("http://rasa", 2, "tok")
        client._client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        found = [await client.active_form("in-form"), await client.active_form("no-form")]
        with pytest.raises(BotUnavailable):
            await client.active_form("broken")
        await client.aclose()
        return found

    assert asyncio.run(ask()) == [{"form": "return_form", "slot": "order_number"}, None]


# -- an open ticket hears the buyer, through the api ------------------------------------------


def test_buyer_message_through_the_api_reaches_the_open_ticket(client):
    from api.helpdesk.models import TicketNote

    started = conversation(client)
    cid = started["conversation_id"]
    with get_sessionmaker()() as session:
        ticket = open_ticket(session, market="TR", topic="x", now=T0, conversation_id=cid)
        ticket_id = ticket.id
    response = client.post(
        f"/api/v1/conversations/{cid}/messages",
        json={"text": "paket hala gelmedi"},
        headers={"X-Conversation-Token": started["token"]},
    )
    assert response.status_code == 200
    with get_sessionmaker()() as session:
        notes = session.scalars(select(TicketNote).where(TicketNote.ticket_id == ticket_id)).all()
    assert [(n.author, n.text) for n in notes] == [("buyer", "paket hala gelmedi")]
