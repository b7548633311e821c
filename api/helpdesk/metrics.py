"""Support metrics, with Chatwoot's definitions where they exist.

- containment: conversations in which the buyer wrote and no person ever answered;
- handoff rate: conversations handed to people, per reason, over conversations with a buyer message;
- first response time (Chatwoot "first response time"): from joining the queue to the first
  agent message, median and p90;
- CSAT (Chatwoot "satisfaction score"): share of ratings 4-5, plus the average and count;
- SLA breaches: open tickets past their first-response or resolution due time.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from api.gateway.models import Conversation, Message, Sender
from api.helpdesk.models import Ticket, TicketStatus
from api.helpdesk.tickets import sla_state


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return round(ordered[index], 1)


def support_metrics(session: Session, now: dt.datetime, days: int = 7) -> dict[str, Any]:
    since = now - dt.timedelta(days=days)
    buyer_wrote = exists().where(Message.conversation_id == Conversation.id, Message.sender == Sender.BUYER)
    rows = session.scalars(select(Conversation).where(Conversation.created_at >= since, buyer_wrote)).all()
    total = len(rows)
    contained = sum(1 for c in rows if not c.human_messages and not c.queued_at)
    reasons = Counter(c.handoff_reason for c in rows if c.handoff_reason)
    tickets_by_reason = Counter(
        t.topic
        for t in session.scalars(select(Ticket).where(Ticket.created_at >= since, Ticket.summary.like("Handoff (%")))
    )
    waits = [
        (c.first_agent_reply_at - c.queued_at).total_seconds()
        for c in rows
        if c.first_agent_reply_at is not None and c.queued_at is not None
    ]
    ratings = [c.csat_score for c in rows if c.csat_score is not None]
    open_tickets = session.scalars(select(Ticket).where(Ticket.status != TicketStatus.RESOLVED)).all()
    states = [sla_state(t, now) for t in open_tickets]
    return {
        "window_days": days,
        "conversations": total,
        "containment_rate": round(contained / total, 4) if total else None,
        "handoffs": sum(reasons.values()),
        "handoff_rate": round(sum(reasons.values()) / total, 4) if total else None,
        "handoffs_by_reason": dict(reasons.most_common()),
        "messages_left_for_people_by_topic": dict(tickets_by_reason.most_common()),
        "first_response_seconds": {"median": _percentile(waits, 0.5), "p90": _percentile(waits, 0.9), "n": len(waits)},
        "csat": {
            "responses": len(ratings),
            "average": round(sum(ratings) / len(ratings), 2) if ratings else None,
            "satisfaction_score": round(sum(r >= 4 for r in ratings) / len(ratings), 4) if ratings else None,
        },
        "sla": {
            "open_tickets": len(open_tickets),
            "first_response_breached": sum(s.first_response.breached for s in states),
            "resolution_breached": sum(s.resolution.breached for s in states),
        },
    }
