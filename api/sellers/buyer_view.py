"""The buyer's side of their threads with sellers: "did the seller answer?".

A thread is one order's questions to its seller (``SellerMessage``, api/support/models.py),
the seller's answers to them and the case updates the seller posted about that order
(``SellerReply``, api/sellers/models.py), and the platform-support ticket opened when the
seller let the answer deadline pass (``escalate_overdue`` in api/support/seller_contact.py).
The bot reads it through ``GET /api/v1/internal/buyers/{buyer_id}/seller-threads``.

Only the buyer's own rows are ever read: every query names the buyer, and an order number
goes through ``owned_order`` (api/commerce/ownership.py: an unknown and another buyer's number are
the same 404); the orders themselves are read through the commerce port.
Nothing here writes: an overdue question that the background task has not escalated yet is
reported as ``overdue`` without a ticket, never escalated from a read.

The time left is counted on the seller's clock, the way ``answer_due`` was computed: hours on
business days of the market's calendar (weekends and public holidays stop it).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.commerce.ownership import is_owned, known_buyer, owned_order
from api.commerce.port import CommercePort, OrderDetail
from api.helpdesk.business_calendar import BusinessCalendar, calendar_for
from api.sellers.models import ReplyKind, SellerReply
from api.support.models import SellerMessage

MAX_THREADS = 5


class ThreadState(StrEnum):
    """Where the buyer's latest question in the thread stands (first match wins, in this order)."""

    ANSWERED = "answered"  # the seller answered it
    CLOSED = "closed"  # closed by platform support (dispute settled) or superseded
    ESCALATED = "escalated"  # deadline passed, platform support took it over (a ticket)
    OVERDUE = "overdue"  # deadline passed, the escalation task has not run yet
    WAITING = "waiting"  # the seller still has time


class QuestionOut(BaseModel):
    id: int
    topic: str = Field(description="question, or wrong_item for a wrong-item report in the seller's inbox")
    text: str = Field(description="The buyer's own words as stored (masked).")
    sent_at: dt.datetime
    answer_due: dt.datetime
    urgent: bool
    business_hours_left: float = Field(
        description="Hours left until answer_due on the seller's clock (hours on business days); 0 once due."
    )
    answered_at: dt.datetime | None
    closed_at: dt.datetime | None


class AnswerOut(BaseModel):
    question_id: int
    to_latest_question: bool = Field(description="False: it answers an earlier question of the same order.")
    text: str
    seller_name: str = Field(description="The shop's name.")
    author_name: str = Field(description="The seller staff member who wrote it.")
    at: dt.datetime


class StatusUpdateOut(BaseModel):
    status: str = Field(description="return_received, repair_started, repair_finished, shipped, replacement_sent")
    carrier: str | None
    tracking_number: str | None
    expected_date: dt.date | None
    note: str = Field(description="The seller's note with the update (masked), may be empty.")
    at: dt.datetime


class EscalationOut(BaseModel):
    ticket_reference: str | None = Field(description="None only for a moment while the ticket is being opened.")
    escalated_at: dt.datetime


class SellerThreadOut(BaseModel):
    order_number: str
    market: str
    seller: str
    items: list[str]
    state: ThreadState
    questions: int = Field(description="How many questions the buyer sent about this order.")
    latest_question: QuestionOut
    latest_answer: AnswerOut | None
    latest_status_update: StatusUpdateOut | None
    escalation: EscalationOut | None = Field(description="The latest question's escalation, if it was escalated.")


class SellerThreadsOut(BaseModel):
    count: int = Field(description="Threads in total (with an order number: 0 or 1).")
    threads: list[SellerThreadOut] = Field(description=f"Most recent question first, at most {MAX_THREADS}.")


def _midnight(calendar: BusinessCalendar, day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=calendar.zone)


def hours_on_business_days_between(calendar: BusinessCalendar, start: dt.datetime, end: dt.datetime) -> float:
    """Hours from ``start`` to ``end`` that fall on business days: the inverse of
    ``BusinessCalendar.add_hours_on_business_days`` (same wall-clock arithmetic in the market's zone)."""
    start, end = start.astimezone(calendar.zone), end.astimezone(calendar.zone)
    if end <= start:
        return 0.0
    total = dt.timedelta()
    day = start.date()
    while day <= end.date():
        if calendar.is_business_day(day):
            lo = max(start, _midnight(calendar, day))
            hi = min(end, _midnight(calendar, day + dt.timedelta(days=1)))
            if hi > lo:
                total += hi - lo
        day += dt.timedelta(days=1)
    return total.total_seconds() / 3600


def _state(question: SellerMessage, answered: bool, now: dt.datetime) -> ThreadState:
    if answered or question.answered_at is not None:
        return ThreadState.ANSWERED
    if question.closed_at is not None:
        return ThreadState.CLOSED
    if question.escalated_at is not None:
        return ThreadState.ESCALATED
    if question.answer_due <= now:
        return ThreadState.OVERDUE
    return ThreadState.WAITING


def _thread(session: Session, order: OrderDetail, questions: list[SellerMessage], now: dt.datetime) -> SellerThreadOut:
    """One order's thread; ``questions`` are the buyer's questions about it, newest first."""
    latest = questions[0]
    calendar = calendar_for(order.market)
    answers = session.scalars(
        select(SellerReply)
        .where(
            SellerReply.buyer_id == order.buyer_id,
            SellerReply.order_number == order.number,
            SellerReply.kind == ReplyKind.ANSWER,
            SellerReply.question_id.in_([q.id for q in questions]),
        )
        .order_by(SellerReply.created_at.desc(), SellerReply.id.desc())
    ).all()
    update = session.scalars(
        select(SellerReply)
        .where(
            SellerReply.buyer_id == order.buyer_id,
            SellerReply.order_number == order.number,
            SellerReply.kind == ReplyKind.STATUS,
        )
        .order_by(SellerReply.created_at.desc(), SellerReply.id.desc())
        .limit(1)
    ).first()
    answer = answers[0] if answers else None
    answered_latest = any(a.question_id == latest.id for a in answers)
    return SellerThreadOut(
        order_number=order.number,
        market=order.market,
        seller=order.seller_name,
        items=[line.product_name for line in order.lines],
        state=_state(latest, answered_latest, now),
        questions=len(questions),
        latest_question=QuestionOut(
            id=latest.id,
            topic=latest.topic,
            text=latest.text,
            sent_at=latest.created_at,
            answer_due=latest.answer_due,
            urgent=bool(latest.urgent),
            business_hours_left=round(hours_on_business_days_between(calendar, now, latest.answer_due), 1),
            answered_at=latest.answered_at,
            closed_at=latest.closed_at,
        ),
        latest_answer=None
        if answer is None
        else AnswerOut(
            question_id=answer.question_id,
            to_latest_question=answer.question_id == latest.id,
            text=answer.text,
            seller_name=order.seller_name,
            author_name=answer.author_name,
            at=answer.created_at,
        ),
        latest_status_update=None
        if update is None
        else StatusUpdateOut(
            status=update.status or "",
            carrier=update.carrier,
            tracking_number=update.tracking_number,
            expected_date=update.expected_date,
            note=update.text or "",
            at=update.created_at,
        ),
        escalation=None
        if latest.escalated_at is None
        else EscalationOut(ticket_reference=latest.ticket_reference, escalated_at=latest.escalated_at),
    )


def seller_threads(
    session: Session,
    commerce: CommercePort,
    buyer_id: str,
    now: dt.datetime,
    order_number: str | None = None,
    limit: int = MAX_THREADS,
) -> SellerThreadsOut:
    """The buyer's threads with sellers, most recent question first; with ``order_number`` that
    order's thread only (none if the buyer never wrote about it).

    Raises ``DomainError``: unknown_buyer (404), invalid_order_number (422), order_not_found (404)."""
    known_buyer(commerce, buyer_id)
    query = select(SellerMessage).where(SellerMessage.buyer_id == buyer_id)
    if order_number is not None:
        query = query.where(SellerMessage.order_number == owned_order(commerce, buyer_id, order_number).number)
    questions = session.scalars(query.order_by(SellerMessage.created_at.desc(), SellerMessage.id.desc())).all()
    by_order: dict[str, list[SellerMessage]] = {}
    for question in questions:  # newest first, so the dict keeps the threads in that order
        by_order.setdefault(question.order_number, []).append(question)
    orders = {n: o for n in list(by_order)[:limit] if (o := is_owned(commerce, buyer_id, n)) is not None}
    threads = [_thread(session, orders[n], qs, now) for n, qs in by_order.items() if n in orders][:limit]
    return SellerThreadsOut(count=len(by_order), threads=threads)
