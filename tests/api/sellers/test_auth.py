"""Seller accounts: argon2id, 12-hour bearer sessions stored as SHA-256, the per-account lock,
disabled accounts, logout, audit, and the operator CLI."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from sqlalchemy import select

from api.errors import DomainError
from tests.support.sellers import PASSWORD, SELLER, login, make_user

# Every test here uses the session-wide test database, never var/marketdesk.db.
pytestmark = pytest.mark.usefixtures("database_url")


def session():
    from api.db import get_sessionmaker

    return get_sessionmaker()()


def test_login_me_logout(client):
    from api.security.audit import entries
    from api.sellers.models import SellerSession, SellerUser

    who = login(client, "tr-s-02", "pl")
    me = client.get(f"{SELLER}/me", headers=who.headers)
    assert me.status_code == 200
    body = me.json()
    assert body["username"] == who.username and body["language"] == "pl"
    assert body["seller"] == {"id": "tr-s-02", "name": body["seller"]["name"], "market": "TR"}
    assert "Aras Kargo" in body["carriers"] and "shipped" in body["statuses"]
    with session() as s:
        user = s.scalars(select(SellerUser).where(SellerUser.username == who.username)).one()
        assert user.password_hash.startswith("$argon2id$")
        row = s.scalars(select(SellerSession).where(SellerSession.seller_user_id == user.id)).one()
        assert row.token_hash == hashlib.sha256(who.token.encode()).hexdigest()  # the token itself is not kept
        assert dt.timedelta(hours=11, minutes=59) < row.expires_at - row.created_at <= dt.timedelta(hours=12)
        assert [e.actor for e in entries(s, target=f"seller_user:{who.username}", action="seller.login")] == [
            f"seller:{who.username}"
        ]
    assert client.post(f"{SELLER}/logout", headers=who.headers).status_code == 204
    after = client.get(f"{SELLER}/me", headers=who.headers)
    assert after.status_code == 401
    assert after.json()["detail"]["code"] == "unauthorized"
    assert client.get(f"{SELLER}/threads", headers=who.headers).status_code == 401
    with session() as s:
        assert entries(s, target=f"seller_user:{who.username}", action="seller.logout")


def test_wrong_password_and_unknown_user_answer_alike_in_the_forms_language(client):
    username = make_user("tr-s-03")
    wrong = client.post(f"{SELLER}/login", json={"username": username, "password": "nope-nope-1", "language": "pl"})
    unknown = client.post(f"{SELLER}/login", json={"username": "nobody-here", "password": "nope-nope-1"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["detail"] == {
        "code": "invalid_credentials",
        "message": "Nieprawidłowa nazwa użytkownika lub hasło.",
    }
    assert unknown.json()["detail"]["code"] == "invalid_credentials"
    assert unknown.json()["detail"]["message"] == "Kullanıcı adı veya şifre hatalı."  # no language given: Turkish
    accept = client.post(
        f"{SELLER}/login", json={"username": "nobody", "password": "x" * 9}, headers={"Accept-Language": "pl-PL"}
    )
    assert accept.json()["detail"]["message"].startswith("Nieprawidłowa")


def test_the_account_locks_after_failures_in_a_row():
    from api.clock import utcnow
    from api.sellers import auth

    username = make_user("tr-s-04")
    throttle = auth.LoginThrottle(lock_after=3, lock_seconds=60)
    now = utcnow()
    with session() as s:
        for _ in range(3):
            with pytest.raises(DomainError) as failed:
                auth.login(s, username, "wrong-password", now, throttle=throttle)
        assert failed.value.code == "account_locked" and failed.value.retry_after == 60
        with pytest.raises(DomainError) as locked:  # even the right password waits
            auth.login(s, username, PASSWORD, now + dt.timedelta(seconds=30), throttle=throttle)
        assert locked.value.code == "account_locked" and locked.value.retry_after == 30
        token, user = auth.login(s, username, PASSWORD, now + dt.timedelta(seconds=61), throttle=throttle)
        assert token and user.failed_logins == 0 and user.locked_until is None
        # Unknown usernames lock the same way, so the lock does not reveal who exists.
        for _ in range(3):
            with pytest.raises(DomainError) as ghost:
                auth.login(s, "ghost-seller", "wrong-password", now, throttle=throttle)
        assert ghost.value.code == "account_locked"


def test_the_http_lock_is_a_429_with_retry_after_in_the_sellers_language(client, monkeypatch):
    monkeypatch.setattr(client.app.state.settings, "login_lock_after", 2)
    username = make_user("pl-s-02", "pl")
    body = {"username": username, "password": "wrong-password", "language": "pl"}
    assert client.post(f"{SELLER}/login", json=body).status_code == 401
    locked = client.post(f"{SELLER}/login", json=body)
    assert locked.status_code == 429 and locked.headers["Retry-After"] == "60"
    assert locked.json()["detail"]["code"] == "account_locked" and locked.json()["detail"]["retry_after"] == 60
    assert "60 s" in locked.json()["detail"]["message"]


def test_sessions_expire_after_12_hours_and_disabled_users_are_refused(client):
    from api.clock import utcnow
    from api.sellers import auth

    who = login(client, "tr-s-05")
    with session() as s:
        assert auth.user_for_token(s, who.token, utcnow() + dt.timedelta(hours=11)).username == who.username
        with pytest.raises(DomainError):
            auth.user_for_token(s, who.token, utcnow() + dt.timedelta(hours=12, seconds=1))
        auth.disable_seller_user(s, who.username, utcnow(), by="operator:test")
    assert client.get(f"{SELLER}/me", headers=who.headers).status_code == 401  # the open session ended
    again = client.post(f"{SELLER}/login", json={"username": who.username, "password": PASSWORD})
    assert again.status_code == 401 and again.json()["detail"]["code"] == "invalid_credentials"  # looks like a typo


def test_create_seller_user_checks_its_input():
    from api.sellers import auth

    with session() as s:
        for kwargs, code in (
            ({"password": "short"}, "weak_credentials"),
            ({"language": "en"}, "unsupported_language"),
            ({"seller_id": "tr-s-99"}, "unknown_seller"),
        ):
            values = {
                "username": "checked",
                "display_name": "X",
                "password": PASSWORD,
                "seller_id": "tr-s-01",
                "language": "tr",
            }
            with pytest.raises(DomainError) as refused:
                auth.create_seller_user(s, **{**values, **kwargs})
            assert refused.value.code == code
    username = make_user("tr-s-01")
    with session() as s, pytest.raises(DomainError) as taken:
        auth.create_seller_user(
            s, username=username.upper(), display_name="X", password=PASSWORD, seller_id="tr-s-01", language="tr"
        )
    assert taken.value.code == "username_taken"


def test_cli_create_seller_user(client, monkeypatch, capsys):
    from api.cli import main

    monkeypatch.setenv("MD_SELLER_PASSWORD", "cli-seller-pass")
    assert main(["create-seller-user", "cli-satici", "--seller", "tr-s-06", "--name", "Ayşe", "--language", "tr"]) == 0
    assert "seller user cli-satici created (seller tr-s-06, language tr)" in capsys.readouterr().out
    logged_in = client.post(f"{SELLER}/login", json={"username": "cli-satici", "password": "cli-seller-pass"})
    assert logged_in.status_code == 200
    user = logged_in.json()["user"]
    assert user["display_name"] == "Ayşe" and user["seller"]["id"] == "tr-s-06" and user["language"] == "tr"
    assert main(["create-seller-user", "cli-other", "--seller", "xx-s-01", "--language", "pl"]) == 1
    assert "not created: unknown_seller" in capsys.readouterr().err
    with pytest.raises(SystemExit):  # the language is required and only tr|pl
        main(["create-seller-user", "cli-third", "--seller", "tr-s-06", "--language", "de"])


def test_the_demo_seed_created_one_seller_user_per_market_with_questions(client):
    from api.settings import get_settings
    from api.support.models import SellerMessage

    for username, market, language in (("satici", "TR", "tr"), ("sprzedawca", "PL", "pl")):
        response = client.post(
            f"{SELLER}/login", json={"username": username, "password": get_settings().demo_seller_password}
        )
        assert response.status_code == 200, response.text
        user = response.json()["user"]
        assert user["seller"]["market"] == market and user["language"] == language
        with session() as s:
            asked = s.scalars(select(SellerMessage).where(SellerMessage.seller_id == user["seller"]["id"])).all()
        assert asked and any(q.urgent for q in asked)
