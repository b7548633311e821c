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

from api.errors import Catalogue, DomainError
from api.helpdesk.models import Agent, AgentSession, Presence, Role
from api.security import audit

SESSION_HOURS = 12
LANGUAGES = ("tr", "pl")
_hasher = PasswordHasher()
# Verifying against a dummy hash when the user does not exist keeps login time the same,
# so response times don't reveal which usernames exist.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


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
        raise DomainError("weak_credentials", 422)
    if not languages or any(lang not in LANGUAGES for lang in languages):
        raise DomainError("unsupported_language", 422)
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
        raise DomainError("username_taken", 409) from exc
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
    session_model: Any  # the bearer sessions: ``token_hash``, ``created_at``, ``expires_at``, ``revoked_at``
    session_owner: str  # the session's column naming the account (``agent_id``, ``seller_user_id``)
    catalogue: Catalogue | None = None  # words the refusals (the seller portal's texts); the console gets codes

    def refusal(self, code: str, status: int, retry_after: int | None = None) -> DomainError:
        """A login or session refusal: 401, or 429 with ``retry_after`` for a locked account."""
        if retry_after is None:
            return DomainError(code, status, catalogue=self.catalogue)
        return DomainError(
            code, status, catalogue=self.catalogue, values={"seconds": retry_after}, retry_after=retry_after
        )

    def login(
        self,
        session: Session,
        username: str,
        password: str,
        now: dt.datetime,
        ip: str | None = None,
        throttle: LoginThrottle = DEFAULT_THROTTLE,
    ) -> tuple[str, Any]:
        """``verify_login``, then a new bearer session: (token, account)."""
        account = verify_login(session, self, username, password, now, ip, throttle)
        return self.open_session(session, account, now), account

    def open_session(self, session: Session, account: Any, now: dt.datetime) -> str:
        """A new bearer session for ``account``; returns the token (only its SHA-256 is stored)."""
        token = secrets.token_urlsafe(32)
        session.add(
            self.session_model(
                token_hash=_digest(token),
                created_at=now,
                expires_at=now + dt.timedelta(hours=SESSION_HOURS),
                **{self.session_owner: account.id},
            )
        )
        session.commit()
        return token

    def live_session(self, session: Session, token: str | None, now: dt.datetime) -> tuple[Any, Any]:
        """The live session of ``token`` and its account; 401 ``unauthorized`` when revoked, expired or removed."""
        row = self._session_row(session, token) if token else None
        if row is None or row.revoked_at is not None or row.expires_at <= now:
            raise self.refusal("unauthorized", 401)
        account = session.get(self.model, getattr(row, self.session_owner))
        if account is None or account.disabled_at is not None:
            raise self.refusal("unauthorized", 401)
        return row, account

    def end_session(self, session: Session, token: str, now: dt.datetime) -> int | None:
        """End the session (audited ``<prefix>.logout``); its id for closing its live sockets, None if not live."""
        row = self._session_row(session, token)
        if row is None or row.revoked_at is not None:
            return None
        row.revoked_at = now
        account = session.get(self.model, getattr(row, self.session_owner))
        audit.record(session, self.actor(account), f"{self.prefix}.logout", self.target(account))
        session.commit()
        return row.id

    def _session_row(self, session: Session, token: str) -> Any:
        return session.scalars(
            select(self.session_model).where(self.session_model.token_hash == _digest(token))
        ).first()


def _failed_login(
    session: Session,
    kind: AccountKind,
    account: Any,
    ip: str | None,
    username: str,
    now: dt.datetime,
    throttle: LoginThrottle,
) -> DomainError:
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
    if seconds is None:
        return kind.refusal("invalid_credentials", 401)
    return kind.refusal("account_locked", 429, seconds)


def verify_login(
    session: Session,
    kind: AccountKind,
    username: str,
    password: str,
    now: dt.datetime,
    ip: str | None,
    throttle: LoginThrottle,
) -> Any:
    """The one login rule of console and seller accounts; returns the account, else raises ``DomainError``
    (401 ``invalid_credentials``, 429 ``account_locked`` with ``retry_after``).

    A locked account is refused before the password is looked at (the same for unknown usernames);
    a removed account's right password opens nothing and looks like a wrong one; the right
    password on an unlocked account starts the failure count again. The caller opens the session
    and commits (with the audit row of the login).
    """
    username = username.strip().lower()
    account = session.scalars(select(kind.model).where(kind.model.username == username)).first()
    locked_until = account.locked_until if account is not None else kind.unknown_names.locked_until(username)
    if locked_until is not None and locked_until > now:
        raise kind.refusal("account_locked", 429, _seconds_left(locked_until, now))
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
    session_model=AgentSession,
    session_owner="agent_id",
)


# The console's sessions: ``AccountKind``'s rule for agents (api/sellers/auth.py does the same for sellers).
login = AGENTS.login
session_for_token = AGENTS.live_session
logout = AGENTS.end_session


def agent_for_token(session: Session, token: str | None, now: dt.datetime) -> Agent:
    return session_for_token(session, token, now)[1]


def session_still_valid(session: Session, session_id: int, now: dt.datetime) -> bool:
    """Re-checked by a live console socket, so a logout elsewhere or a removal ends it even if no news came."""
    row = session.get(AgentSession, session_id)
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        return False
    agent = session.get(Agent, row.agent_id)
    return agent is not None and agent.disabled_at is None


def remove_agent(session: Session, username: str, now: dt.datetime, by: str = "operator") -> Agent:
    """Take an agent out of the console: every session ends, no new login; rows stay for the record.

    Their open conversations go back to the queue, so no buyer waits on someone who is gone.
    """
    agent = session.scalars(select(Agent).where(Agent.username == username.strip().lower())).first()
    if agent is None:
        raise DomainError("unknown_agent", 404)
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
        raise DomainError("supervisor_only", 403)


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
