"""How quickly sellers answer buyers: the figures the seller sees and platform support watches.

Per seller, over the questions buyers sent in the last ``WINDOW_DAYS`` days:

- ``share_in_time``: of the questions whose outcome is known (answered, or deadline passed),
  the share answered by the deadline; None while nothing is decided yet. Questions platform
  support closed without an answer are left out: the seller no longer could answer them.
- ``median_business_hours``: the median time from question to answer, in business hours of the
  market's calendar (opening hours; weekends and public holidays do not count).
- ``open_overdue``: questions waiting now past their deadline (whenever they were sent).

A seller's own figures come from ``for_seller``; ``all_sellers`` serves platform support's
console, for the markets given (an agent's markets, or every market for a supervisor).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from api.commerce.models import Seller
from api.helpdesk.business_calendar import calendar_for
from api.support.models import SellerMessage

WINDOW_DAYS = 30


def _figures(seller: Seller, questions: list[SellerMessage], now: dt.datetime) -> dict[str, Any]:
    since = now - dt.timedelta(days=WINDOW_DAYS)
    calendar = calendar_for(seller.market)
    recent = [q for q in questions if q.created_at >= since and not (q.closed_at and q.answered_at is None)]
    answered = [q for q in recent if q.answered_at is not None]
    decided = [q for q in recent if q.answered_at is not None or q.answer_due <= now]
    in_time = [q for q in answered if q.answered_at <= q.answer_due]
    hours = [calendar.business_hours_between(q.created_at, q.answered_at) for q in answered]
    open_overdue = [q for q in questions if q.answered_at is None and q.closed_at is None and q.answer_due <= now]
    return {
        "seller_id": seller.id,
        "seller_name": seller.name,
        "market": seller.market,
        "window_days": WINDOW_DAYS,
        "questions": len(recent),
        "answered": len(answered),
        "answered_in_time": len(in_time),
        "decided": len(decided),
        "share_in_time": round(len(in_time) / len(decided), 4) if decided else None,
        "median_business_hours": round(statistics.median(hours), 2) if hours else None,
        "open_overdue": len(open_overdue),
    }


def _questions(session: Session, seller_ids: list[str], now: dt.datetime) -> dict[str, list[SellerMessage]]:
    """The window's questions and every question still open (for the overdue count)."""
    since = now - dt.timedelta(days=WINDOW_DAYS)
    rows = session.scalars(
        select(SellerMessage).where(
            SellerMessage.seller_id.in_(seller_ids),
            or_(SellerMessage.created_at >= since, SellerMessage.answered_at.is_(None)),
        )
    )
    grouped: dict[str, list[SellerMessage]] = defaultdict(list)
    for row in rows:
        grouped[row.seller_id].append(row)
    return grouped


def for_seller(session: Session, seller_id: str, now: dt.datetime) -> dict[str, Any]:
    seller = session.get(Seller, seller_id)
    return _figures(seller, _questions(session, [seller_id], now)[seller_id], now)


def all_sellers(session: Session, markets: list[str], now: dt.datetime) -> list[dict[str, Any]]:
    """Every seller of ``markets``, the weakest first (most overdue, then lowest share in time)."""
    sellers = list(session.scalars(select(Seller).where(Seller.market.in_(markets)).order_by(Seller.id)))
    grouped = _questions(session, [s.id for s in sellers], now)
    rows = [_figures(s, grouped[s.id], now) for s in sellers]
    rows.sort(
        key=lambda r: (
            -r["open_overdue"],
            r["share_in_time"] if r["share_in_time"] is not None else 2.0,
            r["seller_id"],
        )
    )
    return rows
