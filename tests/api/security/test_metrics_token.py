"""/metrics and the support metrics: open by default (aggregates only), bearer-only once MD_METRICS_TOKEN is set."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient

METRICS = ("/metrics", "/api/v1/metrics/support")
TOKEN = "scrape-token-0123456789abcdef0123456789"


@contextmanager
def app_client(database_url: str, metrics_token: str):
    from api.main import create_app
    from api.settings import Settings

    with TestClient(create_app(Settings(database_url=database_url, metrics_token=metrics_token))) as client:
        yield client


@pytest.mark.parametrize("path", METRICS)
def test_without_a_token_configured_metrics_stay_open(database_url, path):
    with app_client(database_url, "") as client:
        assert client.get(path).status_code == 200
        assert client.get(path, headers={"Authorization": "Bearer anything"}).status_code == 200


@pytest.mark.parametrize("path", METRICS)
@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", f"Bearer {TOKEN[:-1]}", f"Bearer {TOKEN}x", f"bearer {TOKEN}", TOKEN, f"Basic {TOKEN}"],
)
def test_with_a_token_configured_anything_but_the_bearer_token_is_401(database_url, path, authorization):
    headers = {} if authorization is None else {"Authorization": authorization}
    with app_client(database_url, TOKEN) as client:
        response = client.get(path, headers=headers)
        assert response.status_code == 401 and response.json()["detail"]["code"] == "unauthorized"
        assert response.headers["www-authenticate"] == "Bearer"
        assert "marketdesk_" not in response.text


@pytest.mark.parametrize("path", METRICS)
def test_with_a_token_configured_the_scraper_gets_its_numbers(database_url, path):
    with app_client(database_url, TOKEN) as client:
        response = client.get(path, headers={"Authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 200
        assert ("marketdesk_containment_ratio" in response.text) if path == "/metrics" else "csat" in response.json()
