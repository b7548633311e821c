"""Signed buyer tokens: the conversation belongs to the token's buyer; forged or expired tokens are refused."""

from __future__ import annotations

import pytest

from api.gateway import buyer_tokens
from ops.servers import BUYER_TOKEN_SECRET


def test_demo_token_signs_in_the_buyer(client):
    token = client.get("/api/v1/demo/buyer-token", params={"buyer_id": "pl-0002"}).json()["token"]
    conv = client.post("/api/v1/conversations", json={"language": "pl", "buyer_token": token}).json()
    assert conv["buyer_id"] == "pl-0002" and conv["market"] == "PL"


def test_demo_token_only_for_known_buyers(client):
    assert client.get("/api/v1/demo/buyer-token", params={"buyer_id": "pl-9999"}).status_code == 404


@pytest.mark.parametrize(
    "token",
    [
        buyer_tokens.issue("tr-0001", "someone-elses-secret-also-32-bytes-long"),
        buyer_tokens.issue("tr-0001", BUYER_TOKEN_SECRET, hours=-1),
        "not-a-jwt",
    ],
)
def test_forged_or_expired_tokens_are_refused(client, token):
    response = client.post("/api/v1/conversations", json={"language": "tr", "buyer_token": token})
    assert response.status_code == 422
    assert response.json()["detail"]["code"] == "invalid_buyer_token"
    assert "Oturumunuzun süresi dolmuş" in response.json()["detail"]["message"]


def test_a_claimed_buyer_id_must_be_the_tokens_buyer(client):
    token = client.get("/api/v1/demo/buyer-token", params={"buyer_id": "tr-0003"}).json()["token"]
    swapped = client.post("/api/v1/conversations", json={"language": "tr", "buyer_token": token, "buyer_id": "tr-0001"})
    assert swapped.status_code == 422 and swapped.json()["detail"]["code"] == "buyer_token_mismatch"
    assert "uyuşmuyor" in swapped.json()["detail"]["message"]
    same = client.post("/api/v1/conversations", json={"language": "tr", "buyer_token": token, "buyer_id": "tr-0003"})
    assert same.status_code == 201 and same.json()["buyer_id"] == "tr-0003"


@pytest.mark.parametrize(("language", "fragment"), [("tr", "giriş yapmanız gerekiyor"), ("pl", "musisz się zalogować")])
def test_a_bare_buyer_id_signs_nobody_in(client, language, fragment):
    response = client.post("/api/v1/conversations", json={"language": language, "buyer_id": f"{language}-0001"})
    assert response.status_code == 422
    assert response.json()["detail"]["code"] == "buyer_token_required"
    assert fragment in response.json()["detail"]["message"]
    with client.websocket_connect("/api/v1/chat/ws") as ws:
        ws.send_json({"type": "start", "language": language, "buyer_id": f"{language}-0001"})
        frame = ws.receive_json()
        assert frame["type"] == "error" and frame["code"] == "buyer_token_required" and fragment in frame["message"]
        ws.send_json({"type": "start", "language": language})  # the socket stays usable: anonymous is fine
        assert ws.receive_json()["conversation"]["buyer_id"] is None
