"""Which orders each flow offers first (api/support/order_fit.py): unit rules per purpose, then the
endpoint on the demo buyers of both markets."""

from __future__ import annotations

import datetime as dt

import pytest

from api.commerce.port import OrderView
from api.support import order_fit
from tests.support.orders import order_view

NOW = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)
MARKETS = ["tr", "pl"]
BASE = "/api/v1/internal/buyers"


def order(number: str, status: str, *, days_ago: int, scans=(), digital: bool = False, market: str = "TR") -> OrderView:
    """An order placed ``days_ago``; ``scans`` are (code, days ago) pairs."""
    return order_view(number, status, now=NOW, days_ago=days_ago, scans=scans, digital=digital, market=market)


# Newest placed first, as the commerce port lists them: the reported edge (in transit newest).
IN_TRANSIT = order("TR00000001", "in_transit", days_ago=1, scans=[("accepted", 1), ("in_transit", 0)])
OUT_FOR_DELIVERY = order("TR00000002", "in_transit", days_ago=2, scans=[("accepted", 2), ("out_for_delivery", 0)])
PREPARING = order("TR00000003", "preparing", days_ago=2)
DIGITAL = order("TR00000004", "delivered", days_ago=3, digital=True)
DELIVERED_OLDER_SCAN = order("TR00000005", "delivered", days_ago=5, scans=[("accepted", 5), ("delivered", 4)])
DELIVERED_NEWER_SCAN = order("TR00000006", "delivered", days_ago=6, scans=[("accepted", 6), ("delivered", 1)])
DELIVERED_LONG_AGO = order("TR00000007", "delivered", days_ago=40, scans=[("accepted", 40), ("delivered", 38)])
CANCELLED = order("TR00000008", "cancelled", days_ago=41)
ALL = [IN_TRANSIT, OUT_FOR_DELIVERY, PREPARING, DIGITAL, DELIVERED_OLDER_SCAN, DELIVERED_NEWER_SCAN]
ALL += [DELIVERED_LONG_AGO, CANCELLED]


def offered(purpose: str) -> list[str]:
    return [o.number for o in order_fit.fitting(ALL, purpose, NOW)]


def test_delivered_not_received_offers_delivered_scans_newest_scan_first():
    assert offered("delivered") == ["TR00000006", "TR00000005", "TR00000007"]


def test_wrong_or_missing_item_offers_delivered_orders():
    assert offered("wrong_or_missing") == ["TR00000006", "TR00000005", "TR00000007"]


def test_damaged_offers_delivered_then_at_the_door():
    assert offered("damaged") == ["TR00000006", "TR00000005", "TR00000007", "TR00000002"]


def test_tracking_offers_shipped_first_then_preparing_then_recent_deliveries():
    assert offered("track") == ["TR00000001", "TR00000002", "TR00000003", "TR00000006", "TR00000005"]


def test_returns_offer_deliveries_within_the_market_window():
    assert offered("return") == ["TR00000006", "TR00000005"]  # 14 days in both markets; 38 days ago is out


def test_cancel_offers_preparing_first_then_in_the_carriers_hands():
    assert offered("cancel") == ["TR00000003", "TR00000001", "TR00000002"]


def test_digital_codes_offer_digital_orders_only():
    assert offered("digital") == ["TR00000004"]


def test_seller_offers_every_order_but_cancelled_ones():
    assert offered("seller") == [o.number for o in ALL if o is not CANCELLED]


@pytest.mark.parametrize("purpose", order_fit.PURPOSES)
def test_the_others_follow_so_every_order_stays_reachable(purpose):
    ranked = order_fit.rank(ALL, purpose, NOW)
    assert sorted(r.order.number for r in ranked) == sorted(o.number for o in ALL)
    fits = [r.fits for r in ranked]
    assert fits == sorted(fits, reverse=True)  # fitting first, never interleaved


def test_return_window_closes_after_the_last_day_in_the_market_zone():
    delivered = order("PL00000001", "delivered", days_ago=20, scans=[("delivered", 14)], market="PL")
    assert order_fit.fits(delivered, "return", NOW)
    assert not order_fit.fits(delivered, "return", NOW + dt.timedelta(days=1))


def candidates(client, headers, buyer: str, purpose: str) -> dict:
    response = client.get(f"{BASE}/{buyer}/orders", params={"purpose": purpose}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize("buyer", ["tr-0001", "pl-0002"])
def test_the_reported_edge_delivered_not_received_skips_the_newer_parcel_in_transit(client, service_headers, buyer):
    body = candidates(client, service_headers, buyer, "delivered")
    assert body["orders"] and {o["status"] for o in body["orders"]} == {"delivered"}
    assert body["others"] >= 1  # the in-transit one is still reachable by its number
    scans = [max(s["occurred_at"] for s in o["shipment"]["scans"] if s["code"] == "delivered") for o in body["orders"]]
    assert scans == sorted(scans, reverse=True)
    tracked = candidates(client, service_headers, buyer, "track")["orders"]
    assert tracked[0]["status"] in ("shipped", "in_transit", "at_pickup_point")


@pytest.mark.parametrize("m", MARKETS)
def test_flows_of_the_support_buyer_in_both_markets(client, service_headers, m):
    buyer = f"{m}-0004"
    digital = candidates(client, service_headers, buyer, "digital")
    assert digital["count"] == 3 and all(o["is_digital"] for o in digital["orders"])
    returnable = candidates(client, service_headers, buyer, "return")["orders"]
    assert returnable and all(not o["is_digital"] and o["status"] == "delivered" for o in returnable)
    assert len(returnable) == 2  # the 40-day-old delivery is outside the window
    assert [o["status"] for o in candidates(client, service_headers, buyer, "cancel")["orders"]] == ["preparing"]


@pytest.mark.parametrize("m", MARKETS)
def test_none_fit_but_others_are_counted(client, service_headers, m):
    body = candidates(client, service_headers, f"{m}-0006", "digital")
    assert body == {"count": 0, "others": 2, "orders": []}


def test_an_unknown_purpose_is_refused(client, service_headers):
    response = client.get(f"{BASE}/tr-0001/orders", params={"purpose": "anything"}, headers=service_headers)
    assert response.status_code == 422
