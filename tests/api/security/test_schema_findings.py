"""Regression tests for what the schema-based run (test_api_schema.py) and the authorisation work found."""

from __future__ import annotations

from api.errors import ApiError
from ops.servers import SERVICE_TOKEN
from tests.support.conversations import start

SERVICE = {"Authorization": f"Bearer {SERVICE_TOKEN}"}


def test_an_investigation_for_an_undelivered_order_is_a_409_not_a_crash(client):
    """DomainError('not_delivered', 409, status=...) collided with its own ``status`` argument: a 500."""
    orders = client.get("/api/v1/internal/buyers/tr-0002/orders", params={"purpose": "delivery"}, headers=SERVICE)
    undelivered = next(o for o in orders.json()["orders"] if o["status"] != "delivered")
    response = client.post(
        f"/api/v1/internal/buyers/tr-0002/orders/{undelivered['number']}/investigations", json={}, headers=SERVICE
    )
    assert response.status_code == 409
    assert response.json()["detail"] == {"code": "not_delivered", "order_status": undelivered["status"]}


def test_rule_errors_have_the_documented_shape(client, app):
    """A rule's 422 ({"detail": {"code", "message"}}) was documented as FastAPI's validation list."""
    documented = app.openapi()["paths"]["/api/v1/faq"]["get"]["responses"]["422"]
    assert documented["content"]["application/json"]["schema"]["$ref"].endswith("/ApiError")
    for response in (
        client.get("/api/v1/faq", params={"lang": ""}),  # a rule: unsupported_language
        client.get("/api/v1/faq", params={"limit": "many"}),  # FastAPI's own validation
        client.post("/api/v1/conversations", json={"language": "tr", "buyer_id": "tr-0001"}),
    ):
        assert response.status_code == 422
        ApiError.model_validate(response.json())


def test_a_degraded_health_check_is_documented(client, app):
    assert "503" in app.openapi()["paths"]["/healthz"]["get"]["responses"]
    response = client.get("/healthz")  # Rasa is not running in these tests
    assert response.status_code == 503 and response.json()["status"] == "degraded"


def test_a_non_ascii_conversation_token_is_a_404_not_a_crash(client):
    """hmac.compare_digest raises TypeError for non-ASCII str: a 500 over HTTP, a dead socket on the WebSocket."""
    conv = start(client, "tr", None)
    response = client.get(
        f"/api/v1/conversations/{conv['conversation_id']}/messages",
        headers={"X-Conversation-Token": "ğüşiöç".encode()},
    )
    assert response.status_code == 404 and response.json()["detail"]["code"] == "unknown_conversation"


def test_unparseable_bodies_are_a_documented_400(client, app):
    documented = app.openapi()["paths"]["/api/v1/console/login"]["post"]["responses"]
    assert "400" in documented
    response = client.post(
        "/api/v1/console/login", content=b"\xff\xfe not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code in (400, 422)
    ApiError.model_validate(response.json())
