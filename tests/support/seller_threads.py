"""Seller threads for tests: a buyer's questions to a seller, the seller's answers and case updates, escalations.

The rows are written straight into the database with explicit times (in production the seller
portal writes the answers and the api's background task escalates), so tests can build every
state the bot tells apart. Api env only (SQLAlchemy 2): the bot env's tests run
``python -m tests.support.seller_threads DATABASE_URL`` and read the JSON it prints.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Any

QUESTION_TEXT = {
    "tr": "Merhaba, ürün hediye paketiyle gönderilebilir mi?",
    "pl": "Dzień dobry, czy można zapakować produkt na prezent?",
}


def orders_of(session, buyer_id: str) -> list:
    """The buyer's orders a seller can be written about (not cancelled), oldest number first."""
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from api.commerce.models import Order, Shipment
    from api.commerce.port import OrderStatus

    query = (
        select(Order)
        .options(
            selectinload(Order.items),
            selectinload(Order.seller),
            selectinload(Order.shipment).selectinload(Shipment.events),
        )
        .where(Order.buyer_id == buyer_id, Order.status != OrderStatus.CANCELLED)
    )
    return list(session.scalars(query.order_by(Order.number)).all()) or list(
        session.scalars(select(Order).where(Order.buyer_id == buyer_id)).all()
    )


def quiet_buyers(session, market: str, how_many: int, orders: int = 1, skip: tuple[str, ...] = ()) -> list[str]:
    """Demo buyers of the market with no question to a seller and no seller reply yet (the demo seed
    puts a few in a seller's inbox), each with at least ``orders`` orders a seller can be written about."""
    from sqlalchemy import func, select

    from api.commerce.models import Buyer, Order
    from api.commerce.port import OrderStatus
    from api.sellers.models import SellerReply
    from api.support.models import SellerMessage

    busy = set(session.scalars(select(SellerMessage.buyer_id))) | set(session.scalars(select(SellerReply.buyer_id)))
    counts = dict(
        session.execute(
            select(Order.buyer_id, func.count())
            .where(Order.market == market.upper(), Order.status != OrderStatus.CANCELLED)
            .group_by(Order.buyer_id)
        ).all()
    )
    found = [
        b
        for b in session.scalars(select(Buyer.id).where(Buyer.id.like(f"{market.lower()}-%")).order_by(Buyer.id))
        if b not in busy and b not in skip and counts.get(b, 0) >= orders
    ]
    if len(found) < how_many:
        raise RuntimeError(f"not {how_many} quiet {market} buyers with {orders} orders")
    return found[:how_many]


def add_question(
    session, order, sent_at: dt.datetime, *, text: str | None = None, urgent: bool = False, topic: str = "question"
):
    """A buyer's question in the seller's inbox, due on the market's seller clock (as seller_contact.send does)."""
    from api.support.models import SellerMessage
    from api.support.seller_contact import answer_due

    question = SellerMessage(
        buyer_id=order.buyer_id,
        seller_id=order.seller_id,
        order_number=order.number,
        topic=topic,
        text=text or QUESTION_TEXT[order.market.lower()],
        created_at=sent_at,
        answer_due=answer_due(order.market, sent_at),
        urgent=urgent,
    )
    session.add(question)
    session.commit()
    return question


def add_answer(session, question, at: dt.datetime, text: str, author: str = "Deniz"):
    """The seller's answer to ``question`` (one per question), marking the question answered."""
    from api.sellers.models import ReplyKind, SellerReply

    reply = SellerReply(
        seller_id=question.seller_id,
        buyer_id=question.buyer_id,
        order_number=question.order_number,
        kind=ReplyKind.ANSWER,
        question_id=question.id,
        text=text,
        author_name=author,
        created_at=at,
    )
    question.answered_at = at
    session.add(reply)
    session.commit()
    return reply


def add_status_update(
    session,
    order,
    at: dt.datetime,
    status: str,
    *,
    carrier: str | None = None,
    tracking_number: str | None = None,
    expected_date: dt.date | None = None,
    note: str = "",
    author: str = "Deniz",
):
    """A case update the seller posted about the order."""
    from api.sellers.models import ReplyKind, SellerReply

    reply = SellerReply(
        seller_id=order.seller_id,
        buyer_id=order.buyer_id,
        order_number=order.number,
        kind=ReplyKind.STATUS,
        status=status,
        carrier=carrier,
        tracking_number=tracking_number,
        expected_date=expected_date,
        text=note,
        author_name=author,
        created_at=at,
    )
    session.add(reply)
    session.commit()
    return reply


def remove(session, questions: list, replies: list, tickets: list[str]) -> None:
    """Delete what a test added (the api tests share one database)."""
    from sqlalchemy import delete

    from api.helpdesk.models import Ticket
    from api.sellers.models import SellerReply
    from api.support.models import SellerMessage

    session.rollback()
    session.execute(delete(SellerReply).where(SellerReply.id.in_([r.id for r in replies])))
    session.execute(delete(SellerMessage).where(SellerMessage.id.in_([q.id for q in questions])))
    session.execute(delete(Ticket).where(Ticket.reference.in_(tickets)))
    session.commit()


def scenario(session, now: dt.datetime) -> dict[str, Any]:
    """The threads the action tests talk about, relative to ``now`` (the api answers with the real clock),
    for demo buyers that had no thread before (their ids are in the result):

    - tr_several: two threads, one answered with a later "shipped" update, one waiting (sent an hour ago);
    - tr_escalated: one question escalated to platform support (a real ticket);
    - tr_overdue: one question past its deadline, not escalated yet (the api's task is slowed in the test);
    - pl_waiting: one question waiting; pl_answered: one answered question;
    - tr_none / pl_none: no question at all.
    """
    from api.commerce.sql_adapter import SqlCommerce
    from api.support.seller_contact import escalate_overdue

    hour = dt.timedelta(hours=1)
    out: dict[str, Any] = {}
    several, escalated_buyer, overdue_buyer, tr_none = quiet_buyers(session, "tr", 4, orders=2)
    pl_waiting_buyer, pl_answered_buyer, pl_none = quiet_buyers(session, "pl", 3, orders=2)
    answered_order, waiting_order = orders_of(session, several)[:2]
    asked = add_question(session, answered_order, now - 50 * hour)
    add_answer(session, asked, now - 30 * hour, "Merhaba, evet hediye paketi yapıyoruz, notunuzu da ekledik.", "Ayşe")
    add_status_update(
        session,
        answered_order,
        now - 20 * hour,
        "shipped",
        carrier="Yurtiçi Kargo",
        tracking_number="YK123456789",
        expected_date=(now + 48 * hour).date(),
    )
    waiting = add_question(session, waiting_order, now - hour, urgent=True)
    out["tr_several"] = {
        "buyer": several,
        "answered": answered_order.number,
        "waiting": waiting_order.number,
        "waiting_due": waiting.answer_due.isoformat(),
    }
    escalated_order = orders_of(session, escalated_buyer)[0]
    add_question(session, escalated_order, now - 240 * hour)
    # The demo seed's own questions are recent: only this one is overdue.
    (reference,) = escalate_overdue(session, SqlCommerce(session), now)
    out["tr_escalated"] = {"buyer": escalated_buyer, "order": escalated_order.number, "ticket": reference}
    overdue_order = orders_of(session, overdue_buyer)[0]
    overdue = add_question(session, overdue_order, now - 240 * hour)
    out["tr_overdue"] = {"buyer": overdue_buyer, "order": overdue_order.number, "due": overdue.answer_due.isoformat()}
    pl_waiting_order = orders_of(session, pl_waiting_buyer)[0]
    pl_waiting = add_question(session, pl_waiting_order, now - hour)
    out["pl_waiting"] = {
        "buyer": pl_waiting_buyer,
        "order": pl_waiting_order.number,
        "due": pl_waiting.answer_due.isoformat(),
    }
    pl_answered_order = orders_of(session, pl_answered_buyer)[0]
    pl_asked = add_question(session, pl_answered_order, now - 30 * hour)
    add_answer(session, pl_asked, now - 5 * hour, "Dzień dobry, tak, zapakujemy na prezent bez dopłaty.", "Marta")
    out["pl_answered"] = {"buyer": pl_answered_buyer, "order": pl_answered_order.number}
    out["tr_none"] = {"buyer": tr_none}
    out["pl_none"] = {"buyer": pl_none}
    return out


def main(database_url: str) -> None:
    import os

    os.environ["MD_DATABASE_URL"] = database_url
    from api.clock import utcnow
    from api.db import get_sessionmaker

    with get_sessionmaker()() as session:
        print(json.dumps(scenario(session, utcnow())))


if __name__ == "__main__":
    main(sys.argv[1])
