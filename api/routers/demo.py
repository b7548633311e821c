"""The demo page at ``/``, the list of demo buyers it lets a person sign in as, and its order-event button."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field
from sqlalchemy import func, select

from api.commerce.models import OPEN_STATUSES, Buyer, Order
from api.deps import SessionDep
from api.errors import error_responses
from api.gateway import buyer_tokens
from api.gateway.models import utcnow
from api.notices.demo import DemoEventError, advance, pick_order

STATIC = Path(__file__).resolve().parent.parent / "static"
router = APIRouter(tags=["demo"], responses=error_responses(404, 422))


def demo_sign_in_enabled(request: Request) -> None:
    """The demo sign-in lets anyone act as any buyer: it exists only where the settings allow it."""
    if not request.app.state.settings.demo_sign_in:
        raise HTTPException(404, detail={"code": "not_found"})


@router.get("/", include_in_schema=False)
def demo_page() -> FileResponse:
    return FileResponse(STATIC / "demo.html")


@router.get("/api/v1/demo/buyers", dependencies=[Depends(demo_sign_in_enabled)])
def demo_buyers(session: SessionDep, limit: int = 12) -> list[dict]:
    """A few buyers per market with their open-order counts, so a visitor can pick an interesting one."""
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
    per_market: dict[str, list[dict]] = {}
    for buyer, n in rows:
        bucket = per_market.setdefault(buyer.market, [])
        if len(bucket) < max(1, min(limit, 50)):
            bucket.append({"id": buyer.id, "name": buyer.name, "market": buyer.market, "open_orders": n})
    return [b for market in sorted(per_market) for b in per_market[market]]


@router.get("/api/v1/demo/buyer-token", dependencies=[Depends(demo_sign_in_enabled)])
def demo_buyer_token(buyer_id: str, session: SessionDep, request: Request) -> dict:
    """The demo page's stand-in for the marketplace's sign-in: a short-lived signed buyer token."""
    if session.get(Buyer, buyer_id) is None:
        raise HTTPException(404, detail={"code": "unknown_buyer"})
    return {"token": buyer_tokens.issue(buyer_id, request.app.state.settings.buyer_token_secret)}


class DemoEventIn(BaseModel):
    buyer_id: str = Field(max_length=32)
    action: Literal["ship", "out", "deliver", "delay", "return", "refund"] = "delay"


@router.post(
    "/api/v1/demo/events",
    status_code=201,
    dependencies=[Depends(demo_sign_in_enabled)],
    responses=error_responses(400, 413),
)
def demo_event(body: DemoEventIn, session: SessionDep) -> dict:
    """Move one of the buyer's demo orders along (``make demo-events`` from the page): the change
    goes to the commerce change feed, and the api's poll turns it into the buyer's notice."""
    try:
        order = pick_order(session, body.buyer_id, body.action)
    except DemoEventError:
        raise HTTPException(404, detail={"code": "no_fitting_order"}) from None
    change = advance(session, order, body.action, utcnow())
    return {"event_id": change.event_id, "order_number": change.order_number, "kind": change.kind}
