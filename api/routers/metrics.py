"""Support metrics as JSON for people and as Prometheus metrics for monitoring.

``/metrics`` is computed at scrape time from the database (a custom collector), so every
api process reports the same numbers and nothing is lost on restart.

Both carry aggregates only and are open by default; with ``MD_METRICS_TOKEN`` set they need
``Authorization: Bearer <token>`` (Prometheus' ``authorization`` / ``bearer_token``), else 401.
"""

from __future__ import annotations

import hmac
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily

from api.clock import utcnow
from api.db import get_sessionmaker
from api.deps import SessionDep
from api.errors import error_responses
from api.helpdesk.metrics import support_metrics


def require_metrics_token(request: Request, authorization: Annotated[str | None, Header()] = None) -> None:
    """Open while ``metrics_token`` is empty; otherwise the scraper presents ``Bearer <metrics_token>``."""
    token = request.app.state.settings.metrics_token
    if not token:
        return
    expected = f"Bearer {token}".encode()
    if authorization is None or not hmac.compare_digest(authorization.encode(), expected):
        raise HTTPException(401, detail={"code": "unauthorized"}, headers={"WWW-Authenticate": "Bearer"})


router = APIRouter(tags=["metrics"], dependencies=[Depends(require_metrics_token)], responses=error_responses(401, 422))


@router.get("/api/v1/metrics/support")
def support(session: SessionDep, days: Annotated[int, Query(ge=1, le=365)] = 7) -> dict[str, Any]:
    return support_metrics(session, utcnow(), days)


class SupportCollector:
    def collect(self):
        with get_sessionmaker()() as session:
            m = support_metrics(session, utcnow(), 7)
        simple = {
            "marketdesk_conversations": ("Conversations with a buyer message, last 7 days", m["conversations"]),
            "marketdesk_containment_ratio": ("Share solved without a person, last 7 days", m["containment_rate"]),
            "marketdesk_csat_satisfaction_ratio": ("Share of CSAT ratings 4-5", m["csat"]["satisfaction_score"]),
            "marketdesk_csat_responses": ("CSAT ratings given", m["csat"]["responses"]),
            "marketdesk_open_tickets": ("Open tickets", m["sla"]["open_tickets"]),
            "marketdesk_sla_first_response_breached": (
                "Open tickets past first-response due",
                m["sla"]["first_response_breached"],
            ),
            "marketdesk_sla_resolution_breached": ("Open tickets past resolution due", m["sla"]["resolution_breached"]),
        }
        for name, (doc, value) in simple.items():
            yield GaugeMetricFamily(name, doc, value=float(value or 0))
        handoffs = GaugeMetricFamily(
            "marketdesk_handoffs", "Handoffs to people by reason, last 7 days", labels=["reason"]
        )
        for reason, count in m["handoffs_by_reason"].items():
            handoffs.add_metric([reason], count)
        yield handoffs
        first = GaugeMetricFamily(
            "marketdesk_first_response_seconds", "Queue to first agent message", labels=["quantile"]
        )
        for label, key in (("0.5", "median"), ("0.9", "p90")):
            first.add_metric([label], float(m["first_response_seconds"][key] or 0))
        yield first


_registry = CollectorRegistry()
_registry.register(SupportCollector())


@router.get("/metrics", include_in_schema=False)
def prometheus() -> Response:
    return Response(generate_latest(_registry), media_type=CONTENT_TYPE_LATEST)
