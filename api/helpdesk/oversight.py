"""What supervisors see of the console's work, and the audited reads of buyer evidence.

KVKK and GDPR ask who looked at a buyer's data: an agent opening an evidence image
writes an audit row, and only supervisors read the audit log back (an agent reading
it would learn what colleagues looked at, which is itself personal data).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from api.helpdesk.auth import require_supervisor
from api.helpdesk.models import Agent
from api.security import audit

MAX_AUDIT_ROWS = 500


def audit_view(
    session: Session, agent: Agent, *, target: str | None, action: str | None, limit: int
) -> list[dict[str, Any]]:
    """The newest audit rows, for supervisors only (403 ``supervisor_only`` otherwise)."""
    require_supervisor(agent)
    rows = audit.entries(session, target=target, action=action, limit=max(1, min(limit, MAX_AUDIT_ROWS)))
    return [
        {"id": r.id, "at": r.at, "actor": r.actor, "action": r.action, "target": r.target, "details": r.details or {}}
        for r in rows
    ]
