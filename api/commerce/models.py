"""SQL tables of the demo commerce adapter (api/commerce/sql_adapter.py): buyers, sellers, orders,
shipments, the change feed, and the buyer's wallet ledger, digital codes and account restrictions.

A real marketplace keeps these in its own systems; the demo adapter mirrors the
shape of what its APIs would return, so the port's contract stays honest. The vocabulary
(order statuses, scan codes, freeze causes...) is the port's (api/commerce/port.py).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import JSON, Date, ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.clock import utcnow
from api.db import Base, UTCDateTime


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


class DigitalCode(Base):
    """The code sold in a digital order item, as the issuer reports it (delivered, activated)."""

    __tablename__ = "digital_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_item_id: Mapped[int] = mapped_column(ForeignKey("order_items.id"), unique=True)
    masked_code: Mapped[str] = mapped_column(String(40))
    delivered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    activated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    resent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class WalletEntry(Base):
    """One line of a buyer's wallet ledger; a frozen line says why it can't be spent (a FreezeCause)."""

    __tablename__ = "wallet_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    buyer_id: Mapped[str] = mapped_column(ForeignKey("buyers.id"), index=True)
    currency: Mapped[str] = mapped_column(String(3))
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    kind: Mapped[str] = mapped_column(String(16))  # refund, promo, top_up, purchase
    frozen_cause: Mapped[str | None] = mapped_column(String(20), nullable=True)
    order_number: Mapped[str | None] = mapped_column(String(16), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class AccountRestriction(Base):
    """A restriction on a buyer's account (a RestrictionKind); lifted ones keep ``lifted_at``."""

    __tablename__ = "account_restrictions"

    id: Mapped[int] = mapped_column(primary_key=True)
    buyer_id: Mapped[str] = mapped_column(ForeignKey("buyers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    lifted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
