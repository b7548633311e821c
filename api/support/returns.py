"""Returns: the 14-day window from delivery, what can't be returned, the return code, its states,
and the one re-submission a rejected return gets (a second rejection is for a person)."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.commerce.ownership import known_buyer, owned_order
from api.commerce.port import CommercePort, OrderDetail, OrderStatus
from api.errors import DomainError
from api.gateway.models import Attachment, Conversation
from api.helpdesk.business_calendar import calendar_for
from api.markets import market_config
from api.security.pii import mask_field
from api.support.common import delivered_scan, local_date
from api.support.models import ReturnRequest, ReturnState

HYGIENE_CATEGORIES = frozenset({"beauty"})  # opened cosmetics and personal care can't come back
REASONS = frozenset({"doesnt_fit", "changed_mind", "defective", "not_as_described", "other"})
SHIP_WITHIN_DAYS = 7
MAX_REJECTIONS_BEFORE_PERSON = 2


@dataclass(frozen=True)
class ItemEligibility:
    id: int
    name: str
    returnable: bool
    reason: str | None = None  # hygiene, already_requested
    return_code: str | None = None


@dataclass(frozen=True)
class Eligibility:
    order_number: str
    eligible: bool
    reason: str | None  # not_delivered, cancelled, returned, digital, window_closed, no_returnable_item
    deadline: dt.date | None
    items: list[ItemEligibility] = field(default_factory=list)


def _existing(session: Session, order: OrderDetail) -> dict[int, ReturnRequest]:
    rows = session.scalars(select(ReturnRequest).where(ReturnRequest.order_id == order.id)).all()
    return {r.order_item_id: r for r in rows if r.state != ReturnState.REJECTED}


def eligibility(session: Session, order: OrderDetail, now: dt.datetime) -> Eligibility:
    status = OrderStatus(order.status)
    delivered = delivered_scan(order)
    deadline = None
    if delivered is not None:
        days = int(market_config(order.market)["return_window_days"])
        deadline = local_date(order.market, delivered) + dt.timedelta(days=days)
    reason = None
    if order.is_digital:
        reason = "digital"
    elif status == OrderStatus.CANCELLED:
        reason = "cancelled"
    elif status == OrderStatus.RETURNED:
        reason = "returned"
    elif status != OrderStatus.DELIVERED or delivered is None:
        reason = "not_delivered"
    elif local_date(order.market, now) > deadline:
        reason = "window_closed"
    existing = _existing(session, order)
    items = []
    for item in order.lines:
        if item.id in existing:
            items.append(
                ItemEligibility(item.id, item.product_name, False, "already_requested", existing[item.id].code)
            )
        elif item.category in HYGIENE_CATEGORIES:
            items.append(ItemEligibility(item.id, item.product_name, False, "hygiene"))
        else:
            items.append(ItemEligibility(item.id, item.product_name, True))
    if reason is None and not any(i.returnable for i in items):
        reason = "no_returnable_item"
    return Eligibility(order.number, reason is None, reason, deadline, items)


def check(session: Session, commerce: CommercePort, buyer_id: str, number: str, now: dt.datetime) -> Eligibility:
    return eligibility(session, owned_order(commerce, buyer_id, number), now)


def _new_code(market: str) -> str:
    return f"RET-{market}-{secrets.randbelow(900_000) + 100_000}"


@dataclass(frozen=True)
class CreatedReturn:
    code: str
    order_number: str
    item: str
    carrier: str
    ship_by: dt.date
    state: str
    refund_after_acceptance: str


def create(
    session: Session,
    commerce: CommercePort,
    buyer_id: str,
    number: str,
    item_id: int | None,
    reason: str,
    note: str | None,
    conversation_id: str | None,
    now: dt.datetime,
) -> CreatedReturn:
    order = owned_order(commerce, buyer_id, number)
    checked = eligibility(session, order, now)
    if not checked.eligible:
        raise DomainError("not_returnable", 409, reason=checked.reason)
    returnable = [i for i in checked.items if i.returnable]
    if item_id is None:
        if len(returnable) != 1:
            raise DomainError("item_required", 422)
        item_id = returnable[0].id
    chosen = next((i for i in checked.items if i.id == item_id), None)
    if chosen is None:
        raise DomainError("unknown_item", 404)
    if not chosen.returnable:
        raise DomainError("not_returnable", 409, reason=chosen.reason, return_code=chosen.return_code)
    if reason not in REASONS:
        reason = "other"
    carrier = str(market_config(order.market)["return_carrier"])
    for _ in range(5):
        request = ReturnRequest(
            code=_new_code(order.market),
            market=order.market,
            buyer_id=buyer_id,
            order_id=order.id,
            order_item_id=item_id,
            reason=reason,
            note=(note or None) and mask_field(note, order.market.lower())[:2000],
            state=ReturnState.REQUESTED.value,
            carrier=carrier,
            created_at=now,
            updated_at=now,
            conversation_id=conversation_id,
        )
        session.add(request)
        try:
            session.commit()
            break
        except IntegrityError:
            session.rollback()
    else:
        raise RuntimeError("could not allocate a return code")
    ship_by = local_date(order.market, now) + dt.timedelta(days=SHIP_WITHIN_DAYS)
    refund_days = str(market_config(order.market)["refund_to_card_days"])
    return CreatedReturn(request.code, order.number, chosen.name, carrier, ship_by, request.state, refund_days)


@dataclass(frozen=True)
class ReturnView:
    code: str
    order_number: str
    item: str
    state: str
    created_at: dt.datetime
    updated_at: dt.datetime
    carrier: str
    refund_expected: dt.date | None
    refund_after_acceptance: str
    rejection_reason: str | None
    rejections: int
    can_resubmit: bool


def _view(request: ReturnRequest, order: OrderDetail, item: str) -> ReturnView:
    return ReturnView(
        code=request.code,
        order_number=order.number,
        item=item,
        state=request.state,
        created_at=request.created_at,
        updated_at=request.updated_at,
        carrier=request.carrier,
        refund_expected=request.refund_expected,
        refund_after_acceptance=str(market_config(order.market)["refund_to_card_days"]),
        rejection_reason=request.rejection_reason,
        rejections=request.rejections,
        can_resubmit=request.state == ReturnState.REJECTED and request.rejections < MAX_REJECTIONS_BEFORE_PERSON,
    )


def list_for(session: Session, commerce: CommercePort, buyer_id: str, state: str | None = None) -> list[ReturnView]:
    """The buyer's returns, newest first; ``state`` narrows to one state (e.g. rejected)."""
    known_buyer(commerce, buyer_id)
    query = (
        select(ReturnRequest)
        .where(ReturnRequest.buyer_id == buyer_id)
        .order_by(ReturnRequest.updated_at.desc(), ReturnRequest.id.desc())
    )
    if state:
        query = query.where(ReturnRequest.state == state)
    requests = session.scalars(query).all()
    orders = {o.id: o for o in commerce.order_details(sorted({r.order_id for r in requests}))}
    names = {(o.id, line.id): line.product_name for o in orders.values() for line in o.lines}
    return [
        _view(r, orders[r.order_id], names[r.order_id, r.order_item_id])
        for r in requests
        if (r.order_id, r.order_item_id) in names
    ]


@dataclass(frozen=True)
class Resubmission:
    code: str
    state: str
    attachments: int


def resubmit(
    session: Session, buyer_id: str, code: str, explanation: str, conversation_id: str | None, now: dt.datetime
) -> Resubmission:
    """Send a rejected return back to the seller once, with the buyer's explanation and the photos
    they uploaded in this conversation as evidence."""
    request = session.scalars(select(ReturnRequest).where(ReturnRequest.code == code.strip().upper())).first()
    if request is None or request.buyer_id != buyer_id:
        raise DomainError("return_not_found", 404)
    if request.state != ReturnState.REJECTED:
        raise DomainError("not_rejected", 409, state=request.state)
    if request.rejections >= MAX_REJECTIONS_BEFORE_PERSON:
        raise DomainError("resubmission_used", 409)
    explanation = explanation.strip()
    if not explanation:
        raise DomainError("explanation_required", 422)
    attachments: list[str] = []
    if conversation_id:
        # Only the buyer's own conversation: another buyer's photos must never become this one's evidence.
        attachments = list(
            session.scalars(
                select(Attachment.id)
                .join(Conversation, Conversation.id == Attachment.conversation_id)
                .where(Attachment.conversation_id == conversation_id, Conversation.buyer_id == buyer_id)
                .order_by(Attachment.id)
            )
        )
    request.state = ReturnState.REQUESTED.value
    request.resubmitted_at = now
    request.updated_at = now
    request.resubmission_text = mask_field(explanation, request.market.lower())[:4000]
    request.resubmission_attachments = attachments
    session.commit()
    return Resubmission(request.code, request.state, len(attachments))


def refund_date(market: str, accepted_at: dt.datetime) -> dt.date:
    """The last day the card refund should arrive after the seller accepted the item."""
    calendar = calendar_for(market)
    days = int(market_config(market)["refund_to_card_max_business_days"])
    return calendar.add_business_days(accepted_at, days).astimezone(calendar.zone).date()
