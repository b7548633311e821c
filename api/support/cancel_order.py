"""Cancelling an order: only before it leaves the seller; afterwards the buyer refuses it or returns it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from api.commerce.ownership import owned_order
from api.commerce.port import CommercePort, OrderStatus, OrderView
from api.helpdesk.business_calendar import calendar_for

REFUND_BUSINESS_DAYS = 3  # seeds: a cancelled order's refund reaches the wallet in 1-3 business days
_IN_CARRIER_HANDS = {OrderStatus.SHIPPED, OrderStatus.IN_TRANSIT, OrderStatus.AT_PICKUP_POINT}


@dataclass(frozen=True)
class CancelOutcome:
    outcome: str  # cancelled, shipped, delivered, digital, already_cancelled, returned (check: cancellable)
    order_number: str
    status: str
    refund_amount: str | None = None
    currency: str | None = None
    refund_by: dt.date | None = None


def _refusal(order: OrderView) -> str | None:
    """Why ``order`` cannot be cancelled now (the outcome ``cancel`` answers), or None while it can."""
    status = OrderStatus(order.status)
    if status == OrderStatus.CANCELLED:
        return "already_cancelled"
    if status == OrderStatus.RETURNED:
        return "returned"
    if order.is_digital:
        return "digital"
    if status == OrderStatus.DELIVERED:
        return "delivered"
    if status in _IN_CARRIER_HANDS:
        return "shipped"
    return None


def check(commerce: CommercePort, buyer_id: str, number: str) -> CancelOutcome:
    """What cancelling would answer now, without cancelling: ``cancellable`` or the refusal's outcome
    (the bot asks "are you sure?" only for a cancellable order)."""
    order = owned_order(commerce, buyer_id, number)
    return CancelOutcome(_refusal(order) or "cancellable", order.number, order.status)


def cancel(commerce: CommercePort, buyer_id: str, number: str, now: dt.datetime) -> CancelOutcome:
    """Cancel if still being prepared; the refund waits in the wallet as a pending line until it clears."""
    order = owned_order(commerce, buyer_id, number)
    refused = _refusal(order)
    if refused is not None:
        return CancelOutcome(refused, order.number, order.status)
    calendar = calendar_for(order.market)
    release = calendar.add_business_days(now, REFUND_BUSINESS_DAYS)
    if not commerce.cancel_order(order.number, release, now):  # the other click won
        return CancelOutcome("already_cancelled", order.number, OrderStatus.CANCELLED.value)
    return CancelOutcome(
        "cancelled",
        order.number,
        OrderStatus.CANCELLED.value,
        refund_amount=f"{order.total:.2f}",
        currency=order.currency,
        refund_by=release.astimezone(calendar.zone).date(),
    )
