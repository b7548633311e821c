"""The commerce port is the support rules' only way to the marketplace's data.

A marketplace plugs in its own adapter: here an in-memory one, written against the port alone,
serves the rules unchanged (tracking, order buttons, cancellation with its refund, wallet,
restrictions, delivery facts, digital codes), with the one ownership rule
(api/commerce/ownership.py) answering unknown and other buyers' orders alike. The rules import
nothing of the demo adapter's tables.
"""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from api.commerce import port, tracking
from api.commerce.ownership import owned_order
from api.commerce.port import BuyerView, DigitalCodeView, OrderDetail, OrderView, Restriction, WalletLine
from api.commerce.sql_adapter import SqlCommerce
from api.errors import DomainError
from api.support import account, cancel_order, delivery_issues, order_fit, wallet
from tests.support.orders import order_detail, order_view

ROOT = Path(__file__).resolve().parents[3]
NOW = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)  # a Monday
DEMO_ADAPTER = ("api.commerce.models", "api.commerce.sql_adapter")


class InMemoryCommerce:
    """A marketplace adapter written against the port only (what a real marketplace would write)."""

    def __init__(self) -> None:
        self.buyers = {"b1": BuyerView("b1", "TR", "tr"), "b2": BuyerView("b2", "TR", "tr")}
        self.orders: dict[str, OrderDetail] = {}
        self.codes: dict[tuple[str, int], DigitalCodeView] = {}
        self.wallet: dict[str, list[WalletLine]] = {"b1": [], "b2": []}
        self.restrictions = {"b1": [Restriction("campaign", NOW - dt.timedelta(days=1))], "b2": []}

    def add(self, number: str, buyer_id: str, status: str, *, delivered_days_ago: int | None = None) -> None:
        scans = [("delivered", delivered_days_ago)] if delivered_days_ago is not None else []
        view = order_view(
            number,
            status,
            now=NOW,
            days_ago=10,
            scans=scans,
            buyer_id=buyer_id,
            total="349.90",
            carrier="Aras Kargo",
            location="Kadıköy",
            delivered_to="Kapıcı",
        )
        self.orders[number] = order_detail(view, order_id=len(self.orders) + 1)

    def get_order(self, number: str) -> OrderView | None:
        found = self.orders.get(number)
        return found.view() if found else None

    def order_detail(self, number: str) -> OrderDetail | None:
        return self.orders.get(number)

    def order_details(self, ids: list[int]) -> list[OrderDetail]:
        return [o for o in self.orders.values() if o.id in ids]

    def list_orders(self, buyer_id: str) -> list[OrderView]:
        mine = [o.view() for o in self.orders.values() if o.buyer_id == buyer_id]
        return sorted(mine, key=lambda o: o.placed_at, reverse=True)

    def get_buyer(self, buyer_id: str) -> BuyerView | None:
        return self.buyers.get(buyer_id)

    def cancel_order(self, number: str, refund_release: dt.datetime, now: dt.datetime) -> bool:
        order = self.orders[number]
        if order.status != port.OrderStatus.PREPARING:
            return False
        self.orders[number] = order.model_copy(update={"status": port.OrderStatus.CANCELLED.value})
        cause = port.FreezeCause.PENDING_REFUND.value
        line = WalletLine("TRY", order.total, "refund", cause, number, now, refund_release)
        self.wallet[order.buyer_id].append(line)
        return True

    def digital_code(self, number: str, line_id: int) -> DigitalCodeView | None:
        return self.codes.get((number, line_id))

    def resend_digital_code(self, number: str, line_id: int, now: dt.datetime) -> DigitalCodeView:
        code = self.codes[number, line_id]
        self.codes[number, line_id] = dataclasses.replace(code, resent_at=now, delivered_at=code.delivered_at or now)
        return self.codes[number, line_id]

    def wallet_lines(self, buyer_id: str) -> list[WalletLine]:
        return list(self.wallet[buyer_id])

    def active_restrictions(self, buyer_id: str) -> list[Restriction]:
        return list(self.restrictions[buyer_id])

    def changes_since(self, cursor: int, limit: int = 100) -> tuple[list[port.ChangeView], int]:
        return [], cursor


def operations(cls: type) -> set[str]:
    return {name for name in vars(cls) if not name.startswith("_")}


@pytest.fixture
def market() -> InMemoryCommerce:
    commerce = InMemoryCommerce()
    commerce.add("TR10000001", "b1", "preparing")
    commerce.add("TR10000002", "b1", "delivered", delivered_days_ago=2)
    commerce.add("TR20000001", "b2", "preparing")
    return commerce


def test_both_adapters_offer_every_operation_of_the_port():
    wanted = operations(port.CommercePort)
    assert wanted <= operations(SqlCommerce)
    assert wanted <= operations(InMemoryCommerce)


# The support rules (not their demo seeding or their own tables), tracking, ownership and the router.
RULES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "api/support").glob("*.py"))
RULES = [p for p in RULES if p.rsplit("/", 1)[-1] not in ("demo_data.py", "models.py")]
RULES += ["api/commerce/tracking.py", "api/commerce/ownership.py", "api/routers/support.py"]


@pytest.mark.parametrize("path", RULES)
def test_the_rules_import_nothing_of_the_demo_adapter(path):
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not imported & set(DEMO_ADAPTER), path


def test_one_ownership_rule_unknown_and_someone_elses_order_look_the_same(market):
    assert owned_order(market, "b1", " tr-10000001 ").number == "TR10000001"
    with pytest.raises(DomainError) as foreign:
        owned_order(market, "b1", "TR20000001")
    with pytest.raises(DomainError) as unknown:
        owned_order(market, "b1", "TR99999999")
    assert (foreign.value.status, foreign.value.detail()) == (unknown.value.status, unknown.value.detail())
    assert foreign.value.detail() == {"code": "order_not_found"}
    with pytest.raises(DomainError) as malformed:
        owned_order(market, "b1", "12345")
    assert (malformed.value.code, malformed.value.status) == ("invalid_order_number", 422)
    with pytest.raises(DomainError) as tracked:
        tracking.track(market, "b1", "TR20000001")
    assert tracked.value.detail() == {
        "code": "order_not_found",
        "message": "No order with this number in the buyer's account.",
    }


def test_the_rules_run_on_another_marketplaces_adapter(market):
    assert [o.number for o in order_fit.candidates(market, "b1", "cancel", NOW).orders] == ["TR10000001"]
    assert tracking.track(market, "b1", "TR10000002").shipment.carrier == "Aras Kargo"

    first = cancel_order.cancel(market, "b1", "TR10000001", NOW)
    again = cancel_order.cancel(market, "b1", "TR10000001", NOW)
    assert (first.outcome, first.refund_amount, again.outcome) == ("cancelled", "349.90", "already_cancelled")
    with pytest.raises(DomainError):
        cancel_order.cancel(market, "b1", "TR20000001", NOW)  # someone else's: nothing changes
    assert market.orders["TR20000001"].status == "preparing"

    summary = wallet.summary(market, "b1")
    assert [(f.cause, f.amount, f.order_number) for f in summary.frozen] == [("pending_refund", "349.90", "TR10000001")]
    assert [r.kind for r in account.active(market, "b1", NOW)] == ["campaign"]
    facts = delivery_issues.facts(market, "b1", "TR10000002")
    assert (facts.carrier, facts.delivered_to, facts.location) == ("Aras Kargo", "Kapıcı", "Kadıköy")
    with pytest.raises(DomainError) as unknown_buyer:
        wallet.summary(market, "b9")
    assert (unknown_buyer.value.code, unknown_buyer.value.status) == ("unknown_buyer", 404)
