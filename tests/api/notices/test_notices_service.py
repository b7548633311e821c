"""The notices service without HTTP: the change feed, claims from several processes, the demo command."""

from __future__ import annotations

import datetime as dt
import threading
import uuid

import pytest
from sqlalchemy import func, select

from api.clock import utcnow
from api.commerce.port import ChangeView
from tests.support.commerce_events import an_order, notices
from tests.support.conversations import start


@pytest.fixture(scope="module")
def app(own_database: str):
    """This module moves demo orders along (demo-events) and stores commerce events: an app on a
    database of its own, so no other module sees the change."""
    from api.main import create_app

    return create_app()


def sessions():
    from api.db import get_sessionmaker

    return get_sessionmaker()()


def test_change_feed_is_read_from_a_cursor_and_stored_once(client):
    from api.cli import main
    from api.commerce.sql_adapter import SqlCommerce
    from api.notices import service
    from api.notices.models import CommerceEvent

    conv = start(client, "pl", "pl-0004")
    with sessions() as session:
        _, cursor = SqlCommerce(session).changes_since(0, limit=10**6)
    assert main(["demo-events", "--buyer", "pl-0004", "--action", "delay"]) == 0
    with sessions() as session:
        commerce = SqlCommerce(session)
        changes, after = commerce.changes_since(cursor)
        assert [c.kind for c in changes] == ["delayed"] and after > cursor
        assert commerce.changes_since(after) == ([], after)
        # Two processes reading the feed from the start store each event once and notify once.
        _, first = service.poll_feed(session, commerce, 0, utcnow())
        _, second = service.poll_feed(session, commerce, 0, utcnow())
        assert second == []
        assert session.scalar(select(func.count()).where(CommerceEvent.event_id == changes[0].event_id)) == 1
    # (The app's own poll may have been first: then this read found nothing left to do.)
    mine = [d for d in first if d.conversation_id == conv["conversation_id"]]
    assert len(mine) <= 1 and all(d.frame["kind"] == "delayed" for d in mine)
    shown = notices(client, conv)
    assert len(shown) == 1 and "Nowy przewidywany termin dostawy" in shown[0]["text"]
    assert "anulować" in shown[0]["text"]  # still being prepared: cancelling is one of the options
    assert [b["title"] for b in shown[0]["buttons"]] == ["Anuluj zamówienie", "Porozmawiaj z konsultantem"]


def test_each_event_is_claimed_by_one_process(client):
    from api.commerce.sql_adapter import SqlCommerce
    from api.notices import service

    conv = start(client, "tr", "tr-0048")
    order = an_order("tr-0048", ("preparing", "shipped", "in_transit", "delivered"))
    with sessions() as session:
        for n in range(5):
            change = ChangeView(
                event_id=f"claim-{uuid.uuid4().hex}",
                order_number=order,
                kind="ticket_answered",
                occurred_at=dt.datetime(2026, 12, 7, 10, n, tzinfo=dt.UTC),
                payload={"ticket": f"TR-261207-00{n}"},
            )
            service.ingest(session, change, "webhook", utcnow())
    results: list[list] = []
    barrier = threading.Barrier(4)

    def worker():
        with sessions() as session:
            barrier.wait()
            results.append(service.process_pending(session, SqlCommerce(session), utcnow()))

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    delivered = [d for batch in results for d in batch if d.conversation_id == conv["conversation_id"]]
    assert len(delivered) <= 5  # the app's own poll may claim some; never one twice
    texts = sorted(m["text"] for m in notices(client, conv))
    line = "TR-261207-00{n} numaralı destek talebiniz ({order} numaralı sipariş) yanıtlandı."
    assert texts == [line.format(n=n, order=order) for n in range(5)]


def test_a_buyer_without_a_conversation_gets_no_notice(client):
    from api.commerce.sql_adapter import SqlCommerce
    from api.notices import service

    with sessions() as session:
        order = an_order("tr-0045", ("preparing", "shipped", "in_transit", "delivered"))
        change = ChangeView(
            event_id=f"nobody-{uuid.uuid4().hex}", order_number=order, kind="delivered", occurred_at=utcnow()
        )
        row, created = service.ingest(session, change, "webhook", utcnow())
        assert created
        service.process_pending(session, SqlCommerce(session), utcnow())
        session.refresh(row)
        assert row.outcome == "no_conversation" and row.message_id is None


def test_the_demo_page_button_moves_an_order_through_the_change_feed(client):
    from api.commerce.sql_adapter import SqlCommerce

    with sessions() as session:
        _, cursor = SqlCommerce(session).changes_since(0, limit=10**6)
    response = client.post("/api/v1/demo/events", json={"buyer_id": "pl-0010", "action": "ship"})
    assert response.status_code == 201, response.text
    assert response.json()["kind"] == "shipped"
    with sessions() as session:
        changes, _ = SqlCommerce(session).changes_since(cursor)
    assert [c.event_id for c in changes] == [response.json()["event_id"]]
    assert changes[0].payload["tracking_number"] and changes[0].payload["carrier"] == "InPost"
    refused = client.post("/api/v1/demo/events", json={"buyer_id": "nobody", "action": "deliver"})
    assert refused.status_code == 404
    assert client.post("/api/v1/demo/events", json={"buyer_id": "pl-0010", "action": "explode"}).status_code == 422


def test_removing_a_conversation_keeps_the_event_without_its_notice(client):
    from api.notices.models import CommerceEvent
    from api.privacy.forget import remove_conversations
    from tests.support.commerce_events import SERVICE, URL, event

    conv = start(client, "tr", "tr-0025")
    order = an_order("tr-0025", ("preparing", "shipped", "in_transit", "delivered"))
    body = event(order, "delivered")
    assert client.post(URL, json=body, headers=SERVICE).json()["outcome"] == "notified"
    with sessions() as session:
        remove_conversations(session, [conv["conversation_id"]])
        session.commit()
        row = session.scalars(select(CommerceEvent).where(CommerceEvent.event_id == body["event_id"])).one()
        assert row.conversation_id is None and row.message_id is None and row.outcome == "notified"
