"""Account security restrictions, by type, with the time frame the seeds give.

Order block: lifted automatically within 24-72 h. Campaign restriction: about 7 days.
Suspension: only a person can review it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from api.commerce.ownership import known_buyer
from api.commerce.port import CommercePort, RestrictionKind

EXPECTED_LENGTH = {
    RestrictionKind.ORDER_BLOCK: dt.timedelta(hours=72),
    RestrictionKind.CAMPAIGN: dt.timedelta(days=7),
}
_MOST_SERIOUS_FIRST = [RestrictionKind.SUSPENSION, RestrictionKind.ORDER_BLOCK, RestrictionKind.CAMPAIGN]


@dataclass(frozen=True)
class RestrictionView:
    kind: str
    started_at: dt.datetime
    expected_end: dt.datetime | None  # None: needs a person


def active(commerce: CommercePort, buyer_id: str, now: dt.datetime) -> list[RestrictionView]:
    """Restrictions not lifted and not past their expected end, most serious first."""
    known_buyer(commerce, buyer_id)
    views = []
    for row in commerce.active_restrictions(buyer_id):
        length = EXPECTED_LENGTH.get(RestrictionKind(row.kind))
        end = row.started_at + length if length else None
        if end is None or end > now:
            views.append(RestrictionView(row.kind, row.started_at, end))
    return sorted(views, key=lambda v: _MOST_SERIOUS_FIRST.index(RestrictionKind(v.kind)))
