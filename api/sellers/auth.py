"""Seller accounts and seller portal sessions.

The same rules as the agent console (``api/helpdesk/auth.py``, whose pieces are reused here):
argon2id password hashes, 12-hour bearer sessions of which only the SHA-256 is stored, the
per-account lock after ``lock_after`` failures in a row (``LoginThrottle``, doubling up to 15
minutes, the lock on the account's row so every api process applies it) and the same answers
for usernames nobody has (counted in memory). A disabled account's right password opens
nothing and looks like a wrong one. Logins, failures, locks and logouts are audited with the
actor ``seller:<username>``.

A seller user belongs to one seller (``seller_id``), hence one market; ``language`` is the
language of their portal and of every error the api gives them.
"""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.commerce.models import Seller
from api.helpdesk.auth import (
    DEFAULT_THROTTLE,
    SESSION_HOURS,
    AccountKind,
    AuthError,
    LoginThrottle,
    _digest,
    _hasher,
    _UnknownNames,
    verify_login,
)
from api.security import audit
from api.sellers.models import SellerSession, SellerUser

__all__ = [
    "DEFAULT_THROTTLE",
    "SESSION_HOURS",
    "AuthError",
    "LoginThrottle",
    "actor",
    "create_seller_user",
    "disable_seller_user",
    "login",
    "logout",
    "session_for_token",
    "user_for_token",
]

LANGUAGES = ("tr", "pl")
MIN_PASSWORD_CHARS = 8
_unknown_names = _UnknownNames()  # the sellers' own: an agent's username is not a seller's


def actor(user: SellerUser) -> str:
    """How the audit log names a seller user."""
    return f"seller:{user.username}"


def _target(user: SellerUser) -> str:
    return f"seller_user:{user.username}"


def create_seller_user(
    session: Session,
    *,
    username: str,
    display_name: str,
    password: str,
    seller_id: str,
    language: str,
    by: str = "operator",
) -> SellerUser:
    username = username.strip().lower()
    if not username or len(username) > 64 or len(password) < MIN_PASSWORD_CHARS:
        raise AuthError("weak_credentials")
    if language not in LANGUAGES:
        raise AuthError("unsupported_language")
    if session.get(Seller, seller_id) is None:
        raise AuthError("unknown_seller")
    user = SellerUser(
        username=username,
        display_name=(display_name.strip() or username)[:80],
        password_hash=_hasher.hash(password),
        seller_id=seller_id,
        language=language,
    )
    session.add(user)
    try:
        session.flush()
    except IntegrityError as exc:
        session.rollback()
        raise AuthError("username_taken") from exc
    audit.record(session, by, "seller.create", _target(user), seller_id=seller_id)
    session.commit()
    return user


SELLERS = AccountKind(
    model=SellerUser,
    prefix="seller",
    actor=actor,
    target=_target,
    unknown_target="seller_user:unknown",  # typed usernames may be passwords
    unknown_names=_unknown_names,
)


def login(
    session: Session,
    username: str,
    password: str,
    now: dt.datetime,
    ip: str | None = None,
    throttle: LoginThrottle = DEFAULT_THROTTLE,
) -> tuple[str, SellerUser]:
    """The console's login rule (``api.helpdesk.auth.verify_login``), then a portal session."""
    user = verify_login(session, SELLERS, username, password, now, ip, throttle)
    token = secrets.token_urlsafe(32)
    session.add(
        SellerSession(
            token_hash=_digest(token),
            seller_user_id=user.id,
            created_at=now,
            expires_at=now + dt.timedelta(hours=SESSION_HOURS),
        )
    )
    session.commit()
    return token, user


def session_for_token(session: Session, token: str | None, now: dt.datetime) -> tuple[SellerSession, SellerUser]:
    """The live portal session of ``token`` and its user; ``unauthorized`` when revoked, expired or disabled."""
    if not token:
        raise AuthError("unauthorized")
    row = session.scalars(select(SellerSession).where(SellerSession.token_hash == _digest(token))).first()
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        raise AuthError("unauthorized")
    user = session.get(SellerUser, row.seller_user_id)
    if user is None or user.disabled_at is not None:
        raise AuthError("unauthorized")
    return row, user


def user_for_token(session: Session, token: str | None, now: dt.datetime) -> SellerUser:
    return session_for_token(session, token, now)[1]


def logout(session: Session, token: str, now: dt.datetime) -> int | None:
    """End the session (its token opens nothing afterwards); returns its id, None if it was not live."""
    row = session.scalars(select(SellerSession).where(SellerSession.token_hash == _digest(token))).first()
    if row is None or row.revoked_at is not None:
        return None
    row.revoked_at = now
    user = session.get(SellerUser, row.seller_user_id)
    audit.record(session, actor(user), "seller.logout", _target(user))
    session.commit()
    return row.id


def disable_seller_user(session: Session, username: str, now: dt.datetime, by: str = "operator") -> SellerUser:
    """No more logins, every session ends; the rows (and what they wrote) stay for the record."""
    user = session.scalars(select(SellerUser).where(SellerUser.username == username.strip().lower())).first()
    if user is None:
        raise AuthError("unknown_seller_user")
    user.disabled_at = user.disabled_at or now
    for row in session.scalars(
        select(SellerSession).where(SellerSession.seller_user_id == user.id, SellerSession.revoked_at.is_(None))
    ):
        row.revoked_at = now
    audit.record(session, by, "seller.disable", _target(user))
    session.commit()
    return user
