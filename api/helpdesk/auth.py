"""Agent accounts and console sessions.

Passwords are stored as argon2id hashes (argon2-cffi's defaults); a login returns a
random bearer token valid for ``SESSION_HOURS``, of which only the SHA-256 is kept.
Logins, failed logins and logouts are audited (actor ``agent:<username>``), so a
supervisor can see who was in the console when, and password guessing shows up.
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
from api.security import audit

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


def actor(agent: Agent) -> str:
    """How the audit log names an agent."""
    return f"agent:{agent.username}"


def _failed_login(session: Session, agent: Agent | None, ip: str | None) -> AuthError:
    """Audit a failed login; the failure is the event itself, so it is committed on its own.

    An unknown username is not written down: people type passwords into the username field.
    """
    who = actor(agent) if agent is not None else "anonymous"
    target = f"agent:{agent.username}" if agent is not None else "agent:unknown"
    audit.record(session, who, "agent.login_failed", target, ip=ip)
    session.commit()
    return AuthError("invalid_credentials")


def login(session: Session, username: str, password: str, now: dt.datetime, ip: str | None = None) -> tuple[str, Agent]:
    username = username.strip().lower()
    agent = session.scalars(select(Agent).where(Agent.username == username)).first()
    try:
        _hasher.verify(agent.password_hash if agent else _DUMMY_HASH, password)
    except (VerifyMismatchError, InvalidHashError):
        raise _failed_login(session, agent, ip) from None
    if agent is None:
        raise _failed_login(session, None, ip)
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
    audit.record(session, actor(agent), "agent.login", f"agent:{agent.username}", ip=ip)
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
        agent = session.get(Agent, row.agent_id)
        audit.record(session, actor(agent), "agent.logout", f"agent:{agent.username}")
        session.commit()


def require_supervisor(agent: Agent) -> None:
    """Supervisor-only operations (the audit log, acting on a colleague's conversation)."""
    if agent.role != Role.SUPERVISOR:
        raise AuthError("supervisor_only")


def set_presence(session: Session, agent: Agent, presence: Presence) -> Agent:
    """Online agents receive conversations: when someone was reachable is part of the record."""
    before = agent.presence
    agent.presence = Presence(presence).value
    if before != agent.presence:
        audit.record(
            session, actor(agent), "agent.presence", f"agent:{agent.username}", before=before, after=agent.presence
        )
    session.commit()
    return agent
