"""Contacting the seller (the ``seller_contact`` capability): relaying a buyer's message to the
seller's inbox on the platform, with the answer deadline, and handing unanswered messages to
platform support when the deadline passes.

Sellers' phone numbers are never given out: the platform is the only channel (seeds).
Deadline: ``seller_answer_hours`` counted on business days of the market's calendar
(PL 24 h, TR 72 h), after which platform support takes over.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from api.commerce.ownership import owned_order
from api.commerce.port import CommercePort
from api.errors import DomainError
from api.helpdesk.business_calendar import calendar_for
from api.helpdesk.models import Priority
from api.helpdesk.tickets import open_ticket
from api.markets import market_config
from api.security.pii import mask_field
from api.support import moderation
from api.support.models import SellerMessage

MAX_CHARS = 1000


def answer_due(market: str, sent_at: dt.datetime) -> dt.datetime:
    hours = float(market_config(market)["seller_answer_hours"])
    return calendar_for(market).add_hours_on_business_days(sent_at, hours)


@dataclass(frozen=True)
class SentMessage:
    id: int
    order_number: str
    seller: str
    answer_due: dt.datetime
    answer_hours: int


def send(
    session: Session,
    commerce: CommercePort,
    buyer_id: str,
    number: str,
    text: str,
    language: str,
    conversation_id: str | None,
    now: dt.datetime,
    topic: str = "question",
    *,
    urgent: bool = False,
    reply_to_id: int | None = None,
    commit: bool = True,
) -> SentMessage:
    """Moderate, then put the message in the seller's inbox; a blocked message says why.

    ``urgent``: the buyer marked it "Acil" / "Pilne". ``reply_to_id``: the seller's reply
    (``SellerReply``) the buyer answers, checked by the caller in api/sellers (replies are the
    sellers' area, which builds on this one) before it commits. ``commit=False`` only flushes, so the caller can store
    more in the same transaction (the widget's chat copy of the message).
    """
    text = (text or "").strip()
    if not text:
        raise DomainError("empty_message", 422)
    if len(text) > MAX_CHARS:
        raise DomainError("message_too_long", 422, limit=MAX_CHARS)
    reasons = moderation.check(text, language)
    if reasons:
        raise DomainError("message_blocked", 422, reasons=reasons)
    order = owned_order(commerce, buyer_id, number)
    message = SellerMessage(
        buyer_id=buyer_id,
        seller_id=order.seller_id,
        order_number=order.number,
        topic=topic,
        # Moderation saw the text as written (so it can say why it refuses); the inbox keeps it masked.
        text=mask_field(text, language),
        created_at=now,
        answer_due=answer_due(order.market, now),
        conversation_id=conversation_id,
        urgent=urgent,
        reply_to_id=reply_to_id,
    )
    session.add(message)
    if commit:
        session.commit()
    else:
        session.flush()
    return SentMessage(
        message.id,
        order.number,
        order.seller_name,
        message.answer_due,
        int(market_config(order.market)["seller_answer_hours"]),
    )


def escalate_overdue(session: Session, commerce: CommercePort, now: dt.datetime) -> list[str]:
    """Open a platform-support ticket for every message whose seller let the deadline pass.

    Safe to run from several processes at once: each message is claimed with a
    conditional update before its ticket is opened.
    """
    overdue = session.scalars(
        select(SellerMessage).where(
            SellerMessage.answered_at.is_(None),
            SellerMessage.escalated_at.is_(None),
            SellerMessage.closed_at.is_(None),  # settled by support: nothing left to escalate
            SellerMessage.answer_due <= now,
        )
    ).all()
    references = []
    for message in overdue:
        claimed = session.execute(
            update(SellerMessage)
            .where(SellerMessage.id == message.id, SellerMessage.escalated_at.is_(None))
            .values(escalated_at=now)
        ).rowcount
        session.commit()
        if claimed != 1:
            continue
        order = owned_order(commerce, message.buyer_id, message.order_number)
        ticket = open_ticket(
            session,
            market=order.market,
            topic="contact_seller",
            priority=Priority.HIGH,
            now=now,
            buyer_id=message.buyer_id,
            order_number=message.order_number,
            conversation_id=message.conversation_id,
            # The order and the question id let the console open the buyer-seller thread.
            summary=f"Seller {order.seller_name} did not answer question #{message.id} about order "
            f"{message.order_number} by {message.answer_due:%Y-%m-%d %H:%M} UTC: {message.text[:300]}",
        )
        message.ticket_reference = ticket.reference
        session.commit()
        references.append(ticket.reference)
    return references
