"""Order-tracking rules: which orders a buyer is asked about, and the tracking answer for one order.

Who may see an order is ``api.commerce.ownership.owned_order`` (an unknown number and another
buyer's number give the same answer, so the bot can never be used to probe which numbers exist).
"""

from __future__ import annotations

from dataclasses import dataclass

from api.commerce.ownership import known_buyer, owned_order
from api.commerce.port import OPEN_STATUSES, CommercePort, OrderView

RECENT_ORDERS_WHEN_NONE_OPEN = 3

# The tracking refusals carry a message for the action server's logs (the bot words them per language).
_MESSAGES = {
    "invalid_order_number": "Order numbers are TR or PL followed by 8 digits.",
    "order_not_found": "No order with this number in the buyer's account.",
}


def _message(code: str, language: str, **_: object) -> str:
    return _MESSAGES[code]


@dataclass(frozen=True)
class TrackableOrders:
    open_count: int
    orders: list[OrderView]


def trackable_orders(commerce: CommercePort, buyer_id: str) -> TrackableOrders:
    """Open orders, newest first; when none is open, the most recent few so the buyer can still pick."""
    known_buyer(commerce, buyer_id)
    orders = commerce.list_orders(buyer_id)
    open_orders = [o for o in orders if o.status in OPEN_STATUSES]
    if open_orders:
        return TrackableOrders(open_count=len(open_orders), orders=open_orders)
    return TrackableOrders(open_count=0, orders=orders[:RECENT_ORDERS_WHEN_NONE_OPEN])


def track(commerce: CommercePort, buyer_id: str, raw_number: str) -> OrderView:
    """The buyer's order as the tracking answer shows it; ``DomainError`` for an unknown buyer or number."""
    known_buyer(commerce, buyer_id)
    return owned_order(commerce, buyer_id, raw_number, catalogue=_message).view()
