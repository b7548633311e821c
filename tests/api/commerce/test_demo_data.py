"""The demo data set: deterministic, realistic in shape, and with the fixture buyers tests rely on."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import String, create_engine, func, select
from sqlalchemy.orm import Session

from api.commerce import demo_data
from api.commerce.models import Buyer, Order, Seller, Shipment, ShipmentEvent
from api.commerce.order_numbers import ORDER_NUMBER_RE
from api.commerce.port import OPEN_STATUSES, Market, OrderStatus, ScanCode
from api.db import Base

SEED = 7
TODAY = dt.date(2026, 4, 10)  # the 60-day history crosses Poland's switch to summer time
LOCAL_TZ = {"TR": ZoneInfo("Europe/Istanbul"), "PL": ZoneInfo("Europe/Warsaw")}
CARRIERS = {
    "TR": {"Yurtiçi Kargo", "Aras Kargo", "HepsiJET", "DHL"},
    "PL": {"InPost", "DPD", "Poczta Polska", "DHL"},
}
TRACKING_RE = {
    "Yurtiçi Kargo": r"\d{12}",
    "Aras Kargo": r"\d{13}",
    "HepsiJET": r"HJ\d{10}",
    "DHL": r"\d{10}",
    "InPost": r"\d{24}",
    "DPD": r"\d{13}[A-Z]",
    "Poczta Polska": r"PX\d{9}PL|\d{20}",
}
CATEGORIES = {"electronics", "fashion", "home", "beauty", "books", "toys", "sports", "games"}
SCAN_ORDER = list(ScanCode)
LAST_SCANS = {
    OrderStatus.SHIPPED: {ScanCode.ACCEPTED, ScanCode.AT_HUB},
    OrderStatus.IN_TRANSIT: {ScanCode.IN_TRANSIT, ScanCode.OUT_FOR_DELIVERY},
    OrderStatus.AT_PICKUP_POINT: {ScanCode.AT_PICKUP_POINT},
    OrderStatus.DELIVERED: {ScanCode.DELIVERED},
    OrderStatus.RETURNED: {ScanCode.RETURNED_TO_SENDER},
}


def _generate(seed: int = SEED, today: dt.date = TODAY) -> tuple[Session, demo_data.DemoSummary]:
    """Generate into a fresh in-memory database and return a new session reading it back."""
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        summary = demo_data.generate(session, seed=seed, today=today)
        session.commit()
    return Session(engine), summary


def _utc(value: dt.datetime) -> dt.datetime:
    """SQLite hands aware datetimes back naive; they were stored as UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def generated():
    session, summary = _generate()
    yield session, summary
    session.close()


@pytest.fixture(scope="module")
def orders(generated) -> list[Order]:
    session, _ = generated
    return list(session.scalars(select(Order).order_by(Order.id)))


def _dump(session: Session) -> list[tuple]:
    rows = []
    for table in Base.metadata.sorted_tables:
        rows.extend((table.name, *row) for row in session.execute(select(table).order_by(*table.primary_key)))
    return rows


def test_same_seed_and_day_give_identical_rows():
    first, _ = _generate()
    second, _ = _generate()
    with first, second:
        key = (Order.number, Order.status, Shipment.carrier, Shipment.tracking_code)
        query = select(*key).outerjoin(Shipment).order_by(Order.id)
        assert first.execute(query).all() == second.execute(query).all()
        assert _dump(first) == _dump(second)


def test_another_seed_gives_other_data():
    first, _ = _generate(seed=1)
    second, _ = _generate(seed=2)
    with first, second:
        numbers = select(Order.number).order_by(Order.id)
        assert first.scalars(numbers).all() != second.scalars(numbers).all()


def test_counts(generated, orders):
    session, summary = generated
    buyers = Counter(session.scalars(select(Buyer.market)))
    assert buyers["TR"] >= 50
    assert buyers["PL"] >= 50
    assert len(orders) >= 500
    assert summary.buyers_per_market == dict(buyers)
    assert summary.orders_per_market == dict(Counter(o.market for o in orders))
    assert summary.orders_per_status == {s.value: sum(o.status == s for o in orders) for s in OrderStatus}
    assert summary.total_orders == len(orders)
    assert summary.shipments == session.scalar(select(func.count()).select_from(Shipment))
    assert set(summary.sellers_per_market) == {"TR", "PL"}


def test_buyers_and_sellers_belong_to_their_market(generated):
    session, _ = generated
    for buyer in session.scalars(select(Buyer)):
        assert re.fullmatch(rf"{buyer.market.lower()}-\d{{4}}", buyer.id)
        assert buyer.language == buyer.market.lower()
        assert buyer.city in {
            city.name for data in demo_data.MARKETS if data.market == buyer.market for city in data.cities
        }
        assert 1 <= len(buyer.orders) <= 9
    for seller in session.scalars(select(Seller)):
        assert re.fullmatch(rf"{seller.market.lower()}-s-\d{{2}}", seller.id)
    names = session.scalars(select(Buyer.name)).all()
    assert len(set(names)) == len(names)


def test_every_status_in_both_markets(orders):
    for market in Market:
        statuses = {o.status for o in orders if o.market == market}
        assert statuses == {s.value for s in OrderStatus}, market


def test_status_mix_roughly_as_specified(orders):
    share = Counter(o.status for o in orders)
    assert share["delivered"] / len(orders) == pytest.approx(0.45, abs=0.03)
    pickup = Counter(o.market for o in orders if o.status == "at_pickup_point")
    assert pickup["PL"] > pickup["TR"] > 0


def test_carriers_per_market(orders):
    for order in orders:
        if order.shipment:
            assert order.shipment.carrier in CARRIERS[order.market]
    for market, carriers in CARRIERS.items():
        assert {o.shipment.carrier for o in orders if o.shipment and o.market == market} == carriers


def test_tracking_codes_unique_and_in_carrier_style(orders):
    codes = [o.shipment.tracking_code for o in orders if o.shipment]
    assert len(set(codes)) == len(codes)
    for order in orders:
        if order.shipment:
            assert re.fullmatch(TRACKING_RE[order.shipment.carrier], order.shipment.tracking_code)


def test_order_numbers(orders):
    numbers = [o.number for o in orders]
    assert len(set(numbers)) == len(numbers)
    for order in orders:
        assert ORDER_NUMBER_RE.match(order.number)
        assert re.fullmatch(r"(TR|PL)\d{8}", order.number)
        assert order.number.startswith(order.market)


@pytest.mark.parametrize(
    ("buyer_id", "open_statuses"),
    [
        ("tr-0001", ["in_transit"]),
        ("tr-0002", ["at_pickup_point", "preparing", "shipped"]),
        ("tr-0003", []),
        ("pl-0001", ["at_pickup_point"]),
        ("pl-0002", ["in_transit", "preparing", "shipped"]),
        ("pl-0003", []),
    ],
)
def test_fixture_buyers(generated, buyer_id, open_statuses):
    session, _ = generated
    buyer = session.get(Buyer, buyer_id)
    open_orders = [o for o in buyer.orders if o.status in OPEN_STATUSES]
    assert sorted(o.status for o in open_orders) == open_statuses
    closed = [o for o in buyer.orders if o.status not in OPEN_STATUSES]
    assert closed
    assert all(o.status in {"delivered", "cancelled", "returned"} for o in closed)
    for order in open_orders:
        if order.status != "preparing":
            assert order.shipment is not None
            assert order.shipment.events


def test_fixture_details(generated):
    session, _ = generated
    tr1 = session.get(Buyer, "tr-0001")
    assert sorted(o.status for o in tr1.orders) == ["delivered", "delivered", "in_transit"]
    (parcel,) = [o for o in session.get(Buyer, "pl-0001").orders if o.status == "at_pickup_point"]
    assert parcel.shipment.carrier == "InPost"
    assert parcel.shipment.pickup_point.startswith("Paczkomat ")
    assert parcel.shipment.events[-1].code == "at_pickup_point"


def test_events_chronological_and_consistent_with_status(orders):
    _check_events(orders, TODAY)


def _check_events(orders: list[Order], today: dt.date) -> None:
    ceiling = dt.datetime.combine(today, dt.time(23, 59), tzinfo=dt.UTC)
    for order in orders:
        shipment = order.shipment
        if shipment is None:
            continue
        events = shipment.events
        codes = [ScanCode(e.code) for e in events]
        times = [_utc(e.occurred_at) for e in events]
        assert codes[0] == ScanCode.ACCEPTED, order.number
        assert times == sorted(times), order.number
        assert len(set(times)) == len(times), order.number
        assert [SCAN_ORDER.index(c) for c in codes] == sorted({SCAN_ORDER.index(c) for c in codes})
        assert _utc(order.placed_at) < times[0], order.number
        assert times[-1] <= ceiling, order.number
        assert codes[-1] in LAST_SCANS[OrderStatus(order.status)], order.number
        assert (shipment.delivered_to is not None) == (ScanCode.DELIVERED in codes), order.number
        if ScanCode.AT_PICKUP_POINT in codes:
            assert shipment.pickup_point
            assert events[codes.index(ScanCode.AT_PICKUP_POINT)].location == shipment.pickup_point
        if order.status == "delivered":
            assert codes[-1] == ScanCode.DELIVERED
        if codes[-1] == ScanCode.OUT_FOR_DELIVERY:  # went out this morning, not days ago
            assert times[-1].astimezone(LOCAL_TZ[order.market]).date() == today, order.number


def test_which_orders_have_shipments(orders):
    for order in orders:
        digital = any(item.is_digital for item in order.items)
        if digital or order.status in ("preparing", "cancelled"):
            assert order.shipment is None, order.number
        else:
            assert order.shipment is not None, order.number


def test_digital_orders(orders):
    digital = [o for o in orders if any(item.is_digital for item in o.items)]
    assert 0.05 <= len(digital) / len(orders) <= 0.12
    for order in digital:
        assert order.shipment is None
        assert order.status == "delivered"
        assert all(item.is_digital and item.category == "games" for item in order.items)
    assert all(not item.is_digital for o in orders if o not in digital for item in o.items)


def test_items_and_totals(orders):
    currency = {"TR": "TRY", "PL": "PLN"}
    for order in orders:
        assert order.currency == currency[order.market]
        assert 1 <= len(order.items) <= 3
        assert order.total == sum(item.quantity * item.unit_price for item in order.items)
        for item in order.items:
            assert item.unit_price > 0
            assert item.unit_price == item.unit_price.quantize(Decimal("0.01"))
            assert item.category in CATEGORIES


def test_dates(orders):
    _check_dates(orders, TODAY)


def _check_dates(orders: list[Order], today: dt.date) -> None:
    for order in orders:
        local = _utc(order.placed_at).astimezone(LOCAL_TZ[order.market])
        assert 7 <= local.hour < 23, order.number
        assert today - dt.timedelta(days=60) <= local.date() <= today, order.number
        if order.status in OPEN_STATUSES:
            assert local.date() >= today - dt.timedelta(days=10), order.number
            assert today <= order.estimated_delivery <= today + dt.timedelta(days=6), order.number
        elif order.status == "delivered":
            assert order.estimated_delivery is not None
        elif order.status == "cancelled":
            assert order.estimated_delivery is None


@pytest.mark.parametrize(
    ("seed", "today"),
    [(1, dt.date(2025, 3, 30)), (2, dt.date(2025, 10, 26)), (3, dt.date(2024, 2, 29))],
)
def test_other_seeds_and_days_keep_the_rules(seed, today):
    """DST switch days and a leap day, with other random streams."""
    session, _ = _generate(seed=seed, today=today)
    with session:
        orders = list(session.scalars(select(Order)))
        _check_events(orders, today)
        _check_dates(orders, today)
        for buyer_id, expected in (
            ("tr-0001", 1),
            ("tr-0002", 3),
            ("tr-0003", 0),
            ("pl-0001", 1),
            ("pl-0002", 3),
            ("pl-0003", 0),
        ):
            buyer = session.get(Buyer, buyer_id)
            assert sum(o.status in OPEN_STATUSES for o in buyer.orders) == expected


def test_door_deliveries_happen_in_daytime(orders):
    for order in orders:
        for event in order.shipment.events if order.shipment else ():
            if event.code == "out_for_delivery":
                assert 7 <= _utc(event.occurred_at).astimezone(LOCAL_TZ[order.market]).hour < 12


def test_strings_fit_their_columns(generated):
    session, _ = generated
    for model in (Buyer, Seller, Order, Shipment, ShipmentEvent):
        columns = [c for c in model.__table__.columns if isinstance(c.type, String) and c.type.length]
        for row in session.scalars(select(model)):
            for column in columns:
                value = getattr(row, column.key)
                assert value is None or len(value) <= column.type.length, (model.__name__, column.key, value)
