"""The seller's inbox: one thread per order of the seller's, with the answer clocks.

A thread gathers everything about one order between the buyer, the seller and the platform:
the buyer's questions (``SellerMessage``, with the deadline computed on the market's business
calendar when they were sent), the seller's answers and case updates (``SellerReply``), and
the platform's notices (a question handed to platform support when its deadline passed,
a question closed by support).

Order: threads with an unanswered question first (an urgent one, "Acil" / "Pilne", before the
others, then the earliest deadline first), then answered threads, latest activity first. Each
open question carries its due time, the wall-clock seconds left (negative when overdue) and
the business hours left on the market's calendar (its opening hours; weekends and public
holidays do not count).

Only the seller user's own seller's threads exist for them (``api/sellers/access.py``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.commerce.models import Buyer, Order
from api.commerce.order_numbers import normalise
from api.helpdesk.business_calendar import calendar_for
from api.security import audit
from api.sellers.access import visible_order
from api.sellers.auth import actor
from api.sellers.models import ReplyKind, SellerReply, SellerUser
from api.sellers.texts import seller_error
from api.support.models import SellerMessage

STATES = ("unanswered", "answered", "overdue", "all")
MAX_THREADS = 500
PREVIEW_CHARS = 140


def is_open(question: SellerMessage) -> bool:
    """Waiting for the seller: not answered, not closed by support."""
    return question.answered_at is None and question.closed_at is None


def is_overdue(question: SellerMessage, now: dt.datetime) -> bool:
    return is_open(question) and question.answer_due <= now


def business_hours_left(market: str, due: dt.datetime, now: dt.datetime) -> float:
    return round(calendar_for(market).business_hours_between(now, due), 2) if due > now else 0.0


def buyer_label(buyer: Buyer | None) -> str:
    """What the seller sees of the buyer: first name and initial (enough to address them)."""
    if buyer is None:
        return ""
    parts = buyer.name.split()
    return parts[0] if len(parts) < 2 else f"{parts[0]} {parts[-1][0]}."


def question_view(question: SellerMessage, market: str, now: dt.datetime) -> dict[str, Any]:
    state = "closed" if question.closed_at else "answered" if question.answered_at else "open"
    view: dict[str, Any] = {
        "type": "question",
        "id": question.id,
        "text": question.text,
        "topic": question.topic,
        "created_at": question.created_at,
        "answer_due": question.answer_due,
        "answered_at": question.answered_at,
        "closed_at": question.closed_at,
        "state": state,
        "urgent": bool(question.urgent),
        "overdue": is_overdue(question, now),
        "reply_to_id": question.reply_to_id,
        "escalated_at": question.escalated_at,
        "ticket_reference": question.ticket_reference,
        "seconds_left": None,
        "business_hours_left": None,
    }
    if state == "open":
        view["seconds_left"] = int((question.answer_due - now).total_seconds())
        view["business_hours_left"] = business_hours_left(market, question.answer_due, now)
    return view


def reply_view(reply: SellerReply, authors: dict[int, str]) -> dict[str, Any]:
    view: dict[str, Any] = {
        "type": reply.kind,
        "id": reply.id,
        "created_at": reply.created_at,
        "author_name": reply.author_name,
        "author": authors.get(reply.seller_user_id or 0, reply.author_name),
        "delivered": reply.delivered_message_id is not None,
    }
    if reply.kind == ReplyKind.ANSWER:
        view |= {"question_id": reply.question_id, "text": reply.text}
    else:
        view |= {
            "status": reply.status,
            "carrier": reply.carrier,
            "tracking_number": reply.tracking_number,
            "expected_date": reply.expected_date.isoformat() if reply.expected_date else None,
            "note": reply.text,
        }
    return view


def notices(question: SellerMessage) -> list[dict[str, Any]]:
    """The platform's word on a question: handed to support, closed."""
    out = []
    if question.escalated_at is not None:
        out.append(
            {
                "type": "notice",
                "code": "escalated",
                "question_id": question.id,
                "ticket_reference": question.ticket_reference,
                "created_at": question.escalated_at,
            }
        )
    if question.closed_at is not None:
        out.append({"type": "notice", "code": "closed", "question_id": question.id, "created_at": question.closed_at})
    return out


def _summary(
    order: Order, buyer: Buyer | None, questions: list[SellerMessage], replies: list[SellerReply], now: dt.datetime
) -> dict[str, Any]:
    open_questions = [q for q in questions if is_open(q)]
    next_due = min((q.answer_due for q in open_questions), default=None)
    moments = [q.created_at for q in questions] + [r.created_at for r in replies]
    latest_question = max(questions, key=lambda q: (q.created_at, q.id), default=None)
    escalated = [q for q in open_questions if q.escalated_at is not None]
    return {
        "order_number": order.number,
        "market": order.market,
        "order_status": order.status,
        "buyer_name": buyer_label(buyer),
        "state": "unanswered" if open_questions else "answered",
        "questions": len(questions),
        "open_questions": len(open_questions),
        "urgent": any(q.urgent for q in open_questions),
        "overdue": any(is_overdue(q, now) for q in open_questions),
        "escalated": bool(escalated),
        "ticket_reference": escalated[0].ticket_reference if escalated else None,
        "next_due": next_due,
        "seconds_left": int((next_due - now).total_seconds()) if next_due else None,
        "business_hours_left": business_hours_left(order.market, next_due, now) if next_due else None,
        "last_activity": max(moments) if moments else None,
        "preview": latest_question.text[:PREVIEW_CHARS] if latest_question else "",
    }


def _sort_key(summary: dict[str, Any]) -> tuple:
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    last = summary["last_activity"] or dt.datetime.min.replace(tzinfo=dt.UTC)
    if summary["state"] == "unanswered":
        return (0, not summary["urgent"], summary["next_due"] or far, 0.0)
    return (1, False, far, -last.timestamp())


def _load(
    session: Session, user: SellerUser, number: str | None
) -> tuple[dict[str, list[SellerMessage]], dict[str, list[SellerReply]]]:
    questions_query = select(SellerMessage).where(SellerMessage.seller_id == user.seller_id)
    replies_query = select(SellerReply).where(SellerReply.seller_id == user.seller_id)
    if number is not None:
        questions_query = questions_query.where(SellerMessage.order_number == number)
        replies_query = replies_query.where(SellerReply.order_number == number)
    questions: dict[str, list[SellerMessage]] = defaultdict(list)
    replies: dict[str, list[SellerReply]] = defaultdict(list)
    for question in session.scalars(questions_query.order_by(SellerMessage.id)):
        questions[question.order_number].append(question)
    for reply in session.scalars(replies_query.order_by(SellerReply.id)):
        replies[reply.order_number].append(reply)
    return questions, replies


def threads(
    session: Session, user: SellerUser, now: dt.datetime, state: str = "all", order_number: str | None = None
) -> list[dict[str, Any]]:
    """The seller's threads, filtered by ``state`` (``STATES``) and an order number, in inbox order."""
    if state not in STATES:
        raise seller_error("invalid_filter", 422)
    number = None
    if order_number:
        number = normalise(order_number)
        if number is None:
            raise seller_error("invalid_order_number", 422)
    questions, replies = _load(session, user, number)
    numbers = set(questions) | set(replies)
    if not numbers:
        return []
    orders = {
        o.number: o
        for o in session.scalars(select(Order).where(Order.number.in_(numbers), Order.seller_id == user.seller_id))
    }
    buyers = {
        b.id: b for b in session.scalars(select(Buyer).where(Buyer.id.in_({o.buyer_id for o in orders.values()})))
    }
    out = []
    for number_, order in orders.items():
        summary = _summary(order, buyers.get(order.buyer_id), questions[number_], replies[number_], now)
        if (
            state == "all"
            or (state == "unanswered" and summary["open_questions"])
            or (state == "answered" and not summary["open_questions"])
            or (state == "overdue" and summary["overdue"])
        ):
            out.append(summary)
    out.sort(key=_sort_key)
    return out[:MAX_THREADS]


def thread(session: Session, user: SellerUser, raw_number: str, now: dt.datetime) -> dict[str, Any]:
    """One order's thread, oldest first; another seller's order and an unknown one are the same 404."""
    order = visible_order(session, user, raw_number, code="unknown_thread")
    questions, replies = _load(session, user, order.number)
    own_questions, own_replies = questions[order.number], replies[order.number]
    if not own_questions and not own_replies:
        raise seller_error("unknown_thread", 404)
    author_ids = {r.seller_user_id for r in own_replies if r.seller_user_id}
    authors = {u.id: u.display_name for u in session.scalars(select(SellerUser).where(SellerUser.id.in_(author_ids)))}
    items: list[dict[str, Any]] = []
    for question in own_questions:
        items.append(question_view(question, order.market, now))
        items.extend(notices(question))
    items.extend(reply_view(r, authors) for r in own_replies)
    rank = {"question": 0, "answer": 1, "status": 2, "notice": 3}
    items.sort(key=lambda item: (item["created_at"], rank[item["type"]], item.get("id") or 0))
    buyer = session.get(Buyer, order.buyer_id)
    # Reading a buyer's words is audited like an agent's transcript read (api/helpdesk/access.py).
    audit.record(session, actor(user), "seller.thread_read", f"order:{order.number}")
    session.commit()
    return {
        "thread": _summary(order, buyer, own_questions, own_replies, now),
        "order": {
            "number": order.number,
            "status": order.status,
            "placed_at": order.placed_at,
            "estimated_delivery": order.estimated_delivery.isoformat() if order.estimated_delivery else None,
            "items": [{"product_name": i.product_name, "quantity": i.quantity} for i in order.items],
        },
        "items": items,
    }
