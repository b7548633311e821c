"""The demo page at ``/``, the list of demo buyers it lets a person sign in as, and its order-event button."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field

from api.clock import utcnow
from api.deps import SessionDep
from api.errors import DomainError, error_responses
from api.gateway import demo_sign_in
from api.notices.demo import advance, pick_order

STATIC = Path(__file__).resolve().parent.parent / "static"
router = APIRouter(tags=["demo"], responses=error_responses(404, 422))


def demo_sign_in_enabled(request: Request) -> None:
    """The demo sign-in lets anyone act as any buyer: it exists only where the settings allow it."""
    if not request.app.state.settings.demo_sign_in:
        raise DomainError("not_found", 404)


@router.get("/", include_in_schema=False)
def demo_page() -> FileResponse:
    return FileResponse(STATIC / "demo.html")


@router.get("/api/v1/demo/buyers", dependencies=[Depends(demo_sign_in_enabled)])
def demo_buyers(session: SessionDep, limit: int = 12) -> list[dict]:
    """A few buyers per market with their open-order counts, so a visitor can pick an interesting one."""
    return demo_sign_in.buyers(session, limit)


@router.get("/api/v1/demo/buyer-token", dependencies=[Depends(demo_sign_in_enabled)])
def demo_buyer_token(buyer_id: str, session: SessionDep, request: Request) -> dict:
    """The demo page's stand-in for the marketplace's sign-in: a short-lived signed buyer token."""
    return {"token": demo_sign_in.token_for(session, buyer_id, request.app.state.settings.buyer_token_secret)}


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
    order = pick_order(session, body.buyer_id, body.action)
    change = advance(session, order, body.action, utcnow())
    return {"event_id": change.event_id, "order_number": change.order_number, "kind": change.kind}
