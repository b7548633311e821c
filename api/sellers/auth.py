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

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.commerce.models import Seller
from api.errors import DomainError
from api.helpdesk.auth import (
    DEFAULT_THROTTLE,
    SESSION_HOURS,
    AccountKind,
    LoginThrottle,
    _hasher,
    _UnknownNames,
)
from api.security import audit
from api.sellers import texts
from api.sellers.models import SellerSession, SellerUser

__all__ = [
    "DEFAULT_THROTTLE",
    "SESSION_HOURS",
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
        raise DomainError("weak_credentials", 422)
    if language not in LANGUAGES:
        raise DomainError("unsupported_language", 422)
    if session.get(Seller, seller_id) is None:
        raise DomainError("unknown_seller", 404)
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
        raise DomainError("username_taken", 409) from exc
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
    session_model=SellerSession,
    session_owner="seller_user_id",
    catalogue=texts.text,  # a seller reads every refusal in their portal's language
)


# The portal's sessions: the console's rule for seller accounts (``AccountKind``, api/helpdesk/auth.py).
login = SELLERS.login
session_for_token = SELLERS.live_session
logout = SELLERS.end_session


def user_for_token(session: Session, token: str | None, now: dt.datetime) -> SellerUser:
    return session_for_token(session, token, now)[1]


def disable_seller_user(session: Session, username: str, now: dt.datetime, by: str = "operator") -> SellerUser:
    """No more logins, every session ends; the rows (and what they wrote) stay for the record."""
    user = session.scalars(select(SellerUser).where(SellerUser.username == username.strip().lower())).first()
    if user is None:
        raise DomainError("unknown_seller_user", 404)
    user.disabled_at = user.disabled_at or now
    for row in session.scalars(
        select(SellerSession).where(SellerSession.seller_user_id == user.id, SellerSession.revoked_at.is_(None))
    ):
        row.revoked_at = now
    audit.record(session, by, "seller.disable", _target(user))
    session.commit()
    return user
