"""FastAPI dependencies shared by routers."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request, status
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection

from api.commerce.port import CommercePort
from api.commerce.sql_adapter import SqlCommerce
from api.db import get_session
from api.gateway.models import Conversation
from api.gateway.service import ChatError, ChatService
from api.security.rate_limits import RateLimited, RateLimits
from api.settings import Settings, get_settings

SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def require_service_token(settings: SettingsDep, authorization: Annotated[str | None, Header()] = None) -> None:
    """The internal endpoints serve the action server only: it presents ``Bearer <service token>``."""
    expected = f"Bearer {settings.service_token}"
    if authorization is None or not hmac.compare_digest(authorization.encode(), expected.encode()):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail={"code": "unauthorized"})


def get_commerce(session: SessionDep) -> CommercePort:
    return SqlCommerce(session)


def get_chat(request: Request) -> ChatService:
    return request.app.state.chat


def get_rate_limits(request: Request) -> RateLimits:
    return request.app.state.rate_limits


CommerceDep = Annotated[CommercePort, Depends(get_commerce)]
ChatDep = Annotated[ChatService, Depends(get_chat)]
RateLimitsDep = Annotated[RateLimits, Depends(get_rate_limits)]


def client_ip(connection: HTTPConnection) -> str | None:
    """The peer address, or the client a proxy of MD_TRUSTED_PROXIES names (api/security/forwarded.py)."""
    return connection.client.host if connection.client else None


def http_error(exc: ChatError, language: str, status_code: int = 422) -> HTTPException:
    """A buyer-facing error as JSON: a stable code and the text in the buyer's language.

    A rate-limit refusal is always 429 with ``retry_after`` (and the Retry-After header),
    so a client knows the request was not processed and when to send it again.
    """
    detail = {"code": exc.code, "message": exc.message(language)}
    if isinstance(exc, RateLimited):
        detail["retry_after"] = exc.retry_after
        return HTTPException(429, detail=detail, headers={"Retry-After": str(exc.retry_after)})
    return HTTPException(status_code, detail=detail)


async def rate_limit(
    limits: RateLimits, kind: str, connection: HTTPConnection, conversation_id: str | None = None
) -> None:
    """Count a buyer request against its rate limits (``RateLimited`` when over); off the event loop,
    since a Redis storage does network I/O."""
    await run_in_threadpool(limits.check, kind, ip=client_ip(connection), conversation_id=conversation_id)


async def conversation_by_token(chat: ChatService, conversation_id: str, token: str | None) -> Conversation:
    """The conversation the token holder may use; a wrong id and a wrong token are the same 404."""
    try:
        return await run_in_threadpool(chat.resume, conversation_id, token)
    except ChatError as exc:
        raise http_error(exc, "tr", 404) from exc
