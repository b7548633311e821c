"""The demo page's stand-in for a marketplace sign-in: a few buyers to pick from and a buyer token
for the one picked. Only reachable where ``MD_DEMO_SIGN_IN`` allows it (api/routers/demo.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.commerce.models import Buyer, Order
from api.commerce.port import OPEN_STATUSES
from api.errors import DomainError
from api.gateway import buyer_tokens

MAX_PER_MARKET = 50


def buyers(session: Session, limit: int) -> list[dict[str, Any]]:
    """Up to ``limit`` buyers per market with their open-order counts, so a visitor can pick an interesting one."""
    open_count = (
        select(Order.buyer_id, func.count().label("n"))
        .where(Order.status.in_([s.value for s in OPEN_STATUSES]))
        .group_by(Order.buyer_id)
        .subquery()
    )
    rows = session.execute(
        select(Buyer, func.coalesce(open_count.c.n, 0))
        .outerjoin(open_count, open_count.c.buyer_id == Buyer.id)
        .order_by(Buyer.id)
    ).all()
    per_market: dict[str, list[dict[str, Any]]] = {}
    for buyer, n in rows:
        bucket = per_market.setdefault(buyer.market, [])
        if len(bucket) < max(1, min(limit, MAX_PER_MARKET)):
            bucket.append({"id": buyer.id, "name": buyer.name, "market": buyer.market, "open_orders": n})
    return [b for market in sorted(per_market) for b in per_market[market]]


def token_for(session: Session, buyer_id: str, secret: str) -> str:
    """A short-lived signed buyer token; 404 ``unknown_buyer``."""
    if session.get(Buyer, buyer_id) is None:
        raise DomainError("unknown_buyer", 404)
    return buyer_tokens.issue(buyer_id, secret)
