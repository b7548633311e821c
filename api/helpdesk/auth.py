"""Agent accounts and console sessions.

Passwords are stored as argon2id hashes (argon2-cffi's defaults); a login returns a
random bearer token valid for ``SESSION_HOURS``, of which only the SHA-256 is kept.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.helpdesk.models import Agent, AgentSession, Presence, Role

SESSION_HOURS = 12
LANGUAGES = ("tr", "pl")
_hasher = PasswordHasher()
# Verifying against a dummy hash when the user does not exist keeps login time the same,
# so response times don't reveal which usernames exist.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


class AuthError(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_agent(
    session: Session,
    *,
    username: str,
    display_name: str,
    password: str,
    languages: list[str],
    skills: list[str] | None = None,
    capacity: int = 3,
    role: str = Role.AGENT,
) -> Agent:
    username = username.strip().lower()
    if not username or len(password) < 8:
        raise AuthError("weak_credentials")
    if not languages or any(lang not in LANGUAGES for lang in languages):
        raise AuthError("unsupported_language")
    agent = Agent(
        username=username,
        display_name=display_name.strip() or username,
        password_hash=_hasher.hash(password),
        languages=list(languages),
        skills=list(skills or []),
        capacity=max(1, capacity),
        role=Role(role).value,
        presence=Presence.OFFLINE.value,
    )
    session.add(agent)
    try:
        session.commit()
    except IntegrityError as exc:
        session.rollback()
        raise AuthError("username_taken") from exc
    return agent


def login(session: Session, username: str, password: str, now: dt.datetime) -> tuple[str, Agent]:
    agent = session.scalars(select(Agent).where(Agent.username == username.strip().lower())).first()
    try:
        _hasher.verify(agent.password_hash if agent else _DUMMY_HASH, password)
    except (VerifyMismatchError, InvalidHashError):
        raise AuthError("invalid_credentials") from None
    if agent is None:
        raise AuthError("invalid_credentials")
    token = secrets.token_urlsafe(32)
    session.add(
        AgentSession(
            token_hash=_digest(token),
            agent_id=agent.id,
            created_at=now,
            expires_at=now + dt.timedelta(hours=SESSION_HOURS),
        )
    )
    if _hasher.check_needs_rehash(agent.password_hash):
        agent.password_hash = _hasher.hash(password)
    session.commit()
    return token, agent


def agent_for_token(session: Session, token: str | None, now: dt.datetime) -> Agent:
    if not token:
        raise AuthError("unauthorized")
    row = session.scalars(select(AgentSession).where(AgentSession.token_hash == _digest(token))).first()
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        raise AuthError("unauthorized")
    return session.get(Agent, row.agent_id)


def logout(session: Session, token: str, now: dt.datetime) -> None:
    row = session.scalars(select(AgentSession).where(AgentSession.token_hash == _digest(token))).first()
    if row is not None and row.revoked_at is None:
        row.revoked_at = now
        session.commit()
