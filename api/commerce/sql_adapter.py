"""The default commerce adapter: the demo tables in the app database.

Its change feed is the ``commerce_changes`` table (written by ``python -m api.cli demo-events``):
``changes_since(cursor)`` returns the rows after the cursor (a row id), oldest first.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from api.commerce.models import Buyer, CommerceChange, Order, Shipment
from api.commerce.port import ChangeView, OrderView, ScanView, ShipmentView


def _to_view(order: Order) -> OrderView:
    shipment = None
    if order.shipment is not None:
        scans = [ScanView(code=e.code, location=e.location, occurred_at=e.occurred_at) for e in order.shipment.events]
        shipment = ShipmentView(
            carrier=order.shipment.carrier,
            tracking_code=order.shipment.tracking_code,
            pickup_point=order.shipment.pickup_point,
            delivered_to=order.shipment.delivered_to,
            last_scan=scans[-1] if scans else None,
            scans=scans,
        )
    return OrderView(
        number=order.number,
        market=order.market,
        buyer_id=order.buyer_id,
        status=order.status,
        placed_at=order.placed_at,
        estimated_delivery=order.estimated_delivery,
        currency=order.currency,
        total=order.total,
        items=[f"{i.quantity} × {i.product_name}" if i.quantity > 1 else i.product_name for i in order.items],
        is_digital=any(i.is_digital for i in order.items),
        shipment=shipment,
    )


class SqlCommerce:
    def __init__(self, session: Session) -> None:
        self._session = session

    def _query(self):
        return select(Order).options(
            selectinload(Order.items),
            selectinload(Order.shipment).selectinload(Shipment.events),
        )

    def get_order(self, number: str) -> OrderView | None:
        order = self._session.scalars(self._query().where(Order.number == number)).first()
        return _to_view(order) if order else None

    def list_orders(self, buyer_id: str) -> list[OrderView]:
        rows = self._session.scalars(
            self._query().where(Order.buyer_id == buyer_id).order_by(Order.placed_at.desc())
        ).all()
        return [_to_view(o) for o in rows]

    def buyer_exists(self, buyer_id: str) -> bool:
        return self._session.get(Buyer, buyer_id) is not None

    def changes_since(self, cursor: int, limit: int = 100) -> tuple[list[ChangeView], int]:
        rows = self._session.scalars(
            select(CommerceChange).where(CommerceChange.id > cursor).order_by(CommerceChange.id).limit(limit)
        ).all()
        changes = [
            ChangeView(
                event_id=r.event_id,
                order_number=r.order_number,
                kind=r.kind,
                occurred_at=r.occurred_at,
                payload=r.payload or {},
            )
            for r in rows
        ]
        return changes, (rows[-1].id if rows else cursor)
