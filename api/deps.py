"""FastAPI dependencies shared by routers."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Header, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection

from api.commerce.port import CommercePort
from api.commerce.sql_adapter import SqlCommerce
from api.db import get_session
from api.errors import DomainError, reply_in
from api.gateway.models import Conversation
from api.gateway.service import ChatService
from api.security.rate_limits import RateLimits
from api.settings import Settings, get_settings

SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def require_service_token(settings: SettingsDep, authorization: Annotated[str | None, Header()] = None) -> None:
    """The internal endpoints serve the action server only: it presents ``Bearer <service token>``."""
    expected = f"Bearer {settings.service_token}"
    if authorization is None or not hmac.compare_digest(authorization.encode(), expected.encode()):
        raise DomainError("unauthorized", 401)


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


async def rate_limit(
    limits: RateLimits, kind: str, connection: HTTPConnection, conversation_id: str | None = None
) -> None:
    """Count a buyer request against its rate limits (a 429 ``DomainError`` when over); off the event loop,
    since a Redis storage does network I/O."""
    await run_in_threadpool(limits.check, kind, ip=client_ip(connection), conversation_id=conversation_id)


async def conversation_by_token(
    chat: ChatService, conversation_id: str, token: str | None, connection: HTTPConnection | None = None
) -> Conversation:
    """The conversation the token holder may use; a wrong id and a wrong token are the same 404.

    With ``connection``, every later refusal of the request is worded in the conversation's language.
    """
    conversation = await run_in_threadpool(chat.resume, conversation_id, token)
    if connection is not None:
        reply_in(connection, conversation.language)
    return conversation
