"""Proactive notices: commerce events in, one chat notice per event out.

Design (one path for both sources):

1. **In.** An event reaches ``commerce_events`` either through the webhook a real marketplace
   calls (``POST /api/v1/internal/commerce-events``, service token) or through the commerce
   port's change feed (``CommercePort.changes_since``; the SQL demo adapter reads its
   ``commerce_changes`` table, written by ``make demo-events``), which every api process polls
   every ``MD_NOTICE_POLL_SECONDS`` (``api/main.py``). ``ingest`` stores an event once: the
   event id is unique, so a resent webhook or a feed read twice (each process keeps its cursor
   in memory and starts from 0) adds nothing.
2. **Processing.** ``process_pending`` claims each unprocessed row with a conditional update
   (``processed_at IS NULL``) before writing anything, so with several api processes (or the
   webhook and the poll at once) exactly one handles it: one notice per event, never repeated.
   The webhook processes at once; the poll picks up anything left.
3. **Rules.** An event older than one already stored for the same order on the same track
   (delivery: shipped / out for delivery / delivered / delayed; return: received / refunded)
   is ``stale`` and makes no notice (a late "shipped" after "delivered" says nothing). A seller
   status update reaches the buyer as a seller message already (``api/sellers/status_updates``):
   stored, ``covered``, no notice. The notice goes to the buyer's latest conversation (as
   ``api/sellers/delivery`` does for updates without a question), in its language, unless the
   buyer turned notices off there (``opted_out``); a buyer without a conversation gets none.
4. **Out.** A notice is a chat message of sender ``notice`` (a delay notice with quick replies:
   cancel while not shipped, a person); the caller publishes ``{"type": "notice", "message",
   "kind", "order_number"}`` through the hub so an open widget shows it at once; otherwise it
   waits in the history and the widget counts it on the launcher's unread badge.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import exists, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.commerce.port import ChangeView, CommercePort, OrderStatus
from api.errors import DomainError
from api.gateway.models import Conversation, Message, Sender
from api.gateway.service import serialise
from api.notices.models import CommerceEvent, EventKind, Outcome
from api.notices.texts import notice_buttons, notice_text

TRACKS: dict[str, frozenset[str]] = {
    "delivery": frozenset({EventKind.SHIPPED, EventKind.OUT_FOR_DELIVERY, EventKind.DELIVERED, EventKind.DELAYED}),
    "return": frozenset({EventKind.RETURN_RECEIVED, EventKind.REFUNDED}),
}
CANCELLABLE = frozenset({OrderStatus.PREPARING})


@dataclass
class Delivery:
    """A notice written: publish ``frame`` to ``conversation_id``."""

    conversation_id: str
    frame: dict[str, Any] = field(default_factory=dict)


def ingest(session: Session, change: ChangeView, source: str, now: dt.datetime) -> tuple[CommerceEvent, bool]:
    """Store the event once. Returns (the stored row, True if it was new)."""
    found = session.scalar(select(CommerceEvent).where(CommerceEvent.event_id == change.event_id))
    if found is not None:
        return found, False
    row = CommerceEvent(
        event_id=change.event_id,
        order_number=change.order_number,
        kind=change.kind,
        occurred_at=change.occurred_at,
        payload=change.payload or {},
        source=source,
        received_at=now,
    )
    session.add(row)
    try:
        session.commit()
    except IntegrityError:  # another process stored it first
        session.rollback()
        return session.scalars(select(CommerceEvent).where(CommerceEvent.event_id == change.event_id)).one(), False
    return row, True


def receive(
    session: Session, commerce: CommercePort, change: ChangeView, now: dt.datetime
) -> tuple[CommerceEvent, bool, list[Delivery]]:
    """A webhook's event: (stored row, created, deliveries). Stored once (a resend changes nothing) and
    processed at once; an order the marketplace does not know is 404 ``unknown_order``."""
    if commerce.get_order(change.order_number) is None:
        raise DomainError("unknown_order", 404)
    row, created = ingest(session, change, "webhook", now)
    deliveries = process_pending(session, commerce, now) if created else []
    session.refresh(row)
    return row, created, deliveries


def _stale(session: Session, event: CommerceEvent) -> bool:
    track = next((kinds for kinds in TRACKS.values() if event.kind in kinds), None)
    if track is None:
        return False
    newer = select(CommerceEvent.id).where(
        CommerceEvent.order_number == event.order_number,
        CommerceEvent.id != event.id,
        CommerceEvent.kind.in_(track),
        CommerceEvent.occurred_at > event.occurred_at,
    )
    return bool(session.scalar(select(exists(newer))))


def target_conversation(session: Session, buyer_id: str) -> Conversation | None:
    """The buyer's latest conversation (where a live widget would be)."""
    return session.scalars(
        select(Conversation).where(Conversation.buyer_id == buyer_id).order_by(Conversation.updated_at.desc()).limit(1)
    ).first()


def _handle(session: Session, commerce: CommercePort, event: CommerceEvent) -> Delivery | None:
    if event.kind == EventKind.SELLER_STATUS_UPDATE:
        event.outcome = Outcome.COVERED
        return None
    if _stale(session, event):
        event.outcome = Outcome.STALE
        return None
    order = commerce.get_order(event.order_number)
    conversation = target_conversation(session, order.buyer_id) if order is not None else None
    if conversation is None:
        event.outcome = Outcome.NO_CONVERSATION
        return None
    if conversation.notices_off:
        event.outcome = Outcome.OPTED_OUT
        event.conversation_id = conversation.id
        return None
    can_cancel = event.kind == EventKind.DELAYED and order.status in CANCELLABLE
    payload = event.payload or {}
    message = Message(
        conversation_id=conversation.id,
        sender=Sender.NOTICE,
        text=notice_text(event.kind, conversation.language, order.number, payload, order.currency, can_cancel),
        buttons=notice_buttons(event.kind, conversation.language, order.number, can_cancel),
    )
    session.add(message)
    session.flush()
    event.outcome = Outcome.NOTIFIED
    event.conversation_id = conversation.id
    event.message_id = message.id
    frame = {"type": "notice", "message": serialise(message), "kind": event.kind, "order_number": order.number}
    return Delivery(conversation.id, frame)


def process_pending(session: Session, commerce: CommercePort, now: dt.datetime, limit: int = 200) -> list[Delivery]:
    """Turn unprocessed events into notices, oldest first; safe from several processes at once."""
    pending = session.scalars(
        select(CommerceEvent.id)
        .where(CommerceEvent.processed_at.is_(None))
        .order_by(CommerceEvent.occurred_at, CommerceEvent.id)
        .limit(limit)
    ).all()
    deliveries = []
    for event_id in pending:
        claimed = session.execute(
            update(CommerceEvent)
            .where(CommerceEvent.id == event_id, CommerceEvent.processed_at.is_(None))
            .values(processed_at=now)
        ).rowcount
        session.commit()
        if claimed != 1:
            continue
        event = session.get(CommerceEvent, event_id)
        delivery = _handle(session, commerce, event)
        session.commit()
        if delivery is not None:
            deliveries.append(delivery)
    return deliveries


def poll_feed(session: Session, commerce: CommercePort, cursor: int, now: dt.datetime) -> tuple[int, list[Delivery]]:
    """Read the port's change feed after ``cursor``, store what is new, process; the next cursor and notices."""
    while True:
        changes, next_cursor = commerce.changes_since(cursor)
        for change in changes:
            ingest(session, change, "feed", now)
        if next_cursor == cursor or not changes:
            break
        cursor = next_cursor
    return cursor, process_pending(session, commerce, now)


def set_notices(session: Session, conversation: Conversation, enabled: bool) -> bool:
    session.execute(update(Conversation).where(Conversation.id == conversation.id).values(notices_off=not enabled))
    session.commit()
    return enabled
