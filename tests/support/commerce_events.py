"""Commerce events as the marketplace posts them to the webhook (tests/api/notices), and the notices
a buyer's conversation shows for them."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select

from ops.servers import SERVICE_TOKEN
from tests.support.conversations import history

SERVICE = {"Authorization": f"Bearer {SERVICE_TOKEN}"}
URL = "/api/v1/internal/commerce-events"
T0 = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)


def an_order(buyer: str, statuses: tuple[str, ...] = ("preparing",)) -> str:
    from api.commerce.models import Order
    from api.db import get_sessionmaker

    with get_sessionmaker()() as session:
        number = session.scalar(
            select(Order.number).where(Order.buyer_id == buyer, Order.status.in_(statuses)).limit(1)
        )
    assert number, f"{buyer} has no order in {statuses}"
    return number


def event(order: str, kind: str, at: dt.datetime = T0, **payload) -> dict:
    return {
        "event_id": f"ev-{uuid.uuid4().hex}",
        "order_number": order,
        "kind": kind,
        "occurred_at": at.isoformat(),
        "payload": payload,
    }


def notices(client, conv: dict) -> list[dict]:
    return [m for m in history(client, conv) if m["sender"] == "notice"]
