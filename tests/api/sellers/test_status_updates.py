"""Case updates: the fixed list, shipping details for "shipped", a moderated note, the seller's own
orders only, and delivery to the buyer in the buyer's language."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.support.sellers import SELLER, case, login, orders_of, other_seller

pytestmark = pytest.mark.usefixtures("database_url")


def post(client, who, number: str, **body):
    return client.post(f"{SELLER}/orders/{number}/status-updates", json=body, headers=who.headers)


def future(days: int = 3) -> str:
    return (dt.date.today() + dt.timedelta(days=days)).isoformat()


def test_shipped_needs_carrier_tracking_number_and_a_date_not_in_the_past(client):
    c = case(client, "pl-0006", 0)
    who = login(client, c.seller_id, "pl")
    for body, code in (
        ({"status": "shipped"}, "shipping_details_required"),
        ({"status": "shipped", "carrier": "InPost", "tracking_number": "6800123"}, "shipping_details_required"),
        (
            {"status": "shipped", "carrier": "FedEx", "tracking_number": "6800123", "expected_date": future()},
            "unknown_carrier",
        ),
        (
            {"status": "shipped", "carrier": "InPost", "tracking_number": "<b>", "expected_date": future()},
            "invalid_tracking_number",
        ),
        (
            {"status": "shipped", "carrier": "InPost", "tracking_number": "6800123", "expected_date": "2020-01-01"},
            "invalid_expected_date",
        ),
        (
            {"status": "shipped", "carrier": "InPost", "tracking_number": "6800123", "expected_date": "jutro"},
            "invalid_expected_date",
        ),
        ({"status": "sold_out"}, "unknown_status"),
        ({"status": "repair_started", "note": "Proszę dzwonić 601 234 567"}, "note_blocked"),
        ({"status": "repair_started", "note": "x" * 1001}, "note_too_long"),
    ):
        refused = post(client, who, c.order_number, **body)
        assert refused.status_code == 422, (body, refused.text)
        assert refused.json()["detail"]["code"] == code, body
    carrier = post(
        client,
        who,
        c.order_number,
        status="shipped",
        carrier="FedEx",
        tracking_number="68001234",
        expected_date=future(),
    )
    assert "InPost, DPD, Poczta Polska, DHL" in carrier.json()["detail"]["message"]  # in the seller's language
    blocked = post(client, who, c.order_number, status="repair_started", note="Proszę dzwonić 601 234 567")
    assert blocked.json()["detail"]["reasons"] == ["phone_number"]
    assert blocked.json()["detail"]["message"].startswith("Aktualizacja statusu nie została wysłana")
    thread = client.get(f"{SELLER}/threads/{c.order_number}", headers=who.headers).json()
    assert not [i for i in thread["items"] if i["type"] == "status"]  # nothing stored by the refusals


def test_a_shipped_update_reaches_the_buyer_in_the_buyers_language(client):
    c = case(client, "pl-0007", 0)
    who = login(client, c.seller_id, "tr")  # a Turkish-speaking seller user of a Polish shop
    expected = future(2)
    with client.websocket_connect("/api/v1/chat/ws") as ws:
        ws.send_json(
            {"type": "start", "conversation_id": c.conversation["conversation_id"], "token": c.conversation["token"]}
        )
        assert ws.receive_json()["type"] == "session"
        sent = post(
            client,
            who,
            c.order_number,
            status="shipped",
            carrier="inpost",
            tracking_number="6800 1234 5678",
            expected_date=expected,
            note="Paczka jest dobrze zabezpieczona.",
        )
        assert sent.status_code == 201, sent.text
        frame = ws.receive_json()
        while frame["type"] != "seller_message":
            frame = ws.receive_json()
    reply = sent.json()["reply"]
    assert reply["carrier"] == "InPost" and reply["tracking_number"] == "680012345678"
    assert frame["kind"] == "status" and frame["status"] == "shipped" and frame["question_id"] is None
    day = dt.date.fromisoformat(expected).strftime("%d.%m.%Y")
    text = frame["message"]["text"]
    assert text.startswith(f"Zamówienie {c.order_number} zostało wysłane: InPost, numer przesyłki 680012345678")
    assert day in text and "Notatka sprzedawcy: Paczka jest dobrze zabezpieczona." in text
    assert frame["message"]["sender"] == "seller"
    thread = client.get(f"{SELLER}/threads/{c.order_number}", headers=who.headers).json()
    status = [i for i in thread["items"] if i["type"] == "status"]
    assert status[-1]["status"] == "shipped" and status[-1]["expected_date"] == expected


@pytest.mark.parametrize("status", ["return_received", "repair_started", "repair_finished", "replacement_sent"])
def test_the_other_updates_need_no_shipping_details(client, status):
    number, seller_id = orders_of("tr-0009")[0]
    who = login(client, seller_id)
    sent = post(client, who, number, status=status)
    assert sent.status_code == 201, sent.text
    assert sent.json()["reply"]["status"] == status and sent.json()["reply"]["carrier"] is None
    # An order without questions gets a thread once the seller posts about it.
    assert client.get(f"{SELLER}/threads/{number}", headers=who.headers).status_code == 200


def test_only_for_the_sellers_own_orders(client):
    number, seller_id = orders_of("tr-0010")[0]
    theirs = login(client, other_seller("TR", seller_id))
    foreign = post(client, theirs, number, status="repair_started")
    unknown = post(client, theirs, "TR00000000", status="repair_started")
    nonsense = post(client, theirs, "DROP TABLE", status="repair_started")
    assert foreign.status_code == unknown.status_code == nonsense.status_code == 404
    assert foreign.json() == unknown.json() == nonsense.json()
    assert foreign.json()["detail"]["code"] == "unknown_order"
    # Checked before the body: a foreign order with a bad date is still a plain 404.
    assert post(client, theirs, number, status="shipped", expected_date="nope").status_code == 404
