"""SQL tables of the demo commerce adapter.

A real marketplace keeps these in its own systems; the demo adapter mirrors the
shape of what its order API would return, so the port's contract stays honest.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import JSON, Date, ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.db import Base, UTCDateTime


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


class Buyer(Base):
    __tablename__ = "buyers"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    market: Mapped[str] = mapped_column(String(2), index=True)
    name: Mapped[str] = mapped_column(String(120))
    city: Mapped[str] = mapped_column(String(80))
    language: Mapped[str] = mapped_column(String(2))
    # Flagged in the buyer's profile: written support and priority routing to a person.
    accessibility_needs: Mapped[bool] = mapped_column(default=False)

    orders: Mapped[list[Order]] = relationship(back_populates="buyer")


class Seller(Base):
    __tablename__ = "sellers"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    market: Mapped[str] = mapped_column(String(2), index=True)
    name: Mapped[str] = mapped_column(String(120))


class Order(Base):
    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(16), unique=True, index=True)
    market: Mapped[str] = mapped_column(String(2))
    buyer_id: Mapped[str] = mapped_column(ForeignKey("buyers.id"), index=True)
    seller_id: Mapped[str] = mapped_column(ForeignKey("sellers.id"))
    status: Mapped[str] = mapped_column(String(20), index=True)
    currency: Mapped[str] = mapped_column(String(3))
    total: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    placed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    estimated_delivery: Mapped[dt.date | None] = mapped_column(Date, nullable=True)

    buyer: Mapped[Buyer] = relationship(back_populates="orders")
    seller: Mapped[Seller] = relationship()
    items: Mapped[list[OrderItem]] = relationship(
        back_populates="order", order_by="OrderItem.id", cascade="all, delete-orphan"
    )
    shipment: Mapped[Shipment | None] = relationship(
        back_populates="order", uselist=False, cascade="all, delete-orphan"
    )


class OrderItem(Base):
    __tablename__ = "order_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    product_name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(40))
    quantity: Mapped[int]
    unit_price: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    is_digital: Mapped[bool] = mapped_column(default=False)

    order: Mapped[Order] = relationship(back_populates="items")


class Shipment(Base):
    __tablename__ = "shipments"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), unique=True)
    carrier: Mapped[str] = mapped_column(String(40))
    tracking_code: Mapped[str] = mapped_column(String(40), index=True)
    pickup_point: Mapped[str | None] = mapped_column(String(120), nullable=True)
    delivered_to: Mapped[str | None] = mapped_column(String(120), nullable=True)

    order: Mapped[Order] = relationship(back_populates="shipment")
    events: Mapped[list[ShipmentEvent]] = relationship(
        back_populates="shipment", order_by="ShipmentEvent.occurred_at", cascade="all, delete-orphan"
    )


class ShipmentEvent(Base):
    __tablename__ = "shipment_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id"), index=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    code: Mapped[str] = mapped_column(String(24))
    location: Mapped[str] = mapped_column(String(120))

    shipment: Mapped[Shipment] = relationship(back_populates="events")


class CommerceChange(Base):
    """The demo adapter's change feed: what happened to an order, in the order it was written.

    ``SqlCommerce.changes_since(cursor)`` reads it (the cursor is the row id); a real marketplace
    calls the webhook (POST /api/v1/internal/commerce-events) instead.
    """

    __tablename__ = "commerce_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(String(64), unique=True)
    order_number: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(24))
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
