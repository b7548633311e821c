"""The agent console's read-only view of the buyer-seller thread of the orders a conversation is about.

Which orders: the order in the conversation's handoff details, the orders of its tickets
(an overdue escalation's ticket names its order and question), the orders of the seller
questions sent from it, and of the seller replies delivered into it. Only the conversation's
own buyer's orders are shown (an order number typed into a handoff can't open someone
else's thread); anonymous conversations have none.

A thread lists, oldest first, who wrote what and when: the buyer's questions (with their
deadline, urgent flag, overdue / escalated / closed state), the seller's answers and case
updates (by the seller user's name), and the escalation to platform support with its ticket.
Texts are as stored: masked before storage by the rules that wrote them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from api.commerce.models import Order
from api.commerce.order_numbers import normalise
from api.gateway.models import Conversation
from api.helpdesk.models import Ticket
from api.sellers.models import ReplyKind, SellerReply
from api.support.models import SellerMessage

MAX_THREADS = 10
MAX_ENTRIES = 200  # per thread, the newest


def _iso(value: dt.datetime | dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def order_numbers(session: Session, conversation: Conversation) -> list[str]:
    """The orders the conversation is about, first mentioned first, each once."""
    found: list[str | None] = []
    details = conversation.handoff_details if isinstance(conversation.handoff_details, dict) else {}
    raw = details.get("order_number")
    found.append(normalise(raw) if isinstance(raw, str) else None)
    found.extend(
        session.scalars(
            select(Ticket.order_number)
            .where(Ticket.conversation_id == conversation.id, Ticket.order_number.is_not(None))
            .order_by(Ticket.id)
        ).all()
    )
    found.extend(
        session.scalars(
            select(SellerMessage.order_number)
            .where(SellerMessage.conversation_id == conversation.id)
            .order_by(SellerMessage.id)
        ).all()
    )
    found.extend(
        session.scalars(
            select(SellerReply.order_number)
            .where(SellerReply.conversation_id == conversation.id)
            .order_by(SellerReply.id)
        ).all()
    )
    numbers: list[str] = []
    for number in found:
        if number and number not in numbers:
            numbers.append(number)
    return numbers


def _question_entry(question: SellerMessage, answered: bool, conversation_id: str, now: dt.datetime) -> dict:
    open_ = not answered and question.closed_at is None
    return {
        "kind": "question",
        "id": question.id,
        "at": _iso(question.created_at),
        "author": "buyer",
        "author_name": None,
        "text": question.text,
        "topic": question.topic,
        "urgent": bool(question.urgent),
        "reply_to_id": question.reply_to_id,
        "answer_due": _iso(question.answer_due),
        "answered": answered,
        "answered_at": _iso(question.answered_at),
        "overdue": open_ and question.answer_due <= now,
        "escalated_at": _iso(question.escalated_at),
        "ticket_reference": question.ticket_reference,
        "closed_at": _iso(question.closed_at),
        "from_this_conversation": question.conversation_id == conversation_id,
    }


def _reply_entry(reply: SellerReply) -> dict:
    return {
        "kind": "answer" if reply.kind == ReplyKind.ANSWER else "status",
        "id": reply.id,
        "at": _iso(reply.created_at),
        "author": "seller",
        "author_name": reply.author_name,
        "text": reply.text,
        "question_id": reply.question_id,
        "status": reply.status,
        "carrier": reply.carrier,
        "tracking_number": reply.tracking_number,
        "expected_date": _iso(reply.expected_date),
        "delivered": reply.delivered_message_id is not None,
    }


def _escalation_entry(question: SellerMessage) -> dict:
    return {
        "kind": "escalation",
        "id": question.id,
        "at": _iso(question.escalated_at),
        "author": "platform",
        "author_name": None,
        "question_id": question.id,
        "ticket_reference": question.ticket_reference,
    }


def thread(session: Session, conversation: Conversation, order: Order, now: dt.datetime) -> dict[str, Any]:
    questions = session.scalars(
        select(SellerMessage)
        .where(SellerMessage.buyer_id == order.buyer_id, SellerMessage.order_number == order.number)
        .order_by(SellerMessage.created_at, SellerMessage.id)
    ).all()
    replies = session.scalars(
        select(SellerReply)
        .where(SellerReply.buyer_id == order.buyer_id, SellerReply.order_number == order.number)
        .order_by(SellerReply.created_at, SellerReply.id)
    ).all()
    answered_ids = {r.question_id for r in replies if r.question_id is not None}
    entries: list[tuple[dt.datetime, int, dict]] = []
    for q in questions:
        answered = q.answered_at is not None or q.id in answered_ids
        entries.append((q.created_at, 0, _question_entry(q, answered, conversation.id, now)))
        if q.escalated_at is not None:
            entries.append((q.escalated_at, 2, _escalation_entry(q)))
    entries.extend((r.created_at, 1, _reply_entry(r)) for r in replies)
    entries.sort(key=lambda e: (e[0], e[1], e[2]["id"]))
    items = [e[2] for e in entries][-MAX_ENTRIES:]
    asked = [e for e in items if e["kind"] == "question"]
    return {
        "order_number": order.number,
        "seller": {"id": order.seller_id, "name": order.seller.name if order.seller else None},
        "read_only": True,
        "open_questions": sum(1 for e in asked if not e["answered"] and e["closed_at"] is None),
        "urgent": any(e["urgent"] and not e["answered"] and e["closed_at"] is None for e in asked),
        "overdue": any(e["overdue"] for e in asked),
        "escalated": any(e["escalated_at"] for e in asked),
        "entries": items,
    }


def threads_for_conversation(session: Session, conversation: Conversation, now: dt.datetime) -> list[dict[str, Any]]:
    """The buyer-seller threads of the orders this conversation is about (read-only, for agents)."""
    if conversation.buyer_id is None:
        return []
    numbers = order_numbers(session, conversation)[:MAX_THREADS]
    if not numbers:
        return []
    orders = {
        o.number: o
        for o in session.scalars(
            select(Order).options(selectinload(Order.seller)).where(Order.number.in_(numbers))
        ).all()
    }
    return [
        thread(session, conversation, orders[n], now)
        for n in numbers
        if n in orders and orders[n].buyer_id == conversation.buyer_id
    ]
