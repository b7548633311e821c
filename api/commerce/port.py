"""The commerce port: what the support assistant needs to know about orders.

The api depends on this interface only. ``SqlCommerce`` (the demo adapter)
implements it over our own tables; a real marketplace plugs in an adapter that
calls its order API instead, without touching services or routers.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Protocol

from pydantic import BaseModel


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

    def list_orders(self, buyer_id: str) -> list[OrderView]:
        """All of a buyer's orders, newest first."""

    def buyer_exists(self, buyer_id: str) -> bool: ...

    def changes_since(self, cursor: int, limit: int = 100) -> tuple[list[ChangeView], int]:
        """Order changes after ``cursor`` (0: from the start), oldest first, and the cursor to ask with next."""
