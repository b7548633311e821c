"""What a seller user may see: one rule for threads, questions and orders.

A seller user sees the orders of their own seller (``SellerUser.seller_id``) and nothing else:
the buyer questions about those orders, the seller's answers and case updates, and the
platform's notices on them. Another seller's order, thread or question reads exactly like one
that does not exist (the same 404 code and text), so numbers and ids cannot be probed.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.commerce.models import Order
from api.commerce.order_numbers import normalise
from api.sellers.models import SellerUser
from api.sellers.texts import seller_error
from api.support.models import SellerMessage


def may_see(user: SellerUser, seller_id: str | None) -> bool:
    """THE rule: a live seller user sees their own seller's records only."""
    return user.disabled_at is None and seller_id is not None and seller_id == user.seller_id


def visible_order(session: Session, user: SellerUser, raw_number: str, code: str = "unknown_order") -> Order:
    number = normalise(raw_number or "")
    order = session.scalars(select(Order).where(Order.number == number)).first() if number else None
    if order is None or not may_see(user, order.seller_id):
        raise seller_error(code, 404)  # unknown, or another seller's: deliberately the same
    return order


def visible_question(session: Session, user: SellerUser, question_id: int) -> SellerMessage:
    question = session.get(SellerMessage, question_id) if 0 < question_id < 2**62 else None
    if question is None or not may_see(user, question.seller_id):
        raise seller_error("unknown_question", 404)
    return question
