"""Agent accounts and console sessions.

Passwords are stored as argon2id hashes (argon2-cffi's defaults); a login returns a
random bearer token valid for ``SESSION_HOURS``, of which only the SHA-256 is kept.
Logins, failed logins and logouts are audited (actor ``agent:<username>``), so a
supervisor can see who was in the console when, and password guessing shows up.

Password guessing against one account is also stopped by the account itself (beside the
per-IP rate limit): after ``lock_after`` failed logins in a row it is locked for
``lock_seconds``, and every further failure after that (once a lock has run out) locks it
again for twice as long, up to 15 minutes. While locked, no password is checked, not even
the right one (``account_locked`` with ``retry_after``); a successful login resets the
count. The count and the lock live on the agent's row, so every api process applies them,
and a lock always runs out, so an attacker cannot shut the real agent out for good.

A username nobody has must not answer differently: it gets the same count and locks, kept
in the api process's memory (``_UnknownNames``: hashed names, bounded, not audited beyond
the anonymous ``agent.login_failed`` row). Several api processes each count on their own,
so there the difference is blurred rather than gone; the per-IP limit bounds the probing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from sqlalchemy import select, update
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
    def __init__(self, code: str, retry_after: int | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.retry_after = retry_after  # account_locked: seconds until a login is taken again


MAX_LOCK_SECONDS = 15 * 60


@dataclass(frozen=True)
class LoginThrottle:
    """The per-account lock rule (settings ``login_lock_after`` and ``login_lock_seconds``)."""

    lock_after: int = 5
    lock_seconds: int = 60

    def lock_for(self, failures: int) -> int | None:
        """Seconds the ``failures``-th failure in a row locks the account for; None below the threshold."""
        if failures < self.lock_after:
            return None
        return min(self.lock_seconds * 2 ** min(failures - self.lock_after, 16), MAX_LOCK_SECONDS)


DEFAULT_THROTTLE = LoginThrottle()


class _UnknownNames:
    """Failures and locks of usernames that do not exist, so they lock like real accounts do."""

    def __init__(self, size: int = 10_000) -> None:
        self._size = size
        self._rows: OrderedDict[str, tuple[int, dt.datetime | None]] = OrderedDict()
        self._mutex = threading.Lock()

    @staticmethod
    def _key(username: str) -> str:
        return hashlib.sha256(username.encode("utf-8", "replace")).hexdigest()  # may be a typed password

    def locked_until(self, username: str) -> dt.datetime | None:
        with self._mutex:
            return self._rows.get(self._key(username), (0, None))[1]

    def failed(self, username: str, throttle: LoginThrottle, now: dt.datetime) -> int | None:
        """Count a failure; the lock it starts, in seconds, if any."""
        key = self._key(username)
        with self._mutex:
            failures = self._rows.pop(key, (0, None))[0] + 1
            seconds = throttle.lock_for(failures)
            self._rows[key] = (failures, now + dt.timedelta(seconds=seconds) if seconds else None)
            while len(self._rows) > self._size:
                self._rows.popitem(last=False)
            return seconds


_unknown_names = _UnknownNames()


def _seconds_left(until: dt.datetime, now: dt.datetime) -> int:
    return max(1, math.ceil((until - now).total_seconds()))


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


@dataclass(frozen=True)
class AccountKind:
    """What differs between console accounts and seller-portal accounts in the one login rule.

    ``model`` has ``username``, ``password_hash``, ``failed_logins``, ``locked_until`` and
    ``disabled_at``; audit actions are ``<prefix>.login``, ``.login_failed``, ``.login_locked``.
    """

    model: Any
    prefix: str
    actor: Callable[[Any], str]
    target: Callable[[Any], str]
    unknown_target: str
    unknown_names: _UnknownNames


def _failed_login(
    session: Session,
    kind: AccountKind,
    account: Any,
    ip: str | None,
    username: str,
    now: dt.datetime,
    throttle: LoginThrottle,
) -> AuthError:
    """Audit and count a failed login; the failure is the event itself, so it is committed on its own.

    An unknown username is not written down: people type passwords into the username field.
    The failure that reaches the threshold starts a lock (audited ``<prefix>.login_locked``) and
    already answers ``account_locked``.
    """
    who = kind.actor(account) if account is not None else "anonymous"
    target = kind.target(account) if account is not None else kind.unknown_target
    audit.record(session, who, f"{kind.prefix}.login_failed", target, ip=ip)
    if account is None:
        seconds = kind.unknown_names.failed(username, throttle, now)
    else:
        # Counted in the database (not read-modify-write), so concurrent failures all count.
        session.execute(
            update(kind.model)
            .where(kind.model.id == account.id)
            .values(failed_logins=kind.model.failed_logins + 1)
            .execution_options(synchronize_session=False)
        )
        session.refresh(account, ["failed_logins"])
        seconds = throttle.lock_for(account.failed_logins)
        if seconds is not None:
            account.locked_until = now + dt.timedelta(seconds=seconds)
            audit.record(
                session,
                who,
                f"{kind.prefix}.login_locked",
                target,
                ip=ip,
                until=account.locked_until.isoformat(),
                failures=account.failed_logins,
            )
    session.commit()
    return AuthError("invalid_credentials") if seconds is None else AuthError("account_locked", retry_after=seconds)


def verify_login(
    session: Session,
    kind: AccountKind,
    username: str,
    password: str,
    now: dt.datetime,
    ip: str | None,
    throttle: LoginThrottle,
) -> Any:
    """The one login rule of console and seller accounts; returns the account, else raises ``AuthError``.

    A locked account is refused before the password is looked at (the same for unknown usernames);
    a removed account's right password opens nothing and looks like a wrong one; the right
    password on an unlocked account starts the failure count again. The caller opens the session
    and commits (with the audit row of the login).
    """
    username = username.strip().lower()
    account = session.scalars(select(kind.model).where(kind.model.username == username)).first()
    locked_until = account.locked_until if account is not None else kind.unknown_names.locked_until(username)
    if locked_until is not None and locked_until > now:
        raise AuthError("account_locked", retry_after=_seconds_left(locked_until, now))
    try:
        _hasher.verify(account.password_hash if account else _DUMMY_HASH, password)
    except (VerifyMismatchError, InvalidHashError):
        raise _failed_login(session, kind, account, ip, username, now, throttle) from None
    if account is None or account.disabled_at is not None:
        raise _failed_login(session, kind, account, ip, username, now, throttle)
    account.failed_logins, account.locked_until = 0, None
    if _hasher.check_needs_rehash(account.password_hash):
        account.password_hash = _hasher.hash(password)
    audit.record(session, kind.actor(account), f"{kind.prefix}.login", kind.target(account), ip=ip)
    return account


AGENTS = AccountKind(
    model=Agent,
    prefix="agent",
    actor=actor,
    target=lambda agent: f"agent:{agent.username}",
    unknown_target="agent:unknown",
    unknown_names=_unknown_names,
)


def login(
    session: Session,
    username: str,
    password: str,
    now: dt.datetime,
    ip: str | None = None,
    throttle: LoginThrottle = DEFAULT_THROTTLE,
) -> tuple[str, Agent]:
    agent = verify_login(session, AGENTS, username, password, now, ip, throttle)
    token = secrets.token_urlsafe(32)
    session.add(
        AgentSession(
            token_hash=_digest(token),
            agent_id=agent.id,
            created_at=now,
            expires_at=now + dt.timedelta(hours=SESSION_HOURS),
        )
    )
    session.commit()
    return token, agent


def session_for_token(session: Session, token: str | None, now: dt.datetime) -> tuple[AgentSession, Agent]:
    """The live console session of ``token`` and its agent; ``unauthorized`` when revoked, expired or removed."""
    if not token:
        raise AuthError("unauthorized")
    row = session.scalars(select(AgentSession).where(AgentSession.token_hash == _digest(token))).first()
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        raise AuthError("unauthorized")
    agent = session.get(Agent, row.agent_id)
    if agent is None or agent.disabled_at is not None:
        raise AuthError("unauthorized")
    return row, agent


def agent_for_token(session: Session, token: str | None, now: dt.datetime) -> Agent:
    return session_for_token(session, token, now)[1]


def session_still_valid(session: Session, session_id: int, now: dt.datetime) -> bool:
    """Re-checked by a live console socket, so a logout elsewhere or a removal ends it even if no news came."""
    row = session.get(AgentSession, session_id)
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        return False
    agent = session.get(Agent, row.agent_id)
    return agent is not None and agent.disabled_at is None


def logout(session: Session, token: str, now: dt.datetime) -> int | None:
    """End the session; returns its id so the caller can close the session's live sockets."""
    row = session.scalars(select(AgentSession).where(AgentSession.token_hash == _digest(token))).first()
    if row is not None and row.revoked_at is None:
        row.revoked_at = now
        agent = session.get(Agent, row.agent_id)
        audit.record(session, actor(agent), "agent.logout", f"agent:{agent.username}")
        session.commit()
        return row.id
    return None


def remove_agent(session: Session, username: str, now: dt.datetime, by: str = "operator") -> Agent:
    """Take an agent out of the console: every session ends, no new login; rows stay for the record.

    Their open conversations go back to the queue, so no buyer waits on someone who is gone.
    """
    agent = session.scalars(select(Agent).where(Agent.username == username.strip().lower())).first()
    if agent is None:
        raise AuthError("unknown_agent")
    agent.disabled_at = agent.disabled_at or now
    agent.presence = Presence.OFFLINE.value
    for row in session.scalars(
        select(AgentSession).where(AgentSession.agent_id == agent.id, AgentSession.revoked_at.is_(None))
    ):
        row.revoked_at = now
    audit.record(session, by, "agent.remove", f"agent:{agent.username}")
    session.commit()
    return agent


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
