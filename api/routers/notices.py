"""Proactive notices: the commerce webhook and the buyer's per-conversation switch.

POST /api/v1/internal/commerce-events   (Authorization: Bearer <service token>)
  -> {"event_id", "order_number", "kind", "occurred_at", "payload"?}
  <- 202 {"event_id", "duplicate": bool, "outcome": "notified" | "stale" | "opted_out" |
          "no_conversation" | "covered" | null}
  A real marketplace calls it on every order change (kinds: api/notices/models.EventKind). An
  event id already stored is answered with ``duplicate: true`` and changes nothing; an unknown
  order is 404 ``unknown_order``; bad input 422 (an unknown kind, ``occurred_at`` without a time
  zone, a payload without what the notice needs: ``shipped`` carrier + tracking_number, ``delayed``
  estimated_delivery as YYYY-MM-DD, ``ticket_answered`` ticket). Rules and design: api/notices/service.py.
GET  /api/v1/conversations/{id}/notices          (X-Conversation-Token) <- {"enabled": bool}
POST /api/v1/conversations/{id}/notices {"enabled": bool}               <- {"enabled": bool}
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Request
from pydantic import BaseModel, Field, field_validator, model_validator
from starlette.concurrency import run_in_threadpool

from api.clock import utcnow
from api.commerce.order_numbers import normalise
from api.commerce.port import ChangeView
from api.commerce.sql_adapter import SqlCommerce
from api.db import get_sessionmaker
from api.deps import ChatDep, conversation_by_token, require_service_token
from api.errors import DomainError, error_responses
from api.notices import service
from api.notices.models import EventKind

internal_router = APIRouter(
    prefix="/api/v1/internal",
    tags=["internal"],
    dependencies=[Depends(require_service_token)],
    responses=error_responses(400, 401, 404, 413, 422),
)
router = APIRouter(prefix="/api/v1/conversations", tags=["notices"], responses=error_responses(400, 404, 413, 422))

REQUIRED: dict[str, tuple[str, ...]] = {
    EventKind.SHIPPED: ("carrier", "tracking_number"),
    EventKind.DELAYED: ("estimated_delivery",),
    EventKind.TICKET_ANSWERED: ("ticket",),
}
EVENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")


class CommerceEventIn(BaseModel):
    event_id: str = Field(max_length=64, description="The marketplace's unique id of this event (idempotency key).")
    order_number: str = Field(max_length=32, description="The order, e.g. TR48213907.")
    kind: EventKind
    occurred_at: dt.datetime = Field(description="When it happened (with a time zone); orders events per order.")
    payload: dict[str, Any] = Field(
        default_factory=dict,
        description="shipped: carrier, tracking_number, estimated_delivery?; delayed: estimated_delivery; "
        "refunded: amount?; ticket_answered: ticket.",
    )

    @field_validator("event_id")
    @classmethod
    def _event_id(cls, value: str) -> str:
        if not EVENT_ID.match(value):
            raise ValueError("event_id: letters, digits and . _ : - only")
        return value

    @field_validator("occurred_at")
    @classmethod
    def _aware(cls, value: dt.datetime) -> dt.datetime:
        if value.tzinfo is None:
            raise ValueError("occurred_at needs a time zone")
        return value.astimezone(dt.UTC)

    @model_validator(mode="after")
    def _payload(self) -> CommerceEventIn:
        """What the buyer's notice needs must be there: no notice with a blank date or number."""
        needed = REQUIRED.get(self.kind, ())
        missing = [key for key in needed if not str(self.payload.get(key) or "").strip()]
        if missing:
            raise ValueError(f"payload needs {', '.join(missing)} for {self.kind}")
        if "estimated_delivery" in needed:
            try:
                dt.date.fromisoformat(str(self.payload["estimated_delivery"]))
            except ValueError:
                raise ValueError("payload.estimated_delivery: YYYY-MM-DD") from None
        return self


class CommerceEventOut(BaseModel):
    event_id: str
    duplicate: bool
    outcome: str | None


class NoticesIn(BaseModel):
    enabled: bool


class NoticesOut(BaseModel):
    enabled: bool


async def publish(request: Request, deliveries: list[service.Delivery]) -> None:
    for delivery in deliveries:
        await request.app.state.hub.publish(delivery.conversation_id, delivery.frame)


@internal_router.post("/commerce-events", response_model=CommerceEventOut, status_code=202)
async def commerce_event(body: CommerceEventIn, request: Request) -> CommerceEventOut:
    number = normalise(body.order_number)
    if number is None:
        raise DomainError("invalid_order_number", 422)
    change = ChangeView(
        event_id=body.event_id, order_number=number, kind=body.kind, occurred_at=body.occurred_at, payload=body.payload
    )

    def run() -> tuple[CommerceEventOut, list[service.Delivery]]:
        with get_sessionmaker()() as session:
            row, created, deliveries = service.receive(session, SqlCommerce(session), change, utcnow())
            return CommerceEventOut(event_id=row.event_id, duplicate=not created, outcome=row.outcome), deliveries

    out, deliveries = await run_in_threadpool(run)
    await publish(request, deliveries)
    return out


ConversationId = Annotated[str, Path(max_length=64)]


@router.get("/{conversation_id}/notices", response_model=NoticesOut)
async def get_notices(
    conversation_id: ConversationId, chat: ChatDep, x_conversation_token: Annotated[str | None, Header()] = None
) -> NoticesOut:
    conversation = await conversation_by_token(chat, conversation_id, x_conversation_token)
    return NoticesOut(enabled=not conversation.notices_off)


@router.post("/{conversation_id}/notices", response_model=NoticesOut)
async def set_notices(
    conversation_id: ConversationId,
    body: NoticesIn,
    chat: ChatDep,
    x_conversation_token: Annotated[str | None, Header()] = None,
) -> NoticesOut:
    conversation = await conversation_by_token(chat, conversation_id, x_conversation_token)

    def run() -> bool:
        with get_sessionmaker()() as session:
            return service.set_notices(session, conversation, body.enabled)

    return NoticesOut(enabled=await run_in_threadpool(run))
