"""Client addresses behind proxies, HSTS, and CORS that covers the buyer endpoints only.

X-Forwarded-For is believed only from MD_TRUSTED_PROXIES: from anyone else (the loopback
included) rotating it must not reset the per-IP limits nor write invented addresses into the
audit log. Tested against the real entry point (python -m api.serve), where uvicorn's own
default used to trust the loopback, and in-process for the trusted-proxy side.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from contextlib import contextmanager

from fastapi.testclient import TestClient

from ops.servers import api_server

LOGIN = "/api/v1/console/login"


def post_json(url: str, body: dict, headers: dict[str, str]) -> int:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json", **headers}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_a_rotated_forwarded_for_header_does_not_reset_the_login_limit(tmp_path):
    """From the loopback, without a trusted proxy, every attempt counts against 127.0.0.1."""
    with api_server(tmp_path, extra_env={"MD_RATE_LIMIT_LOGINS_PER_IP": "3/minute"}) as url:
        statuses = [
            post_json(
                f"{url}{LOGIN}",
                {"username": f"nobody{n}", "password": "guess-guess"},
                {"X-Forwarded-For": f"203.0.113.{n}"},
            )
            for n in range(5)
        ]
    assert statuses[:3] == [401, 401, 401]
    assert statuses[3:] == [429, 429]


@contextmanager
def behind_proxy(database_url: str, peer: str, **settings):
    from api.main import create_app
    from api.settings import Settings

    values = {"trusted_proxies": ["127.0.0.1", "10.0.0.0/8"], "rate_limit_logins_per_ip": "2/minute", **settings}
    app = create_app(Settings(database_url=database_url, **values))
    with TestClient(app, client=(peer, 40000)) as client:
        yield client


def failed_login_ips(username: str) -> list[str | None]:
    from api.db import get_sessionmaker
    from api.security import audit

    with get_sessionmaker()() as session:
        return [row.details.get("ip") for row in audit.entries(session, target=f"agent:{username}")]


def test_a_trusted_proxy_names_the_client_and_each_client_has_its_own_allowance(database_url):
    from tests.support.console import make_agent

    username, _ = make_agent()
    with behind_proxy(database_url, "127.0.0.1") as client:
        for address in ("198.51.100.1", "198.51.100.1", "198.51.100.2"):
            # A client-written left part is ignored: the right-most untrusted hop is the client.
            chain = f"6.6.6.6, {address}, 10.1.2.3"
            response = client.post(
                LOGIN, json={"username": username, "password": "wrong"}, headers={"X-Forwarded-For": chain}
            )
            assert response.status_code == 401
        third = client.post(
            LOGIN, json={"username": username, "password": "wrong"}, headers={"X-Forwarded-For": "198.51.100.1"}
        )
        assert third.status_code == 429
    assert failed_login_ips(username)[:3] == ["198.51.100.2", "198.51.100.1", "198.51.100.1"]


def test_an_untrusted_peer_cannot_name_another_client(database_url):
    from tests.support.console import make_agent

    username, _ = make_agent()
    with behind_proxy(database_url, "192.0.2.77") as client:
        statuses = [
            client.post(
                LOGIN, json={"username": username, "password": "wrong"}, headers={"X-Forwarded-For": f"203.0.113.{n}"}
            ).status_code
            for n in range(3)
        ]
    assert statuses == [401, 401, 429]
    assert set(failed_login_ips(username)) == {"192.0.2.77"}


def test_hsts_only_over_tls_as_a_trusted_proxy_reports_it(database_url):
    with behind_proxy(database_url, "127.0.0.1") as client:
        assert "strict-transport-security" in client.get("/healthz", headers={"X-Forwarded-Proto": "https"}).headers
        assert "strict-transport-security" not in client.get("/healthz").headers
    with behind_proxy(database_url, "192.0.2.77") as client:
        assert "strict-transport-security" not in client.get("/healthz", headers={"X-Forwarded-Proto": "https"}).headers
    from api.main import create_app
    from api.settings import Settings

    with TestClient(create_app(Settings(database_url=database_url)), base_url="https://md.example") as client:
        assert client.get("/healthz").headers["strict-transport-security"].startswith("max-age=31536000")


def preflight(client: TestClient, path: str, origin: str):
    return client.options(
        path,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )


def test_cors_covers_the_buyer_endpoints_not_the_console_login(database_url):
    from api.main import create_app
    from api.settings import Settings

    evil = "https://evil.example"
    with TestClient(create_app(Settings(database_url=database_url, allowed_origins=["*"]))) as client:
        assert preflight(client, "/api/v1/conversations", evil).headers.get("access-control-allow-origin") == "*"
        assert (
            "access-control-allow-origin" in client.get("/api/v1/faq?q=iade&lang=tr", headers={"Origin": evil}).headers
        )
        for path in (LOGIN, "/api/v1/console/queue", "/api/v1/internal/handoffs", "/api/v1/demo/buyer-token"):
            assert "access-control-allow-origin" not in preflight(client, path, evil).headers, path
        login = client.post(
            LOGIN, json={"username": f"x{uuid.uuid4().hex[:6]}", "password": "y" * 8}, headers={"Origin": evil}
        )
        assert "access-control-allow-origin" not in login.headers
    shop = "https://shop.example"
    with TestClient(create_app(Settings(database_url=database_url, allowed_origins=[shop]))) as client:
        assert preflight(client, "/api/v1/conversations", shop).headers.get("access-control-allow-origin") == shop
        assert "access-control-allow-origin" not in preflight(client, "/api/v1/conversations", evil).headers
