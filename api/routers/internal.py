"""Endpoints for the action server (service token). Actions hold no rules; these do."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Query, Request, status
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from api.commerce import tracking
from api.commerce.port import OrderView
from api.deps import CommerceDep, SessionDep, require_service_token
from api.errors import error_responses
from api.gateway.handoff_contract import HandoffEvent
from api.gateway.models import utcnow
from api.gateway.service import ChatError
from api.routers.attachments import attachment_service, file_response
from api.sellers.buyer_view import SellerThreadsOut, seller_threads
from api.support.common import SupportError

router = APIRouter(
    prefix="/api/v1/internal",
    tags=["internal"],
    dependencies=[Depends(require_service_token)],
    responses=error_responses(400, 401, 404, 409, 413, 422),
)


class TrackableOrdersOut(BaseModel):
    open_count: int
    orders: list[OrderView]


def _unknown_buyer() -> HTTPException:
    return HTTPException(status.HTTP_404_NOT_FOUND, detail={"code": "unknown_buyer"})


@router.get("/buyers/{buyer_id}/trackable-orders", response_model=TrackableOrdersOut)
def trackable_orders(buyer_id: str, commerce: CommerceDep) -> TrackableOrdersOut:
    if not commerce.buyer_exists(buyer_id):
        raise _unknown_buyer()
    result = tracking.trackable_orders(commerce, buyer_id)
    return TrackableOrdersOut(open_count=result.open_count, orders=result.orders)


@router.get("/buyers/{buyer_id}/orders/{order_number}", response_model=OrderView)
def track_order(buyer_id: str, order_number: str, commerce: CommerceDep) -> OrderView:
    if not commerce.buyer_exists(buyer_id):
        raise _unknown_buyer()
    try:
        return tracking.track(commerce, buyer_id, order_number)
    except tracking.TrackingError as exc:
        code = 422 if exc.code == "invalid_order_number" else 404
        raise HTTPException(code, detail={"code": exc.code, "message": exc.message}) from exc


@router.get("/buyers/{buyer_id}/seller-threads", response_model=SellerThreadsOut)
def buyer_seller_threads(
    buyer_id: str,
    session: SessionDep,
    order_number: str | None = Query(default=None, max_length=64, description="Only this order's thread."),
) -> SellerThreadsOut:
    """The buyer's own questions to sellers: latest question and deadline, latest answer, latest case
    update, escalation ticket (api/sellers/buyer_view.py); another buyer's order is 404 order_not_found."""
    try:
        return seller_threads(session, buyer_id, utcnow(), order_number)
    except SupportError as exc:
        raise HTTPException(exc.status, detail={"code": exc.code, **exc.details}) from exc


@router.get("/attachments/{attachment_id}")
async def staff_attachment(attachment_id: str, request: Request) -> FileResponse:
    """Staff tools (and the agent console to come) view any buyer's evidence image."""
    try:
        stored = await run_in_threadpool(attachment_service(request).open, None, attachment_id)
    except ChatError as exc:
        raise HTTPException(404, detail={"code": exc.code}) from exc
    return file_response(stored)


@router.post("/conversations/{conversation_id}/events")
async def conversation_event(conversation_id: str, event: HandoffEvent, request: Request) -> dict:
    """The human side's news for a buyer (queue place, agent joined/typing/said, bot back, CSAT request)."""
    try:
        frame = await run_in_threadpool(request.app.state.handoff.apply, conversation_id, event)
    except ChatError as exc:
        status_code = 404 if exc.code == "unknown_conversation" else 409
        raise HTTPException(status_code, detail={"code": exc.code}) from exc
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
    from api.security.erasure import ErasureError, erase_buyer

    with get_sessionmaker()() as session:
        try:
            report = erase_buyer(session, buyer_id, f"service:{body.requested_by}")
        except ErasureError as exc:
            raise HTTPException(status.HTTP_404_NOT_FOUND, detail={"code": exc.code}) from exc
    return dataclasses.asdict(report)
