"""After "resolved": what a buyer's next message does.

Policy (``MD_REOPEN_WINDOW_HOURS``, default 24 h, counted from ``resolved_at``):

- A message to a resolved conversation goes to the bot, never straight to the last agent
  (who may be offline). Within the window it reopens the same conversation (state back to
  ``bot``, ``reopened_at`` and ``reopen_count`` set), so the next agent reads the earlier
  part in the console transcript. After the window a new conversation is started for the
  same buyer, language and market, linked by ``previous_conversation_id`` (the console
  detail names it); the buyer's widget is moved to it with a ``session`` frame.
- A buyer who asks for a person again within the window (a reopened conversation queued
  again) goes to the front of the queue (``MD_REOPEN_PRIORITY_BONUS`` base-priority points)
  and, if the previous agent is online with a free seat in the buyer's language, is offered
  to that agent first: for ``MD_REOPEN_PREFERRED_AGENT_SECONDS`` only they see it in their
  queue and may claim it; after that anyone may. No auto-assignment: an agent takes a chat
  by claiming it, so nobody gets a chat they did not see coming.
- A buyer message to a conversation whose ticket is still open (open or pending) is added
  to the ticket as a note, a pending ticket (waiting for the buyer) becomes open again, and
  the ticket's owner (else the conversation's agent, else its last agent) is notified live.

Every rule takes ``now``; nothing here reads the clock.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from dataclasses import dataclass

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from api.gateway.models import Conversation, ConversationState
from api.helpdesk.models import Agent, Presence, Ticket, TicketNote, TicketStatus
from api.security import audit
from api.security.pii import mask_field

BUYER_NOTE_AUTHOR = "buyer"
MAX_NOTE_CHARS = 1000


@dataclass(frozen=True)
class Reopen:
    """``action``: "none" (not resolved), "reopened" (same conversation) or "new" (``conversation_id`` is new)."""

    action: str
    conversation_id: str
    previous_conversation_id: str | None = None


def within_window(resolved_at: dt.datetime | None, now: dt.datetime, window_hours: float) -> bool:
    return resolved_at is not None and now - resolved_at <= dt.timedelta(hours=window_hours)


def on_buyer_message(session: Session, conversation_id: str, now: dt.datetime, window_hours: float) -> Reopen:
    """Decide (and apply) what a buyer message to ``conversation_id`` reopens; call before storing it.

    Reopening is a conditional update (``WHERE state = 'resolved'``), so two tabs writing at once
    reopen it once; the loser sees a conversation already back with the bot.
    """
    conversation = session.get(Conversation, conversation_id)
    if conversation is None or conversation.state != ConversationState.RESOLVED:
        return Reopen("none", conversation_id)
    resolved_at = conversation.resolved_at or conversation.closed_at or conversation.updated_at
    if within_window(resolved_at, now, window_hours):
        won = session.execute(
            update(Conversation)
            .where(Conversation.id == conversation_id, Conversation.state == ConversationState.RESOLVED.value)
            .values(
                state=ConversationState.BOT.value,
                reopened_at=now,
                reopen_count=Conversation.reopen_count + 1,
                agent_name=None,
                closed_reason=None,
                closed_at=None,
                idle_reminded_for=None,
                idle_escalated_for=None,
            )
        ).rowcount
        if won == 1:
            audit.record(session, "system:helpdesk", "conversation.reopen", f"conversation:{conversation_id}")
        session.commit()
        return Reopen("reopened" if won == 1 else "none", conversation_id)
    successor = Conversation(
        id=uuid.uuid4().hex,
        token=secrets.token_urlsafe(32),
        buyer_id=conversation.buyer_id,
        language=conversation.language,
        market=conversation.market,
        previous_conversation_id=conversation.id,
        last_agent_id=conversation.last_agent_id,
        created_at=now,
    )
    session.add(successor)
    session.commit()
    return Reopen("new", successor.id, previous_conversation_id=conversation.id)


def returning_preference(
    session: Session,
    conversation: Conversation,
    now: dt.datetime,
    *,
    window_hours: float,
    bonus: int,
    preferred_seconds: float,
) -> tuple[int, int | None, dt.datetime | None]:
    """For a conversation about to be queued: (priority bonus, preferred agent id, offered until).

    Only a conversation reopened within the window earns it; the previous agent is preferred only
    if online, not removed, speaking the buyer's language and with a free seat.
    """
    if conversation.reopened_at is None or not within_window(conversation.resolved_at, now, window_hours):
        return 0, None, None
    agent = session.get(Agent, conversation.last_agent_id) if conversation.last_agent_id else None
    if (
        agent is None
        or agent.disabled_at is not None
        or agent.presence != Presence.ONLINE
        or conversation.language not in (agent.languages or [])
        or preferred_seconds <= 0
    ):
        return bonus, None, None
    from api.helpdesk.queue import active_chats  # late: queue imports this module

    if active_chats(session, agent) >= agent.capacity:
        return bonus, None, None
    return bonus, agent.id, now + dt.timedelta(seconds=preferred_seconds)


def reserved_for_other(conversation: Conversation, agent_id: int | None, now: dt.datetime) -> bool:
    """Still offered to another agent (the previous one) first."""
    return (
        conversation.preferred_agent_id is not None
        and conversation.preferred_agent_id != agent_id
        and conversation.preferred_until is not None
        and conversation.preferred_until > now
    )


@dataclass(frozen=True)
class TicketNotice:
    reference: str
    conversation_id: str
    agent_id: int | None  # whom to notify live; None: nobody known (the ticket list shows it)


def _owner_agent(session: Session, ticket: Ticket, conversation: Conversation) -> int | None:
    if ticket.owner:
        agent = session.scalars(
            select(Agent).where(or_(Agent.username == ticket.owner, Agent.display_name == ticket.owner))
        ).first()
        if agent is not None:
            return agent.id
    return conversation.agent_id or conversation.last_agent_id


def add_to_open_ticket(
    session: Session, conversation_id: str, message_id: int, text: str, now: dt.datetime
) -> list[TicketNotice]:
    """A buyer message to a conversation with an open ticket: a note on each such ticket, owner told.

    The note quotes the (already masked) message; a pending ticket is open again (the buyer answered).
    """
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        return []
    tickets = session.scalars(
        select(Ticket).where(Ticket.conversation_id == conversation_id, Ticket.status != TicketStatus.RESOLVED)
    ).all()
    notices = []
    for ticket in tickets:
        body = mask_field(text, conversation.language)[:MAX_NOTE_CHARS]
        session.add(TicketNote(ticket_id=ticket.id, author=BUYER_NOTE_AUTHOR, text=body, created_at=now))
        if ticket.status == TicketStatus.PENDING:
            ticket.status = TicketStatus.OPEN.value
        audit.record(
            session,
            "system:helpdesk",
            "ticket.buyer_message",
            f"ticket:{ticket.reference}",
            conversation=conversation_id,
            message_id=message_id,
        )
        notices.append(TicketNotice(ticket.reference, conversation_id, _owner_agent(session, ticket, conversation)))
    session.commit()
    return notices
