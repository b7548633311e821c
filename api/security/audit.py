"""Audit trail: who did what to which record, kept apart from the records themselves.

KVKK and GDPR ask a controller to show who touched personal data; agents' actions,
erasure requests and retention purges all write one row here. Rows are only ever
inserted, in the same transaction as the action they describe, so an action that
rolls back leaves no audit row and an action that commits always has one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from api.clock import utcnow
from api.db import Base, UTCDateTime


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(80))  # "agent:deniz", "system:retention", "service:actions"
    action: Mapped[str] = mapped_column(String(60), index=True)  # "conversation.claim", "buyer.erase", ...
    target: Mapped[str] = mapped_column(String(120), index=True)  # "conversation:<id>", "buyer:<id>"
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


def record(session: Session, actor: str, action: str, target: str, **details: Any) -> AuditEntry:
    """Add an audit row to the caller's transaction (the caller commits)."""
    entry = AuditEntry(actor=actor, action=action, target=target, details=details)
    session.add(entry)
    return entry


def entries(
    session: Session, *, target: str | None = None, action: str | None = None, limit: int = 200
) -> list[AuditEntry]:
    """Newest first; for the supervisor view and for tests."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if target:
        query = query.where(AuditEntry.target == target)
    if action:
        query = query.where(AuditEntry.action == action)
    return list(session.scalars(query))
