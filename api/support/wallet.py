"""The wallet ledger and why money in it is frozen, with the seed's remedy per cause."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.commerce.ownership import known_buyer
from api.commerce.port import CommercePort, FreezeCause
from api.helpdesk.models import Priority, Ticket, TicketStatus
from api.helpdesk.tickets import open_ticket

CAUSE_ORDER = [
    FreezeCause.SECURITY_HOLD,
    FreezeCause.SYSTEM_FREEZE,
    FreezeCause.PENDING_REFUND,
    FreezeCause.PROMO_EXPIRED,
]


@dataclass(frozen=True)
class FrozenLine:
    cause: str
    amount: str
    order_number: str | None
    since: dt.datetime
    until: dt.datetime | None  # pending refund: expected release; promo: when it expired


@dataclass(frozen=True)
class WalletView:
    currency: str
    available: str
    frozen: list[FrozenLine]


def summary(commerce: CommercePort, buyer_id: str) -> WalletView:
    """Available balance and the frozen lines, most serious cause first."""
    owner = known_buyer(commerce, buyer_id)
    entries = commerce.wallet_lines(buyer_id)
    available = sum((e.amount for e in entries if e.frozen_cause is None), Decimal("0.00"))
    frozen = sorted(
        (e for e in entries if e.frozen_cause is not None),
        key=lambda e: (CAUSE_ORDER.index(FreezeCause(e.frozen_cause)), e.created_at),
    )
    currency = entries[0].currency if entries else ("TRY" if owner.market == "TR" else "PLN")
    return WalletView(
        currency=currency,
        available=f"{available:.2f}",
        frozen=[
            FrozenLine(e.frozen_cause, f"{e.amount:.2f}", e.order_number, e.created_at, e.expires_at) for e in frozen
        ],
    )


@dataclass(frozen=True)
class FreezeRecord:
    reference: str
    created: bool  # False: the buyer's open record, reused
    resolution_due: dt.datetime


def open_freeze_record(
    session: Session, commerce: CommercePort, buyer_id: str, conversation_id: str | None, now: dt.datetime
) -> FreezeRecord:
    """A system freeze needs a person to lift it: one open record per buyer, reused if asked again."""
    owner = known_buyer(commerce, buyer_id)
    existing = session.scalars(
        select(Ticket).where(
            Ticket.buyer_id == buyer_id, Ticket.topic == "wallet_frozen", Ticket.status != TicketStatus.RESOLVED
        )
    ).first()
    if existing is not None:
        return FreezeRecord(existing.reference, False, existing.resolution_due)
    ticket = open_ticket(
        session,
        market=owner.market,
        topic="wallet_frozen",
        priority=Priority.HIGH,
        now=now,
        buyer_id=buyer_id,
        conversation_id=conversation_id,
        summary="Wallet balance frozen by the system; the buyer asked for it to be released.",
    )
    return FreezeRecord(ticket.reference, True, ticket.resolution_due)
