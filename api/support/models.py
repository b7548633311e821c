"""The support service's own records: return requests and the seller inbox.

They stay in the api's database whichever marketplace is plugged in; what they refer to
(orders, lines, buyers, sellers) is the marketplace's and is read through the commerce port.
The wallet ledger, digital codes and account restrictions are the marketplace's too: the demo
adapter keeps them in api/commerce/models.py.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from api.clock import utcnow
from api.db import Base, UTCDateTime


class ReturnState(StrEnum):
    REQUESTED = "requested"
    IN_TRANSIT = "in_transit"
    RECEIVED = "received_by_seller"
    ACCEPTED = "accepted"
    REFUNDED = "refunded"
    REJECTED = "rejected"


class ReturnRequest(Base):
    __tablename__ = "returns"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True, index=True)
    market: Mapped[str] = mapped_column(String(2))
    buyer_id: Mapped[str] = mapped_column(ForeignKey("buyers.id"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    order_item_id: Mapped[int] = mapped_column(ForeignKey("order_items.id"), index=True)
    reason: Mapped[str] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    state: Mapped[str] = mapped_column(String(20), default=ReturnState.REQUESTED)
    carrier: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    refund_expected: Mapped[dt.date | None] = mapped_column(nullable=True)
    rejection_reason: Mapped[str | None] = mapped_column(String(300), nullable=True)
    rejections: Mapped[int] = mapped_column(default=0)
    resubmitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    resubmission_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    resubmission_attachments: Mapped[list[str]] = mapped_column(JSON, default=list)
    conversation_id: Mapped[str | None] = mapped_column(String(36), nullable=True)


class SellerMessage(Base):
    """A buyer's message relayed to the seller's inbox, with the seller's answer deadline."""

    __tablename__ = "seller_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    buyer_id: Mapped[str] = mapped_column(ForeignKey("buyers.id"), index=True)
    seller_id: Mapped[str] = mapped_column(ForeignKey("sellers.id"), index=True)
    order_number: Mapped[str] = mapped_column(String(16))
    topic: Mapped[str] = mapped_column(String(20), default="question")  # question, wrong_item
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    answer_due: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    escalated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    ticket_reference: Mapped[str | None] = mapped_column(String(20), nullable=True)
    conversation_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    # The buyer marked it urgent ("Acil" / "Pilne"): first in the seller's inbox.
    urgent: Mapped[bool] = mapped_column(default=False, server_default="0")
    # A buyer's follow-up to a seller's answer (a new question in the same order thread).
    reply_to_id: Mapped[int | None] = mapped_column(nullable=True)
    # Closed by platform support (dispute settled) or superseded: no answer is taken any more.
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
