"""FastAPI dependencies shared by routers."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request, status
from sqlalchemy.orm import Session

from api.commerce.port import CommercePort
from api.commerce.sql_adapter import SqlCommerce
from api.db import get_session
from api.gateway.service import ChatService
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


CommerceDep = Annotated[CommercePort, Depends(get_commerce)]
ChatDep = Annotated[ChatService, Depends(get_chat)]
