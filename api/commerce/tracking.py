"""Order-tracking rules: which orders a buyer is asked about, and who may see an order.

An unknown number and another buyer's number give the same answer, so the bot
can never be used to probe which order numbers exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from api.commerce.models import OPEN_STATUSES
from api.commerce.order_numbers import normalise
from api.commerce.port import CommercePort, OrderView

RECENT_ORDERS_WHEN_NONE_OPEN = 3


class TrackingError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class TrackableOrders:
    open_count: int
    orders: list[OrderView]


def trackable_orders(commerce: CommercePort, buyer_id: str) -> TrackableOrders:
    """Open orders, newest first; when none is open, the most recent few so the buyer can still pick."""
    orders = commerce.list_orders(buyer_id)
    open_orders = [o for o in orders if o.status in OPEN_STATUSES]
    if open_orders:
        return TrackableOrders(open_count=len(open_orders), orders=open_orders)
    return TrackableOrders(open_count=0, orders=orders[:RECENT_ORDERS_WHEN_NONE_OPEN])


def track(commerce: CommercePort, buyer_id: str, raw_number: str) -> OrderView:
    number = normalise(raw_number)
    if number is None:
        raise TrackingError("invalid_order_number", "Order numbers are TR or PL followed by 8 digits.")
    order = commerce.get_order(number)
    if order is None or order.buyer_id != buyer_id:
        raise TrackingError("order_not_found", "No order with this number in the buyer's account.")
    return order
