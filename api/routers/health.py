"""Health of the api and of what it depends on, for operators and for tests waiting on start-up."""

from __future__ import annotations

import httpx
from fastapi import APIRouter, Request, Response
from sqlalchemy import text

from api.db import get_engine

router = APIRouter(tags=["health"])


async def _action_server_ok(url: str) -> bool:
    try:
        async with httpx.AsyncClient(timeout=3.0) as client:
            return (await client.get(f"{url.rstrip('/')}/health")).status_code == 200
    except httpx.HTTPError:
        return False


def _database_ok() -> bool:
    try:
        with get_engine().connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:
        return False


@router.get("/healthz", responses={503: {"description": "Degraded: the body's checks say which dependency is down."}})
async def healthz(request: Request, response: Response) -> dict:
    """200 when the database, Rasa and the action server answer; 503 (same body) when one does not."""
    settings = request.app.state.settings
    checks = {
        "database": "ok" if _database_ok() else "down",
        "rasa": "ok" if await request.app.state.rasa.is_ready() else "down",
        "action_server": "ok" if await _action_server_ok(settings.action_server_url) else "down",
    }
    healthy = all(v == "ok" for v in checks.values())
    response.status_code = 200 if healthy else 503
    return {"status": "ok" if healthy else "degraded", "checks": checks}
