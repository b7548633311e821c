"""Tickets: what a person must follow up, with SLA clocks on the market's business calendar."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.clock import utcnow
from api.db import Base, UTCDateTime


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


class Presence(StrEnum):
    ONLINE = "online"
    AWAY = "away"
    OFFLINE = "offline"


class Role(StrEnum):
    AGENT = "agent"
    SUPERVISOR = "supervisor"


class Agent(Base):
    """A person in the console: languages and skills for routing, a capacity of concurrent chats."""

    __tablename__ = "agents"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(200))
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    capacity: Mapped[int] = mapped_column(default=3)
    presence: Mapped[str] = mapped_column(String(8), default=Presence.OFFLINE)
    role: Mapped[str] = mapped_column(String(12), default=Role.AGENT)
    # Per-account login throttle: failures in a row and the lock they earned (shared by every api process).
    failed_logins: Mapped[int] = mapped_column(default=0, server_default="0")
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # A removed agent keeps its rows (audit, conversations) but can no longer sign in or hold a session.
    disabled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AgentSession(Base):
    """A console login. Only the token's SHA-256 is stored, so a database leak gives no sessions."""

    __tablename__ = "agent_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
