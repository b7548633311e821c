"""Shared by the seller portal tests: seller users, their sessions, and buyer questions to answer."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from sqlalchemy import select

from ops.servers import SERVICE_TOKEN
from tests.support.conversations import start

SELLER = "/api/v1/seller"
INTERNAL = "/api/v1/internal"
PASSWORD = "seller-pass-2026"
_names = itertools.count(1)


@dataclass(frozen=True)
class SellerLogin:
    username: str
    seller_id: str
    language: str
    headers: dict[str, str]

    @property
    def token(self) -> str:
        return self.headers["Authorization"].removeprefix("Bearer ")


def make_user(seller_id: str, language: str = "tr", name: str = "Selin") -> str:
    from api.db import get_sessionmaker
    from api.sellers.auth import create_seller_user

    username = f"seller{next(_names)}-{seller_id}"
    with get_sessionmaker()() as session:
        create_seller_user(
            session, username=username, display_name=name, password=PASSWORD, seller_id=seller_id, language=language
        )
    return username


def login(client, seller_id: str, language: str = "tr") -> SellerLogin:
    username = make_user(seller_id, language)
    response = client.post(f"{SELLER}/login", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return SellerLogin(username, seller_id, language, {"Authorization": f"Bearer {response.json()['token']}"})


def orders_of(buyer_id: str) -> list[tuple[str, str]]:
    """(order number, seller id) of a buyer's orders, oldest first."""
    from api.commerce.models import Order
    from api.db import get_sessionmaker

    with get_sessionmaker()() as session:
        rows = session.execute(
            select(Order.number, Order.seller_id).where(Order.buyer_id == buyer_id).order_by(Order.id)
        )
        return [(number, seller) for number, seller in rows]


def other_seller(market: str, not_this: str) -> str:
    from api.commerce.models import Seller
    from api.db import get_sessionmaker

    with get_sessionmaker()() as session:
        ids = session.scalars(select(Seller.id).where(Seller.market == market).order_by(Seller.id)).all()
    return next(i for i in ids if i != not_this)


def ask(client, buyer_id: str, number: str, text: str, language: str, conversation_id: str | None = None) -> int:
    """A buyer's question to the seller, relayed as the bot does (moderated, with its deadline)."""
    body = {"order_number": number, "text": text, "language": language, "conversation_id": conversation_id}
    response = client.post(
        f"{INTERNAL}/buyers/{buyer_id}/seller-messages",
        json=body,
        headers={"Authorization": f"Bearer {SERVICE_TOKEN}"},
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


@dataclass(frozen=True)
class Case:
    """A buyer with a conversation, one of their orders, its seller, and a question about it."""

    buyer_id: str
    order_number: str
    seller_id: str
    conversation: dict
    question_id: int


def case(client, buyer_id: str = "tr-0002", index: int = 0, text: str | None = None) -> Case:
    language = buyer_id[:2]
    number, seller_id = orders_of(buyer_id)[index]
    conversation = start(client, language, buyer_id)
    question = text or (
        "Merhaba, ürün ne zaman kargoya verilir?" if language == "tr" else "Dzień dobry, kiedy paczka zostanie wysłana?"
    )
    question_id = ask(client, buyer_id, number, question, language, conversation["conversation_id"])
    return Case(buyer_id, number, seller_id, conversation, question_id)


def answer(client, who: SellerLogin, question_id: int, text: str):
    return client.post(f"{SELLER}/questions/{question_id}/answer", json={"text": text}, headers=who.headers)
