def test_healthz_reports_each_dependency(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "degraded",
        "checks": {"database": "ok", "rasa": "down", "action_server": "down"},
    }


def test_demo_page_and_buyers(client):
    page = client.get("/")
    assert page.status_code == 200 and "marketdesk" in page.text
    buyers = client.get("/api/v1/demo/buyers?limit=3").json()
    assert {b["market"] for b in buyers} == {"TR", "PL"}
    assert len(buyers) == 6
    assert next(b for b in buyers if b["id"] == "tr-0002")["open_orders"] == 3
