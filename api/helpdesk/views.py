"""What the agent console shows: agents, queue rows, tickets with their SLA clocks, a conversation's
transcript with its tickets and notes. The console router returns these; the reads live here so the
router only parses, calls and answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.commerce.models import Buyer
from api.gateway.models import Conversation, ConversationState
from api.gateway.service import serialise
from api.helpdesk import queue
from api.helpdesk.models import Agent, Ticket, TicketNote, TicketStatus
from api.helpdesk.tickets import agent_markets, sla_state

MAX_TICKETS = 200


def agent_view(agent: Agent) -> dict[str, Any]:
    return {
        "id": agent.id,
        "username": agent.username,
        "display_name": agent.display_name,
        "languages": agent.languages,
        "skills": agent.skills,
        "capacity": agent.capacity,
        "presence": agent.presence,
        "role": agent.role,
    }


def conversation_row(session: Session, conversation: Conversation, now: dt.datetime) -> dict[str, Any]:
    """One line of the queue (or of the agent's own chats): who, why, how long, how urgent."""
    buyer = session.get(Buyer, conversation.buyer_id) if conversation.buyer_id else None
    return {
        "conversation_id": conversation.id,
        "state": conversation.state,
        "language": conversation.language,
        "market": conversation.market,
        "topic": conversation.topic,
        "reason": conversation.handoff_reason,
        "summary": conversation.handoff_summary,
        "details": conversation.handoff_details or {},
        "priority": conversation.priority,
        "effective_priority": round(queue.effective_priority(conversation, now), 2),
        "wait_seconds": int((now - conversation.queued_at).total_seconds()) if conversation.queued_at else 0,
        "agent_name": conversation.agent_name,
        "buyer": {"id": buyer.id, "name": buyer.name} if buyer else None,
        "accessibility": bool(buyer and buyer.accessibility_needs),
        # Life cycle (api/helpdesk/reopen.py, idle.py): the earlier conversation this one continues, reopenings.
        "previous_conversation_id": conversation.previous_conversation_id,
        "reopen_count": conversation.reopen_count or 0,
        "returning": conversation.preferred_agent_id is not None or bool(conversation.reopen_count),
        "closed_reason": conversation.closed_reason,
        "abandoned_form": conversation.abandoned_form,
    }


def ticket_view(ticket: Ticket, now: dt.datetime) -> dict[str, Any]:
    sla = sla_state(ticket, now)
    return {
        "reference": ticket.reference,
        "topic": ticket.topic,
        "status": ticket.status,
        "priority": ticket.priority,
        "order_number": ticket.order_number,
        "conversation_id": ticket.conversation_id,
        "summary": ticket.summary,
        "first_response_due": sla.first_response.due,
        "resolution_due": sla.resolution.due,
        "breached": {"first_response": sla.first_response.breached, "resolution": sla.resolution.breached},
        "business_hours_left": sla.resolution.business_hours_left,
    }


def note_view(session: Session, note: TicketNote) -> dict[str, Any]:
    ticket = session.get(Ticket, note.ticket_id)
    return {"author": note.author, "text": note.text, "created_at": note.created_at, "ticket": ticket.reference}


def queue_view(session: Session, agent: Agent, now: dt.datetime) -> list[dict[str, Any]]:
    """The waiting conversations this agent may claim, in the order the queue offers them."""
    rows = queue.queued(session, agent.languages, now, agent.skills, agent_id=agent.id)
    return [conversation_row(session, c, now) for c in rows]


def my_conversations(session: Session, agent: Agent, now: dt.datetime) -> list[dict[str, Any]]:
    """The conversations the agent is helping now."""
    rows = session.scalars(
        select(Conversation).where(
            Conversation.agent_id == agent.id, Conversation.state == ConversationState.WITH_AGENT
        )
    ).all()
    return [conversation_row(session, c, now) for c in rows]


def open_tickets(session: Session, agent: Agent, now: dt.datetime) -> list[dict[str, Any]]:
    """Unresolved tickets of the agent's markets, the nearest resolution deadline first."""
    rows = session.scalars(
        select(Ticket)
        .where(Ticket.status != TicketStatus.RESOLVED, Ticket.market.in_(agent_markets(agent)))
        .order_by(Ticket.resolution_due)
        .limit(MAX_TICKETS)
    ).all()
    return [ticket_view(t, now) for t in rows]


def conversation_detail(session: Session, conversation: Conversation, now: dt.datetime) -> dict[str, Any]:
    """The transcript with its queue row, its tickets and their internal notes."""
    tickets = session.scalars(select(Ticket).where(Ticket.conversation_id == conversation.id)).all()
    notes = [
        {"author": n.author, "text": n.text, "created_at": n.created_at, "ticket": t.reference}
        for t in tickets
        for n in t.notes
    ]
    return {
        "conversation": conversation_row(session, conversation, now),
        "messages": [serialise(m) for m in conversation.messages],
        "tickets": [ticket_view(t, now) for t in tickets],
        "notes": notes,
    }
