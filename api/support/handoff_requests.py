"""The bot (or the gateway) asks for a person.

Inside the market's live-agent hours with someone online for the buyer's language, the
conversation joins the live queue (place and wait estimate returned). Otherwise the
buyer leaves a message: a ticket with everything the bot collected, its number and the
first-response time on the market's business calendar.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.errors import DomainError
from api.gateway.models import Conversation
from api.helpdesk.business_calendar import calendar_for
from api.helpdesk.models import Priority, Ticket, TicketStatus
from api.helpdesk.queue import enqueue, is_staffed, online_agents
from api.helpdesk.tickets import open_ticket
from api.security.pii import mask_field, mask_fields

URGENT_REASONS = frozenset({"security_hold", "account_suspension"})


@dataclass(frozen=True)
class HandoffRecord:
    mode: str  # "queued" or "ticket"
    existing: bool
    position: int | None = None
    wait_seconds: int | None = None
    reference: str | None = None
    first_response_due: dt.datetime | None = None
    first_response_local: str | None = None


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
        raise DomainError("unknown_conversation", 404)
    # What the bot collected can quote the buyer; it goes to the queue or a ticket masked. Masked before
    # it is cut to length: a card number cut in half no longer passes its checksum, and would be kept.
    language = conversation.language
    reason, topic = mask_field(reason, language)[:40], mask_field(topic, language)
    summary = mask_field(summary, language)
    details = {k[:40]: v[:200] for k, v in mask_fields(dict(list(details.items())[:20]), language).items()}
    market = conversation.market
    if is_staffed(market, now) and online_agents(session, conversation.language):
        queued = enqueue(session, conversation, reason=reason, topic=topic, summary=summary, details=details, now=now)
        return HandoffRecord("queued", queued.already, position=queued.position, wait_seconds=queued.wait_seconds)
    zone = calendar_for(market).zone
    existing = session.scalars(
        select(Ticket).where(Ticket.conversation_id == conversation_id, Ticket.status != TicketStatus.RESOLVED)
    ).first()
    if existing is not None:  # one open request per conversation; asking again gives the same number
        due = existing.first_response_due
        return HandoffRecord(
            "ticket", True, reference=existing.reference, first_response_due=due, first_response_local=_local(due, zone)
        )
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
    return HandoffRecord(
        "ticket", False, reference=ticket.reference, first_response_due=due, first_response_local=_local(due, zone)
    )


def _local(moment: dt.datetime, zone) -> str:
    return moment.astimezone(zone).strftime("%d.%m.%Y %H:%M")
