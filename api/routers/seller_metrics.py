"""Platform support's view of how sellers answer buyers: ``GET /api/v1/console/sellers/answer-times``.

The console's bearer session (agents' accounts, ``api/routers/console.py``'s ``current_agent``);
a seller session, a buyer token or nothing is a 401. Plain agents see the sellers of their
languages' markets (as with tickets), supervisors every market. Aggregates only: no buyer's or
seller's words.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api.clock import utcnow
from api.deps import SessionDep
from api.errors import error_responses
from api.helpdesk.models import Role
from api.helpdesk.tickets import MARKET_OF_LANGUAGE, agent_markets
from api.routers.console import AgentDep
from api.sellers import metrics

router = APIRouter(prefix="/api/v1/console/sellers", tags=["console"], responses=error_responses(401))


@router.get("/answer-times")
def answer_times(agent: AgentDep, session: SessionDep) -> dict[str, Any]:
    """Per seller, last 30 days: share answered in time, median answer time in business hours, open overdue."""
    markets = sorted(MARKET_OF_LANGUAGE.values()) if agent.role == Role.SUPERVISOR else agent_markets(agent)
    return {"window_days": metrics.WINDOW_DAYS, "sellers": metrics.all_sellers(session, markets, utcnow())}
