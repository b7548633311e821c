"""The support flows' rules through the internal api, on the demo fixtures of both markets."""

from __future__ import annotations

import datetime as dt

import pytest

BASE = "/api/v1/internal/buyers"
MARKETS = ["tr", "pl"]


@pytest.fixture(scope="module")
def app(own_database: str):
    """This module cancels the support buyers' preparing orders and opens returns: an app on a
    database of its own, so no other module sees the change."""
    from api.main import create_app

    return create_app()


def orders(client, headers, buyer: str, purpose: str) -> list[dict]:
    response = client.get(f"{BASE}/{buyer}/orders", params={"purpose": purpose}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["orders"]


def test_support_endpoints_need_the_service_token(client):
    assert client.get(f"{BASE}/tr-0004/wallet").status_code == 401
    assert client.post(f"{BASE}/tr-0004/complaints", json={"text": "x"}).status_code == 401


@pytest.mark.parametrize("m", MARKETS)
def test_cancel_before_shipping_refunds_to_the_wallet_once(client, service_headers, m):
    buyer = f"{m}-0004"
    cancellable = orders(client, service_headers, buyer, "cancel")
    assert [o["status"] for o in cancellable] == ["preparing"]
    number = cancellable[0]["number"]
    first = client.post(f"{BASE}/{buyer}/orders/{number}/cancel", headers=service_headers).json()
    assert first["outcome"] == "cancelled" and first["refund_amount"] == cancellable[0]["total"]
    assert dt.date.fromisoformat(first["refund_by"]) > dt.date.today()
    again = client.post(f"{BASE}/{buyer}/orders/{number}/cancel", headers=service_headers).json()
    assert again["outcome"] == "already_cancelled"
    wallet = client.get(f"{BASE}/{buyer}/wallet", headers=service_headers).json()
    assert [line["order_number"] for line in wallet["frozen"]].count(number) == 1


@pytest.mark.parametrize("m", MARKETS)
def test_shipped_and_delivered_orders_are_not_cancelled(client, service_headers, m):
    buyer = f"{m}-0002"
    by_status = {o["status"]: o["number"] for o in orders(client, service_headers, buyer, "track")}
    shipped = client.post(f"{BASE}/{buyer}/orders/{by_status['shipped']}/cancel", headers=service_headers).json()
    assert shipped["outcome"] == "shipped"
    listed = client.get(f"{BASE}/{buyer}/trackable-orders", headers=service_headers).json()
    assert any(o["number"] == by_status["shipped"] and o["status"] == "shipped" for o in listed["orders"])


def test_someone_elses_order_cannot_be_cancelled(client, service_headers):
    theirs = orders(client, service_headers, "tr-0002", "cancel")[0]["number"]
    response = client.post(f"{BASE}/tr-0001/orders/{theirs}/cancel", headers=service_headers)
    assert response.status_code == 404 and response.json()["detail"]["code"] == "order_not_found"
    bad = client.post(f"{BASE}/tr-0001/orders/12345/cancel", headers=service_headers)
    assert bad.status_code == 422 and bad.json()["detail"]["code"] == "invalid_order_number"


@pytest.mark.parametrize("m", MARKETS)
def test_return_window_hygiene_and_digital_rules(client, service_headers, m):
    buyer = f"{m}-0004"
    delivered = orders(client, service_headers, buyer, "delivered")  # offered for returns or typed
    verdicts = {}
    for order in delivered:
        body = client.get(f"{BASE}/{buyer}/orders/{order['number']}/return-eligibility", headers=service_headers)
        verdicts[order["number"]] = body.json()
    reasons = sorted(str(v["reason"]) for v in verdicts.values())
    assert reasons == sorted(["None", "window_closed", "no_returnable_item"])
    hygiene = next(v for v in verdicts.values() if v["reason"] == "no_returnable_item")
    assert {i["reason"] for i in hygiene["items"]} == {"hygiene"}
    digital = orders(client, service_headers, buyer, "digital")[0]["number"]
    body = client.get(f"{BASE}/{buyer}/orders/{digital}/return-eligibility", headers=service_headers).json()
    assert body["reason"] == "digital" and body["eligible"] is False


@pytest.mark.parametrize("m", MARKETS)
def test_a_return_gets_a_code_once_per_item(client, service_headers, m):
    buyer = f"{m}-0004"
    number = next(
        o["number"]
        for o in orders(client, service_headers, buyer, "return")
        if client.get(f"{BASE}/{buyer}/orders/{o['number']}/return-eligibility", headers=service_headers).json()[
            "eligible"
        ]
    )
    eligibility = client.get(f"{BASE}/{buyer}/orders/{number}/return-eligibility", headers=service_headers).json()
    item = next(i for i in eligibility["items"] if i["returnable"])
    body = {"order_number": number, "item_id": item["id"], "reason": "doesnt_fit"}
    created = client.post(f"{BASE}/{buyer}/returns", json=body, headers=service_headers)
    assert created.status_code == 201, created.text
    code = created.json()["code"]
    assert code.startswith(f"RET-{m.upper()}-") and created.json()["carrier"] in ("Yurtiçi Kargo", "InPost")
    again = client.post(f"{BASE}/{buyer}/returns", json=body, headers=service_headers)
    assert again.status_code == 409
    listed = client.get(f"{BASE}/{buyer}/returns", headers=service_headers).json()["returns"]
    assert any(r["code"] == code and r["state"] == "requested" for r in listed)
    other = client.get(f"{BASE}/{m}-0001/returns", headers=service_headers).json()["returns"]
    assert all(r["code"] != code for r in other)


@pytest.mark.parametrize("m", MARKETS)
def test_return_states_and_refund_dates(client, service_headers, m):
    listed = client.get(f"{BASE}/{m}-0005/returns", headers=service_headers).json()["returns"]
    states = {r["state"]: r for r in listed}
    assert set(states) == {"rejected", "accepted", "in_transit"}
    assert states["accepted"]["refund_expected"] is not None
    assert states["rejected"]["rejection_reason"] and states["rejected"]["can_resubmit"] is True


@pytest.mark.parametrize("m", MARKETS)
def test_a_rejected_return_is_resubmitted_once(client, service_headers, m):
    rejected = client.get(f"{BASE}/{m}-0005/returns", params={"state": "rejected"}, headers=service_headers).json()
    code = rejected["returns"][0]["code"]
    empty = client.post(f"{BASE}/{m}-0005/returns/{code}/resubmit", json={"explanation": "  "}, headers=service_headers)
    assert empty.status_code == 422
    foreign = client.post(
        f"{BASE}/{m}-0004/returns/{code}/resubmit", json={"explanation": "x"}, headers=service_headers
    )
    assert foreign.status_code == 404
    done = client.post(
        f"{BASE}/{m}-0005/returns/{code}/resubmit", json={"explanation": "Etiketi duruyor"}, headers=service_headers
    )
    assert done.status_code == 200 and done.json()["state"] == "requested"
    twice = client.post(f"{BASE}/{m}-0005/returns/{code}/resubmit", json={"explanation": "x"}, headers=service_headers)
    assert twice.json()["detail"]["code"] == "not_rejected"
    second = client.get(f"{BASE}/{m}-0006/returns", params={"state": "rejected"}, headers=service_headers).json()
    used = second["returns"][0]
    assert used["can_resubmit"] is False
    refused = client.post(
        f"{BASE}/{m}-0006/returns/{used['code']}/resubmit", json={"explanation": "x"}, headers=service_headers
    )
    assert refused.status_code == 409 and refused.json()["detail"]["code"] == "resubmission_used"


@pytest.mark.parametrize("m", MARKETS)
def test_digital_codes_follow_the_seed_table(client, service_headers, m):
    buyer = f"{m}-0004"
    digital = orders(client, service_headers, buyer, "digital")  # newest first: undelivered, fresh, activated
    assert len(digital) == 3
    undelivered, fresh, activated = (o["number"] for o in digital)

    def report(number: str, problem: str) -> dict:
        body = {"order_number": number, "problem": problem}
        response = client.post(f"{BASE}/{buyer}/digital-issues", json=body, headers=service_headers)
        assert response.status_code == 200, response.text
        return response.json()

    assert report(activated, "invalid")["outcome"] == "activated"
    refund = report(fresh, "invalid")
    assert refund["outcome"] == "refund_requested" and refund["reference"].startswith(m.upper() + "-")
    assert report(undelivered, "invalid")["outcome"] == "resent"
    physical = orders(client, service_headers, buyer, "delivery")[0]["number"]
    response = client.post(
        f"{BASE}/{buyer}/digital-issues", json={"order_number": physical, "problem": "invalid"}, headers=service_headers
    )
    assert response.status_code == 409


@pytest.mark.parametrize("m", MARKETS)
def test_wallet_causes(client, service_headers, m):
    causes = {
        b: [line["cause"] for line in client.get(f"{BASE}/{m}-{b}/wallet", headers=service_headers).json()["frozen"]]
        for b in ("0003", "0005", "0006")
    }
    assert causes == {"0003": ["promo_expired"], "0005": ["system_freeze"], "0006": ["security_hold", "promo_expired"]}
    first = client.post(f"{BASE}/{m}-0005/wallet/freeze-records", json={}, headers=service_headers).json()
    second = client.post(f"{BASE}/{m}-0005/wallet/freeze-records", json={}, headers=service_headers).json()
    assert first["created"] is True and second == {**first, "created": False}


@pytest.mark.parametrize("m", MARKETS)
def test_delivery_investigation_due_in_three_business_days(client, service_headers, m):
    buyer = f"{m}-0004"
    number = orders(client, service_headers, buyer, "delivery")[0]["number"]
    facts = client.get(f"{BASE}/{buyer}/orders/{number}/delivery", headers=service_headers).json()
    assert facts["delivered_at"] and facts["delivered_to"] and facts["location"]
    record = client.post(f"{BASE}/{buyer}/orders/{number}/investigations", json={}, headers=service_headers).json()
    due = dt.date.fromisoformat(record["due_date"])
    assert 3 <= (due - dt.date.today()).days <= 12 and due.weekday() < 5
    again = client.post(f"{BASE}/{buyer}/orders/{number}/investigations", json={}, headers=service_headers).json()
    assert again["reference"] == record["reference"] and again["existing"] is True


@pytest.mark.parametrize("m", MARKETS)
def test_damage_and_missing_item_records(client, service_headers, m):
    buyer = f"{m}-0005"
    number = orders(client, service_headers, buyer, "delivery")[0]["number"]
    bad = client.post(f"{BASE}/{buyer}/orders/{number}/damage-reports", json={"moment": "x"}, headers=service_headers)
    assert bad.status_code == 422
    damage = client.post(
        f"{BASE}/{buyer}/orders/{number}/damage-reports", json={"moment": "after_delivery"}, headers=service_headers
    ).json()
    missing = client.post(f"{BASE}/{buyer}/orders/{number}/missing-item-reports", json={}, headers=service_headers)
    assert missing.json()["reference"] != damage["reference"]


@pytest.mark.parametrize(
    ("m", "text", "reasons"),
    [
        ("tr", "Merhaba, beni 0532 123 45 67'den arayın", ["phone_number"]),
        ("tr", "whatsapp'tan yazın lütfen", ["social_handle"]),
        ("tr", "son fiyat ne olur, indirim yapar mısınız", ["bargaining"]),
        ("tr", "aras kargo ile gönderin lütfen", ["carrier_request"]),
        ("pl", "napisz na jan.kowalski@gmail.com", ["email"]),
        ("pl", "zobacz www.okazje-tanio.pl", ["link"]),
        ("pl", "jesteś oszustem", ["insult"]),
        ("pl", "wyślij przez DPD a nie InPost", ["carrier_request"]),
    ],
)
def test_blocked_seller_messages_say_why(client, service_headers, m, text, reasons):
    buyer = f"{m}-0001"
    number = orders(client, service_headers, buyer, "seller")[0]["number"]
    body = {"order_number": number, "text": text, "language": m}
    response = client.post(f"{BASE}/{buyer}/seller-messages", json=body, headers=service_headers)
    assert response.status_code == 422
    assert response.json()["detail"] == {"code": "message_blocked", "reasons": reasons}


@pytest.mark.parametrize(("m", "hours"), [("tr", 72), ("pl", 24)])
def test_seller_message_deadline_and_escalation(client, service_headers, m, hours):
    from api.commerce.sql_adapter import SqlCommerce
    from api.db import get_sessionmaker
    from api.support.seller_contact import escalate_overdue

    buyer = f"{m}-0001"
    number = orders(client, service_headers, buyer, "seller")[0]["number"]
    text = f"Merhaba, {number} numaralı sipariş hediye paketi yapılabilir mi?"
    sent = client.post(
        f"{BASE}/{buyer}/seller-messages",
        json={"order_number": number, "text": text, "language": m},
        headers=service_headers,
    )
    assert sent.status_code == 201, sent.text
    body = sent.json()
    due = dt.datetime.fromisoformat(body["answer_due"])
    assert body["answer_hours"] == hours and due - dt.datetime.now(dt.UTC) >= dt.timedelta(hours=hours - 1)
    from api.support.models import SellerMessage

    with get_sessionmaker()() as session:
        # Other messages (the demo seller inbox, other tests) may fall due first: only this one is checked.
        escalate_overdue(session, SqlCommerce(session), due - dt.timedelta(minutes=1))
        assert session.get(SellerMessage, body["id"], populate_existing=True).escalated_at is None
        escalated = escalate_overdue(session, SqlCommerce(session), due + dt.timedelta(minutes=1))
        mine = session.get(SellerMessage, body["id"], populate_existing=True)
        assert mine.escalated_at is not None and mine.ticket_reference in escalated
        assert escalate_overdue(session, SqlCommerce(session), due + dt.timedelta(minutes=2)) == []


@pytest.mark.parametrize("m", MARKETS)
def test_restrictions_by_type(client, service_headers, m):
    kinds = {
        b: [
            r["kind"]
            for r in client.get(f"{BASE}/{m}-{b}/restrictions", headers=service_headers).json()["restrictions"]
        ]
        for b in ("0001", "0004", "0005", "0006")
    }
    assert kinds == {"0001": [], "0004": ["order_block"], "0005": ["campaign"], "0006": ["suspension"]}


@pytest.mark.parametrize("m", MARKETS)
def test_complaint_gets_a_reference_and_the_market_bodies(client, service_headers, m):
    response = client.post(
        f"{BASE}/{m}-0003/complaints", json={"text": "<script>alert(1)</script> çok kötü"}, headers=service_headers
    )
    assert response.status_code == 201
    body = response.json()
    assert body["reference"].startswith(m.upper())
    assert ("CİMER" in body["bodies"]) if m == "tr" else ("UOKiK" in body["bodies"])
    empty = client.post(f"{BASE}/{m}-0003/complaints", json={"text": " "}, headers=service_headers)
    assert empty.status_code == 422
