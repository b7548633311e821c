"""Retention: conversations are kept ``MD_RETENTION_DAYS`` after their last activity, then deleted.

Why: KVKK and GDPR allow keeping personal data only as long as the purpose needs it. A
dispute about an order is settled well within a year, so by default a conversation (its
messages, attachment rows and image files, and its events in Rasa's tracker store) goes
365 days after the last thing anyone said in it. Tickets, returns and seller messages are
support and commerce records with their own rules and stay; they only lose the link.

The api's background loop runs :func:`purge` every ``MD_RETENTION_INTERVAL_SECONDS``;
``python -m api.cli purge`` runs it by hand. Each run writes one audit row, also when it
found nothing, so "did the purge run?" has an answer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from api.clock import utcnow
from api.gateway.models import Conversation, Message
from api.privacy.forget import remove_conversations, sweep_orphan_files, unlink_files
from api.privacy.tracker_store import delete_conversations
from api.security import audit
from api.settings import Settings, get_settings

MAX_PER_RUN = 10_000  # keeps one run's transaction bounded; the rest goes next run
ORPHAN_MIN_AGE = dt.timedelta(hours=1)


@dataclass(frozen=True)
class PurgeReport:
    cutoff: str
    conversations: int
    messages: int
    attachments: int
    files: int
    orphan_files: int
    tracker_events: int
    tracker_note: str | None


def expired(session: Session, cutoff: dt.datetime, limit: int = MAX_PER_RUN) -> list[str]:
    """Conversations with no activity since ``cutoff``: created, changed and last message all before it."""
    last_message = (
        select(func.max(Message.created_at))
        .where(Message.conversation_id == Conversation.id)
        .correlate(Conversation)
        .scalar_subquery()
    )
    query = (
        select(Conversation.id)
        .where(
            Conversation.created_at < cutoff,
            Conversation.updated_at < cutoff,
            or_(last_message.is_(None), last_message < cutoff),
        )
        .order_by(Conversation.created_at)
        .limit(limit)
    )
    return list(session.scalars(query))


def purge(
    session: Session,
    *,
    now: dt.datetime | None = None,
    days: int | None = None,
    settings: Settings | None = None,
    actor: str = "system:retention",
) -> PurgeReport:
    """Delete the expired conversations everywhere they are kept; one audit row per run."""
    settings = settings or get_settings()
    now = now or utcnow()
    days = settings.retention_days if days is None else days
    cutoff = now - dt.timedelta(days=days)
    ids = expired(session, cutoff)
    # Leftovers of an earlier run that died between commit and unlink; swept before this run's deletes,
    # so a rollback below can never cost a file whose rows survive.
    orphans = sweep_orphan_files(session, settings.attachments_dir, now, ORPHAN_MIN_AGE)
    tracker = delete_conversations(ids, settings)  # Rasa's store first: a retry finds the app rows again
    removed = remove_conversations(session, ids)
    report = PurgeReport(
        cutoff=cutoff.isoformat(),
        conversations=removed.conversations,
        messages=removed.messages,
        attachments=removed.attachments,
        files=len(removed.files),
        orphan_files=orphans,
        tracker_events=tracker.deleted,
        tracker_note=tracker.note,
    )
    audit.record(session, actor, "retention.purge", "conversations", retention_days=days, **asdict(report))
    session.commit()
    unlink_files(removed.files)
    return report
