"""Tickets: what a person must follow up, with SLA clocks on the market's business calendar."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.db import Base, UTCDateTime
from api.gateway.models import utcnow


class TicketStatus(StrEnum):
    OPEN = "open"
    PENDING = "pending"  # waiting for the buyer
    RESOLVED = "resolved"


class Priority(StrEnum):
    URGENT = "urgent"
    HIGH = "high"
    NORMAL = "normal"
    LOW = "low"


class Ticket(Base):
    __tablename__ = "tickets"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True, index=True)
    market: Mapped[str] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(12), default=TicketStatus.OPEN)
    priority: Mapped[str] = mapped_column(String(8), default=Priority.NORMAL)
    topic: Mapped[str] = mapped_column(String(40))
    owner: Mapped[str | None] = mapped_column(String(80), nullable=True)
    buyer_id: Mapped[str | None] = mapped_column(ForeignKey("buyers.id"), nullable=True, index=True)
    order_number: Mapped[str | None] = mapped_column(String(16), nullable=True)
    conversation_id: Mapped[str | None] = mapped_column(ForeignKey("conversations.id"), nullable=True)
    summary: Mapped[str | None] = mapped_column(Text, nullable=True)  # what the bot collected, for the agent
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    first_response_due: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    resolution_due: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    first_response_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    notes: Mapped[list[TicketNote]] = relationship(order_by="TicketNote.id", cascade="all, delete-orphan")


class TicketNote(Base):
    """Internal notes between agents; never shown to the buyer."""

    __tablename__ = "ticket_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    author: Mapped[str] = mapped_column(String(80))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
