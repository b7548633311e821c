"""What every support flow shares: the buyer's own order, errors with stable codes, market facts."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from api.commerce.models import Buyer, Order, Shipment
from api.commerce.order_numbers import normalise
from api.helpdesk.business_calendar import calendar_for


class SupportError(Exception):
    """A rule said no. ``code`` is stable (the bot phrases it per language); ``status`` is the HTTP status."""

    def __init__(self, code: str, status: int = 409, **details: object) -> None:
        super().__init__(code)
        self.code = code
        self.status = status
        self.details = details


def order_query():
    return select(Order).options(
        selectinload(Order.items),
        selectinload(Order.seller),
        selectinload(Order.shipment).selectinload(Shipment.events),
    )


def buyer(session: Session, buyer_id: str) -> Buyer:
    found = session.get(Buyer, buyer_id)
    if found is None:
        raise SupportError("unknown_buyer", 404)
    return found


def owned_order(session: Session, buyer_id: str, raw_number: str) -> Order:
    """The buyer's order; an unknown and another buyer's number are the same 404, so numbers can't be probed."""
    number = normalise(raw_number)
    if number is None:
        raise SupportError("invalid_order_number", 422)
    order = session.scalars(order_query().where(Order.number == number)).first()
    if order is None or order.buyer_id != buyer_id:
        raise SupportError("order_not_found", 404)
    return order


def delivered_at(order: Order) -> dt.datetime | None:
    """When the carrier scanned the parcel as delivered (None for digital or undelivered orders)."""
    if order.shipment is None:
        return None
    scans = [e.occurred_at for e in order.shipment.events if e.code == "delivered"]
    return scans[-1] if scans else None


def local_date(market: str, moment: dt.datetime) -> dt.date:
    return moment.astimezone(calendar_for(market).zone).date()


def is_digital(order: Order) -> bool:
    return any(item.is_digital for item in order.items)
