"""Which of a buyer's orders fit what the buyer said, for the order buttons of every support flow.

One place for the rule of each purpose. ``rank`` puts the orders that fit first, in the order
that makes sense for the purpose (the newest delivered scan first for "delivered but not
received"...), then the others: the bot offers only the fitting ones as buttons, and any other
order stays reachable by typing its number (the flow then gives its own answer for it).

Purposes (the flow that asks):
- ``track``: shipped, in transit or at a pickup point first, then being prepared, then delivered recently.
- ``cancel``: physical orders still open, being prepared first (cancellable), then in the carrier's hands.
- ``return``: physical orders whose delivered scan is within the market's return window, newest delivery first.
- ``digital``: digital orders, newest first.
- ``delivered``: delivered but not received; physical orders with a delivered scan, newest scan first.
- ``damaged``: delivered, or out for delivery / at a pickup point (refused at the door); delivered first.
- ``wrong_or_missing``: physical orders with a delivered scan, newest scan first.
- ``delivery``: the former shared purpose of the three delivery flows (any shipped, not cancelled order).
- ``seller``: every order that is not cancelled.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from api.commerce.ownership import known_buyer
from api.commerce.port import OPEN_STATUSES, CommercePort, OrderStatus, OrderView, ScanCode
from api.helpdesk.business_calendar import calendar_for
from api.markets import market_config
from api.support.common import delivered_scan

Purpose = Literal[
    "track", "cancel", "return", "digital", "delivered", "damaged", "wrong_or_missing", "delivery", "seller"
]
PURPOSES: tuple[str, ...] = Purpose.__args__  # type: ignore[attr-defined]
RECENT_DELIVERY_DAYS = 14  # tracking: delivered orders this recent follow the ones on their way
MAX_CANDIDATES = 5  # order buttons the bot shows at most
_IN_CARRIER_HANDS = frozenset({OrderStatus.SHIPPED, OrderStatus.IN_TRANSIT, OrderStatus.AT_PICKUP_POINT})


@dataclass(frozen=True)
class Ranked:
    order: OrderView
    fits: bool


def _last_scan(order: OrderView) -> str | None:
    shipment = order.shipment
    return shipment.last_scan.code if shipment is not None and shipment.last_scan is not None else None


def _delivered(order: OrderView) -> bool:
    return not order.is_digital and order.status == OrderStatus.DELIVERED and delivered_scan(order) is not None


def _return_deadline(order: OrderView) -> dt.date | None:
    when = delivered_scan(order)
    if when is None:
        return None
    days = int(market_config(order.market)["return_window_days"])
    return when.astimezone(calendar_for(order.market).zone).date() + dt.timedelta(days=days)


def _newest_scan_first(order: OrderView) -> float:
    when = delivered_scan(order)
    return -when.timestamp() if when is not None else 0.0


# Per purpose: a key for the fitting orders (lower first; ties keep newest placed first), or None when it does not fit.
def _key(order: OrderView, purpose: str, now: dt.datetime) -> tuple | None:
    status = order.status
    physical = not order.is_digital
    if purpose == "track":
        if not physical or status in (OrderStatus.CANCELLED, OrderStatus.RETURNED):
            return None
        if status in _IN_CARRIER_HANDS:
            return (0,)
        if status == OrderStatus.PREPARING:
            return (1,)
        when = delivered_scan(order)
        if status == OrderStatus.DELIVERED and when is not None and now - when <= dt.timedelta(RECENT_DELIVERY_DAYS):
            return (2, _newest_scan_first(order))
        return None
    if purpose == "cancel":
        if not physical or status not in OPEN_STATUSES:
            return None
        return (0,) if status == OrderStatus.PREPARING else (1,)
    if purpose == "return":
        deadline = _return_deadline(order)
        if not _delivered(order) or deadline is None:
            return None
        today = now.astimezone(calendar_for(order.market).zone).date()
        return (_newest_scan_first(order),) if today <= deadline else None
    if purpose == "digital":
        return (0,) if order.is_digital else None
    if purpose in ("delivered", "wrong_or_missing"):
        return (_newest_scan_first(order),) if _delivered(order) else None
    if purpose == "damaged":
        if _delivered(order):
            return (0, _newest_scan_first(order))
        at_door = _last_scan(order) in (ScanCode.OUT_FOR_DELIVERY, ScanCode.AT_PICKUP_POINT)
        return (1,) if physical and status in _IN_CARRIER_HANDS and at_door else None
    if purpose == "delivery":
        fits = physical and order.shipment is not None and status != OrderStatus.CANCELLED
        return (0,) if fits else None
    if purpose == "seller":
        return (0,) if status != OrderStatus.CANCELLED else None
    raise ValueError(f"unknown purpose {purpose!r}")


def rank(orders: Sequence[OrderView], purpose: str, now: dt.datetime) -> list[Ranked]:
    """The orders (given newest placed first) with the fitting ones first, each group in its purpose's order."""
    keyed: list[tuple[tuple, int, OrderView]] = []
    others: list[OrderView] = []
    for position, order in enumerate(orders):
        key = _key(order, purpose, now)
        if key is None:
            others.append(order)
        else:
            keyed.append((key, position, order))
    keyed.sort(key=lambda k: (k[0], k[1]))
    return [Ranked(o, True) for _, _, o in keyed] + [Ranked(o, False) for o in others]


def fitting(orders: Sequence[OrderView], purpose: str, now: dt.datetime) -> list[OrderView]:
    return [r.order for r in rank(orders, purpose, now) if r.fits]


def fits(order: OrderView, purpose: str, now: dt.datetime) -> bool:
    return _key(order, purpose, now) is not None


@dataclass(frozen=True)
class Candidates:
    count: int  # orders that fit
    others: int  # the buyer's orders that do not fit, still reachable by typing their number
    orders: list[OrderView]  # the best fitting ones, at most MAX_CANDIDATES


def candidates(commerce: CommercePort, buyer_id: str, purpose: str, now: dt.datetime) -> Candidates:
    """The buyer's orders that fit the flow's purpose, best fit first (the bot turns them into buttons);
    ``unknown_buyer`` (404) for a buyer the marketplace does not know."""
    known_buyer(commerce, buyer_id)
    ranked = rank(commerce.list_orders(buyer_id), purpose, now)
    fitting_orders = [r.order for r in ranked if r.fits]
    return Candidates(len(fitting_orders), len(ranked) - len(fitting_orders), fitting_orders[:MAX_CANDIDATES])
