"""The buyer's side of the seller Helpdesk in the widget: writing to the seller about an order
(a new question or an answer to the seller's reply), marking a question urgent, and what the
widget needs to know about the seller messages of its conversation.

A message to the seller goes through ``seller_contact.send`` (moderation, masking, the answer
deadline on the market's business calendar), exactly like the bot's contact-seller flow, and
is also stored as the buyer's chat message in the conversation, so the history shows it. Both
rows are written in one transaction; the chat message's client id is unique per conversation,
so a double click (or a resend after a lost answer) stores one question: the loser of the race
finds the winner's rows and returns them as a duplicate.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.commerce.port import CommercePort
from api.errors import DomainError
from api.gateway.models import Conversation, Message, Sender
from api.gateway.service import serialise
from api.gateway.texts import TEXTS, text
from api.sellers.models import SellerReply
from api.support import seller_contact
from api.support.models import SellerMessage

P = ParamSpec("P")
R = TypeVar("R")


def buyer_text(
    code: str, language: str, reasons: list[str] | None = None, limit: object = None, **values: object
) -> str:
    """The widget's catalogue for these refusals: the gateway's texts, moderation reasons listed."""
    if code == "message_blocked":
        listed = ", ".join(text(f"seller_block_{reason}", language) for reason in reasons or [])
        return text("seller_message_blocked", language, reasons=listed)
    if code == "message_too_long":
        return text(code, language, limit=limit)
    return text(code if code in TEXTS else "invalid_frame", language)


def for_the_buyer(exc: DomainError) -> DomainError:
    """A support rule's refusal (a code the bot phrases) worded for the widget in the buyer's language.

    An unknown, malformed or other buyer's order number is the same 404 ``order_not_found``, so
    numbers cannot be probed; only the details a buyer can act on travel (``reasons``, ``limit``).
    """
    if exc.catalogue is not None:
        return exc
    if exc.code in ("order_not_found", "invalid_order_number"):
        return DomainError("order_not_found", 404, catalogue=buyer_text)
    shown = {key: exc.details[key] for key in ("reasons", "limit") if key in exc.details}
    return DomainError(exc.code, exc.status, catalogue=buyer_text, **shown)


def _worded_for_the_buyer(rule: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(rule)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return rule(*args, **kwargs)
        except DomainError as exc:
            raise for_the_buyer(exc) from exc

    return wrapper


@dataclass(frozen=True)
class Asked:
    message: dict[str, Any]  # the buyer's chat message, serialised like every chat message
    question: dict[str, Any] | None
    duplicate: bool = False


def question_view(question: SellerMessage) -> dict[str, Any]:
    return {
        "id": question.id,
        "order_number": question.order_number,
        "answer_due": question.answer_due.isoformat(),
        "urgent": bool(question.urgent),
    }


@_worded_for_the_buyer
def signed_in_buyer(conversation: Conversation) -> str:
    """Only a signed-in buyer has orders, hence sellers to write to."""
    if conversation.buyer_id is None:
        raise DomainError("sign_in_required", 403)
    return conversation.buyer_id


def _earlier(session: Session, conversation: Conversation, client_id: str | None) -> Asked | None:
    """The message already stored under this client id, with the question stored with it."""
    if client_id is None:
        return None
    message = session.scalars(
        select(Message).where(Message.conversation_id == conversation.id, Message.client_message_id == client_id)
    ).first()
    if message is None:
        return None
    # Written in the same transaction with the same moment: that pair is the link.
    question = session.scalars(
        select(SellerMessage)
        .where(
            SellerMessage.conversation_id == conversation.id,
            SellerMessage.buyer_id == conversation.buyer_id,
            SellerMessage.created_at == message.created_at,
        )
        .order_by(SellerMessage.id.desc())
        .limit(1)
    ).first()
    return Asked(serialise(message), question_view(question) if question else None, duplicate=True)


def _reply_is_theirs(session: Session, reply_id: int, buyer_id: str, order_number: str) -> bool:
    """A reply the buyer answers must be one of this buyer's order's replies; else the same 404 as an unknown one."""
    reply = session.get(SellerReply, reply_id)
    return reply is not None and reply.buyer_id == buyer_id and reply.order_number == order_number


@_worded_for_the_buyer
def ask(
    session: Session,
    commerce: CommercePort,
    conversation: Conversation,
    order_number: str,
    text: str,
    *,
    urgent: bool,
    reply_to_id: int | None,
    client_id: str | None,
    now: dt.datetime,
) -> Asked:
    """Send the buyer's message to the seller of their order and keep it in the chat; ``DomainError`` says why not."""
    buyer_id = signed_in_buyer(conversation)
    earlier = _earlier(session, conversation, client_id)
    if earlier is not None:
        return earlier
    sent = seller_contact.send(
        session,
        commerce,
        buyer_id,
        order_number,
        text,
        conversation.language,
        conversation.id,
        now,
        urgent=urgent,
        reply_to_id=reply_to_id,
        commit=False,
    )
    question = session.get(SellerMessage, sent.id)
    if reply_to_id is not None and not _reply_is_theirs(session, reply_to_id, buyer_id, question.order_number):
        session.rollback()  # nothing of this message is kept
        raise DomainError("reply_not_found", 404)
    message = Message(
        conversation_id=conversation.id,
        sender=Sender.BUYER,
        text=question.text,  # moderated and masked by send(), like the seller's copy
        client_message_id=client_id,
        created_at=now,
    )
    session.add(message)
    try:
        session.commit()
    except IntegrityError:
        # The same client id won a moment ago (double click, two tabs): theirs is the one stored.
        session.rollback()
        earlier = _earlier(session, conversation, client_id)
        if earlier is None:
            raise
        return earlier
    return Asked(serialise(message), question_view(question))


@_worded_for_the_buyer
def mark_urgent(session: Session, conversation: Conversation, question_id: int) -> dict[str, Any]:
    """The buyer's own question (any of their conversations) goes first in the seller's inbox."""
    buyer_id = signed_in_buyer(conversation)
    question = session.get(SellerMessage, question_id)
    if question is None or question.buyer_id != buyer_id:
        raise DomainError("question_not_found", 404)
    if not question.urgent:
        question.urgent = True
        session.commit()
    return question_view(question)


def conversation_context(session: Session, conversation: Conversation) -> dict[str, Any]:
    """For the widget: what each seller message of this conversation is about (so it can be answered),
    and the questions the buyer sent from it. Anonymous conversations have neither."""
    if conversation.buyer_id is None:
        return {"seller_messages": [], "questions": []}
    replies = session.scalars(
        select(SellerReply)
        .where(
            SellerReply.conversation_id == conversation.id,
            SellerReply.buyer_id == conversation.buyer_id,
            SellerReply.delivered_message_id.is_not(None),
        )
        .order_by(SellerReply.id)
    ).all()
    questions = session.scalars(
        select(SellerMessage)
        .where(SellerMessage.conversation_id == conversation.id, SellerMessage.buyer_id == conversation.buyer_id)
        .order_by(SellerMessage.id)
    ).all()
    answered = set(
        session.scalars(
            select(SellerReply.question_id).where(SellerReply.question_id.in_([q.id for q in questions]))
        ).all()
    )
    return {
        "seller_messages": [
            {
                "message_id": r.delivered_message_id,
                "reply_id": r.id,
                "order_number": r.order_number,
                "kind": r.kind,
                "status": r.status,
                "question_id": r.question_id,
            }
            for r in replies
        ],
        "questions": [
            {
                **question_view(q),
                "answered": q.answered_at is not None or q.id in answered,
                "created_at": q.created_at.isoformat(),
            }
            for q in questions
        ],
    }
