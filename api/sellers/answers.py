"""A seller's answer to a buyer's question: moderated, stored once, delivered into the buyer's chat.

Rules, in the order they are checked:

1. The question must be the seller user's own seller's (else the same 404 as an unknown id).
2. A question closed by platform support takes no answer (409 ``thread_closed``); an answered
   one takes no second answer (409 ``already_answered``).
3. The text: not empty, at most ``MAX_ANSWER_CHARS``, and it passes the seller moderation
   (``api/sellers/moderation.py``); a refusal names every reason in the seller user's language
   and stores nothing.
4. Stored masked (``pii.mask_field``), as written otherwise: it is always shown as text, never
   as markup, by the portal, the console and the widget.

One answer per question whatever races: the answer row is the transaction's first write, and
``seller_replies.question_id`` is unique, so of two answers sent at once (two clicks, two staff)
the database keeps the first and the other gets ``already_answered`` with nothing of it stored.
The question's ``answered_at``, the chat message in the buyer's conversation
(``delivery.record_for_buyer``) and the audit row are written in the same transaction; the router
publishes the live frame after the commit (``delivery.publish_to_buyer``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.commerce.models import Seller
from api.errors import DomainError
from api.security import audit
from api.security.pii import mask_field
from api.sellers import delivery, moderation
from api.sellers.access import visible_question
from api.sellers.auth import actor
from api.sellers.models import ReplyKind, SellerReply, SellerUser
from api.sellers.texts import seller_error
from api.support.models import SellerMessage

MAX_ANSWER_CHARS = 2000
# Control characters other than tab and newline say nothing to a buyer (and NUL breaks PostgreSQL).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class Sent:
    """What was stored, and what the router publishes to the buyer's open widget after the commit."""

    reply: SellerReply
    conversation_id: str | None
    message: dict[str, Any] | None


def clean(text: str | None) -> str:
    return _CONTROL.sub("", (text or "").replace("\r\n", "\n")).strip()


def market_language(session: Session, seller_id: str) -> str:
    """The language buyers of the seller's market read (and seller text is moderated in)."""
    seller = session.get(Seller, seller_id)
    return (seller.market if seller is not None else "TR").lower()


def checked_text(
    session: Session, user: SellerUser, raw: str | None, limit: int, empty: str | None, blocked: str, too_long: str
) -> str:
    """Clean, length-check and moderate seller text; ``empty`` None allows an empty text."""
    text = clean(raw)
    if not text:
        if empty is not None:
            raise seller_error(empty, 422)
        return ""
    if len(text) > limit:
        raise seller_error(too_long, 422, limit=limit)
    reasons = moderation.check(text, market_language(session, user.seller_id))
    if reasons:
        raise seller_error(blocked, 422, reasons=reasons)
    return text


def seller_name(session: Session, user: SellerUser) -> str:
    """The name the buyer sees on the seller's messages: the staff member and their shop, "Selin (TeknoVadi)"."""
    seller = session.get(Seller, user.seller_id)
    name = user.display_name if seller is None else f"{user.display_name} ({seller.name})"
    return name[:80]  # the column's size


def _refusal(question: SellerMessage | None) -> DomainError:
    if question is not None and question.closed_at is not None:
        return seller_error("thread_closed", 409)
    return seller_error("already_answered", 409)


def answer(session: Session, user: SellerUser, question_id: int, raw_text: str | None, now: dt.datetime) -> Sent:
    question = visible_question(session, user, question_id)
    if question.closed_at is not None or question.answered_at is not None:
        raise _refusal(question)
    text = checked_text(session, user, raw_text, MAX_ANSWER_CHARS, "empty_answer", "answer_blocked", "answer_too_long")
    language = market_language(session, user.seller_id)
    reply = SellerReply(
        seller_id=question.seller_id,
        buyer_id=question.buyer_id,
        order_number=question.order_number,
        kind=ReplyKind.ANSWER.value,
        question_id=question.id,
        text=mask_field(text, language),
        author_name=seller_name(session, user),
        seller_user_id=user.id,
        created_at=now,
    )
    session.add(reply)
    try:
        session.flush()  # the first write: the unique question_id decides between concurrent answers
    except IntegrityError:
        session.rollback()
        raise seller_error("already_answered", 409) from None
    marked = session.execute(
        update(SellerMessage)
        .where(
            SellerMessage.id == question.id,
            SellerMessage.answered_at.is_(None),
            SellerMessage.closed_at.is_(None),
        )
        .values(answered_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if marked != 1:  # closed (or marked answered) since it was read
        session.rollback()
        raise _refusal(session.get(SellerMessage, question.id, populate_existing=True))
    target = f"seller_question:{question.id}"
    return deliver(session, user, reply, "seller.answer", target, order_number=question.order_number)


def deliver(session: Session, user: SellerUser, reply: SellerReply, action: str, target: str, **details: Any) -> Sent:
    """Put a stored reply into the buyer's conversation (if they have one), audit it with ``details``, commit."""
    delivered = delivery.record_for_buyer(session, reply)
    audit.record(session, actor(user), action, target, **details, reply_id=reply.id, delivered=delivered is not None)
    session.commit()
    conversation_id, message = delivered if delivered is not None else (None, None)
    return Sent(reply, conversation_id, message)
