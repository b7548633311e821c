"""Support-side demo data on top of the commerce demo orders: returns, digital codes, wallet
ledgers and account restrictions.

Fixture buyers 0004-0006 of each market carry one example of every case the support flows
decide on (see FIXTURE_BUYERS in api/commerce/demo_data.py); everyone else gets a random,
plausible mix. Deterministic for a given seed and day.
"""

from __future__ import annotations

import datetime as dt
import random
import string
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from api.commerce.models import AccountRestriction, Buyer, DigitalCode, Order, WalletEntry
from api.commerce.port import FreezeCause, OrderStatus, RestrictionKind, ScanCode
from api.helpdesk.business_calendar import calendar_for
from api.support.models import ReturnRequest, ReturnState
from api.support.returns import refund_date

REJECTION_REASONS = {
    "TR": (
        "Ürün kullanılmış ve etiketi sökülmüş olarak geri geldi.",
        "Ürün orijinal kutusu ve aksesuarları olmadan gönderildi.",
        "Üründe kullanıcı kaynaklı hasar tespit edildi.",
    ),
    "PL": (
        "Produkt nosi ślady użytkowania i nie ma metki.",
        "Produkt odesłano bez oryginalnego opakowania i akcesoriów.",
        "Stwierdzono uszkodzenie powstałe z winy użytkownika.",
    ),
}
RETURN_CARRIER = {"TR": "Yurtiçi Kargo", "PL": "InPost"}
UTC = dt.UTC


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=UTC)


class _Builder:
    def __init__(self, session: Session, rng: random.Random, today: dt.date) -> None:
        self.session = session
        self.rng = rng
        self.today = today
        self.codes: set[str] = set()

    def return_code(self, market: str) -> str:
        while True:
            code = f"RET-{market}-{self.rng.randint(100_000, 999_999)}"
            if code not in self.codes:
                self.codes.add(code)
                return code

    def add_return(self, order: Order, state: ReturnState, days_ago: int, *, rejections: int = 0) -> ReturnRequest:
        created = _at(self.today - dt.timedelta(days=days_ago + 3))
        updated = _at(self.today - dt.timedelta(days=days_ago))
        request = ReturnRequest(
            code=self.return_code(order.market),
            market=order.market,
            buyer_id=order.buyer_id,
            order_id=order.id,
            order_item_id=order.items[0].id,
            reason=self.rng.choice(("doesnt_fit", "changed_mind", "not_as_described")),
            state=state.value,
            carrier=RETURN_CARRIER[order.market],
            created_at=created,
            updated_at=updated,
            rejections=rejections,
        )
        if state in (ReturnState.ACCEPTED, ReturnState.REFUNDED):
            request.refund_expected = refund_date(order.market, updated)
        if state == ReturnState.REJECTED:
            request.rejection_reason = self.rng.choice(REJECTION_REASONS[order.market])
            if rejections >= 2:
                request.resubmitted_at = updated - dt.timedelta(days=2)
                request.resubmission_text = (
                    "Ürün kullanılmadı, sadece denendi."
                    if order.market == "TR"
                    else ("Produkt nie był używany, tylko przymierzony.")
                )
        self.session.add(request)
        return request

    def add_code(self, order: Order, *, delivered: bool, activated: bool) -> None:
        item = next(i for i in order.items if i.is_digital)
        tail = "".join(self.rng.choice(string.ascii_uppercase + string.digits) for _ in range(4))
        delivered_time = order.placed_at + dt.timedelta(minutes=2) if delivered else None
        activated_time = None
        if activated and delivered_time is not None:
            activated_time = delivered_time + dt.timedelta(hours=self.rng.randint(1, 20))
            if activated_time.date() > self.today:
                activated_time = delivered_time + dt.timedelta(minutes=30)
        self.session.add(
            DigitalCode(
                order_item_id=item.id,
                masked_code=f"XXXX-XXXX-{tail}",
                delivered_at=delivered_time,
                activated_at=activated_time,
            )
        )

    def wallet(self, buyer: Buyer, amount: str, kind: str, cause: FreezeCause | None, days_ago: int, **extra) -> None:
        self.session.add(
            WalletEntry(
                buyer_id=buyer.id,
                currency="TRY" if buyer.market == "TR" else "PLN",
                amount=Decimal(amount),
                kind=kind,
                frozen_cause=cause.value if cause else None,
                created_at=_at(self.today - dt.timedelta(days=days_ago)),
                **extra,
            )
        )

    def restrict(self, buyer: Buyer, kind: RestrictionKind, started: dt.datetime) -> None:
        self.session.add(AccountRestriction(buyer_id=buyer.id, kind=kind.value, started_at=started))


def _delivered_at(order: Order) -> dt.datetime | None:
    """The demo order's delivered scan, read off the tables this seeding writes (the rules read it through the port)."""
    if order.shipment is None:
        return None
    return max((e.occurred_at for e in order.shipment.events if e.code == ScanCode.DELIVERED), default=None)


def generate_support(session: Session, *, seed: int, today: dt.date) -> dict[str, int]:
    """Insert the support data (flushed, not committed); returns counts per table."""
    session.flush()
    rng = random.Random(seed * 7919 + 13)
    build = _Builder(session, rng, today)
    buyers = {b.id: b for b in session.scalars(select(Buyer).order_by(Buyer.id))}
    orders = session.scalars(
        select(Order).options(selectinload(Order.items), selectinload(Order.shipment)).order_by(Order.placed_at)
    ).all()
    by_buyer: dict[str, list[Order]] = {}
    for order in orders:
        by_buyer.setdefault(order.buyer_id, []).append(order)

    def digital(o: Order) -> bool:
        return any(i.is_digital for i in o.items)

    fixtures = {f"{m}-{n:04d}" for m in ("tr", "pl") for n in (3, 4, 5, 6)}
    for market in ("tr", "pl"):
        b3, b4, b5, b6 = (buyers[f"{market}-{n:04d}"] for n in (3, 4, 5, 6))
        zone = calendar_for(market).zone
        # 0004: digital codes (activated / delivered, not activated / never delivered), a pending refund,
        # an order block since this morning.
        codes = [o for o in by_buyer[b4.id] if digital(o)]  # oldest first: 3, 2, 1 days ago
        build.add_code(codes[0], delivered=True, activated=True)
        build.add_code(codes[1], delivered=True, activated=False)
        build.add_code(codes[2], delivered=False, activated=False)
        cancelled = next(o for o in by_buyer[b4.id] if o.status == OrderStatus.CANCELLED)
        release = calendar_for(market).add_business_days(cancelled.placed_at + dt.timedelta(hours=1), 3)
        build.wallet(
            b4,
            str(cancelled.total),
            "refund",
            FreezeCause.PENDING_REFUND,
            1,
            order_number=cancelled.number,
            expires_at=release,
        )
        build.wallet(b4, "150.00", "top_up", None, 20)
        build.restrict(b4, RestrictionKind.ORDER_BLOCK, dt.datetime.combine(today, dt.time(0, 30), tzinfo=zone))
        # 0005: a return rejected once (may be re-submitted), one accepted, one on its way; system freeze.
        returned, accepted, travelling = by_buyer[b5.id]
        build.add_return(returned, ReturnState.REJECTED, 4, rejections=1)
        build.add_return(accepted, ReturnState.ACCEPTED, 2)
        build.add_return(travelling, ReturnState.IN_TRANSIT, 1)
        build.wallet(b5, "420.00", "refund", FreezeCause.SYSTEM_FREEZE, 5)
        build.restrict(b5, RestrictionKind.CAMPAIGN, _at(today - dt.timedelta(days=2)))
        # 0006: a return rejected twice (already re-submitted once): a person decides; security hold.
        build.add_return(by_buyer[b6.id][0], ReturnState.REJECTED, 3, rejections=2)
        build.wallet(b6, "1250.00", "top_up", FreezeCause.SECURITY_HOLD, 3)
        build.wallet(b6, "50.00", "promo", FreezeCause.PROMO_EXPIRED, 40, expires_at=_at(today - dt.timedelta(days=3)))
        build.restrict(b6, RestrictionKind.SUSPENSION, _at(today - dt.timedelta(days=1)))
        # 0003: an expired promotional balance.
        build.wallet(b3, "75.00", "promo", FreezeCause.PROMO_EXPIRED, 45, expires_at=_at(today - dt.timedelta(days=1)))

    for buyer_id, own in by_buyer.items():
        if buyer_id in fixtures or buyer_id.endswith(("-0001", "-0002")):
            continue
        buyer = buyers[buyer_id]
        for order in own:
            if digital(order):
                build.add_code(order, delivered=rng.random() < 0.95, activated=rng.random() < 0.7)
            elif order.status == OrderStatus.RETURNED:
                rejected = rng.random() < 0.25
                build.add_return(order, ReturnState.REJECTED if rejected else ReturnState.REFUNDED, rng.randint(1, 10))
            elif order.status == OrderStatus.DELIVERED and rng.random() < 0.12:
                when = _delivered_at(order)
                if when is not None and (today - when.date()).days <= 12:
                    state = rng.choice((ReturnState.REQUESTED, ReturnState.IN_TRANSIT, ReturnState.RECEIVED))
                    build.add_return(order, state, 0)
        roll = rng.random()
        if roll < 0.3:
            build.wallet(buyer, f"{rng.randint(20, 400)}.00", "top_up", None, rng.randint(1, 50))
        elif roll < 0.34:
            build.wallet(buyer, f"{rng.randint(50, 900)}.00", "refund", FreezeCause.SYSTEM_FREEZE, rng.randint(1, 9))
        elif roll < 0.36:
            build.wallet(buyer, f"{rng.randint(100, 2000)}.00", "top_up", FreezeCause.SECURITY_HOLD, rng.randint(1, 9))
        if rng.random() < 0.05:
            kind = rng.choice(list(RestrictionKind))
            build.restrict(buyer, kind, _at(today - dt.timedelta(days=rng.randint(0, 2))))
    session.flush()
    counts = {}
    for model in (ReturnRequest, DigitalCode, WalletEntry, AccountRestriction):
        counts[model.__tablename__] = len(session.scalars(select(model.id)).all())
    return counts
