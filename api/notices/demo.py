"""``make demo-events``: move a demo order along and write what happened to the change feed.

``advance`` changes the demo tables the way a marketplace would (status, shipment, scans,
estimated date) and appends the matching event to ``commerce_changes``; every running api
process reads it from there (``SqlCommerce.changes_since``) and the buyer gets a notice.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from typing import Any

from sqlalchemy import select

from api.commerce.models import CommerceChange, Order, Shipment, ShipmentEvent
from api.commerce.port import OrderStatus, ScanCode
from api.errors import DomainError
from api.markets import market_config
from api.notices.models import EventKind

ACTIONS = ("ship", "out", "deliver", "delay", "return", "refund")
OPEN = (OrderStatus.PREPARING, OrderStatus.SHIPPED, OrderStatus.IN_TRANSIT, OrderStatus.AT_PICKUP_POINT)


def pick_order(session, buyer_id: str, action: str) -> Order:
    """The buyer's newest order the action fits (open for shipping steps, delivered for returns)."""
    wanted = {
        "ship": (OrderStatus.PREPARING,),
        "out": (OrderStatus.SHIPPED, OrderStatus.IN_TRANSIT),
        "deliver": (OrderStatus.SHIPPED, OrderStatus.IN_TRANSIT, OrderStatus.AT_PICKUP_POINT),
        "delay": OPEN,
        "return": (OrderStatus.DELIVERED, OrderStatus.RETURNED),
        "refund": (OrderStatus.DELIVERED, OrderStatus.RETURNED),
    }[action]
    query = select(Order).where(Order.buyer_id == buyer_id, Order.status.in_(wanted))
    if action in ("out", "deliver"):
        query = query.where(Order.shipment.has())
    order = session.scalars(query.order_by(Order.placed_at.desc()).limit(1)).first()
    if order is None:  # the demo page says so (404 no_fitting_order); the command line prints who and what
        raise DomainError("no_fitting_order", 404, values={"buyer_id": buyer_id, "action": action})
    return order


def _scan(order: Order, code: str, now: dt.datetime) -> None:
    if order.shipment is not None:
        order.shipment.events.append(ShipmentEvent(occurred_at=now, code=code, location="-"))


def advance(session, order: Order, action: str, now: dt.datetime) -> CommerceChange:
    """Apply ``action`` to the order, write the change, commit; the written change."""
    payload: dict[str, Any] = {}
    today = now.date()
    if action == "ship":
        carrier = str(market_config(order.market)["carriers"][0])
        if order.shipment is None:
            order.shipment = Shipment(carrier=carrier, tracking_code=f"MD{secrets.randbelow(10**10):010d}")
        order.status = OrderStatus.SHIPPED
        order.estimated_delivery = today + dt.timedelta(days=3)
        _scan(order, ScanCode.ACCEPTED, now)
        kind = EventKind.SHIPPED
        payload = {
            "carrier": order.shipment.carrier,
            "tracking_number": order.shipment.tracking_code,
            "estimated_delivery": order.estimated_delivery.isoformat(),
        }
    elif action == "out":
        order.status = OrderStatus.IN_TRANSIT
        _scan(order, ScanCode.OUT_FOR_DELIVERY, now)
        kind = EventKind.OUT_FOR_DELIVERY
    elif action == "deliver":
        order.status = OrderStatus.DELIVERED
        _scan(order, ScanCode.DELIVERED, now)
        kind = EventKind.DELIVERED
    elif action == "delay":
        previous = order.estimated_delivery
        order.estimated_delivery = max(previous or today, today) + dt.timedelta(days=3)
        kind = EventKind.DELAYED
        payload = {
            "estimated_delivery": order.estimated_delivery.isoformat(),
            "previous_estimate": previous.isoformat() if previous else None,
        }
    elif action == "return":
        kind = EventKind.RETURN_RECEIVED
    elif action == "refund":
        order.status = OrderStatus.RETURNED
        kind = EventKind.REFUNDED
        payload = {"amount": str(order.total)}
    else:
        raise ValueError(f"unknown action '{action}' (one of {', '.join(ACTIONS)})")  # a caller's mistake
    change = CommerceChange(
        event_id=f"demo-{uuid.uuid4().hex}", order_number=order.number, kind=kind, occurred_at=now, payload=payload
    )
    session.add(change)
    session.commit()
    return change
