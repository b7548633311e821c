"""Order values for unit tests of the rules: the commerce port's types (api/commerce/port.py), no database.

``order_view`` is what ``list_orders`` returns (the order buttons, tracking); ``order_detail`` adds the
lines and the seller the support rules decide on (``order_detail`` of the port).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from api.commerce.port import OrderDetail, OrderLine, OrderView, ScanView, ShipmentView


def order_view(
    number: str,
    status: str,
    *,
    now: dt.datetime,
    days_ago: int,
    scans: Sequence[tuple[str, int]] = (),
    digital: bool = False,
    market: str = "TR",
    buyer_id: str = "b",
    carrier: str = "C",
    location: str = "X",
    delivered_to: str | None = None,
    total: str = "1",
) -> OrderView:
    """An order placed ``days_ago`` before ``now``; ``scans`` are (scan code, days ago) pairs, oldest first."""
    shipment = None
    if scans:
        views = [ScanView(code=c, location=location, occurred_at=now - dt.timedelta(days=d)) for c, d in scans]
        shipment = ShipmentView(
            carrier=carrier, tracking_code="T", delivered_to=delivered_to, last_scan=views[-1], scans=views
        )
    return OrderView(
        number=number,
        market=market,
        buyer_id=buyer_id,
        status=status,
        placed_at=now - dt.timedelta(days=days_ago),
        estimated_delivery=None,
        currency="TRY" if market == "TR" else "PLN",
        total=Decimal(total),
        items=["x"],
        is_digital=digital,
        shipment=shipment,
    )


def order_detail(view: OrderView, *, order_id: int, seller: tuple[str, str] = ("s1", "Seller")) -> OrderDetail:
    """``view`` with one line (line id = order id) and its seller."""
    line = OrderLine(order_id, view.items[0], "electronics", 1, view.is_digital)
    return OrderDetail(**dict(view), id=order_id, seller_id=seller[0], seller_name=seller[1], lines=[line])
