"""What every support flow shares: when a parcel was delivered, and the market's calendar date.

The buyer's own order is ``api.commerce.ownership.owned_order`` (the one ownership rule);
a rule's refusal is ``api.errors.DomainError`` with a stable code (the bot phrases it per language).
"""

from __future__ import annotations

import datetime as dt

from api.commerce.port import OrderView, ScanCode
from api.helpdesk.business_calendar import calendar_for


def delivered_scan(order: OrderView) -> dt.datetime | None:
    """When the carrier last scanned the parcel as delivered (None for digital or undelivered orders)."""
    if order.shipment is None:
        return None
    scans = [s.occurred_at for s in order.shipment.scans if s.code == ScanCode.DELIVERED]
    return max(scans) if scans else None


def local_date(market: str, moment: dt.datetime) -> dt.date:
    return moment.astimezone(calendar_for(market).zone).date()
