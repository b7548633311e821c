"""The seller's inbox: answer deadlines on each market's calendar, order, flags, filters, visibility."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from tests.support.sellers import SELLER, case, login, orders_of, other_seller

IST, WAW = ZoneInfo("Europe/Istanbul"), ZoneInfo("Europe/Warsaw")


# Every test here uses the session-wide test database, never var/marketdesk.db.
pytestmark = pytest.mark.usefixtures("database_url")


def session():
    from api.db import get_sessionmaker

    return get_sessionmaker()()


@pytest.mark.parametrize(
    ("market", "sent", "due", "business_hours"),
    [
        # PL, 24 h on business days: Friday afternoon before the 1-3 May weekend (Sat 1 May and
        # Mon 3 May are public holidays): Fri 9 h + Tue 15 h. Opening hours 8-17: Fri 2 h + Tue 7 h.
        ("PL", dt.datetime(2027, 4, 30, 15, 0, tzinfo=WAW), dt.datetime(2027, 5, 4, 15, 0, tzinfo=WAW), 9.0),
        # PL: the evening before Christmas Eve (24-26 Dec are public holidays, then the weekend).
        ("PL", dt.datetime(2026, 12, 23, 18, 0, tzinfo=WAW), dt.datetime(2026, 12, 28, 18, 0, tzinfo=WAW), 9.0),
        # PL: sent on a Saturday, the clock starts on Monday at midnight.
        ("PL", dt.datetime(2026, 12, 5, 11, 0, tzinfo=WAW), dt.datetime(2026, 12, 8, 0, 0, tzinfo=WAW), 9.0),
        # TR, 72 h on business days: Tuesday before Kurban Bayramı (27-30 May 2026) and the weekend.
        ("TR", dt.datetime(2026, 5, 26, 10, 0, tzinfo=IST), dt.datetime(2026, 6, 3, 10, 0, tzinfo=IST), 27.0),
        # TR: an ordinary Thursday morning: Thu, Fri, (weekend), Mon.
        ("TR", dt.datetime(2026, 11, 19, 10, 0, tzinfo=IST), dt.datetime(2026, 11, 24, 10, 0, tzinfo=IST), 27.0),
    ],
)
def test_answer_due_and_business_hours_left_on_the_markets_calendar(market, sent, due, business_hours):
    from api.sellers.inbox import business_hours_left
    from api.support.seller_contact import answer_due

    assert answer_due(market, sent) == due
    assert business_hours_left(market, due, sent) == business_hours
    assert business_hours_left(market, due, due + dt.timedelta(minutes=1)) == 0.0


def put_question(seller_id: str, buyer_id: str, number: str, sent: dt.datetime, urgent: bool = False, **extra) -> int:
    from api.support.models import SellerMessage
    from api.support.seller_contact import answer_due

    with session() as s:
        question = SellerMessage(
            buyer_id=buyer_id,
            seller_id=seller_id,
            order_number=number,
            text="soru",
            created_at=sent,
            answer_due=answer_due(number[:2], sent),
            urgent=urgent,
            **extra,
        )
        s.add(question)
        s.commit()
        return question.id


def seller_with_orders(market: str, count: int) -> tuple[str, list[tuple[str, str]]]:
    """A seller nobody else's tests write to (the last of the market), and (order, buyer) pairs of theirs."""
    from api.commerce.models import Order, Seller

    with session() as s:
        sellers = s.scalars(select(Seller.id).where(Seller.market == market).order_by(Seller.id.desc())).all()
        for seller_id in sellers:
            rows = s.execute(
                select(Order.number, Order.buyer_id).where(Order.seller_id == seller_id).order_by(Order.id)
            ).all()
            if len(rows) >= count:
                return seller_id, [tuple(r) for r in rows]
    raise AssertionError("no seller with enough orders")


def test_threads_order_flags_and_filters():
    from api.clock import utcnow
    from api.errors import DomainError
    from api.sellers import inbox
    from api.sellers.models import SellerUser

    seller_id, orders = seller_with_orders("TR", 5)
    now = utcnow()
    (late, b1), (urgent, b2), (soon, b3), (later, b4), (done, b5) = orders[:5]
    put_question(seller_id, b1, late, now - dt.timedelta(days=10))  # overdue
    put_question(seller_id, b2, urgent, now - dt.timedelta(minutes=5), urgent=True)
    put_question(seller_id, b3, soon, now - dt.timedelta(days=1, hours=1))
    put_question(seller_id, b4, later, now - dt.timedelta(minutes=1))
    put_question(seller_id, b5, done, now - dt.timedelta(days=2), answered_at=now - dt.timedelta(days=1))
    user = SellerUser(username="x", display_name="x", password_hash="x", seller_id=seller_id, language="tr")
    with session() as s:
        rows = [r for r in inbox.threads(s, user, now) if r["order_number"] in {late, urgent, soon, later, done}]
        order = [r["order_number"] for r in rows]
        # Urgent first, then by deadline (the overdue one's has passed), answered last.
        assert order == [urgent, late, soon, later, done]
        by_number = {r["order_number"]: r for r in rows}
        assert by_number[late]["overdue"] and by_number[late]["seconds_left"] < 0
        assert by_number[late]["business_hours_left"] == 0.0
        assert by_number[urgent]["urgent"] and not by_number[urgent]["overdue"]
        assert by_number[soon]["seconds_left"] < by_number[later]["seconds_left"]
        assert by_number[done]["state"] == "answered" and by_number[done]["next_due"] is None
        overdue = {r["order_number"] for r in inbox.threads(s, user, now, state="overdue")}
        assert late in overdue and not overdue & {urgent, soon, later, done}
        unanswered = {r["order_number"] for r in inbox.threads(s, user, now, state="unanswered")}
        assert {late, urgent, soon, later} <= unanswered and done not in unanswered
        answered = {r["order_number"] for r in inbox.threads(s, user, now, state="answered")}
        assert done in answered and not answered & {late, urgent, soon, later}
        one = inbox.threads(s, user, now, order_number=f"{soon[:2].lower()}-{soon[2:]}")
        assert [r["order_number"] for r in one] == [soon]
        with pytest.raises(DomainError):
            inbox.threads(s, user, now, state="everything")


def test_a_thread_has_questions_answers_and_platform_notices(client):
    c = case(client, "tr-0003", 1)
    who = login(client, c.seller_id)
    from api.clock import utcnow
    from api.commerce.sql_adapter import SqlCommerce
    from api.support.seller_contact import escalate_overdue

    with session() as s:
        escalate_overdue(s, SqlCommerce(s), utcnow() + dt.timedelta(days=30))  # the deadline passed: support takes over
    thread = client.get(f"{SELLER}/threads/{c.order_number}", headers=who.headers)
    assert thread.status_code == 200
    body = thread.json()
    assert body["order"]["number"] == c.order_number and body["order"]["items"]
    question = next(i for i in body["items"] if i["type"] == "question" and i["id"] == c.question_id)
    assert question["state"] == "open" and question["answer_due"] and question["business_hours_left"] > 0
    notice = next(i for i in body["items"] if i["type"] == "notice" and i["question_id"] == c.question_id)
    assert notice["code"] == "escalated" and notice["ticket_reference"].startswith("TR-")
    assert body["thread"]["escalated"]
    listed = client.get(f"{SELLER}/threads", params={"order_number": c.order_number}, headers=who.headers).json()
    assert [t["order_number"] for t in listed["threads"]] == [c.order_number]
    assert listed["counts"]["unanswered"] >= 1
    assert "buyer_id" not in str(body)  # the seller sees a first name and initial, not the buyer's id
    assert client.get(f"{SELLER}/threads", params={"state": "nope"}, headers=who.headers).status_code == 422
    from api.security import audit

    with session() as s:
        reads = audit.entries(s, target=f"order:{c.order_number}", action="seller.thread_read")
    assert reads and reads[0].actor.startswith("seller:")  # reading a buyer's words is on the record


def test_another_sellers_thread_is_the_same_404_as_an_unknown_one(client):
    c = case(client, "tr-0002", 0)
    mine = login(client, c.seller_id)
    theirs = login(client, other_seller("TR", c.seller_id))
    assert client.get(f"{SELLER}/threads/{c.order_number}", headers=mine.headers).status_code == 200
    foreign = client.get(f"{SELLER}/threads/{c.order_number}", headers=theirs.headers)
    unknown = client.get(f"{SELLER}/threads/TR00000000", headers=theirs.headers)
    garbage = client.get(f"{SELLER}/threads/not-a-number", headers=theirs.headers)
    assert foreign.status_code == unknown.status_code == garbage.status_code == 404
    assert foreign.json() == unknown.json() == garbage.json()
    listed = client.get(f"{SELLER}/threads", params={"order_number": c.order_number}, headers=theirs.headers)
    assert listed.status_code == 200 and listed.json()["threads"] == []
    everything = client.get(f"{SELLER}/threads", headers=theirs.headers).json()["threads"]
    assert c.order_number not in {t["order_number"] for t in everything}
    # An order of the seller's own that has no thread yet is the same 404 too.
    own_orders = [n for n, s in orders_of("tr-0002") if s == c.seller_id]
    assert own_orders


def test_the_seller_sees_only_their_own_sellers_threads(client):
    who = login(client, "pl-s-03", "pl")
    from api.commerce.models import Order

    rows = client.get(f"{SELLER}/threads", headers=who.headers).json()["threads"]
    with session() as s:
        numbers = {r["order_number"] for r in rows}
        sellers = set(s.scalars(select(Order.seller_id).where(Order.number.in_(numbers))))
    assert sellers <= {"pl-s-03"}
