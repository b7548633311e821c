"""Idle conversations: closing bot chats, keeping queued buyers who left, reminding agents.

Three rules, each taking ``now`` (tests pass a controlled clock) and each safe with several
api processes: a row is claimed with a conditional UPDATE before anything is written or sent,
so exactly one process acts on it.

- Bot conversations with no buyer message for ``MD_BOT_IDLE_MINUTES`` (30) close: state
  ``resolved``, ``closed_reason = "idle"``, a system message in the buyer's language ("I'll be
  here if you need anything") stored and pushed live. A form left half-way (Rasa's
  ``active_loop`` and ``requested_slot``, read from the tracker over Rasa's HTTP API just
  before closing) is recorded as ``abandoned_form = {"form", "slot"}``; if Rasa cannot be
  asked, nothing is recorded (unknown, not "no form"). The buyer's next message reopens the
  conversation (``reopen.py``). Wall-clock minutes: no ticket or SLA is involved.
- Queued conversations whose buyer left (the widget's last socket closed, ``buyer_left_at``)
  for ``MD_QUEUE_LEFT_MINUTES`` (10) business minutes of the market's calendar are not
  dropped: a ticket (``tickets.open_ticket``, summary masked, the conversation id as the
  transcript reference) takes them over; the conversation leaves the queue (``resolved``,
  ``closed_reason = "queue_left"``) with a system message naming the ticket.
- Agent conversations with no message for ``MD_AGENT_IDLE_REMIND_MINUTES`` (10) remind the
  agent (frame ``idle_reminder`` with ``level = "agent"`` on their notice channel, audit row
  ``conversation.idle_reminder``); still silent ``MD_AGENT_IDLE_ESCALATE_MINUTES`` (10) later,
  the supervisors (``level = "supervisor"``). One reminder of each level per silence (keyed by
  the last message id). When the conversation has an open ticket (an SLA runs), the silence
  is counted in business minutes of the market's calendar, like the SLA itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import exists, func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from api.gateway.models import Conversation, ConversationState, Message, Sender
from api.gateway.rasa_client import BotUnavailable
from api.gateway.service import serialise
from api.gateway.texts import text
from api.helpdesk.business_calendar import calendar_for
from api.helpdesk.live import notice_channel, queue_changed
from api.helpdesk.models import Agent, Priority, Role, Ticket, TicketStatus
from api.helpdesk.tickets import open_ticket
from api.security import audit

ACTOR = "system:helpdesk"


def _minutes(market: str, start: dt.datetime, now: dt.datetime, business: bool) -> float:
    if business:
        return calendar_for(market).business_hours_between(start, now) * 60
    return (now - start).total_seconds() / 60


# -- bot conversations --------------------------------------------------------------------


def _last_buyer_at():
    return (
        select(func.max(Message.created_at))
        .where(Message.conversation_id == Conversation.id, Message.sender == Sender.BUYER)
        .correlate(Conversation)
        .scalar_subquery()
    )


def idle_bot_conversations(session: Session, now: dt.datetime, minutes: float) -> list[str]:
    """Bot conversations whose last buyer message is at least ``minutes`` old (never-written ones aside)."""
    cutoff = now - dt.timedelta(minutes=minutes)
    last = _last_buyer_at()
    return list(
        session.scalars(
            select(Conversation.id).where(
                Conversation.state == ConversationState.BOT.value, last.is_not(None), last <= cutoff
            )
        )
    )


@dataclass(frozen=True)
class Closed:
    conversation_id: str
    message: dict[str, Any]


def close_idle(
    session: Session, conversation_id: str, now: dt.datetime, minutes: float, form: dict[str, Any] | None
) -> Closed | None:
    """Close one idle bot conversation if it still is (claimed: state bot, no buyer message since the cutoff)."""
    cutoff = now - dt.timedelta(minutes=minutes)
    newer = exists().where(
        Message.conversation_id == conversation_id, Message.sender == Sender.BUYER, Message.created_at > cutoff
    )
    won = session.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id, Conversation.state == ConversationState.BOT.value, ~newer)
        .values(
            state=ConversationState.RESOLVED.value,
            closed_reason="idle",
            closed_at=now,
            resolved_at=now,
            abandoned_form=form,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if won != 1:
        session.rollback()
        return None
    conversation = session.get(Conversation, conversation_id)
    message = Message(
        conversation_id=conversation_id,
        sender=Sender.SYSTEM,
        text=text("idle_closed", conversation.language),
        created_at=now,
    )
    session.add(message)
    session.flush()
    audit.record(
        session,
        ACTOR,
        "conversation.idle_close",
        f"conversation:{conversation_id}",
        abandoned_form=(form or {}).get("form"),
    )
    session.commit()
    return Closed(conversation_id, serialise(message))


# -- queued buyers who left ---------------------------------------------------------------


@dataclass(frozen=True)
class Kept:
    conversation_id: str
    reference: str
    message: dict[str, Any]


def keep_left_queue(session: Session, now: dt.datetime, minutes: float) -> list[Kept]:
    """Queued conversations whose buyer has been gone ``minutes`` business minutes become tickets."""
    candidates = session.scalars(
        select(Conversation).where(
            Conversation.state == ConversationState.QUEUED.value, Conversation.buyer_left_at.is_not(None)
        )
    ).all()
    kept = []
    for conversation in candidates:
        left_at = conversation.buyer_left_at
        if _minutes(conversation.market, left_at, now, business=True) < minutes:
            continue
        won = session.execute(
            update(Conversation)
            .where(
                Conversation.id == conversation.id,
                Conversation.state == ConversationState.QUEUED.value,
                Conversation.buyer_left_at == left_at,  # came back meanwhile: cleared, no match
            )
            .values(state=ConversationState.RESOLVED.value, closed_reason="queue_left", closed_at=now, resolved_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        session.commit()
        if won != 1:
            continue
        session.refresh(conversation)
        count = session.scalar(
            select(func.count()).select_from(Message).where(Message.conversation_id == conversation.id)
        )
        waited = int((now - (conversation.queued_at or now)).total_seconds() // 60)
        ticket = open_ticket(
            session,
            market=conversation.market,
            topic=(conversation.topic or conversation.handoff_reason or "general")[:40],
            priority=Priority.HIGH,
            now=now,
            buyer_id=conversation.buyer_id,
            order_number=(conversation.handoff_details or {}).get("order_number"),
            conversation_id=conversation.id,
            summary=f"The buyer left the queue after {waited} min (reason: {conversation.handoff_reason}). "
            f"{conversation.handoff_summary or ''}\n"
            f"Transcript: conversation {conversation.id} ({count} messages) in the console.",
        )
        message = Message(
            conversation_id=conversation.id,
            sender=Sender.SYSTEM,
            text=text("queue_left_ticket", conversation.language, reference=ticket.reference),
            created_at=now,
        )
        session.add(message)
        session.flush()
        audit.record(
            session, ACTOR, "conversation.queue_left", f"conversation:{conversation.id}", ticket=ticket.reference
        )
        session.commit()
        kept.append(Kept(conversation.id, ticket.reference, serialise(message)))
    return kept


# -- agent conversations ------------------------------------------------------------------


@dataclass(frozen=True)
class Reminder:
    conversation_id: str
    level: str  # "agent" or "supervisor"
    agent_ids: list[int]
    idle_minutes: int
    agent_name: str | None = None


def _has_open_ticket(session: Session, conversation_id: str) -> bool:
    return (
        session.scalar(
            select(func.count())
            .select_from(Ticket)
            .where(Ticket.conversation_id == conversation_id, Ticket.status != TicketStatus.RESOLVED)
        )
        > 0
    )


def _supervisors(session: Session) -> list[int]:
    return list(session.scalars(select(Agent.id).where(Agent.role == Role.SUPERVISOR, Agent.disabled_at.is_(None))))


def remind_idle_agents(session: Session, now: dt.datetime, remind: float, escalate: float) -> list[Reminder]:
    rows = session.execute(
        select(Conversation, Message.id, Message.created_at)
        .join(Message, Message.conversation_id == Conversation.id)
        .where(
            Conversation.state == ConversationState.WITH_AGENT.value,
            Message.id
            == select(func.max(Message.id))
            .where(Message.conversation_id == Conversation.id)
            .correlate(Conversation)
            .scalar_subquery(),
        )
    ).all()
    reminders = []
    for conversation, last_id, last_at in rows:
        since = max(last_at, conversation.claimed_at or last_at)  # a fresh claim is not a silence
        silent = _minutes(conversation.market, since, now, business=_has_open_ticket(session, conversation.id))
        if silent >= remind + escalate and conversation.idle_reminded_for == last_id:
            column, level, to = Conversation.idle_escalated_for, "supervisor", _supervisors(session)
        elif silent >= remind and conversation.idle_reminded_for != last_id:
            column, level, to = Conversation.idle_reminded_for, "agent", [conversation.agent_id]
        else:
            continue
        won = session.execute(
            update(Conversation)
            .where(
                Conversation.id == conversation.id,
                Conversation.state == ConversationState.WITH_AGENT.value,
                or_(column.is_(None), column != last_id),
            )
            .values({column.key: last_id})
            .execution_options(synchronize_session=False)
        ).rowcount
        if won != 1:
            session.rollback()
            continue
        audit.record(
            session,
            ACTOR,
            "conversation.idle_reminder",
            f"conversation:{conversation.id}",
            level=level,
            agent_id=conversation.agent_id,
            idle_minutes=int(silent),
        )
        session.commit()
        reminders.append(
            Reminder(conversation.id, level, [a for a in to if a is not None], int(silent), conversation.agent_name)
        )
    return reminders


# -- one pass -------------------------------------------------------------------------------


@dataclass
class Report:
    closed: list[Closed] = field(default_factory=list)
    kept: list[Kept] = field(default_factory=list)
    reminders: list[Reminder] = field(default_factory=list)


async def run_once(sessions: sessionmaker[Session], rasa: Any, hub: Any, settings: Any, now: dt.datetime) -> Report:
    """Every rule once, then the live news: buyers' widgets, the agents' consoles.

    Blocking database work runs in a thread; Rasa is asked about forms only for conversations
    that are about to close.
    """
    import asyncio

    report = Report()

    def candidates() -> list[str]:
        with sessions() as session:
            return idle_bot_conversations(session, now, settings.bot_idle_minutes)

    for conversation_id in await asyncio.to_thread(candidates):
        try:
            form = await rasa.active_form(conversation_id)
        except BotUnavailable:
            form = None

        def close(cid: str = conversation_id, f: dict | None = form) -> Closed | None:
            with sessions() as session:
                return close_idle(session, cid, now, settings.bot_idle_minutes, f)

        closed = await asyncio.to_thread(close)
        if closed is not None:
            report.closed.append(closed)
            await hub.publish(closed.conversation_id, {"type": "message", "message": closed.message})

    def rest() -> tuple[list[Kept], list[Reminder]]:
        with sessions() as session:
            kept = keep_left_queue(session, now, settings.queue_left_minutes)
            reminders = remind_idle_agents(
                session, now, settings.agent_idle_remind_minutes, settings.agent_idle_escalate_minutes
            )
            return kept, reminders

    report.kept, report.reminders = await asyncio.to_thread(rest)
    for kept in report.kept:
        await hub.publish(kept.conversation_id, {"type": "message", "message": kept.message})
    if report.kept:
        await queue_changed(hub)
    for reminder in report.reminders:
        frame = {
            "type": "idle_reminder",
            "level": reminder.level,
            "conversation_id": reminder.conversation_id,
            "idle_minutes": reminder.idle_minutes,
            "agent_name": reminder.agent_name,
        }
        for agent_id in reminder.agent_ids:
            await hub.publish(notice_channel(agent_id), frame)
    return report
