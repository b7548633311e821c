"""The wallet ledger and why money in it is frozen, with the seed's remedy per cause."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.helpdesk.models import Priority, Ticket, TicketStatus
from api.helpdesk.tickets import open_ticket
from api.support.common import buyer
from api.support.models import FreezeCause, WalletEntry

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


def summary(session: Session, buyer_id: str) -> WalletView:
    """Available balance and the frozen lines, most serious cause first."""
    owner = buyer(session, buyer_id)
    entries = session.scalars(select(WalletEntry).where(WalletEntry.buyer_id == buyer_id)).all()
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


def open_freeze_record(
    session: Session, buyer_id: str, conversation_id: str | None, now: dt.datetime
) -> tuple[Ticket, bool]:
    """A system freeze needs a person to lift it: one open record per buyer, reused if asked again."""
    owner = buyer(session, buyer_id)
    existing = session.scalars(
        select(Ticket).where(
            Ticket.buyer_id == buyer_id, Ticket.topic == "wallet_frozen", Ticket.status != TicketStatus.RESOLVED
        )
    ).first()
    if existing is not None:
        return existing, False
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
    return ticket, True
