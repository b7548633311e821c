"""The bot asks for a person. Until the live queue exists (handoff issue), a request becomes a
ticket with everything the bot collected, and the buyer is told its number and when a person
answers (first-response target on the market's business calendar)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.gateway.models import Conversation
from api.helpdesk.business_calendar import calendar_for
from api.helpdesk.models import Priority, Ticket, TicketStatus
from api.helpdesk.tickets import open_ticket
from api.support.common import SupportError

URGENT_REASONS = frozenset({"security_hold", "account_suspension"})


@dataclass(frozen=True)
class HandoffRecord:
    reference: str
    first_response_due: dt.datetime
    first_response_local: str
    existing: bool


def request(
    session: Session,
    *,
    conversation_id: str,
    reason: str,
    topic: str | None,
    summary: str,
    details: dict[str, str],
    now: dt.datetime,
) -> HandoffRecord:
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        raise SupportError("unknown_conversation", 404)
    market = conversation.market
    zone = calendar_for(market).zone
    existing = session.scalars(
        select(Ticket).where(Ticket.conversation_id == conversation_id, Ticket.status != TicketStatus.RESOLVED)
    ).first()
    if existing is not None:  # one open request per conversation; asking again gives the same number
        due = existing.first_response_due
        return HandoffRecord(existing.reference, due, due.astimezone(zone).strftime("%d.%m.%Y %H:%M"), True)
    lines = [summary.strip()] + [f"{k}: {v}" for k, v in sorted(details.items()) if v]
    ticket = open_ticket(
        session,
        market=market,
        topic=(topic or reason)[:40],
        priority=Priority.URGENT if reason in URGENT_REASONS else Priority.HIGH,
        now=now,
        buyer_id=conversation.buyer_id,
        order_number=details.get("order_number"),
        conversation_id=conversation_id,
        summary=f"Handoff ({reason}). " + "\n".join(lines),
    )
    due = ticket.first_response_due
    return HandoffRecord(ticket.reference, due, due.astimezone(zone).strftime("%d.%m.%Y %H:%M"), False)
