"""Support-flow endpoints for the action server (service token). Thin: every rule is in api/support/.

The marketplace's data comes through the commerce port (``CommerceDep``); a rule's refusal is a
``DomainError`` that the one handler (api/errors.py) answers.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from api.clock import utcnow
from api.db import get_sessionmaker
from api.deps import CommerceDep, SessionDep, require_service_token
from api.errors import error_responses
from api.helpdesk.live import announce_queued
from api.support import (
    account,
    cancel_order,
    complaint,
    delivery_issues,
    digital_codes,
    handoff_requests,
    moderation,
    order_fit,
    returns,
    seller_contact,
    wallet,
)
from api.support.order_fit import Purpose

router = APIRouter(
    prefix="/api/v1/internal",
    tags=["support"],
    dependencies=[Depends(require_service_token)],
    responses=error_responses(400, 401, 404, 409, 413, 422),
)


def _out(value: Any) -> Any:
    """Dataclasses to JSON-ready dicts; moments always in UTC, whichever zone a rule computed them in."""
    if dataclasses.is_dataclass(value):
        value = dataclasses.asdict(value)
    if isinstance(value, dict):
        return {k: _out(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_out(v) for v in value]
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC)
    return value


@router.get("/buyers/{buyer_id}/orders")
def candidate_orders(buyer_id: str, commerce: CommerceDep, purpose: Purpose = "track") -> dict:
    """The orders that fit the flow's purpose, best fit first (the bot turns them into buttons);
    ``others`` counts the buyer's orders that do not fit, still reachable by typing their number."""
    found = order_fit.candidates(commerce, buyer_id, purpose, utcnow())
    return {
        "count": found.count,
        "others": found.others,
        "orders": [o.model_dump(mode="json") for o in found.orders],
    }


@router.get("/buyers/{buyer_id}/orders/{order_number}/cancel")
def cancel_check(buyer_id: str, order_number: str, commerce: CommerceDep) -> dict:
    """What cancelling would answer now (``cancellable`` or the refusal), without cancelling: the bot
    asks "are you sure?" only for a cancellable order."""
    return _out(cancel_order.check(commerce, buyer_id, order_number))


@router.post("/buyers/{buyer_id}/orders/{order_number}/cancel")
def cancel(buyer_id: str, order_number: str, commerce: CommerceDep) -> dict:
    return _out(cancel_order.cancel(commerce, buyer_id, order_number, utcnow()))


@router.get("/buyers/{buyer_id}/orders/{order_number}/return-eligibility")
def return_eligibility(buyer_id: str, order_number: str, session: SessionDep, commerce: CommerceDep) -> dict:
    return _out(returns.check(session, commerce, buyer_id, order_number, utcnow()))


class ReturnIn(BaseModel):
    order_number: str = Field(max_length=64)
    item_id: int | None = None
    reason: str = Field(default="other", max_length=40)
    note: str | None = Field(default=None, max_length=2000)
    conversation_id: str | None = Field(default=None, max_length=64)


@router.post("/buyers/{buyer_id}/returns", status_code=201)
def create_return(buyer_id: str, body: ReturnIn, session: SessionDep, commerce: CommerceDep) -> dict:
    return _out(
        returns.create(
            session,
            commerce,
            buyer_id,
            body.order_number,
            body.item_id,
            body.reason,
            body.note,
            body.conversation_id,
            utcnow(),
        )
    )


@router.get("/buyers/{buyer_id}/returns")
def list_returns(
    buyer_id: str,
    session: SessionDep,
    commerce: CommerceDep,
    state: str | None = Query(default=None, max_length=20),
) -> dict:
    return {"returns": _out(returns.list_for(session, commerce, buyer_id, state))}


class ResubmitIn(BaseModel):
    explanation: str = Field(max_length=4000)
    conversation_id: str | None = Field(default=None, max_length=64)


@router.post("/buyers/{buyer_id}/returns/{code}/resubmit")
def resubmit_return(buyer_id: str, code: str, body: ResubmitIn, session: SessionDep) -> dict:
    return _out(returns.resubmit(session, buyer_id, code, body.explanation, body.conversation_id, utcnow()))


class DigitalIssueIn(BaseModel):
    order_number: str = Field(max_length=64)
    problem: str = Field(max_length=20)
    conversation_id: str | None = Field(default=None, max_length=64)


@router.post("/buyers/{buyer_id}/digital-issues")
def digital_issue(buyer_id: str, body: DigitalIssueIn, session: SessionDep, commerce: CommerceDep) -> dict:
    return _out(
        digital_codes.report(
            session, commerce, buyer_id, body.order_number, body.problem, body.conversation_id, utcnow()
        )
    )


@router.get("/buyers/{buyer_id}/wallet")
def wallet_summary(buyer_id: str, commerce: CommerceDep) -> dict:
    return _out(wallet.summary(commerce, buyer_id))


class ConversationRef(BaseModel):
    conversation_id: str | None = Field(default=None, max_length=64)


@router.post("/buyers/{buyer_id}/wallet/freeze-records")
def wallet_freeze_record(buyer_id: str, body: ConversationRef, session: SessionDep, commerce: CommerceDep) -> dict:
    return _out(wallet.open_freeze_record(session, commerce, buyer_id, body.conversation_id, utcnow()))


@router.get("/buyers/{buyer_id}/orders/{order_number}/delivery")
def delivery_facts(buyer_id: str, order_number: str, commerce: CommerceDep) -> dict:
    return _out(delivery_issues.facts(commerce, buyer_id, order_number))


@router.post("/buyers/{buyer_id}/orders/{order_number}/investigations")
def open_investigation(
    buyer_id: str, order_number: str, body: ConversationRef, session: SessionDep, commerce: CommerceDep
) -> dict:
    return _out(
        delivery_issues.open_investigation(session, commerce, buyer_id, order_number, body.conversation_id, utcnow())
    )


class DamageIn(ConversationRef):
    moment: str = Field(max_length=20)


@router.post("/buyers/{buyer_id}/orders/{order_number}/damage-reports")
def damage_report(buyer_id: str, order_number: str, body: DamageIn, session: SessionDep, commerce: CommerceDep) -> dict:
    return _out(
        delivery_issues.report_damage(
            session, commerce, buyer_id, order_number, body.moment, body.conversation_id, utcnow()
        )
    )


@router.post("/buyers/{buyer_id}/orders/{order_number}/missing-item-reports")
def missing_item_report(
    buyer_id: str, order_number: str, body: ConversationRef, session: SessionDep, commerce: CommerceDep
) -> dict:
    return _out(
        delivery_issues.report_missing(session, commerce, buyer_id, order_number, body.conversation_id, utcnow())
    )


class SellerMessageIn(ConversationRef):
    order_number: str = Field(max_length=64)
    text: str = Field(max_length=10_000)
    language: Literal["tr", "pl"] = "tr"
    topic: Literal["question", "wrong_item"] = "question"


@router.post("/buyers/{buyer_id}/seller-messages", status_code=201)
def seller_message(buyer_id: str, body: SellerMessageIn, session: SessionDep, commerce: CommerceDep) -> dict:
    return _out(
        seller_contact.send(
            session,
            commerce,
            buyer_id,
            body.order_number,
            body.text,
            body.language,
            body.conversation_id,
            utcnow(),
            body.topic,
        )
    )


class ModerationIn(BaseModel):
    text: str = Field(max_length=10_000)
    language: Literal["tr", "pl"] = "tr"


@router.post("/moderation/seller-message")
def moderate(body: ModerationIn) -> dict:
    """Check a draft before the bot confirms it, so the buyer can rephrase at once."""
    reasons = moderation.check(body.text, body.language)
    return {"allowed": not reasons, "reasons": reasons}


@router.get("/buyers/{buyer_id}/restrictions")
def restrictions(buyer_id: str, commerce: CommerceDep) -> dict:
    return {"restrictions": _out(account.active(commerce, buyer_id, utcnow()))}


class ComplaintIn(ConversationRef):
    text: str = Field(max_length=10_000)
    order_number: str | None = Field(default=None, max_length=64)


@router.post("/buyers/{buyer_id}/complaints", status_code=201)
def record_complaint(buyer_id: str, body: ComplaintIn, session: SessionDep, commerce: CommerceDep) -> dict:
    return _out(
        complaint.record(session, commerce, buyer_id, body.text, body.order_number, body.conversation_id, utcnow())
    )


class HandoffIn(BaseModel):
    conversation_id: str = Field(max_length=64)
    reason: str = Field(max_length=40)
    topic: str | None = Field(default=None, max_length=40)
    summary: str = Field(default="", max_length=4000)
    details: dict[str, str] = Field(default_factory=dict)


@router.post("/handoffs")
async def handoff(body: HandoffIn, request: Request) -> dict:
    """A person is needed: the live queue if someone can take it now, else a ticket."""

    def decide() -> dict:
        with get_sessionmaker()() as session:
            return _out(
                handoff_requests.request(
                    session,
                    conversation_id=body.conversation_id,
                    reason=body.reason,
                    topic=body.topic,
                    summary=body.summary,
                    details=body.details,  # masked, then cut to length, by handoff_requests
                    now=utcnow(),
                )
            )

    result = await run_in_threadpool(decide)
    if result["mode"] == "queued":
        await announce_queued(request.app.state.hub, body.conversation_id, result["position"], result["wait_seconds"])
    return result
