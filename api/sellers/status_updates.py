"""Case updates a seller posts about an order, from the fixed list the seeds ask for.

The Polish Helpdesk rules ask sellers to keep buyers informed ahead of time: return received,
repair started, repair finished and ready to ship, shipped with the tracking number and the
expected delivery date (``CaseStatus``). A seller picks one; ``shipped`` needs a carrier
of the market (data/markets/*.yml), a tracking number and an expected date
that is not in the past (in the market's time zone). An optional note is moderated and masked
like an answer. The update is a ``SellerReply`` of kind ``status`` and reaches the buyer the same
way as an answer: a ``seller`` message in their conversation, in the buyer's language
(``delivery.buyer_text``), live if the widget is open.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy.orm import Session

from api.helpdesk.business_calendar import calendar_for
from api.markets import market_config
from api.security.pii import mask_field
from api.sellers.access import visible_order
from api.sellers.answers import Sent, checked_text, deliver, market_language, seller_name
from api.sellers.models import CaseStatus, ReplyKind, SellerReply, SellerUser
from api.sellers.texts import seller_error

MAX_NOTE_CHARS = 1000
NEEDS_SHIPPING = frozenset({CaseStatus.SHIPPED})
TRACKING_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{2,38}[A-Za-z0-9]$")


def carriers(market: str) -> list[str]:
    return [str(c) for c in market_config(market).get("carriers") or []]


def _carrier(market: str, raw: str | None) -> str:
    wanted = (raw or "").strip().casefold()
    for name in carriers(market):
        if name.casefold() == wanted:
            return name
    raise seller_error("unknown_carrier", 422, carriers=", ".join(carriers(market)))


def _date(raw: dt.date | str | None) -> dt.date | None:
    if raw is None or isinstance(raw, dt.date):
        return raw
    if not raw.strip():
        return None
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError:
        raise seller_error("invalid_expected_date", 422) from None


def _shipping(
    market: str, carrier: str | None, tracking: str | None, raw_expected: dt.date | str | None, now: dt.datetime
) -> tuple[str, str, dt.date]:
    expected = _date(raw_expected)
    if not (carrier or "").strip() or not (tracking or "").strip() or expected is None:
        raise seller_error("shipping_details_required", 422)
    name = _carrier(market, carrier)
    tracking = tracking.strip().replace(" ", "")
    if not TRACKING_NUMBER.match(tracking):
        raise seller_error("invalid_tracking_number", 422)
    if expected < now.astimezone(calendar_for(market).zone).date():
        raise seller_error("invalid_expected_date", 422)
    return name, tracking.upper(), expected


def post(
    session: Session,
    user: SellerUser,
    raw_number: str,
    status: str,
    now: dt.datetime,
    carrier: str | None = None,
    tracking_number: str | None = None,
    expected_date: dt.date | str | None = None,
    note: str | None = None,
) -> Sent:
    """Post a case update about one of the seller's orders (``expected_date``: a date or YYYY-MM-DD)."""
    order = visible_order(session, user, raw_number)
    try:
        case_status = CaseStatus(status)
    except ValueError:
        raise seller_error("unknown_status", 422) from None
    shipping: tuple[str | None, str | None, dt.date | None] = (None, None, None)
    if case_status in NEEDS_SHIPPING:
        shipping = _shipping(order.market, carrier, tracking_number, expected_date, now)
    text = checked_text(session, user, note, MAX_NOTE_CHARS, None, "note_blocked", "note_too_long")
    reply = SellerReply(
        seller_id=order.seller_id,
        buyer_id=order.buyer_id,
        order_number=order.number,
        kind=ReplyKind.STATUS.value,
        status=case_status.value,
        carrier=shipping[0],
        tracking_number=shipping[1],
        expected_date=shipping[2],
        text=mask_field(text, market_language(session, user.seller_id)),
        author_name=seller_name(session, user),
        seller_user_id=user.id,
        created_at=now,
    )
    session.add(reply)
    session.flush()
    return deliver(session, user, reply, "seller.status_update", f"order:{order.number}", status=case_status.value)
