"""Account security restrictions, by type, with the time frame the seeds give.

Order block: lifted automatically within 24-72 h. Campaign restriction: about 7 days.
Suspension: only a person can review it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.support.common import buyer
from api.support.models import AccountRestriction, RestrictionKind

EXPECTED_LENGTH = {
    RestrictionKind.ORDER_BLOCK: dt.timedelta(hours=72),
    RestrictionKind.CAMPAIGN: dt.timedelta(days=7),
}


@dataclass(frozen=True)
class RestrictionView:
    kind: str
    started_at: dt.datetime
    expected_end: dt.datetime | None  # None: needs a person


def active(session: Session, buyer_id: str, now: dt.datetime) -> list[RestrictionView]:
    """Restrictions not lifted and not past their expected end, most serious first."""
    buyer(session, buyer_id)
    rows = session.scalars(
        select(AccountRestriction).where(
            AccountRestriction.buyer_id == buyer_id, AccountRestriction.lifted_at.is_(None)
        )
    ).all()
    views = []
    for row in rows:
        length = EXPECTED_LENGTH.get(RestrictionKind(row.kind))
        end = row.started_at + length if length else None
        if end is None or end > now:
            views.append(RestrictionView(row.kind, row.started_at, end))
    order = [RestrictionKind.SUSPENSION, RestrictionKind.ORDER_BLOCK, RestrictionKind.CAMPAIGN]
    return sorted(views, key=lambda v: order.index(RestrictionKind(v.kind)))
