"""Conversations and every message in them, so any dispute can be replayed."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.clock import utcnow
from api.db import Base, UTCDateTime


class ConversationState(StrEnum):
    BOT = "bot"
    QUEUED = "queued"
    WITH_AGENT = "with_agent"
    RESOLVED = "resolved"


class Sender(StrEnum):
    BUYER = "buyer"
    BOT = "bot"
    AGENT = "agent"
    SELLER = "seller"  # a seller's answer or case update, delivered into the buyer's conversation
    SYSTEM = "system"
    NOTICE = "notice"  # a proactive notice about an order or ticket (api/notices), styled apart in the widget


class Conversation(Base):
    __tablename__ = "conversations"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    token: Mapped[str] = mapped_column(String(64))
    buyer_id: Mapped[str | None] = mapped_column(ForeignKey("buyers.id"), nullable=True, index=True)
    language: Mapped[str] = mapped_column(String(2))
    market: Mapped[str] = mapped_column(String(2))
    state: Mapped[str] = mapped_column(String(16), default=ConversationState.BOT)
    agent_name: Mapped[str | None] = mapped_column(String(80), nullable=True)
    csat_score: Mapped[int | None] = mapped_column(nullable=True)
    csat_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Set when the buyer was asked for a rating (an agent resolved, or handed back); a rating is only taken then.
    csat_requested_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # The human side: why and about what the bot handed over, where the buyer is in line, who has it.
    handoff_reason: Mapped[str | None] = mapped_column(String(40), nullable=True)
    topic: Mapped[str | None] = mapped_column(String(40), nullable=True)
    handoff_summary: Mapped[str | None] = mapped_column(Text, nullable=True)
    handoff_details: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    priority: Mapped[int] = mapped_column(default=0)
    queued_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True, index=True)
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), nullable=True, index=True)
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    first_agent_reply_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    human_messages: Mapped[int] = mapped_column(default=0)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Life cycle (api/helpdesk/reopen.py, api/helpdesk/idle.py; migration 0011).
    # The agent who last had the conversation (kept after resolve / hand back: preferred on a return).
    last_agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), nullable=True)
    reopened_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    reopen_count: Mapped[int] = mapped_column(default=0, server_default="0")
    # A conversation started because the buyer wrote after the reopen window: the one it continues.
    previous_conversation_id: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    # A returning buyer queued again: offered to this agent first, until preferred_until.
    preferred_agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), nullable=True)
    preferred_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # How the conversation was closed without an agent ("idle", "queue_left"), when, and a form left half-way.
    closed_reason: Mapped[str | None] = mapped_column(String(16), nullable=True)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    abandoned_form: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    # The buyer's last widget socket closed (cleared when one opens again): a queued buyer who left.
    buyer_left_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # The last message id an idle reminder went out for (agent, then supervisors): one reminder per silence.
    idle_reminded_for: Mapped[int | None] = mapped_column(nullable=True)
    idle_escalated_for: Mapped[int | None] = mapped_column(nullable=True)
    # The buyer turned proactive notices (api/notices) off for this conversation (migration 0010).
    notices_off: Mapped[bool] = mapped_column(default=False, server_default="0")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, server_default=func.now()
    )

    messages: Mapped[list[Message]] = relationship(back_populates="conversation", order_by="Message.id")


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (UniqueConstraint("conversation_id", "client_message_id", name="uq_message_client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    sender: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)
    buttons: Mapped[list | None] = mapped_column(JSON, nullable=True)
    # What a button click sent to the bot ("/inform{...}"); `text` keeps what the buyer saw.
    payload: Mapped[str | None] = mapped_column(String(500), nullable=True)
    client_message_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    author_name: Mapped[str | None] = mapped_column(String(80), nullable=True)
    reply_to_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"), nullable=True, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    conversation: Mapped[Conversation] = relationship(back_populates="messages")
    attachment: Mapped[Attachment | None] = relationship(back_populates="message", uselist=False, lazy="joined")


class Attachment(Base):
    """A buyer's image (evidence for a claim). The file lives outside the web root; this row is its only key."""

    __tablename__ = "attachments"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), unique=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    storage_path: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    message: Mapped[Message] = relationship(back_populates="attachment")
