"""The default commerce adapter: the demo tables in the app database (api/commerce/models.py).

Its change feed is the ``commerce_changes`` table (written by ``python -m api.cli demo-events``):
``changes_since(cursor)`` returns the rows after the cursor (a row id), oldest first.

It shares the request's session with the support records, and commits its own writes
(a cancellation with its refund line, a resent code) as one step each, as a marketplace's API would.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from api.commerce.models import (
    AccountRestriction,
    Buyer,
    CommerceChange,
    DigitalCode,
    Order,
    OrderItem,
    Shipment,
    WalletEntry,
)
from api.commerce.port import (
    BuyerView,
    ChangeView,
    DigitalCodeView,
    FreezeCause,
    OrderDetail,
    OrderLine,
    OrderStatus,
    OrderView,
    Restriction,
    ScanView,
    ShipmentView,
    WalletLine,
)


def _view_fields(order: Order) -> dict:
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
    return {
        "number": order.number,
        "market": order.market,
        "buyer_id": order.buyer_id,
        "status": order.status,
        "placed_at": order.placed_at,
        "estimated_delivery": order.estimated_delivery,
        "currency": order.currency,
        "total": order.total,
        "items": [f"{i.quantity} × {i.product_name}" if i.quantity > 1 else i.product_name for i in order.items],
        "is_digital": any(i.is_digital for i in order.items),
        "shipment": shipment,
    }


def _to_view(order: Order) -> OrderView:
    return OrderView(**_view_fields(order))


def _to_detail(order: Order) -> OrderDetail:
    return OrderDetail(
        **_view_fields(order),
        id=order.id,
        seller_id=order.seller_id,
        seller_name=order.seller.name,
        lines=[OrderLine(i.id, i.product_name, i.category, i.quantity, i.is_digital) for i in order.items],
    )


def _code_view(code: DigitalCode) -> DigitalCodeView:
    return DigitalCodeView(code.order_item_id, code.masked_code, code.delivered_at, code.activated_at, code.resent_at)


class SqlCommerce:
    def __init__(self, session: Session) -> None:
        self._session = session

    def _query(self):
        return select(Order).options(
            selectinload(Order.items),
            selectinload(Order.seller),
            selectinload(Order.shipment).selectinload(Shipment.events),
        )

    def _order(self, number: str) -> Order | None:
        return self._session.scalars(self._query().where(Order.number == number)).first()

    def get_order(self, number: str) -> OrderView | None:
        order = self._order(number)
        return _to_view(order) if order else None

    def order_detail(self, number: str) -> OrderDetail | None:
        order = self._order(number)
        return _to_detail(order) if order else None

    def order_details(self, ids: list[int]) -> list[OrderDetail]:
        if not ids:
            return []
        return [_to_detail(o) for o in self._session.scalars(self._query().where(Order.id.in_(list(ids)))).all()]

    def list_orders(self, buyer_id: str) -> list[OrderView]:
        rows = self._session.scalars(
            self._query().where(Order.buyer_id == buyer_id).order_by(Order.placed_at.desc())
        ).all()
        return [_to_view(o) for o in rows]

    def get_buyer(self, buyer_id: str) -> BuyerView | None:
        found = self._session.get(Buyer, buyer_id)
        return BuyerView(found.id, found.market, found.language) if found else None

    def cancel_order(self, number: str, refund_release: dt.datetime, now: dt.datetime) -> bool:
        order = self._session.scalars(select(Order).where(Order.number == number)).first()
        if order is None:
            return False
        # A conditional update: of two concurrent cancellations, only one changes the row.
        claimed = self._session.execute(
            update(Order)
            .where(Order.id == order.id, Order.status == OrderStatus.PREPARING.value)
            .values(status=OrderStatus.CANCELLED.value, estimated_delivery=None)
        ).rowcount
        if claimed != 1:
            self._session.rollback()
            return False
        self._session.add(
            WalletEntry(
                buyer_id=order.buyer_id,
                currency=order.currency,
                amount=order.total,
                kind="refund",
                frozen_cause=FreezeCause.PENDING_REFUND.value,
                order_number=order.number,
                created_at=now,
                expires_at=refund_release,
            )
        )
        self._session.commit()
        return True

    def _code(self, number: str, line_id: int) -> DigitalCode | None:
        return self._session.scalars(
            select(DigitalCode)
            .join(OrderItem, OrderItem.id == DigitalCode.order_item_id)
            .join(Order, Order.id == OrderItem.order_id)
            .where(Order.number == number, DigitalCode.order_item_id == line_id)
        ).first()

    def digital_code(self, number: str, line_id: int) -> DigitalCodeView | None:
        code = self._code(number, line_id)
        return _code_view(code) if code else None

    def resend_digital_code(self, number: str, line_id: int, now: dt.datetime) -> DigitalCodeView:
        code = self._code(number, line_id)
        if code is None:
            raise LookupError(f"no digital code for line {line_id} of {number}")
        code.resent_at = now
        code.delivered_at = code.delivered_at or now
        self._session.commit()
        return _code_view(code)

    def wallet_lines(self, buyer_id: str) -> list[WalletLine]:
        entries = self._session.scalars(
            select(WalletEntry).where(WalletEntry.buyer_id == buyer_id).order_by(WalletEntry.id)
        ).all()
        return [
            WalletLine(e.currency, e.amount, e.kind, e.frozen_cause, e.order_number, e.created_at, e.expires_at)
            for e in entries
        ]

    def active_restrictions(self, buyer_id: str) -> list[Restriction]:
        rows = self._session.scalars(
            select(AccountRestriction)
            .where(AccountRestriction.buyer_id == buyer_id, AccountRestriction.lifted_at.is_(None))
            .order_by(AccountRestriction.id)
        ).all()
        return [Restriction(r.kind, r.started_at) for r in rows]

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
