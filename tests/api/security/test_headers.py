"""Security headers on pages and API responses, CORS for the widget, and the chat socket's Origin check."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from tests.support.conversations import start

STATIC = Path(__file__).resolve().parents[3] / "api" / "static"
SHOP = "https://shop.example"


def csp(response) -> dict[str, str]:
    policy = response.headers["content-security-policy"]
    return {d.split()[0]: d.partition(" ")[2] for d in (p.strip() for p in policy.split(";")) if d}


def assert_common(response) -> None:
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "camera=()" in response.headers["permissions-policy"]
    assert "microphone=()" in response.headers["permissions-policy"]


@pytest.mark.parametrize("path", ["/", "/console", "/static/demo.html", "/static/console.html"])
def test_pages_run_only_our_scripts_and_cannot_be_framed(client, path):
    response = client.get(path)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert_common(response)
    assert response.headers["x-frame-options"] == "DENY"
    policy = csp(response)
    assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert policy["default-src"] == "'self'" and "'self'" in policy["connect-src"]


def test_the_demo_pages_inline_script_is_allowed_by_its_hash(client):
    page = (STATIC / "demo.html").read_text(encoding="utf-8")
    [inline] = re.findall(r"<script>(.*?)</script>", page, re.S)
    digest = base64.b64encode(hashlib.sha256(inline.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in csp(client.get("/"))["script-src"]


def test_the_widget_script_is_meant_for_other_sites(client):
    response = client.get("/static/widget.js")
    assert response.status_code == 200
    assert_common(response)
    assert "x-frame-options" not in response.headers
    assert response.headers["cross-origin-resource-policy"] == "cross-origin"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/faq?q=iade"),
        ("GET", "/healthz"),
        ("GET", "/api/v1/conversations/nope/messages"),  # 404
        ("GET", "/api/v1/console/me"),  # 401
        ("POST", "/api/v1/conversations"),  # 422
        ("GET", "/openapi.json"),
    ],
)
def test_every_api_response_has_them(client, method, path):
    response = client.request(method, path, json={})
    assert_common(response)
    assert response.headers["x-frame-options"] == "DENY"
    assert csp(response) == {"default-src": "'none'", "frame-ancestors": "'none'"}


def test_a_routes_own_policy_is_kept(client):
    conv = start(client, "tr", None)
    from tests.support.conversations import image_bytes, upload

    url = upload(client, conv, image_bytes()).json()["message"]["attachment"]["url"]
    served = client.get(url, params={"token": conv["token"]})
    assert served.headers["content-security-policy"] == "default-src 'none'"
    assert served.headers.get_list("content-security-policy") == ["default-src 'none'"]
    assert served.headers["x-frame-options"] == "DENY"


def test_the_api_docs_page_may_load_its_cdn(client):
    response = client.get("/docs")
    assert response.status_code == 200
    assert "https://cdn.jsdelivr.net" in csp(response)["script-src"]
    assert csp(response)["frame-ancestors"] == "'none'"


@pytest.fixture
def shop_only(database_url):
    from api.main import create_app
    from api.settings import Settings

    with TestClient(create_app(Settings(database_url=database_url, allowed_origins=[SHOP]))) as client:
        yield client


def preflight(client, origin: str, headers: str = "content-type"):
    return client.options(
        "/api/v1/conversations",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": headers,
        },
    )


def test_cors_lets_the_configured_shop_use_the_buyer_api(shop_only):
    allowed = preflight(shop_only, SHOP, "content-type,x-conversation-token")
    assert allowed.status_code == 200 and allowed.headers["access-control-allow-origin"] == SHOP
    assert_common(allowed)
    refused = preflight(shop_only, "https://evil.example")
    assert "access-control-allow-origin" not in refused.headers
    simple = shop_only.get("/api/v1/faq", params={"q": "iade"}, headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in simple.headers


def test_no_page_may_send_an_agent_or_service_token_cross_origin(client):
    response = preflight(client, "https://anywhere.example", "authorization")
    assert response.status_code == 400  # '*' is for the buyer endpoints; Authorization is never allowed


def test_the_chat_socket_checks_the_origin(shop_only):
    with pytest.raises(WebSocketDisconnect) as closed:
        with shop_only.websocket_connect("/api/v1/chat/ws?lang=pl", headers={"Origin": "https://evil.example"}) as ws:
            frame = ws.receive_json()
            assert frame["code"] == "origin_not_allowed" and "nie można" in frame["message"]
            ws.receive_json()
    assert closed.value.code == 4403
    for headers in ({"Origin": SHOP}, {"Origin": "http://testserver"}, {}):  # the shop, our own page, no browser
        with shop_only.websocket_connect("/api/v1/chat/ws", headers=headers) as ws:
            ws.send_json({"type": "start", "language": "tr"})
            assert ws.receive_json()["type"] == "session"
