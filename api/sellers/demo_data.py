"""Demo seller users for the seller portal (``/seller``), created by ``python -m api.cli seed``.

One per market: ``satici`` (Turkish portal) for a TR seller and ``sprzedawca`` (Polish portal)
for a PL seller, with the password of ``MD_DEMO_SELLER_PASSWORD``. The seller chosen is the one
with the most buyer questions in the demo data; when the market has none yet, the seller of the
most orders of the first demo buyers, and a few questions are put in its inbox (one marked
urgent, one plain, one answered), all sent recently enough that none is overdue when the demo
starts. Idempotent: an existing user is left alone, so ``make run`` can call it every time.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.commerce.models import Order, Seller
from api.sellers.auth import create_seller_user
from api.sellers.models import ReplyKind, SellerReply, SellerUser
from api.support.models import SellerMessage
from api.support.seller_contact import answer_due

DEMO_USERS = {"TR": ("satici", "Selin", "tr"), "PL": ("sprzedawca", "Piotr", "pl")}
FIRST_BUYERS = ("0001", "0002", "0003")

QUESTIONS = {
    "TR": [
        ("Acil: siparişim hâlâ kargoya verilmedi görünüyor, ne zaman gönderilecek?", True, 1),
        ("Merhaba, ürünün garantisi var mı? Faturası kutunun içinde mi geliyor?", False, 3),
        ("Ürünün kullanım kılavuzu Türkçe mi?", False, 50),
    ],
    "PL": [
        ("Pilne: zamówienie nadal nie zostało wysłane, kiedy mogę się go spodziewać?", True, 1),
        ("Dzień dobry, czy produkt ma gwarancję? Czy faktura jest w paczce?", False, 3),
        ("Czy instrukcja obsługi jest po polsku?", False, 50),
    ],
}
ANSWERS = {
    "TR": "Evet, kılavuz Türkçedir ve kutunun içindedir. İyi günlerde kullanın.",
    "PL": "Tak, instrukcja jest po polsku i znajduje się w pudełku. Pozdrawiamy.",
}


def pick_seller(session: Session, market: str) -> str:
    asked = session.execute(
        select(SellerMessage.seller_id, func.count())
        .join(Seller, Seller.id == SellerMessage.seller_id)
        .where(Seller.market == market)
        .group_by(SellerMessage.seller_id)
        .order_by(func.count().desc(), SellerMessage.seller_id)
    ).first()
    if asked is not None:
        return asked[0]
    buyers = [f"{market.lower()}-{suffix}" for suffix in FIRST_BUYERS]
    counts = Counter(session.scalars(select(Order.seller_id).where(Order.buyer_id.in_(buyers))))
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[0][0]


def _questions(session: Session, seller_id: str, market: str, now: dt.datetime) -> int:
    buyers = [f"{market.lower()}-{suffix}" for suffix in FIRST_BUYERS]
    orders = list(
        session.scalars(
            select(Order).where(Order.seller_id == seller_id).order_by(Order.buyer_id.in_(buyers).desc(), Order.id)
        )
    )
    seller = session.get(Seller, seller_id)
    for order, (text, urgent, hours_ago) in zip(orders, QUESTIONS[market], strict=False):
        sent = now - dt.timedelta(hours=hours_ago)
        question = SellerMessage(
            buyer_id=order.buyer_id,
            seller_id=seller_id,
            order_number=order.number,
            text=text,
            created_at=sent,
            answer_due=answer_due(market, sent),
            urgent=urgent,
        )
        session.add(question)
        if hours_ago > 24:  # the old one is answered, a few hours after it came
            question.answered_at = sent + dt.timedelta(hours=4)
            session.flush()
            session.add(
                SellerReply(
                    seller_id=seller_id,
                    buyer_id=order.buyer_id,
                    order_number=order.number,
                    kind=ReplyKind.ANSWER.value,
                    question_id=question.id,
                    text=ANSWERS[market],
                    author_name=f"{DEMO_USERS[market][1]} ({seller.name})"[:80],
                    created_at=question.answered_at,
                )
            )
    session.commit()
    return min(len(orders), len(QUESTIONS[market]))


def seed_demo_sellers(session: Session, password: str, now: dt.datetime) -> dict[str, str]:
    """Create the missing demo seller users; returns {username: seller id} of those created."""
    created: dict[str, str] = {}
    for market, (username, name, language) in DEMO_USERS.items():
        if session.scalars(select(SellerUser.id).where(SellerUser.username == username)).first() is not None:
            continue
        if session.scalar(select(func.count()).select_from(Seller).where(Seller.market == market)) == 0:
            continue
        seller_id = pick_seller(session, market)
        if (
            session.scalar(select(func.count()).select_from(SellerMessage).where(SellerMessage.seller_id == seller_id))
            == 0
        ):
            _questions(session, seller_id, market, now)
        create_seller_user(
            session,
            username=username,
            display_name=name,
            password=password,
            seller_id=seller_id,
            language=language,
            by="system:seed",
        )
        created[username] = seller_id
    return created
