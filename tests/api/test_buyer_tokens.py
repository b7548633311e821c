"""Signed buyer tokens: the conversation belongs to the token's buyer; forged or expired tokens are refused."""

from __future__ import annotations

import pytest

from api.gateway import buyer_tokens


def test_demo_token_signs_in_the_buyer(client):
    token = client.get("/api/v1/demo/buyer-token", params={"buyer_id": "pl-0002"}).json()["token"]
    conv = client.post("/api/v1/conversations", json={"language": "pl", "buyer_token": token}).json()
    assert conv["buyer_id"] == "pl-0002" and conv["market"] == "PL"


def test_demo_token_only_for_known_buyers(client):
    assert client.get("/api/v1/demo/buyer-token", params={"buyer_id": "pl-9999"}).status_code == 404


@pytest.mark.parametrize(
    "token",
    [
        buyer_tokens.issue("tr-0001", "someone-elses-secret"),
        buyer_tokens.issue("tr-0001", "dev-buyer-token-secret", hours=-1),
        "not-a-jwt",
    ],
)
def test_forged_or_expired_tokens_are_refused(client, token):
    response = client.post("/api/v1/conversations", json={"language": "tr", "buyer_token": token})
    assert response.status_code == 422
    assert response.json()["detail"]["code"] == "invalid_buyer_token"
    assert "Oturumunuzun süresi dolmuş" in response.json()["detail"]["message"]


def test_token_wins_over_a_claimed_buyer_id(client):
    token = client.get("/api/v1/demo/buyer-token", params={"buyer_id": "tr-0003"}).json()["token"]
    conv = client.post(
        "/api/v1/conversations", json={"language": "tr", "buyer_token": token, "buyer_id": "tr-0001"}
    ).json()
    assert conv["buyer_id"] == "tr-0003"
