"""Seller accounts, their console sessions, and what sellers write back to buyers.

A buyer's question is a ``SellerMessage`` (api/support/models.py, with its answer deadline);
the seller's answer to it, and the case updates a seller posts about an order, are
``SellerReply`` rows. One answer per question is enforced by the database (``question_id``
is unique), so two clicks or two seller staff answering at once store one answer.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from api.clock import utcnow
from api.db import Base, UTCDateTime


class ReplyKind(StrEnum):
    ANSWER = "answer"  # to one buyer question
    STATUS = "status"  # a case update about the order, from the fixed list


class CaseStatus(StrEnum):
    """The updates the seeds ask sellers to give ahead of time (the only ones a seller may post)."""

    RETURN_RECEIVED = "return_received"
    REPAIR_STARTED = "repair_started"
    REPAIR_FINISHED = "repair_finished"
    SHIPPED = "shipped"  # with carrier, tracking number and expected delivery date
    REPLACEMENT_SENT = "replacement_sent"


class SellerUser(Base):
    """A person on a seller's staff: one seller (hence one market) and the language of their portal."""

    __tablename__ = "seller_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(200))
    seller_id: Mapped[str] = mapped_column(ForeignKey("sellers.id"), index=True)
    language: Mapped[str] = mapped_column(String(2))
    failed_logins: Mapped[int] = mapped_column(default=0, server_default="0")
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    disabled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SellerSession(Base):
    """A seller portal login; only the token's SHA-256 is stored."""

    __tablename__ = "seller_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    seller_user_id: Mapped[int] = mapped_column(ForeignKey("seller_users.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class SellerReply(Base):
    """What a seller wrote to a buyer about an order: an answer to a question, or a case update."""

    __tablename__ = "seller_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    seller_id: Mapped[str] = mapped_column(ForeignKey("sellers.id"), index=True)
    buyer_id: Mapped[str] = mapped_column(ForeignKey("buyers.id"), index=True)
    order_number: Mapped[str] = mapped_column(String(16), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    # The question answered (answers only); unique: one answer per question, whatever races.
    question_id: Mapped[int | None] = mapped_column(ForeignKey("seller_messages.id"), nullable=True, unique=True)
    status: Mapped[str | None] = mapped_column(String(24), nullable=True)
    carrier: Mapped[str | None] = mapped_column(String(40), nullable=True)
    tracking_number: Mapped[str | None] = mapped_column(String(40), nullable=True)
    expected_date: Mapped[dt.date | None] = mapped_column(Date(), nullable=True)
    text: Mapped[str] = mapped_column(Text, default="")  # masked before storage
    author_name: Mapped[str] = mapped_column(String(80))  # the seller user's display name
    seller_user_id: Mapped[int | None] = mapped_column(ForeignKey("seller_users.id"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The buyer's conversation it was delivered into (a chat message of sender "seller").
    conversation_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    delivered_message_id: Mapped[int | None] = mapped_column(nullable=True)
