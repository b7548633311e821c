"""Tables of the proactive notices: every commerce event received, stored once by its id."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from api.clock import utcnow
from api.db import Base, UTCDateTime


class EventKind(StrEnum):
    SHIPPED = "shipped"  # payload: carrier, tracking_number, estimated_delivery?
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERED = "delivered"
    DELAYED = "delayed"  # payload: estimated_delivery (the new date), previous_estimate?
    RETURN_RECEIVED = "return_received"
    REFUNDED = "refunded"  # payload: amount?
    TICKET_ANSWERED = "ticket_answered"  # payload: ticket (reference)
    # Already reaches the buyer as a seller message (api/sellers/status_updates.py): stored, no notice.
    SELLER_STATUS_UPDATE = "seller_status_update"


class Outcome(StrEnum):
    NOTIFIED = "notified"
    STALE = "stale"  # a newer event of the same order was already known
    OPTED_OUT = "opted_out"
    NO_CONVERSATION = "no_conversation"
    COVERED = "covered"  # the buyer hears it another way (seller status updates)


class CommerceEvent(Base):
    __tablename__ = "commerce_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(String(64), unique=True)
    order_number: Mapped[str] = mapped_column(String(16), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    source: Mapped[str] = mapped_column(String(12), default="webhook")  # webhook | feed
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Claimed by one process (conditional update) before anything is written for it.
    processed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True, index=True)
    outcome: Mapped[str | None] = mapped_column(String(16), nullable=True)
    conversation_id: Mapped[str | None] = mapped_column(ForeignKey("conversations.id"), nullable=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"), nullable=True)
