"""The action server's view of orders: service token, ownership, formats."""

from __future__ import annotations

import pytest

BASE = "/api/v1/internal/buyers"


def trackable(client, headers, buyer: str) -> dict:
    response = client.get(f"{BASE}/{buyer}/trackable-orders", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "test-service-token"}])
def test_internal_endpoints_need_the_service_token(client, headers):
    response = client.get(f"{BASE}/tr-0001/trackable-orders", headers=headers)
    assert response.status_code == 401


@pytest.mark.parametrize(("buyer", "open_count"), [("tr-0001", 1), ("tr-0002", 3), ("pl-0001", 1), ("pl-0002", 3)])
def test_open_orders_are_offered(client, service_headers, buyer, open_count):
    body = trackable(client, service_headers, buyer)
    assert body["open_count"] == open_count
    assert len(body["orders"]) == open_count
    assert all(o["buyer_id"] == buyer for o in body["orders"])


@pytest.mark.parametrize("buyer", ["tr-0003", "pl-0003"])
def test_without_open_orders_the_recent_ones_are_offered(client, service_headers, buyer):
    body = trackable(client, service_headers, buyer)
    assert body["open_count"] == 0
    assert 1 <= len(body["orders"]) <= 3
    placed = [o["placed_at"] for o in body["orders"]]
    assert placed == sorted(placed, reverse=True)


def test_own_order_is_tracked_with_shipment_details(client, service_headers):
    order = trackable(client, service_headers, "tr-0001")["orders"][0]
    response = client.get(f"{BASE}/tr-0001/orders/{order['number']}", headers=service_headers)
    assert response.status_code == 200
    body = response.json()
    assert body["shipment"]["carrier"] in {"Yurtiçi Kargo", "Aras Kargo", "HepsiJET", "DHL"}
    assert body["shipment"]["tracking_code"]
    assert body["shipment"]["last_scan"]["location"]


@pytest.mark.parametrize("variant", ["{n}", "{l}", "{p} {d}", "{p}-{d}", " {n} "])
def test_buyers_typing_variants_are_accepted(client, service_headers, variant):
    number = trackable(client, service_headers, "pl-0001")["orders"][0]["number"]
    typed = variant.format(n=number, l=number.lower(), p=number[:2], d=number[2:])
    response = client.get(f"{BASE}/pl-0001/orders/{typed}", headers=service_headers)
    assert response.status_code == 200
    assert response.json()["number"] == number


def test_another_buyers_order_looks_exactly_like_an_unknown_one(client, service_headers):
    foreign = trackable(client, service_headers, "tr-0002")["orders"][0]["number"]
    seen = client.get(f"{BASE}/tr-0001/orders/{foreign}", headers=service_headers)
    unknown = client.get(f"{BASE}/tr-0001/orders/TR00000000", headers=service_headers)
    assert seen.status_code == unknown.status_code == 404
    assert seen.json() == unknown.json()
    assert seen.json()["detail"]["code"] == "order_not_found"
    assert foreign not in seen.text


@pytest.mark.parametrize("typed", ["12345678", "TR1234567", "XX12345678", "TR123456789", "<script>"])
def test_malformed_numbers_are_rejected_as_such(client, service_headers, typed):
    response = client.get(f"{BASE}/tr-0001/orders/{typed}", headers=service_headers)
    assert response.status_code == 422
    assert response.json()["detail"]["code"] == "invalid_order_number"


def test_unknown_buyer(client, service_headers):
    assert client.get(f"{BASE}/tr-9999/trackable-orders", headers=service_headers).status_code == 404
    assert client.get(f"{BASE}/tr-9999/orders/TR12345678", headers=service_headers).status_code == 404
