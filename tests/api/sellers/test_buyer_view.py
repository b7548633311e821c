"""The buyer's view of their seller threads (api/sellers/buyer_view.py) and its internal endpoint.

Rows are written with explicit times in the past (tests/support/seller_threads.py) and removed
after each test, so the shared database keeps no unanswered, unescalated question behind (the
seller-inbox escalation test escalates everything due before its own deadline).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from api.commerce.models import Order
from api.commerce.port import OrderStatus
from api.commerce.sql_adapter import SqlCommerce
from api.errors import DomainError
from api.helpdesk.business_calendar import calendar_for
from api.helpdesk.models import Ticket
from api.sellers.buyer_view import MAX_THREADS, ThreadState, hours_on_business_days_between, seller_threads
from api.sellers.models import SellerReply
from api.support.models import SellerMessage
from api.support.seller_contact import escalate_overdue
from tests.support.seller_threads import add_answer, add_question, add_status_update, remove

BASE = "/api/v1/internal/buyers"
ZONES = {"TR": ZoneInfo("Europe/Istanbul"), "PL": ZoneInfo("Europe/Warsaw")}
HOURS = {"TR": 72, "PL": 24}
HOUR = dt.timedelta(hours=1)


def local(market: str, *parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=ZONES[market])


@pytest.fixture
def db(database_url):
    """A session on the shared test database, and lists that say what to remove afterwards."""
    from api.db import get_sessionmaker

    with get_sessionmaker()() as session:
        made = {"questions": [], "replies": [], "tickets": []}
        session.info["made"] = made
        yield session
        remove(session, made["questions"], made["replies"], made["tickets"])


def question(db, order, sent_at, **kw):
    made = add_question(db, order, sent_at, **kw)
    db.info["made"]["questions"].append(made)
    return made


def answer(db, asked, at, text, author="Ayşe"):
    made = add_answer(db, asked, at, text, author)
    db.info["made"]["replies"].append(made)
    return made


def update(db, order, at, status, **kw):
    made = add_status_update(db, order, at, status, **kw)
    db.info["made"]["replies"].append(made)
    return made


def escalate(db, now) -> list[str]:
    references = escalate_overdue(db, SqlCommerce(db), now)
    db.info["made"]["tickets"].extend(references)
    return references


def buyers_with_orders(db, market: str, how_many: int = 2, orders: int = 2) -> list[tuple[str, list[Order]]]:
    """Demo buyers without any seller thread (the demo seed has a few) that no other test writes to
    sellers for (not the fixture buyers -0001..-0006), with enough orders; last ids first."""
    busy = set(db.scalars(select(SellerMessage.buyer_id))) | set(db.scalars(select(SellerReply.buyer_id)))
    rows = db.execute(
        select(Order.buyer_id, func.count())
        .where(Order.market == market, Order.status != OrderStatus.CANCELLED)
        .group_by(Order.buyer_id)
        .order_by(Order.buyer_id.desc())
    ).all()
    found = []
    for buyer_id, count in rows:
        if count >= orders and int(buyer_id[-4:]) > 6 and buyer_id not in busy:
            numbers = db.scalars(
                select(Order)
                .where(Order.buyer_id == buyer_id, Order.status != OrderStatus.CANCELLED)
                .order_by(Order.number)
            ).all()
            found.append((buyer_id, list(numbers)))
        if len(found) == how_many:
            return found
    raise AssertionError(f"no {how_many} {market} demo buyers with {orders} orders")


# -- the seller's clock ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("market", "start"),
    [
        ("PL", (2026, 4, 3, 18, 30)),  # Friday evening before Easter Monday
        ("TR", (2025, 3, 28, 19, 0)),  # Friday evening before Ramazan Bayramı (Mon-Tue)
        ("PL", (2026, 11, 21, 11, 0)),  # a Saturday: the clock starts on Monday
        ("TR", (2026, 11, 24, 10, 15)),  # an ordinary Tuesday
        ("PL", (2026, 10, 23, 22, 0)),  # Friday before the end of summer time (25 October)
    ],
)
def test_hours_left_is_the_inverse_of_the_answer_deadline(market, start):
    calendar = calendar_for(market)
    sent = local(market, *start)
    due = calendar.add_hours_on_business_days(sent, HOURS[market])
    assert hours_on_business_days_between(calendar, sent, due) == pytest.approx(HOURS[market])
    assert hours_on_business_days_between(calendar, due, sent) == 0.0
    assert hours_on_business_days_between(calendar, due + HOUR, due) == 0.0


# -- states ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("market", "due", "left_on_saturday_noon"),
    [
        # Sent Friday 15:00. PL: 24 h on business days -> 9 h on Friday, Monday until 15:00.
        ("PL", (2026, 11, 23, 15, 0), 15.0),
        # TR: 72 h on business days -> 9 h Friday, Monday, Tuesday, Wednesday until 15:00.
        ("TR", (2026, 11, 25, 15, 0), 63.0),
    ],
)
def test_a_waiting_question_has_the_markets_deadline_and_hours_left(db, market, due, left_on_saturday_noon):
    (buyer_id, orders), _ = buyers_with_orders(db, market)
    sent = local(market, 2026, 11, 20, 15, 0)
    asked = question(db, orders[0], sent, urgent=True)
    assert asked.answer_due == local(market, *due)

    view = seller_threads(db, SqlCommerce(db), buyer_id, local(market, 2026, 11, 21, 12, 0))
    assert view.count == 1
    (thread,) = view.threads
    assert thread.state == ThreadState.WAITING and thread.order_number == orders[0].number
    assert thread.market == market and thread.seller == orders[0].seller.name and thread.items
    q = thread.latest_question
    assert (q.id, q.sent_at, q.answer_due, q.urgent) == (asked.id, sent, local(market, *due), True)
    assert q.business_hours_left == left_on_saturday_noon
    assert thread.latest_answer is None and thread.latest_status_update is None and thread.escalation is None
    # Friday 16:00, an hour after sending: the whole clock but one hour is left.
    later = seller_threads(db, SqlCommerce(db), buyer_id, sent + HOUR).threads[0]
    assert later.latest_question.business_hours_left == HOURS[market] - 1


@pytest.mark.parametrize("market", ["TR", "PL"])
def test_an_answer_and_the_latest_case_update(db, market):
    (buyer_id, orders), _ = buyers_with_orders(db, market)
    order = orders[0]
    sent = local(market, 2026, 11, 16, 10, 0)
    asked = question(db, order, sent)
    answer(db, asked, sent + 5 * HOUR, "Evet, hediye paketi yapıyoruz.", "Ayşe K.")
    update(db, order, sent + 6 * HOUR, "repair_started")
    update(
        db,
        order,
        sent + 30 * HOUR,
        "shipped",
        carrier="Aras Kargo",
        tracking_number="AR998877",
        expected_date=dt.date(2026, 11, 19),
        note="Yarın elinizde.",
    )

    (thread,) = seller_threads(db, SqlCommerce(db), buyer_id, sent + 40 * HOUR, order.number.lower()).threads
    assert thread.state == ThreadState.ANSWERED
    a = thread.latest_answer
    assert (a.question_id, a.to_latest_question, a.text) == (asked.id, True, "Evet, hediye paketi yapıyoruz.")
    assert (a.author_name, a.seller_name, a.at) == ("Ayşe K.", order.seller.name, sent + 5 * HOUR)
    s = thread.latest_status_update
    assert (s.status, s.carrier, s.tracking_number, s.expected_date) == (
        "shipped",
        "Aras Kargo",
        "AR998877",
        dt.date(2026, 11, 19),
    )
    assert (s.note, s.at) == ("Yarın elinizde.", sent + 30 * HOUR)
    assert thread.escalation is None


def test_a_follow_up_question_waits_while_the_earlier_answer_stays_visible(db):
    (buyer_id, orders), _ = buyers_with_orders(db, "TR")
    sent = local("TR", 2026, 11, 16, 10, 0)
    first = question(db, orders[0], sent)
    answer(db, first, sent + 2 * HOUR, "Stokta var.")
    follow_up = question(db, orders[0], sent + 3 * HOUR, text="Peki bugün kargoya verir misiniz?")

    (thread,) = seller_threads(db, SqlCommerce(db), buyer_id, sent + 4 * HOUR).threads
    assert thread.state == ThreadState.WAITING and thread.questions == 2
    assert thread.latest_question.id == follow_up.id
    assert thread.latest_answer.question_id == first.id and not thread.latest_answer.to_latest_question


@pytest.mark.parametrize("market", ["TR", "PL"])
def test_after_the_deadline_overdue_then_the_existing_escalation(db, market):
    (buyer_id, orders), _ = buyers_with_orders(db, market)
    sent = local(market, 2026, 11, 16, 10, 0)
    asked = question(db, orders[0], sent)
    after = asked.answer_due + dt.timedelta(minutes=5)

    (thread,) = seller_threads(db, SqlCommerce(db), buyer_id, after).threads
    assert thread.state == ThreadState.OVERDUE and thread.escalation is None
    assert thread.latest_question.business_hours_left == 0.0
    assert db.scalar(select(func.count()).select_from(Ticket).where(Ticket.order_number == orders[0].number)) == 0

    (reference,) = escalate(db, after)
    (thread,) = seller_threads(db, SqlCommerce(db), buyer_id, after + HOUR).threads
    assert thread.state == ThreadState.ESCALATED
    assert thread.escalation.ticket_reference == reference and reference.startswith(f"{market}-")
    assert thread.escalation.escalated_at == after


def test_a_closed_question_is_closed(db):
    (buyer_id, orders), _ = buyers_with_orders(db, "PL")
    sent = local("PL", 2026, 11, 16, 10, 0)
    asked = question(db, orders[0], sent)
    asked.closed_at = sent + 2 * HOUR
    db.commit()
    assert seller_threads(db, SqlCommerce(db), buyer_id, sent + 3 * HOUR).threads[0].state == ThreadState.CLOSED


def test_most_recent_thread_first_and_at_most_five(db):
    ((buyer_id, orders),) = buyers_with_orders(db, "TR", how_many=1, orders=MAX_THREADS + 1)
    sent = local("TR", 2026, 11, 16, 10, 0)
    for i, order in enumerate(orders[: MAX_THREADS + 1]):
        question(db, order, sent + i * HOUR)
    # A new question on the oldest thread moves it to the front.
    question(db, orders[0], sent + 10 * HOUR, text="Bir sorum daha var.")

    view = seller_threads(db, SqlCommerce(db), buyer_id, sent + 11 * HOUR)
    assert view.count == MAX_THREADS + 1 and len(view.threads) == MAX_THREADS
    expected = [orders[0], *reversed(orders[1 : MAX_THREADS + 1])]
    assert [t.order_number for t in view.threads] == [o.number for o in expected[:MAX_THREADS]]
    assert view.threads[0].questions == 2


def test_an_order_without_questions_has_no_thread_and_rules_say_no(db):
    (buyer_id, orders), (_, other_orders) = buyers_with_orders(db, "PL")
    question(db, other_orders[0], local("PL", 2026, 11, 16, 10, 0))
    assert seller_threads(db, SqlCommerce(db), buyer_id, local("PL", 2026, 11, 17, 10, 0), orders[0].number).count == 0
    for number, code in ((other_orders[0].number, "order_not_found"), ("PL00000001", "order_not_found")):
        with pytest.raises(DomainError) as refused:
            seller_threads(db, SqlCommerce(db), buyer_id, local("PL", 2026, 11, 17, 10, 0), number)
        assert (refused.value.code, refused.value.status) == (code, 404)
    with pytest.raises(DomainError) as refused:
        seller_threads(db, SqlCommerce(db), buyer_id, local("PL", 2026, 11, 17, 10, 0), "12345")
    assert (refused.value.code, refused.value.status) == ("invalid_order_number", 422)
    with pytest.raises(DomainError) as refused:
        seller_threads(db, SqlCommerce(db), "pl-9999", local("PL", 2026, 11, 17, 10, 0))
    assert (refused.value.code, refused.value.status) == ("unknown_buyer", 404)


# -- the endpoint ------------------------------------------------------------------------------


def test_the_endpoint_needs_the_service_token(client):
    for headers in ({}, {"Authorization": "Bearer wrong"}):
        response = client.get(f"{BASE}/tr-0001/seller-threads", headers=headers)
        assert response.status_code == 401 and response.json()["detail"]["code"] == "unauthorized"


def test_buyer_as_path_never_shows_buyer_bs_threads(client, service_headers, db):
    (a, a_orders), (b, b_orders) = buyers_with_orders(db, "TR")
    sent = local("TR", 2026, 11, 16, 10, 0)
    mine = question(db, a_orders[0], sent, text="A'nın sorusu: beden tablosu var mı?")
    answer(db, mine, sent + HOUR, "A'ya cevap: evet.")
    theirs = question(db, b_orders[0], sent + 2 * HOUR, text="B'nin gizli sorusu")
    answer(db, theirs, sent + 3 * HOUR, "B'ye özel cevap")
    update(db, b_orders[0], sent + 4 * HOUR, "shipped", carrier="DHL", tracking_number="DHL-B-ONLY")

    listed = client.get(f"{BASE}/{a}/seller-threads", headers=service_headers)
    assert listed.status_code == 200, listed.text
    body = listed.json()
    assert body["count"] == 1 and [t["order_number"] for t in body["threads"]] == [a_orders[0].number]
    assert "B'" not in listed.text and "DHL-B-ONLY" not in listed.text and b_orders[0].number not in listed.text
    thread = body["threads"][0]
    assert thread["state"] == "answered" and thread["latest_answer"]["text"] == "A'ya cevap: evet."
    # Moments in UTC, as every internal endpoint gives them.
    assert dt.datetime.fromisoformat(thread["latest_question"]["sent_at"]) == sent
    assert dt.datetime.fromisoformat(thread["latest_question"]["sent_at"]).utcoffset() == dt.timedelta(0)

    for number in (b_orders[0].number, b_orders[0].number.lower(), "TR-" + b_orders[0].number[2:]):
        foreign = client.get(f"{BASE}/{a}/seller-threads", params={"order_number": number}, headers=service_headers)
        assert foreign.status_code == 404 and foreign.json()["detail"] == {"code": "order_not_found"}
    unknown = client.get(f"{BASE}/{a}/seller-threads", params={"order_number": "TR00000001"}, headers=service_headers)
    assert unknown.status_code == 404 and unknown.json()["detail"] == {"code": "order_not_found"}
    invalid = client.get(f"{BASE}/{a}/seller-threads", params={"order_number": "abc"}, headers=service_headers)
    assert invalid.status_code == 422 and invalid.json()["detail"] == {"code": "invalid_order_number"}
    nobody = client.get(f"{BASE}/tr-9999/seller-threads", headers=service_headers)
    assert nobody.status_code == 404 and nobody.json()["detail"] == {"code": "unknown_buyer"}

    own = client.get(f"{BASE}/{a}/seller-threads", params={"order_number": a_orders[0].number}, headers=service_headers)
    assert own.status_code == 200 and own.json()["threads"][0]["latest_question"]["id"] == mine.id
    quiet = client.get(
        f"{BASE}/{a}/seller-threads", params={"order_number": a_orders[1].number}, headers=service_headers
    )
    assert quiet.status_code == 200 and quiet.json() == {"count": 0, "threads": []}
    b_view = client.get(f"{BASE}/{b}/seller-threads", headers=service_headers).json()
    assert [t["order_number"] for t in b_view["threads"]] == [b_orders[0].number]
    assert b_view["threads"][0]["latest_status_update"]["tracking_number"] == "DHL-B-ONLY"


@pytest.mark.parametrize("market", ["TR", "PL"])
def test_the_endpoint_reports_the_escalation_ticket_after_the_deadline(client, service_headers, db, market):
    (buyer_id, orders), _ = buyers_with_orders(db, market)
    sent = local(market, 2026, 11, 16, 10, 0)  # long past: the real clock is after its deadline
    asked = question(db, orders[0], sent)
    (reference,) = escalate(db, asked.answer_due + dt.timedelta(minutes=1))
    body = client.get(f"{BASE}/{buyer_id}/seller-threads", headers=service_headers).json()
    (thread,) = body["threads"]
    assert thread["state"] == "escalated" and thread["escalation"]["ticket_reference"] == reference
    assert thread["latest_question"]["business_hours_left"] == 0.0
    due = dt.datetime.fromisoformat(thread["latest_question"]["answer_due"])
    assert due == calendar_for(market).add_hours_on_business_days(sent, HOURS[market])
