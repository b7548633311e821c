"""The commerce webhook (POST /api/v1/internal/commerce-events) and the buyer's notices switch.

Each test starts a fresh conversation for its buyer: notices go to the buyer's latest one.
"""

from __future__ import annotations

import datetime as dt
import json
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from tests.support.commerce_events import SERVICE, T0, URL, an_order, event, notices
from tests.support.conversations import start


def stored(event_id: str) -> int:
    from api.db import get_sessionmaker
    from api.notices.models import CommerceEvent

    with get_sessionmaker()() as session:
        return session.scalar(select(func.count()).where(CommerceEvent.event_id == event_id))


def test_needs_the_service_token(client):
    body = event(an_order("tr-0002", ("preparing", "shipped", "in_transit", "delivered")), "delivered")
    assert client.post(URL, json=body).status_code == 401
    assert client.post(URL, json=body, headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert stored(body["event_id"]) == 0


def test_bad_input_is_refused(client):
    order = an_order("tr-0002", ("preparing", "shipped", "in_transit", "delivered"))
    for bad in (
        {**event(order, "delivered"), "kind": "exploded"},
        {**event(order, "delivered"), "occurred_at": "2026-12-07T09:00:00"},  # no time zone
        {**event(order, "delivered"), "event_id": "has spaces"},
        {**event(order, "delivered"), "event_id": "x" * 65},
        {k: v for k, v in event(order, "delivered").items() if k != "event_id"},
        event(order, "delayed"),  # no new date
        event(order, "delayed", estimated_delivery="next week"),
        event(order, "shipped", carrier="Aras Kargo"),  # no tracking number
        event(order, "ticket_answered"),
    ):
        assert client.post(URL, json=bad, headers=SERVICE).status_code == 422, bad
    assert client.post(URL, json=event("not-an-order", "delivered"), headers=SERVICE).status_code == 422
    unknown = event("TR00000001", "delivered")
    response = client.post(URL, json=unknown, headers=SERVICE)
    assert response.status_code == 404 and response.json()["detail"]["code"] == "unknown_order"
    assert stored(unknown["event_id"]) == 0


def test_shipped_notice_in_the_buyers_language_once(client):
    conv = start(client, "tr", "tr-0002")
    order = an_order("tr-0002", ("preparing", "shipped", "in_transit"))
    body = event(order, "shipped", carrier="Aras Kargo", tracking_number="AR123456789", estimated_delivery="2026-12-10")
    first = client.post(URL, json=body, headers=SERVICE)
    assert first.status_code == 202 and first.json() == {
        "event_id": body["event_id"],
        "duplicate": False,
        "outcome": "notified",
    }
    again = client.post(URL, json=body, headers=SERVICE)
    assert again.status_code == 202 and again.json()["duplicate"] is True
    assert stored(body["event_id"]) == 1
    shown = notices(client, conv)
    assert len(shown) == 1
    assert shown[0]["text"] == (
        f"{order} numaralı siparişiniz kargoya verildi: Aras Kargo, takip numarası AR123456789. "
        "Tahmini teslim: 10.12.2026."
    )


def test_duplicates_sent_at_once_are_stored_once(client):
    conv = start(client, "pl", "pl-0002")
    body = event(an_order("pl-0002", ("preparing", "shipped", "in_transit", "delivered")), "delivered")
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda _: client.post(URL, json=body, headers=SERVICE), range(4)))
    assert all(a.status_code == 202 for a in answers)
    assert sum(not a.json()["duplicate"] for a in answers) == 1
    assert stored(body["event_id"]) == 1
    assert len(notices(client, conv)) == 1


def test_an_older_event_after_a_newer_one_makes_no_stale_notice(client):
    conv = start(client, "pl", "pl-0003")
    order = an_order("pl-0003", ("preparing", "shipped", "in_transit", "delivered"))
    newer = client.post(URL, json=event(order, "delivered", T0 + dt.timedelta(hours=5)), headers=SERVICE)
    older = client.post(
        URL, json=event(order, "shipped", T0, carrier="InPost", tracking_number="IP1234"), headers=SERVICE
    )
    assert newer.json()["outcome"] == "notified" and older.json()["outcome"] == "stale"
    texts = [m["text"] for m in notices(client, conv)]
    assert texts == [f"Zamówienie {order} zostało dostarczone."]
    # Another track (the return) is not made stale by the delivery.
    refund = client.post(URL, json=event(order, "refunded", T0, amount="1299.9"), headers=SERVICE)
    assert refund.json()["outcome"] == "notified"
    refunded = notices(client, conv)[-1]["text"]
    assert refunded == f"Zwrot pieniędzy za zamówienie {order} został zrealizowany: 1 299,90 zł."


def test_delay_notice_offers_what_the_buyer_can_do(client):
    conv = start(client, "tr", "tr-0047")
    order = an_order("tr-0047", ("preparing",))
    client.post(URL, json=event(order, "delayed", estimated_delivery="2026-12-15"), headers=SERVICE)
    notice = notices(client, conv)[-1]
    assert "Yeni tahmini teslim tarihi: 15.12.2026" in notice["text"]
    assert "iptal" in notice["text"] and "müşteri temsilcisi" in notice["text"]
    assert [b["title"] for b in notice["buttons"]] == ["Siparişi iptal et", "Müşteri temsilcisi"]
    cancel = "/cancel_order" + json.dumps({"order_number": order}, separators=(",", ":"))
    assert notice["buttons"][0]["payload"] == cancel
    assert notice["buttons"][1]["payload"] == "/human_agent"


def test_seller_status_update_is_not_repeated_as_a_notice(client):
    conv = start(client, "tr", "tr-0002")
    order = an_order("tr-0002", ("preparing", "shipped", "in_transit", "delivered"))
    response = client.post(URL, json=event(order, "seller_status_update", status="shipped"), headers=SERVICE)
    assert response.json()["outcome"] == "covered"
    assert notices(client, conv) == []


def test_notices_can_be_turned_off_per_conversation(client):
    conv = start(client, "pl", "pl-0002")
    url = f"/api/v1/conversations/{conv['conversation_id']}/notices"
    own = {"X-Conversation-Token": conv["token"]}
    assert client.get(url, headers=own).json() == {"enabled": True}
    assert client.get(url, headers={"X-Conversation-Token": "wrong"}).status_code == 404
    assert client.post(url, json={"enabled": False}, headers={"X-Conversation-Token": "wrong"}).status_code == 404
    assert client.post(url, json={"enabled": "maybe"}, headers=own).status_code == 422
    assert client.post(url, json={"enabled": False}, headers=own).json() == {"enabled": False}
    assert client.get(url, headers=own).json() == {"enabled": False}
    order = an_order("pl-0002", ("preparing", "shipped", "in_transit", "delivered"))
    response = client.post(URL, json=event(order, "out_for_delivery"), headers=SERVICE)
    assert response.json()["outcome"] == "opted_out"
    assert notices(client, conv) == []
    assert client.post(url, json={"enabled": True}, headers=own).json() == {"enabled": True}


def test_a_notice_reaches_an_open_widget_live(client):
    conv = start(client, "tr", "tr-0047")
    order = an_order("tr-0047", ("preparing", "shipped", "in_transit", "delivered"))
    with client.websocket_connect("/api/v1/chat/ws") as ws:
        ws.send_json({"type": "start", "conversation_id": conv["conversation_id"], "token": conv["token"]})
        assert ws.receive_json()["type"] == "session"
        client.post(URL, json=event(order, "delivered", T0 + dt.timedelta(days=30)), headers=SERVICE)
        frame = ws.receive_json()
    assert frame["type"] == "notice" and frame["kind"] == "delivered" and frame["order_number"] == order
    assert frame["message"]["sender"] == "notice"
    assert frame["message"]["text"] == f"{order} numaralı siparişiniz teslim edildi."
    assert notices(client, conv)[-1]["id"] == frame["message"]["id"]
