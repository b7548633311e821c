"""Parcels that went wrong after the carrier: delivered but not received, damaged, wrong or missing items.

Each ends in a record a person follows up (investigation, damage or missing-item report)
or, for a wrong item, a message in the seller's inbox.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.commerce.ownership import owned_order
from api.commerce.port import CommercePort, OrderDetail, OrderStatus, ScanCode
from api.errors import DomainError
from api.helpdesk.business_calendar import calendar_for
from api.helpdesk.models import Priority, Ticket, TicketStatus
from api.helpdesk.tickets import open_ticket
from api.support.common import delivered_scan

INVESTIGATION_BUSINESS_DAYS = 3  # seeds: the carrier answers an investigation in 1-3 business days
DAMAGE_MOMENTS = frozenset({"at_door", "after_delivery"})


@dataclass(frozen=True)
class DeliveryFacts:
    order_number: str
    status: str
    carrier: str | None
    delivered_at: dt.datetime | None
    delivered_to: str | None
    location: str | None


def facts(commerce: CommercePort, buyer_id: str, number: str) -> DeliveryFacts:
    """What the carrier recorded at delivery: when, where and who signed."""
    order = owned_order(commerce, buyer_id, number)
    when = delivered_scan(order)
    shipment = order.shipment
    location = None
    if shipment is not None and when is not None:
        location = next(s.location for s in reversed(shipment.scans) if s.code == ScanCode.DELIVERED)
    return DeliveryFacts(
        order.number,
        order.status,
        shipment.carrier if shipment else None,
        when,
        shipment.delivered_to if shipment else None,
        location,
    )


@dataclass(frozen=True)
class Record:
    reference: str
    order_number: str
    due: dt.datetime
    due_date: dt.date
    existing: bool


def _open_record(
    session: Session,
    *,
    order: OrderDetail,
    buyer_id: str,
    topic: str,
    summary: str,
    priority: Priority,
    conversation_id: str | None,
    now: dt.datetime,
    resolution_due: dt.datetime | None = None,
) -> Record:
    zone = calendar_for(order.market).zone
    existing = session.scalars(
        select(Ticket).where(
            Ticket.order_number == order.number, Ticket.topic == topic, Ticket.status != TicketStatus.RESOLVED
        )
    ).first()
    if existing is not None:  # asking twice about the same parcel gives the same record
        due = existing.resolution_due
        return Record(existing.reference, order.number, due, due.astimezone(zone).date(), True)
    ticket = open_ticket(
        session,
        market=order.market,
        topic=topic,
        priority=priority,
        now=now,
        buyer_id=buyer_id,
        order_number=order.number,
        conversation_id=conversation_id,
        summary=summary,
        resolution_due=resolution_due,
    )
    due = ticket.resolution_due
    return Record(ticket.reference, order.number, due, due.astimezone(zone).date(), False)


def open_investigation(
    session: Session,
    commerce: CommercePort,
    buyer_id: str,
    number: str,
    conversation_id: str | None,
    now: dt.datetime,
) -> Record:
    """The carrier must show proof of delivery; outcome is re-shipment or refund, within 3 business days."""
    order = owned_order(commerce, buyer_id, number)
    if order.status != OrderStatus.DELIVERED or delivered_scan(order) is None:
        raise DomainError("not_delivered", 409, order_status=order.status)
    due = calendar_for(order.market).add_business_days(now, INVESTIGATION_BUSINESS_DAYS)
    return _open_record(
        session,
        order=order,
        buyer_id=buyer_id,
        topic="delivered_not_received",
        summary="Marked delivered, buyer says not received; neighbours and building checked. "
        "Ask the carrier for proof of delivery.",
        priority=Priority.HIGH,
        conversation_id=conversation_id,
        now=now,
        resolution_due=due,
    )


def report_damage(
    session: Session,
    commerce: CommercePort,
    buyer_id: str,
    number: str,
    moment: str,
    conversation_id: str | None,
    now: dt.datetime,
) -> Record:
    if moment not in DAMAGE_MOMENTS:
        raise DomainError("unknown_moment", 422)
    summary = (
        "Damaged parcel refused at the door; the courier's damage report is the evidence."
        if moment == "at_door"
        else "Damage found after delivery; photos uploaded in the conversation."
    )
    return _open_record(
        session,
        order=owned_order(commerce, buyer_id, number),
        buyer_id=buyer_id,
        topic="damaged_item",
        summary=summary,
        priority=Priority.NORMAL,
        conversation_id=conversation_id,
        now=now,
    )


def report_missing(
    session: Session, commerce: CommercePort, buyer_id: str, number: str, conversation_id: str | None, now: dt.datetime
) -> Record:
    return _open_record(
        session,
        order=owned_order(commerce, buyer_id, number),
        buyer_id=buyer_id,
        topic="wrong_or_missing_item",
        summary="Item missing from the parcel, reported from the order.",
        priority=Priority.NORMAL,
        conversation_id=conversation_id,
        now=now,
    )
