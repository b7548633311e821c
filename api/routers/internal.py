"""Endpoints for the action server (service token). Actions hold no rules; these do."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from api.clock import utcnow
from api.commerce import tracking
from api.commerce.port import OrderView
from api.deps import CommerceDep, SessionDep, require_service_token
from api.errors import error_responses
from api.gateway.handoff_contract import HandoffEvent
from api.routers.attachments import attachment_service, file_response
from api.sellers.buyer_view import SellerThreadsOut, seller_threads

router = APIRouter(
    prefix="/api/v1/internal",
    tags=["internal"],
    dependencies=[Depends(require_service_token)],
    responses=error_responses(400, 401, 404, 409, 413, 422),
)


class TrackableOrdersOut(BaseModel):
    open_count: int
    orders: list[OrderView]


@router.get("/buyers/{buyer_id}/trackable-orders", response_model=TrackableOrdersOut)
def trackable_orders(buyer_id: str, commerce: CommerceDep) -> TrackableOrdersOut:
    result = tracking.trackable_orders(commerce, buyer_id)
    return TrackableOrdersOut(open_count=result.open_count, orders=result.orders)


@router.get("/buyers/{buyer_id}/orders/{order_number}", response_model=OrderView)
def track_order(buyer_id: str, order_number: str, commerce: CommerceDep) -> OrderView:
    return tracking.track(commerce, buyer_id, order_number)


@router.get("/buyers/{buyer_id}/seller-threads", response_model=SellerThreadsOut)
def buyer_seller_threads(
    buyer_id: str,
    session: SessionDep,
    commerce: CommerceDep,
    order_number: str | None = Query(default=None, max_length=64, description="Only this order's thread."),
) -> SellerThreadsOut:
    """The buyer's own questions to sellers: latest question and deadline, latest answer, latest case
    update, escalation ticket (api/sellers/buyer_view.py); another buyer's order is 404 order_not_found."""
    return seller_threads(session, commerce, buyer_id, utcnow(), order_number)


@router.get("/attachments/{attachment_id}")
async def staff_attachment(attachment_id: str, request: Request) -> FileResponse:
    """Staff tools view any buyer's evidence image (the agent console has its own, audited route)."""
    stored = await run_in_threadpool(attachment_service(request).open, None, attachment_id)
    return file_response(stored)


@router.post("/conversations/{conversation_id}/events")
async def conversation_event(conversation_id: str, event: HandoffEvent, request: Request) -> dict:
    """The human side's news for a buyer (queue place, agent joined/typing/said, bot back, CSAT request)."""
    frame = await run_in_threadpool(request.app.state.handoff.apply, conversation_id, event)
    delivered = await request.app.state.hub.publish(conversation_id, frame)
    return {"frame": frame, "delivered_to": delivered}


class ErasureIn(BaseModel):
    requested_by: str = Field(min_length=1, max_length=60, description="Who asked (a person or a case id); audited.")


@router.post("/buyers/{buyer_id}/erasure")
def erase_buyer_data(buyer_id: str, body: ErasureIn) -> dict:
    """Right to erasure: the buyer's conversations go (app DB, image files, Rasa's tracker store), their
    words in kept support records are anonymised, orders stay; one audit row names the requester."""
    import dataclasses

    from api.db import get_sessionmaker
    from api.privacy.erasure import erase_buyer

    with get_sessionmaker()() as session:
        report = erase_buyer(session, buyer_id, f"service:{body.requested_by}")
    return dataclasses.asdict(report)
