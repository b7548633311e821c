"""The live agent queue: who waits, in which order, who may take whom, and the handovers.

Routing: an agent sees queued conversations in their languages; the order is effective
priority (base priority + one point per ``MINUTES_PER_PRIORITY_POINT`` waited), then
arrival. Base priority rises for buyers who flagged accessibility needs (written
support, priority routing), for buyers who contacted support about the same order
before, and for urgent reasons (security hold, suspension). Claiming is a conditional
UPDATE (``WHERE state = 'queued'``): of two agents clicking at once exactly one wins,
on SQLite and PostgreSQL alike.

Every agent action on a conversation (claim, message, transfer, resolve, hand back) writes
an audit row in the same transaction as the change (``api.security.audit``): a buyer's
data was seen and answered by someone, and who that was must be answerable later.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from api.commerce.models import Buyer
from api.errors import DomainError
from api.gateway.models import Conversation, ConversationState, Message, Sender
from api.helpdesk import reopen
from api.helpdesk.auth import remove_agent as disable_agent
from api.helpdesk.business_calendar import calendar_for
from api.helpdesk.models import Agent, Presence, Role, Ticket
from api.helpdesk.tickets import record_first_response
from api.markets import market_config
from api.security import audit
from api.security.pii import mask_field
from api.settings import get_settings

MINUTES_PER_PRIORITY_POINT = 5
DEFAULT_HANDLE_SECONDS = 240  # wait estimate per buyer ahead until real first-response times exist
URGENT_REASONS = frozenset({"security_hold", "account_suspension", "second_return_rejection"})


def _clock(text: str) -> dt.time:
    return dt.time(23, 59, 59) if text == "24:00" else dt.time.fromisoformat(text)


def is_staffed(market: str, now: dt.datetime) -> bool:
    """Inside the market's live-agent hours (public holidays are staffed as any day: a shift rota)."""
    staffing = get_settings().staffing
    if staffing != "schedule":
        return staffing == "always"
    hours = market_config(market)["live_agent_hours"]
    local = now.astimezone(calendar_for(market).zone)
    window = None
    if local.weekday() in hours["weekdays"]:
        window = (hours["opens"], hours["closes"])
    elif local.weekday() == 5 and "saturday" in hours:
        window = (hours["saturday"]["opens"], hours["saturday"]["closes"])
    return window is not None and _clock(window[0]) <= local.time() <= _clock(window[1])


def online_agents(session: Session, language: str) -> list[Agent]:
    agents = session.scalars(select(Agent).where(Agent.presence == Presence.ONLINE)).all()
    return [a for a in agents if language in (a.languages or [])]


def base_priority(session: Session, conversation: Conversation, reason: str, order_number: str | None) -> int:
    priority = 2 if reason in URGENT_REASONS else 0
    if conversation.buyer_id:
        buyer = session.get(Buyer, conversation.buyer_id)
        if buyer is not None and buyer.accessibility_needs:
            priority += 3
        if order_number:
            earlier = session.scalar(
                select(func.count())
                .select_from(Ticket)
                .where(Ticket.buyer_id == conversation.buyer_id, Ticket.order_number == order_number)
            )
            earlier += session.scalar(
                select(func.count())
                .select_from(Conversation)
                .where(
                    Conversation.buyer_id == conversation.buyer_id,
                    Conversation.id != conversation.id,
                    Conversation.handoff_details["order_number"].as_string() == order_number,
                )
            )
            if earlier:
                priority += 1
    return priority


def effective_priority(conversation: Conversation, now: dt.datetime) -> float:
    waited = (now - (conversation.queued_at or now)).total_seconds() / 60
    return conversation.priority + waited / MINUTES_PER_PRIORITY_POINT


SKILL_BONUS = 0.5  # an agent skilled in the topic sees it a little earlier than an equal one


def queued(
    session: Session,
    languages: list[str] | None,
    now: dt.datetime,
    skills: list[str] | None = None,
    agent_id: int | None = None,
) -> list[Conversation]:
    """The line; with ``agent_id`` (an agent's own view) without chats still offered to another agent first."""
    query = select(Conversation).where(Conversation.state == ConversationState.QUEUED)
    if languages is not None:
        query = query.where(Conversation.language.in_(languages))
    rows = session.scalars(query).all()
    if agent_id is not None:
        rows = [c for c in rows if not reopen.reserved_for_other(c, agent_id, now)]
    skilled = set(skills or [])

    def rank(c: Conversation) -> tuple:
        bonus = SKILL_BONUS if c.topic and c.topic in skilled else 0.0
        return (-(effective_priority(c, now) + bonus), c.queued_at or now, c.id)

    return sorted(rows, key=rank)


def position(session: Session, conversation: Conversation, now: dt.datetime) -> int:
    line = queued(session, [conversation.language], now)
    return next((i for i, c in enumerate(line, start=1) if c.id == conversation.id), len(line) + 1)


def wait_estimate(session: Session, conversation: Conversation, place: int) -> int:
    """Seconds: buyers ahead x typical time to first reply, shared by the online agents."""
    agents = max(1, len(online_agents(session, conversation.language)))
    recent = session.execute(
        select(Conversation.queued_at, Conversation.first_agent_reply_at)
        .where(Conversation.first_agent_reply_at.is_not(None), Conversation.queued_at.is_not(None))
        .order_by(Conversation.first_agent_reply_at.desc())
        .limit(50)
    ).all()
    waits = sorted((reply - queued_at).total_seconds() for queued_at, reply in recent if reply >= queued_at)
    typical = waits[len(waits) // 2] if waits else DEFAULT_HANDLE_SECONDS
    return int(max(30, typical) * place / agents)


@dataclass(frozen=True)
class Queued:
    conversation_id: str
    position: int
    wait_seconds: int
    already: bool


def enqueue(
    session: Session,
    conversation: Conversation,
    *,
    reason: str,
    topic: str | None,
    summary: str,
    details: dict[str, Any],
    now: dt.datetime,
) -> Queued:
    """Put a conversation in line (the caller checked staffing); asking twice keeps the place."""
    if conversation.state in (ConversationState.QUEUED, ConversationState.WITH_AGENT):
        place = position(session, conversation, now) if conversation.state == ConversationState.QUEUED else 0
        return Queued(conversation.id, place, wait_estimate(session, conversation, max(place, 1)), True)
    conversation.state = ConversationState.QUEUED.value
    conversation.handoff_reason = reason[:40]
    conversation.topic = (topic or "")[:40] or None
    conversation.handoff_summary = summary[:4000]
    conversation.handoff_details = details
    # A returning buyer (reopened within the window) goes to the front, offered to their last agent first.
    settings = get_settings()
    bonus, preferred, until = reopen.returning_preference(
        session,
        conversation,
        now,
        window_hours=settings.reopen_window_hours,
        bonus=settings.reopen_priority_bonus,
        preferred_seconds=settings.reopen_preferred_agent_seconds,
    )
    conversation.priority = base_priority(session, conversation, reason, details.get("order_number")) + bonus
    conversation.preferred_agent_id = preferred
    conversation.preferred_until = until
    conversation.buyer_left_at = None
    conversation.queued_at = now
    conversation.agent_id = None
    conversation.agent_name = None
    conversation.claimed_at = None
    conversation.first_agent_reply_at = None
    conversation.resolved_at = None
    session.commit()
    place = position(session, conversation, now)
    return Queued(conversation.id, place, wait_estimate(session, conversation, place), False)


def active_chats(session: Session, agent: Agent) -> int:
    return session.scalar(
        select(func.count())
        .select_from(Conversation)
        .where(Conversation.agent_id == agent.id, Conversation.state == ConversationState.WITH_AGENT)
    )


def claim(session: Session, conversation_id: str, agent: Agent, now: dt.datetime) -> Conversation:
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        raise DomainError("unknown_conversation", 404)
    if conversation.language not in (agent.languages or []):
        raise DomainError("wrong_language", 403)
    if active_chats(session, agent) >= agent.capacity:
        raise DomainError("at_capacity", 409)
    if reopen.reserved_for_other(conversation, agent.id, now):
        raise DomainError("offered_to_previous_agent", 409)
    won = session.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id, Conversation.state == ConversationState.QUEUED.value)
        .values(
            state=ConversationState.WITH_AGENT.value,
            agent_id=agent.id,
            agent_name=agent.display_name,
            claimed_at=now,
            last_agent_id=agent.id,
            preferred_agent_id=None,
            preferred_until=None,
        )
    ).rowcount
    if won != 1:
        session.rollback()
        raise DomainError("already_claimed", 409)
    audit.record(session, _actor(agent), "conversation.claim", _target(conversation_id))
    session.commit()
    session.refresh(conversation)
    return conversation


def _actor(agent: Agent | None) -> str:
    return f"agent:{agent.username}" if agent is not None else "system:helpdesk"


def _target(conversation_id: str) -> str:
    return f"conversation:{conversation_id}"


def owned(session: Session, conversation_id: str, agent: Agent, supervisor_may: bool = False) -> Conversation:
    """The agent's own live conversation; ``supervisor_may``: a supervisor may also take over a colleague's.

    Reassigning or closing someone else's chat (an agent went home, a chat is stuck) is a
    supervisor's call; replying in it stays with its owner.
    """
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        raise DomainError("unknown_conversation", 404)
    if conversation.state != ConversationState.WITH_AGENT:
        raise DomainError("not_yours", 403)
    if conversation.agent_id != agent.id and not (supervisor_may and agent.role == Role.SUPERVISOR):
        raise DomainError("not_yours", 403)
    return conversation


def _owner_details(conversation: Conversation, by: Agent | None) -> dict[str, Any]:
    """Names the owner when a supervisor acted on a colleague's conversation."""
    if by is None or conversation.agent_id in (None, by.id):
        return {}
    return {"on_behalf_of_agent_id": conversation.agent_id}


def record_agent_message(session: Session, conversation: Conversation, agent: Agent, text: str, now: dt.datetime):
    """Store the agent's reply; the first one stops the first-response clock (conversation and ticket).

    Masked like a buyer's message: an agent reading a card or phone number back must not store it either.
    """
    text = mask_field(text, conversation.language)
    message = Message(conversation_id=conversation.id, sender=Sender.AGENT, text=text, author_name=agent.display_name)
    session.add(message)
    session.flush()
    # The id, not the text: the transcript holds the words, the audit log who wrote them.
    audit.record(session, _actor(agent), "conversation.message", _target(conversation.id), message_id=message.id)
    conversation.human_messages = (conversation.human_messages or 0) + 1
    if conversation.first_agent_reply_at is None:
        conversation.first_agent_reply_at = now
        for ticket in session.scalars(select(Ticket).where(Ticket.conversation_id == conversation.id)):
            record_first_response(session, ticket, now)
    session.commit()
    session.refresh(message)
    return message


def release(
    session: Session,
    conversation: Conversation,
    state: ConversationState,
    now: dt.datetime,
    by: Agent | None = None,
) -> None:
    """Back to the bot (hand back) or resolved; the agent's seat frees up.

    Either way the buyer is asked to rate the help (a ``csat_request`` frame follows), so from
    now on one rating is accepted (see ``HandoffContract.rate``).
    """
    action = "conversation.resolve" if state == ConversationState.RESOLVED else "conversation.handback"
    audit.record(session, _actor(by), action, _target(conversation.id), **_owner_details(conversation, by))
    conversation.state = state.value
    conversation.csat_requested_at = now
    if state == ConversationState.RESOLVED:
        conversation.resolved_at = now
    if conversation.agent_id is not None:
        conversation.last_agent_id = conversation.agent_id  # preferred if the buyer comes back (reopen.py)
    conversation.agent_id = None
    session.commit()


def colleague(session: Session, username: str) -> Agent:
    """The agent a conversation is passed to by name; 404 ``unknown_agent``."""
    target = session.scalars(select(Agent).where(Agent.username == username.strip().lower())).first()
    if target is None:
        raise DomainError("unknown_agent", 404)
    return target


def transfer_to_agent(
    session: Session, conversation: Conversation, target: Agent, by: Agent | None = None
) -> Conversation:
    """Straight to a colleague who is online, speaks the language and has a free seat."""
    if target.presence != Presence.ONLINE:
        raise DomainError("agent_not_online", 409)
    if conversation.language not in (target.languages or []):
        raise DomainError("wrong_language", 403)
    if active_chats(session, target) >= target.capacity:
        raise DomainError("at_capacity", 409)
    audit.record(
        session,
        _actor(by),
        "conversation.transfer",
        _target(conversation.id),
        to_agent=target.username,
        **_owner_details(conversation, by),
    )
    conversation.agent_id = target.id
    conversation.agent_name = target.display_name
    conversation.last_agent_id = target.id
    session.commit()
    return conversation


def transfer(
    session: Session,
    conversation: Conversation,
    now: dt.datetime,
    language: str | None = None,
    by: Agent | None = None,
) -> Conversation:
    """Back in line (keeping its place by the original queue time), optionally for another language."""
    audit.record(
        session,
        _actor(by),
        "conversation.transfer",
        _target(conversation.id),
        to_queue=language if language in ("tr", "pl") else conversation.language,
        **_owner_details(conversation, by),
    )
    conversation.state = ConversationState.QUEUED.value
    conversation.agent_id = None
    conversation.agent_name = None
    conversation.claimed_at = None
    if language in ("tr", "pl"):
        conversation.language = language
    session.commit()
    return conversation


def remove_agent(
    session: Session, username: str, now: dt.datetime, by: Agent | None = None, operator: str = "operator"
) -> tuple[Agent, list[str]]:
    """Remove an agent (``auth.remove_agent``) and put their open conversations back in line.

    Returns the agent and the ids of the requeued conversations (their buyers are told).
    """
    agent = disable_agent(session, username, now, by=_actor(by) if by is not None else operator)
    open_ones = session.scalars(
        select(Conversation).where(
            Conversation.agent_id == agent.id, Conversation.state == ConversationState.WITH_AGENT
        )
    ).all()
    for conversation in open_ones:
        transfer(session, conversation, now, by=by)
    return agent, [c.id for c in open_ones]
