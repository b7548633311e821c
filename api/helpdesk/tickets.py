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

from api.gateway.models import Conversation
from api.helpdesk.business_calendar import calendar_for
from api.helpdesk.models import Priority, Ticket, TicketStatus
from api.markets import market_config

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
    if ticket.first_response_at is None:
        ticket.first_response_at = now
        session.commit()


def resolve(session: Session, ticket: Ticket, now: dt.datetime) -> None:
    ticket.status = TicketStatus.RESOLVED
    ticket.resolved_at = ticket.resolved_at or now
    if ticket.first_response_at is None:
        ticket.first_response_at = now
    session.commit()
