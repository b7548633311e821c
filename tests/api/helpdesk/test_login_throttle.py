"""Per-account login throttle: failures in a row lock the account for a while, doubling, capped at 15 minutes.

The rule is tested with an explicit clock (``now``), so a lock runs out without sleeping; the
endpoint with the app's settings. Every test uses agents of its own: the shared demo accounts
of other tests are never locked.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import select

from api.errors import DomainError
from api.helpdesk import auth
from tests.support.console import CONSOLE, make_agent

pytestmark = pytest.mark.usefixtures("database_url")  # the test database, also for the rule-level tests

T0 = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC)
RULE = auth.LoginThrottle(lock_after=5, lock_seconds=60)


def sessions():
    from api.db import get_sessionmaker

    return get_sessionmaker()()


def attempt(username: str, password: str, now: dt.datetime, throttle: auth.LoginThrottle = RULE) -> tuple:
    """(code, retry_after) of a refused login, ("ok", None) of a successful one."""
    with sessions() as session:
        try:
            auth.login(session, username, password, now, ip="203.0.113.9", throttle=throttle)
        except DomainError as exc:
            return exc.code, exc.retry_after
        return "ok", None


def stored(username: str):
    from api.helpdesk.models import Agent

    with sessions() as session:
        agent = session.scalars(select(Agent).where(Agent.username == username)).one()
        return agent.failed_logins, agent.locked_until


def audit_of(username: str, action: str) -> list[dict]:
    from api.security import audit

    with sessions() as session:
        return [e.details for e in reversed(audit.entries(session, target=f"agent:{username}", action=action))]


def test_five_failures_lock_the_account_and_even_the_right_password_waits(monkeypatch):
    username, password = make_agent()
    for n in range(4):
        assert attempt(username, "wrong-pass", T0 + dt.timedelta(seconds=n)) == ("invalid_credentials", None)
    assert attempt(username, "wrong-pass", T0 + dt.timedelta(seconds=4)) == ("account_locked", 60)
    assert stored(username) == (5, T0 + dt.timedelta(seconds=64))

    class NoHasher:
        def verify(self, *args):
            raise AssertionError("a locked account's password was checked")

    with monkeypatch.context() as patched:
        patched.setattr(auth, "_hasher", NoHasher())
        assert attempt(username, password, T0 + dt.timedelta(seconds=34)) == ("account_locked", 30)
        assert attempt(username, "wrong-pass", T0 + dt.timedelta(seconds=63, microseconds=1)) == ("account_locked", 1)
    assert stored(username)[0] == 5  # tries while locked are not failures: they don't lengthen the lock

    # The lock has run out: the right password is taken and the count starts again.
    assert attempt(username, password, T0 + dt.timedelta(seconds=64)) == ("ok", None)
    assert stored(username) == (0, None)
    for n in range(4):
        assert attempt(username, "wrong-pass", T0 + dt.timedelta(minutes=5, seconds=n))[0] == "invalid_credentials"

    locks = audit_of(username, "agent.login_locked")
    assert locks == [{"ip": "203.0.113.9", "until": (T0 + dt.timedelta(seconds=64)).isoformat(), "failures": 5}]
    assert len(audit_of(username, "agent.login_failed")) == 9  # only checked passwords are failures


def test_each_failure_after_a_lock_doubles_it_up_to_fifteen_minutes():
    username, password = make_agent()
    now = T0
    for _ in range(4):
        attempt(username, "wrong-pass", now)
    locks = []
    for _ in range(7):
        code, seconds = attempt(username, "wrong-pass", now)
        assert code == "account_locked"
        locks.append(seconds)
        now += dt.timedelta(seconds=seconds)  # wait it out, then fail again
    assert locks == [60, 120, 240, 480, 900, 900, 900]
    assert [d["failures"] for d in audit_of(username, "agent.login_locked")] == [5, 6, 7, 8, 9, 10, 11]
    assert attempt(username, password, now) == ("ok", None) and stored(username) == (0, None)


def test_the_settings_set_the_threshold_and_the_first_lock():
    username, _ = make_agent()
    rule = auth.LoginThrottle(lock_after=2, lock_seconds=7)
    assert attempt(username, "wrong-pass", T0, rule) == ("invalid_credentials", None)
    assert attempt(username, "wrong-pass", T0, rule) == ("account_locked", 7)


def test_an_unknown_username_answers_exactly_like_an_account_and_is_not_stored():
    username, password = make_agent()
    nobody = f"nobody-{uuid.uuid4().hex[:8]}"
    for n in range(12):
        now = T0 + dt.timedelta(seconds=20 * n)
        assert attempt(nobody, "wrong-pass", now) == attempt(username, "wrong-pass", now), n
    later = T0 + dt.timedelta(hours=1)  # both locks ran out; the next failure locks for twice as long
    assert attempt(nobody, password, later) == attempt(username, "wrong-pass", later) == ("account_locked", 240)
    from api.security import audit

    with sessions() as session:
        assert nobody not in str([(e.actor, e.target, e.details) for e in audit.entries(session, limit=10_000)])


def login_over_http(client, username: str, password: str):
    return client.post(f"{CONSOLE}/login", json={"username": username, "password": password})


def test_the_endpoint_answers_429_with_retry_after(client):
    from api.helpdesk.models import Agent

    username, password = make_agent()
    nobody = f"nobody-{uuid.uuid4().hex[:8]}"
    for name in (username, nobody):
        answers = [login_over_http(client, name, "wrong-pass") for _ in range(5)]
        assert [a.status_code for a in answers] == [401, 401, 401, 401, 429], name
        assert answers[0].json() == {"detail": {"code": "invalid_credentials"}}
        locked = login_over_http(client, name, password)
        assert locked.status_code == 429 and locked.json()["detail"]["code"] == "account_locked"
        retry_after = locked.json()["detail"]["retry_after"]
        assert 1 <= retry_after <= 60 and locked.headers["retry-after"] == str(retry_after)
    # The lock is on the account's row, which every api process reads: when it has run out, the right
    # password gets in again.
    with sessions() as session:
        agent = session.scalars(select(Agent).where(Agent.username == username)).one()
        assert agent.failed_logins == 5 and agent.locked_until is not None
        agent.locked_until = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
        session.commit()
    assert login_over_http(client, username.upper(), password).status_code == 200
    assert stored(username) == (0, None)


@pytest.fixture
def strict_app_client(database_url):
    from fastapi.testclient import TestClient

    from api.main import create_app
    from api.settings import Settings

    settings = Settings(database_url=database_url, login_lock_after=2, login_lock_seconds=9)
    with TestClient(create_app(settings)) as client:
        yield client


def test_the_endpoint_uses_the_apps_settings(strict_app_client):
    username, _ = make_agent()
    assert login_over_http(strict_app_client, username, "wrong-pass").status_code == 401
    locked = login_over_http(strict_app_client, username, "wrong-pass")
    assert locked.status_code == 429 and locked.json()["detail"] == {"code": "account_locked", "retry_after": 9}


def test_the_console_page_says_so_in_both_languages():
    from pathlib import Path

    script = (Path(auth.__file__).resolve().parents[1] / "static" / "console.js").read_text(encoding="utf-8")
    turkish, polish = script.split("\n    pl: {", 1)
    assert "err_account_locked:" in turkish and "err_account_locked:" in polish
    assert "{seconds}" in turkish.split("err_account_locked:", 1)[1].split("\n", 1)[0]
    assert "{seconds}" in polish.split("err_account_locked:", 1)[1].split("\n", 1)[0]
