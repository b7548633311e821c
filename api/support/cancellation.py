"""Cancelling an order: only before it leaves the seller; afterwards the buyer refuses it or returns it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import update
from sqlalchemy.orm import Session

from api.commerce.models import Order, OrderStatus
from api.helpdesk.business_calendar import calendar_for
from api.support.common import is_digital, owned_order
from api.support.models import FreezeCause, WalletEntry

REFUND_BUSINESS_DAYS = 3  # seeds: a cancelled order's refund reaches the wallet in 1-3 business days
_IN_CARRIER_HANDS = {OrderStatus.SHIPPED, OrderStatus.IN_TRANSIT, OrderStatus.AT_PICKUP_POINT}


@dataclass(frozen=True)
class CancelOutcome:
    outcome: str  # cancelled, shipped, delivered, digital, already_cancelled, returned
    order_number: str
    status: str
    refund_amount: str | None = None
    currency: str | None = None
    refund_by: dt.date | None = None


def cancel(session: Session, buyer_id: str, number: str, now: dt.datetime) -> CancelOutcome:
    """Cancel if still being prepared; the refund waits in the wallet as a pending line until it clears."""
    order = owned_order(session, buyer_id, number)
    status = OrderStatus(order.status)
    if status == OrderStatus.CANCELLED:
        return CancelOutcome("already_cancelled", order.number, order.status)
    if status == OrderStatus.RETURNED:
        return CancelOutcome("returned", order.number, order.status)
    if is_digital(order):
        return CancelOutcome("digital", order.number, order.status)
    if status == OrderStatus.DELIVERED:
        return CancelOutcome("delivered", order.number, order.status)
    if status in _IN_CARRIER_HANDS:
        return CancelOutcome("shipped", order.number, order.status)
    calendar = calendar_for(order.market)
    release = calendar.add_business_days(now, REFUND_BUSINESS_DAYS)
    # A conditional update, so two clicks on "cancel" can't both succeed and refund twice.
    claimed = session.execute(
        update(Order)
        .where(Order.id == order.id, Order.status == OrderStatus.PREPARING.value)
        .values(status=OrderStatus.CANCELLED.value, estimated_delivery=None)
    ).rowcount
    if claimed != 1:
        session.rollback()
        return CancelOutcome("already_cancelled", order.number, OrderStatus.CANCELLED.value)
    session.add(
        WalletEntry(
            buyer_id=buyer_id,
            currency=order.currency,
            amount=order.total,
            kind="refund",
            frozen_cause=FreezeCause.PENDING_REFUND.value,
            order_number=order.number,
            created_at=now,
            expires_at=release,
        )
    )
    session.commit()
    return CancelOutcome(
        "cancelled",
        order.number,
        OrderStatus.CANCELLED.value,
        refund_amount=f"{order.total:.2f}",
        currency=order.currency,
        refund_by=release.astimezone(calendar.zone).date(),
    )
