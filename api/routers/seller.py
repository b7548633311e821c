"""The seller portal's api (``/api/v1/seller``) and page (``/seller``).

Seller staff log in (bearer session, ``api/sellers/auth.py``), read the threads of their own
seller's orders (``api/sellers/inbox.py``), answer buyers' questions (``answers.py``), post case
updates (``status_updates.py``) and see their answer-time figures (``metrics.py``). Rules live
in ``api/sellers/``; this module wires them to HTTP.

Errors are ``{"detail": {"code", "message"}}`` with the message in the seller user's language
(before login: the login form's language, else ``Accept-Language``). Another seller's thread,
question or order is the same 404 as an unknown one. What a seller sends reaches the buyer's
conversation in the same transaction and, after the commit, their open widget live
(``seller_message`` frame).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from api.clock import utcnow
from api.deps import SessionDep, client_ip
from api.errors import error_responses, reply_in
from api.security.headers import preferred_language
from api.sellers import answers, auth, inbox, metrics, status_updates
from api.sellers.answers import Sent
from api.sellers.delivery import publish_to_buyer
from api.sellers.inbox import reply_view
from api.sellers.models import SellerUser
from api.sellers.profile import profile
from api.sellers.texts import text

log = logging.getLogger("marketdesk.api")

router = APIRouter(
    prefix="/api/v1/seller", tags=["seller"], responses=error_responses(400, 401, 404, 409, 413, 422, 429)
)
page_router = APIRouter(tags=["seller"])
STATIC = Path(__file__).resolve().parent.parent / "static"


@page_router.get("/seller", include_in_schema=False)
def seller_page() -> FileResponse:
    return FileResponse(STATIC / "seller.html")


def _token(authorization: str | None) -> str | None:
    return authorization.removeprefix("Bearer ").strip() if authorization else None


def current_seller(
    session: SessionDep, request: Request, authorization: Annotated[str | None, Header()] = None
) -> SellerUser:
    reply_in(request, preferred_language(request.headers))
    user = auth.user_for_token(session, _token(authorization), utcnow())
    reply_in(request, user.language)  # every later refusal in the portal's language
    return user


SellerDep = Annotated[SellerUser, Depends(current_seller)]


class LoginIn(BaseModel):
    username: str = Field(max_length=64)
    password: str = Field(max_length=200)
    language: Literal["tr", "pl"] | None = Field(default=None, description="for the error messages before login")


@router.post("/login")
def login(body: LoginIn, session: SessionDep, request: Request) -> dict[str, Any]:
    reply_in(request, body.language or preferred_language(request.headers))
    request.app.state.rate_limits.check("login", ip=client_ip(request), catalogue=text)
    settings = request.app.state.settings
    throttle = auth.LoginThrottle(settings.login_lock_after, settings.login_lock_seconds)
    # 401 invalid_credentials, or 429 account_locked with retry_after, in the seller's language
    token, user = auth.login(session, body.username, body.password, utcnow(), client_ip(request), throttle)
    return {"token": token, "user": profile(session, user)}


@router.post("/logout", status_code=204)
def logout(user: SellerDep, session: SessionDep, authorization: Annotated[str | None, Header()] = None) -> Response:
    """Ends the session: its token opens nothing afterwards (the portal has no socket to close)."""
    auth.logout(session, _token(authorization) or "", utcnow())
    return Response(status_code=204)


@router.get("/me")
def me(user: SellerDep, session: SessionDep) -> dict[str, Any]:
    return profile(session, user)


@router.get("/threads")
def threads(
    user: SellerDep,
    session: SessionDep,
    state: Annotated[str, Query(max_length=20, description="unanswered, answered, overdue or all")] = "all",
    order_number: Annotated[str | None, Query(max_length=32)] = None,
) -> dict[str, Any]:
    """The seller's threads, unanswered first (urgent, then the earliest deadline), then answered ones."""
    now = utcnow()
    rows = inbox.threads(session, user, now, state=state, order_number=order_number)
    every = rows if state == "all" and not order_number else inbox.threads(session, user, now)
    counts = {
        "unanswered": sum(1 for r in every if r["open_questions"]),
        "overdue": sum(1 for r in every if r["overdue"]),
        "urgent": sum(1 for r in every if r["urgent"]),
        "all": len(every),
    }
    return {"threads": rows, "counts": counts, "now": now}


@router.get("/threads/{order_number}")
def thread(order_number: str, user: SellerDep, session: SessionDep) -> dict[str, Any]:
    return inbox.thread(session, user, order_number[:32], utcnow())


async def _deliver(request: Request, sent: Sent) -> bool:
    """Live to the buyer's open widget; the message is stored either way, so a failure here only logs."""
    if sent.conversation_id is None or sent.message is None:
        return False
    try:
        await publish_to_buyer(request.app.state.hub, sent.reply, sent.conversation_id, sent.message)
    except Exception:  # the hub (Redis) down: the buyer sees the answer in the history next time
        log.warning("live delivery of seller reply %s failed", sent.reply.id, exc_info=True)
    return True


class AnswerIn(BaseModel):
    text: str | None = Field(default=None, description="the answer; at most 2000 characters, moderated")


def _question_id(raw: str) -> int:
    return int(raw) if raw.isdigit() and len(raw) <= 18 else 0


@router.post("/questions/{question_id}/answer", status_code=201)
async def answer(question_id: str, body: AnswerIn, user: SellerDep, session: SessionDep, request: Request) -> dict:
    """One answer per question (409 ``already_answered``); a closed question takes none (409 ``thread_closed``)."""
    sent = await run_in_threadpool(answers.answer, session, user, _question_id(question_id), body.text, utcnow())
    delivered = await _deliver(request, sent)
    return {"reply": reply_view(sent.reply, {}), "delivered": delivered}


class StatusIn(BaseModel):
    status: str = Field(
        max_length=40, description="one of return_received, repair_started, repair_finished, shipped, replacement_sent"
    )
    carrier: str | None = Field(default=None, max_length=80)
    tracking_number: str | None = Field(default=None, max_length=80)
    expected_date: str | None = Field(default=None, max_length=20, description="YYYY-MM-DD; shipped only")
    note: str | None = Field(default=None, description="optional, moderated, at most 1000 characters")


@router.post("/orders/{order_number}/status-updates", status_code=201)
async def status_update(
    order_number: str, body: StatusIn, user: SellerDep, session: SessionDep, request: Request
) -> dict[str, Any]:
    sent = await run_in_threadpool(
        status_updates.post,
        session,
        user,
        order_number[:32],
        body.status,
        utcnow(),
        body.carrier,
        body.tracking_number,
        body.expected_date,
        body.note,
    )
    delivered = await _deliver(request, sent)
    return {"reply": reply_view(sent.reply, {}), "delivered": delivered}


@router.get("/metrics")
def seller_metrics(user: SellerDep, session: SessionDep) -> dict[str, Any]:
    """The seller's answer times over the last 30 days (the same figures platform support sees)."""
    return metrics.for_seller(session, user.seller_id, utcnow())
