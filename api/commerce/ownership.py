"""Who may see an order: the one ownership rule, for tracking and every support flow.

An unknown number and another buyer's number give the same 404, so the bot can never be
used to probe which order numbers exist. The port answers for whoever owns an order; only
this module decides that the buyer asking owns it.
"""

from __future__ import annotations

from api.commerce.order_numbers import normalise
from api.commerce.port import BuyerView, CommercePort, OrderDetail
from api.errors import Catalogue, DomainError


def known_buyer(commerce: CommercePort, buyer_id: str) -> BuyerView:
    """The buyer, or ``unknown_buyer`` (404)."""
    found = commerce.get_buyer(buyer_id)
    if found is None:
        raise DomainError("unknown_buyer", 404)
    return found


def owned_order(
    commerce: CommercePort, buyer_id: str, raw_number: str, *, catalogue: Catalogue | None = None
) -> OrderDetail:
    """The buyer's order as typed (any spacing or case); ``invalid_order_number`` (422) when it can't be an
    order number, ``order_not_found`` (404) when it is unknown or someone else's. ``catalogue`` words the
    refusal for callers whose answer carries a message."""
    number = normalise(raw_number)
    if number is None:
        raise DomainError("invalid_order_number", 422, catalogue=catalogue)
    order = commerce.order_detail(number)
    if order is None or order.buyer_id != buyer_id:
        raise DomainError("order_not_found", 404, catalogue=catalogue)
    return order


def is_owned(commerce: CommercePort, buyer_id: str, raw_number: str) -> OrderDetail | None:
    """``owned_order`` for callers to whom a wrong number is no refusal (a complaint still goes in)."""
    try:
        return owned_order(commerce, buyer_id, raw_number)
    except DomainError:
        return None
