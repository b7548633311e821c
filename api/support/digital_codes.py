"""Digital codes (game codes, licence keys, gift cards), decided as the seed's table says:
an activated code is not refundable; an invalid one is, with a screenshot of the error;
an undelivered one is sent again (or refunded). Reports within 24 h of delivery go faster."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from api.commerce.ownership import owned_order
from api.commerce.port import CommercePort
from api.errors import DomainError
from api.helpdesk.models import Priority
from api.helpdesk.tickets import open_ticket

FAST_LANE = dt.timedelta(hours=24)
PROBLEMS = frozenset({"invalid", "not_received"})


@dataclass(frozen=True)
class CodeOutcome:
    outcome: str  # resent, activated, refund_requested
    order_number: str
    product: str
    masked_code: str
    delivered_at: dt.datetime | None
    activated_at: dt.datetime | None
    within_24h: bool
    reference: str | None = None


def report(
    session: Session,
    commerce: CommercePort,
    buyer_id: str,
    number: str,
    problem: str,
    conversation_id: str | None,
    now: dt.datetime,
) -> CodeOutcome:
    if problem not in PROBLEMS:
        raise DomainError("unknown_problem", 422)
    order = owned_order(commerce, buyer_id, number)
    item = next((line for line in order.lines if line.is_digital), None)
    if item is None:
        raise DomainError("not_digital", 409)
    code = commerce.digital_code(order.number, item.id)
    if code is None:
        raise DomainError("not_digital", 409)
    within = code.delivered_at is not None and now - code.delivered_at <= FAST_LANE

    def outcome(kind: str, reference: str | None = None) -> CodeOutcome:
        return CodeOutcome(
            kind,
            order.number,
            item.product_name,
            code.masked_code,
            code.delivered_at,
            code.activated_at,
            within,
            reference,
        )

    if code.delivered_at is None or problem == "not_received":
        # Never delivered (or lost in the buyer's mailbox): send it again now.
        code = commerce.resend_digital_code(order.number, item.id, now)
        return outcome("resent")
    if code.activated_at is not None:
        return outcome("activated")
    ticket = open_ticket(
        session,
        market=order.market,
        topic="digital_code_issue",
        priority=Priority.HIGH if within else Priority.NORMAL,
        now=now,
        buyer_id=buyer_id,
        order_number=order.number,
        conversation_id=conversation_id,
        summary=f"Invalid code reported for {item.product_name} ({code.masked_code}); refund requested, "
        "screenshot of the error asked for.",
    )
    return outcome("refund_requested", ticket.reference)
