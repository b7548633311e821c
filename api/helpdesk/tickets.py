"""Opening tickets, their reference numbers and their SLA clocks.

Reference format: market, local date and a per-market daily counter, e.g.
``TR-261122-0042``: short enough to read out on the phone, and it tells an agent
at a glance which market and day it belongs to.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.errors import DomainError
from api.gateway.models import Conversation
from api.helpdesk.business_calendar import calendar_for
from api.helpdesk.models import Agent, Priority, Ticket, TicketNote, TicketStatus
from api.markets import market_config
from api.security import audit
from api.security.pii import mask_field

MAX_REFERENCE_ATTEMPTS = 5


def sla_targets(market: str) -> dict[str, dict[str, float]]:
    return market_config(market)["sla_business_hours"]


def _reference(session: Session, market: str, local_day: dt.date) -> str:
    prefix = f"{market}-{local_day:%y%m%d}-"
    taken = session.scalar(select(func.count()).where(Ticket.reference.startswith(prefix)))
    return f"{prefix}{taken + 1:04d}"


def open_ticket(
    session: Session,
    *,
    market: str,
    topic: str,
    priority: Priority = Priority.NORMAL,
    now: dt.datetime,
    buyer_id: str | None = None,
    order_number: str | None = None,
    conversation_id: str | None = None,
    summary: str | None = None,
    resolution_due: dt.datetime | None = None,
) -> Ticket:
    """Create and commit a ticket with its due dates; retries if two requests took the same number.

    ``resolution_due`` overrides the SLA target where a rule promises the buyer a date
    (a delivery investigation answers in 3 business days whatever the priority).
    """
    calendar = calendar_for(market)
    targets = sla_targets(market)[Priority(priority).value]
    summary = mask_field(summary, market.lower())  # callers pass buyer or seller words along
    if conversation_id is not None and session.get(Conversation, conversation_id) is None:
        conversation_id = None  # a test tracker or a purged conversation: keep the ticket, drop the link
    for _ in range(MAX_REFERENCE_ATTEMPTS):
        ticket = Ticket(
            reference=_reference(session, market, now.astimezone(calendar.zone).date()),
            market=market,
            topic=topic,
            priority=Priority(priority).value,
            buyer_id=buyer_id,
            order_number=order_number,
            conversation_id=conversation_id,
            summary=summary,
            created_at=now,
            first_response_due=calendar.add_business_hours(now, targets["first_response"]),
            resolution_due=resolution_due or calendar.add_business_hours(now, targets["resolution"]),
        )
        session.add(ticket)
        try:
            session.commit()
            return ticket
        except IntegrityError:
            session.rollback()
    raise RuntimeError("could not allocate a ticket reference")


@dataclass(frozen=True)
class Clock:
    due: dt.datetime
    done_at: dt.datetime | None
    breached: bool
    business_hours_left: float


@dataclass(frozen=True)
class SlaState:
    first_response: Clock
    resolution: Clock


def _clock(ticket: Ticket, due: dt.datetime, done_at: dt.datetime | None, now: dt.datetime) -> Clock:
    calendar = calendar_for(ticket.market)
    reference_time = done_at or now
    return Clock(
        due=due,
        done_at=done_at,
        breached=reference_time > due,
        business_hours_left=0.0 if done_at else round(calendar.business_hours_between(now, due), 2),
    )


def sla_state(ticket: Ticket, now: dt.datetime) -> SlaState:
    return SlaState(
        first_response=_clock(ticket, ticket.first_response_due, ticket.first_response_at, now),
        resolution=_clock(ticket, ticket.resolution_due, ticket.resolved_at, now),
    )


def record_first_response(session: Session, ticket: Ticket, now: dt.datetime) -> None:
    """The first agent reply stops the first-response clock (the caller commits)."""
    if ticket.first_response_at is None:
        ticket.first_response_at = now


def resolve(session: Session, ticket: Ticket, now: dt.datetime) -> None:
    """Resolved stops both clocks; a ticket resolved unanswered counts as answered now (the caller commits)."""
    ticket.status = TicketStatus.RESOLVED
    ticket.resolved_at = ticket.resolved_at or now
    record_first_response(session, ticket, now)


MARKET_OF_LANGUAGE = {"tr": "TR", "pl": "PL"}


def agent_markets(agent: Agent) -> list[str]:
    """An agent works the tickets of the markets whose language they speak."""
    return [MARKET_OF_LANGUAGE[lang] for lang in agent.languages or [] if lang in MARKET_OF_LANGUAGE]


def add_note(session: Session, conversation: Conversation, agent: Agent, text: str, now: dt.datetime) -> TicketNote:
    """An internal note on the conversation's ticket (opened now if there is none yet), audited.

    The audit row names the note, not its words: notes may quote the buyer.
    """
    ticket = session.scalars(select(Ticket).where(Ticket.conversation_id == conversation.id)).first()
    if ticket is None:
        ticket = open_ticket(
            session,
            market=conversation.market,
            topic=conversation.topic or "general",
            now=now,
            buyer_id=conversation.buyer_id,
            order_number=(conversation.handoff_details or {}).get("order_number"),
            conversation_id=conversation.id,
            summary=conversation.handoff_summary,
        )
    text = mask_field(text.strip(), conversation.language)
    note = TicketNote(ticket_id=ticket.id, author=agent.display_name, text=text, created_at=now)
    session.add(note)
    session.flush()
    audit.record(
        session,
        f"agent:{agent.username}",
        "conversation.note",
        f"conversation:{conversation.id}",
        ticket=ticket.reference,
        note_id=note.id,
    )
    session.commit()
    return note


def change_status(session: Session, reference: str, agent: Agent, status: TicketStatus, now: dt.datetime) -> Ticket:
    """Move a ticket between open, pending (waiting for the buyer) and resolved; audited.

    Reopening clears the resolution time so the resolution clock counts again.
    """
    ticket = session.scalars(select(Ticket).where(Ticket.reference == reference)).first()
    if ticket is None or ticket.market not in agent_markets(agent):
        raise DomainError("unknown_ticket", 404)
    before, after = ticket.status, TicketStatus(status).value
    if after == TicketStatus.RESOLVED:
        resolve(session, ticket, now)
    else:
        ticket.resolved_at = None
    ticket.status = after
    if before != after:
        audit.record(
            session, f"agent:{agent.username}", "ticket.change", f"ticket:{reference}", before=before, after=after
        )
    session.commit()
    return ticket
