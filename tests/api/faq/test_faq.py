"""FAQ content and on-demand answers, in both languages."""

from __future__ import annotations

import pytest
import yaml

from api.faq.service import DATA, FaqIndex, fold
from api.markets import market_config

TOPICS = yaml.safe_load((DATA / "faq" / "topics.yml").read_text())["topics"]


@pytest.fixture(scope="module")
def faq() -> FaqIndex:
    return FaqIndex()


@pytest.mark.parametrize("language", ["tr", "pl"])
def test_every_topic_has_a_filled_answer(faq, language):
    for topic in TOPICS:
        title, answer = faq.answer(topic, language)
        assert title and answer and "{" not in answer and "}" not in answer


def test_market_facts_come_from_the_market_files(faq):
    tr, pl = market_config("tr"), market_config("pl")
    assert tr["call_centre_phone"] in faq.answer("call_centre_number", "tr")[1]
    assert pl["call_centre_phone"] in faq.answer("call_centre_number", "pl")[1]


@pytest.mark.parametrize(
    ("query", "language", "topic"),
    [
        ("hangi kargo firmalarıyla çalışıyorsunuz", "tr", "carriers"),
        ("kapida odeme var mi", "tr", "cash_on_delivery"),
        ("fatura nasil alirim", "tr", "invoices"),
        ("ile dni mam na zwrot", "pl", "return_window"),
        ("gdzie złożyć skargę", "pl", "complaint_escalation"),
        ("faktura", "pl", "invoices"),
    ],
)
def test_search_finds_the_topic(faq, query, language, topic):
    assert faq.search(query, language)[0].topic == topic


def test_fold_meets_buyers_without_diacritics():
    assert fold("Siparişim İADE zwrót Łódź") == fold("siparisim iade zwrot lodz")


def test_endpoint(client):
    body = client.get("/api/v1/faq", params={"q": "kargo firmaları hangileri", "lang": "tr"}).json()
    assert body["results"][0]["topic"] == "carriers"
    assert 0 < body["results"][0]["confidence"] <= 1
    assert client.get("/api/v1/faq", params={"q": "a", "lang": "pl"}).json()["results"] == []
    assert client.get("/api/v1/faq", params={"q": "kargo", "lang": "de"}).status_code == 422
    assert client.get("/api/v1/faq", params={"q": "x" * 301, "lang": "tr"}).status_code == 422


def test_question_is_masked_before_it_reaches_rasa(client, app, monkeypatch):
    import json

    import httpx

    sent: list[str] = []

    def rasa(request: httpx.Request) -> httpx.Response:
        sent.append(json.loads(request.content)["text"])
        return httpx.Response(200, json={"intent_ranking": []})

    monkeypatch.setattr(app.state.rasa, "_client", httpx.AsyncClient(transport=httpx.MockTransport(rasa)))
    card, tckn = "4539 1488 0343 6467", "10000000146"
    body = client.get("/api/v1/faq", params={"q": f"kartım {card} iade ne zaman, tc{tckn}", "lang": "tr"}).json()
    assert sent == ["kartım [CARD] iade ne zaman, tc[TCKN]"]
    assert body["query"] == "kartım [CARD] iade ne zaman, tc[TCKN]"  # echoed as masked, too
