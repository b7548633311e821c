"""The commerce port: what the support assistant needs to know about, and ask of, the marketplace.

The api depends on this interface only. ``SqlCommerce`` (the demo adapter, api/commerce/sql_adapter.py)
implements it over our own tables; a real marketplace plugs in an adapter that calls its order,
wallet and account APIs instead, without touching the support rules, services or routers.

Everything crossing the port is a value defined here (the vocabulary, pydantic views for what the
api also returns as JSON, frozen dataclasses for the rest), never a row of the demo tables. The port
answers for whoever owns a record; the one rule that a buyer sees only their own order is
``api.commerce.ownership.owned_order``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from pydantic import BaseModel


class Market(StrEnum):
    TR = "TR"
    PL = "PL"


class OrderStatus(StrEnum):
    PREPARING = "preparing"
    SHIPPED = "shipped"
    IN_TRANSIT = "in_transit"
    AT_PICKUP_POINT = "at_pickup_point"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    RETURNED = "returned"


OPEN_STATUSES = frozenset(
    {OrderStatus.PREPARING, OrderStatus.SHIPPED, OrderStatus.IN_TRANSIT, OrderStatus.AT_PICKUP_POINT}
)


class ScanCode(StrEnum):
    """Carrier scan events, in the order a parcel normally sees them."""

    ACCEPTED = "accepted"
    AT_HUB = "at_hub"
    IN_TRANSIT = "in_transit"
    OUT_FOR_DELIVERY = "out_for_delivery"
    AT_PICKUP_POINT = "at_pickup_point"
    DELIVERED = "delivered"
    RETURNED_TO_SENDER = "returned_to_sender"


class FreezeCause(StrEnum):
    """Why money in a buyer's wallet can't be spent."""

    PENDING_REFUND = "pending_refund"
    PROMO_EXPIRED = "promo_expired"
    SYSTEM_FREEZE = "system_freeze"
    SECURITY_HOLD = "security_hold"


class RestrictionKind(StrEnum):
    ORDER_BLOCK = "order_block"
    CAMPAIGN = "campaign"
    SUSPENSION = "suspension"


class ScanView(BaseModel):
    code: str
    location: str
    occurred_at: dt.datetime


class ShipmentView(BaseModel):
    carrier: str
    tracking_code: str
    pickup_point: str | None = None
    delivered_to: str | None = None
    last_scan: ScanView | None = None
    scans: list[ScanView] = []


class OrderView(BaseModel):
    """An order as the buyer sees it (the bot's order buttons and tracking answer)."""

    number: str
    market: str
    buyer_id: str
    status: str
    placed_at: dt.datetime
    estimated_delivery: dt.date | None
    currency: str
    total: Decimal
    items: list[str]
    is_digital: bool
    shipment: ShipmentView | None = None


@dataclass(frozen=True)
class OrderLine:
    """One line of an order; ``id`` is the marketplace's line id (a return names the line it returns)."""

    id: int
    product_name: str
    category: str
    quantity: int
    is_digital: bool


class OrderDetail(OrderView):
    """An order with what the support rules decide on: its lines and its seller.

    ``id`` is the marketplace's order id, which the support records (returns) keep.
    """

    id: int
    seller_id: str
    seller_name: str
    lines: list[OrderLine]

    def view(self) -> OrderView:
        """The buyer-facing part only (what the tracking answer returns)."""
        return OrderView.model_validate(self.model_dump(include=set(OrderView.model_fields)))


@dataclass(frozen=True)
class BuyerView:
    id: str
    market: str
    language: str


@dataclass(frozen=True)
class DigitalCodeView:
    """The code sold in a digital order line, as the issuer reports it."""

    line_id: int
    masked_code: str
    delivered_at: dt.datetime | None
    activated_at: dt.datetime | None
    resent_at: dt.datetime | None


@dataclass(frozen=True)
class WalletLine:
    """One line of a buyer's wallet ledger; ``frozen_cause`` (a FreezeCause) says why it can't be spent."""

    currency: str
    amount: Decimal
    kind: str  # refund, promo, top_up, purchase
    frozen_cause: str | None
    order_number: str | None
    created_at: dt.datetime
    expires_at: dt.datetime | None


@dataclass(frozen=True)
class Restriction:
    """An account restriction not lifted yet."""

    kind: str  # a RestrictionKind
    started_at: dt.datetime


class ChangeView(BaseModel):
    """One change of an order the buyer may care about (see api/notices/models.EventKind)."""

    event_id: str
    order_number: str
    kind: str
    occurred_at: dt.datetime
    payload: dict = {}


class CommercePort(Protocol):
    def get_order(self, number: str) -> OrderView | None:
        """The order with this canonical number, whoever owns it (callers check ownership)."""

    def order_detail(self, number: str) -> OrderDetail | None:
        """The order with its lines and seller, whoever owns it (callers go through ``owned_order``)."""

    def order_details(self, ids: list[int]) -> list[OrderDetail]:
        """The orders with these marketplace ids (the ids support records keep), in no particular order."""

    def list_orders(self, buyer_id: str) -> list[OrderView]:
        """All of a buyer's orders, newest first."""

    def get_buyer(self, buyer_id: str) -> BuyerView | None:
        """The buyer, or None when the marketplace does not know them."""

    def cancel_order(self, number: str, refund_release: dt.datetime, now: dt.datetime) -> bool:
        """Cancel the order if it is still being prepared, and credit its total to the buyer's wallet as a
        pending refund released at ``refund_release``, in one step. False, changing nothing, when it was
        no longer being prepared (so two clicks on "cancel" can't both succeed and refund twice)."""

    def digital_code(self, number: str, line_id: int) -> DigitalCodeView | None: ...

    def resend_digital_code(self, number: str, line_id: int, now: dt.datetime) -> DigitalCodeView:
        """Send the line's code to the buyer again (it counts as delivered now if it never was)."""

    def wallet_lines(self, buyer_id: str) -> list[WalletLine]: ...

    def active_restrictions(self, buyer_id: str) -> list[Restriction]:
        """The buyer's account restrictions that were not lifted."""

    def changes_since(self, cursor: int, limit: int = 100) -> tuple[list[ChangeView], int]:
        """Order changes after ``cursor`` (0: from the start), oldest first, and the cursor to ask with next."""
