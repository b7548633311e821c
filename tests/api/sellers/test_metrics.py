"""Answer-time figures per seller: share in time, median in business hours, open overdue; shown to
the seller and, for every seller, to platform support in the console."""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest

from tests.support.console import login as agent_login
from tests.support.sellers import SELLER, login

pytestmark = pytest.mark.usefixtures("database_url")
IST = ZoneInfo("Europe/Istanbul")
_ids = itertools.count(1)


def session():
    from api.db import get_sessionmaker

    return get_sessionmaker()()


def new_seller(market: str = "TR") -> str:
    """A seller of its own, so no other test's questions count."""
    from api.commerce.models import Seller

    seller_id = f"{market.lower()}-s-m{next(_ids)}"
    with session() as s:
        s.add(Seller(id=seller_id, market=market, name=f"Ölçüm Mağazası {seller_id}"))
        s.commit()
    return seller_id


def put(seller_id: str, sent: dt.datetime, answered: dt.datetime | None = None, closed: dt.datetime | None = None):
    from api.support.models import SellerMessage
    from api.support.seller_contact import answer_due
    from tests.support.sellers import orders_of

    with session() as s:
        s.add(
            SellerMessage(
                buyer_id="tr-0001",
                seller_id=seller_id,
                order_number=orders_of("tr-0001")[0][0],
                text="soru",
                created_at=sent,
                answer_due=answer_due("TR", sent),
                answered_at=answered,
                closed_at=closed,
                # Kept out of the escalation loop other tests run (a ticket is not what is measured here).
                escalated_at=None if answered else sent,
            )
        )
        s.commit()


def test_figures_over_the_last_30_days():
    from api.sellers import metrics

    seller_id = new_seller()
    now = dt.datetime(2026, 11, 27, 12, 0, tzinfo=IST)  # a Friday
    monday = dt.datetime(2026, 11, 23, 9, 0, tzinfo=IST)
    put(seller_id, monday, answered=monday + dt.timedelta(hours=2))  # 2 business hours, in time
    put(seller_id, monday, answered=monday + dt.timedelta(hours=6))  # 6 business hours, in time
    put(seller_id, monday - dt.timedelta(days=7), answered=monday)  # 5 days: 45 business hours, late
    put(seller_id, monday - dt.timedelta(days=7))  # open, overdue
    put(seller_id, now - dt.timedelta(hours=1))  # open, not yet due: undecided
    put(seller_id, monday, closed=monday + dt.timedelta(hours=1))  # closed by support: left out
    put(seller_id, now - dt.timedelta(days=45), answered=now - dt.timedelta(days=44))  # outside the window
    put(seller_id, now - dt.timedelta(days=60))  # outside the window but still open and overdue
    with session() as s:
        figures = metrics.for_seller(s, seller_id, now)
    assert figures["questions"] == 5
    assert figures["answered"] == 3 and figures["answered_in_time"] == 2 and figures["decided"] == 4
    assert figures["share_in_time"] == 0.5
    assert figures["median_business_hours"] == 6.0
    assert figures["open_overdue"] == 2
    with session() as s:
        empty = metrics.for_seller(s, new_seller(), now)
    assert empty["share_in_time"] is None and empty["median_business_hours"] is None and empty["open_overdue"] == 0


def test_the_seller_sees_their_figures_and_support_sees_everyones(client, agents_go_home):
    who = login(client, "tr-s-07")
    mine = client.get(f"{SELLER}/metrics", headers=who.headers)
    assert mine.status_code == 200 and mine.json()["seller_id"] == "tr-s-07" and mine.json()["window_days"] == 30
    supervisor = client.post("/api/v1/console/login", json={"username": "demo", "password": "demo-agent-2026"})
    headers = {"Authorization": f"Bearer {supervisor.json()['token']}"}
    everyone = client.get("/api/v1/console/sellers/answer-times", headers=headers)
    assert everyone.status_code == 200
    rows = everyone.json()["sellers"]
    assert {r["market"] for r in rows} == {"TR", "PL"}
    assert next(r for r in rows if r["seller_id"] == "tr-s-07") == mine.json()
    polish_agent = agent_login(client, ("pl",), online=False)
    polish = client.get("/api/v1/console/sellers/answer-times", headers=polish_agent).json()["sellers"]
    assert polish and {r["market"] for r in polish} == {"PL"}
    # Sorted for attention: most open overdue first.
    overdue = [r["open_overdue"] for r in rows]
    assert overdue == sorted(overdue, reverse=True)


def test_who_may_read_the_console_figures(client):
    from tests.support.conversations import buyer_token

    who = login(client, "tr-s-08")
    url = "/api/v1/console/sellers/answer-times"
    assert client.get(url).status_code == 401
    assert client.get(url, headers=who.headers).status_code == 401  # a seller session is no console session
    buyer = {"Authorization": f"Bearer {buyer_token(client, 'tr-0001')}"}
    assert client.get(url, headers=buyer).status_code == 401
