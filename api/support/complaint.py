"""Formal complaints: recorded with a reference number, and the market's escalation bodies named."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from api.commerce.ownership import is_owned, known_buyer
from api.commerce.port import CommercePort
from api.errors import DomainError
from api.helpdesk.business_calendar import calendar_for
from api.helpdesk.models import Priority
from api.helpdesk.tickets import open_ticket
from api.markets import market_config
from api.security.pii import mask_field

MAX_CHARS = 4000


@dataclass(frozen=True)
class ComplaintRecord:
    reference: str
    answer_due: dt.date
    bodies: list[str]


def record(
    session: Session,
    commerce: CommercePort,
    buyer_id: str,
    text: str,
    order_number: str | None,
    conversation_id: str | None,
    now: dt.datetime,
) -> ComplaintRecord:
    owner = known_buyer(commerce, buyer_id)
    text = (text or "").strip()
    if not text:
        raise DomainError("empty_message", 422)
    # A wrong number in a complaint doesn't stop the complaint; it is just not linked.
    order = is_owned(commerce, buyer_id, order_number) if order_number else None
    number = order.number if order else None
    ticket = open_ticket(
        session,
        market=owner.market,
        topic="complaint",
        priority=Priority.HIGH,
        now=now,
        buyer_id=buyer_id,
        order_number=number,
        conversation_id=conversation_id,
        summary=mask_field(text, owner.language)[:MAX_CHARS],
    )
    zone = calendar_for(owner.market).zone
    return ComplaintRecord(
        ticket.reference,
        ticket.resolution_due.astimezone(zone).date(),
        list(market_config(owner.market)["complaint_bodies"]),
    )
