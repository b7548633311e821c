"""Scale-out: the same conversation across api and Rasa processes, agents and buyers on different api
processes, and processes killed mid-conversation (the scaled profile, tests/scaled/conftest.py)."""

from __future__ import annotations

import json
import os
import signal
import time
import urllib.parse

import httpx
import psutil
import pytest
from websockets.exceptions import WebSocketException
from websockets.sync.client import connect

from ops.servers import http_json
from tests.support.scaled import Buyer, Scaled
from tests.support.stack import texts

CONSOLE = "/api/v1/console"
DEMO_AGENT = {"username": "demo", "password": "demo-agent-2026"}


def rasa_rest(url: str, sender: str, text: str, buyer_id: str, language: str) -> list[dict]:
    market = language.upper()
    body = {
        "sender": sender,
        "message": text,
        "metadata": {"language": language, "buyer_id": buyer_id, "market": market},
    }
    response = httpx.post(f"{url}/webhooks/rest/webhook", json=body, timeout=90)
    response.raise_for_status()
    return response.json()


def test_health_through_the_load_balancer(scaled: Scaled):
    status, body = http_json(f"{scaled.http_url}/healthz")
    assert status == 200 and body["checks"] == {"database": "ok", "rasa": "ok", "action_server": "ok"}, body
    for url in scaled.api_urls:
        assert http_json(f"{url}/healthz")[0] == 200
    for url in scaled.rasa_urls:
        assert http_json(f"{url}/status?token={scaled.rasa_token}")[0] == 200


def test_a_form_started_on_one_rasa_process_continues_on_the_other(scaled: Scaled):
    """Tracker store (PostgreSQL) and lock store (Redis) are shared: the second process knows the form."""
    orders = scaled.internal("/buyers/pl-0002/trackable-orders")["orders"]
    number = next(o for o in orders if o["shipment"])
    sender = f"scaled-{time.time_ns()}"
    first = rasa_rest(scaled.rasa_urls[0], sender, "co z moim zamówieniem?", "pl-0002", "pl")
    assert "O które chodzi" in " ".join(r.get("text", "") for r in first), first
    typed = f"{number['number'][:2].lower()} {number['number'][2:]}"
    second = rasa_rest(scaled.rasa_urls[1], sender, typed, "pl-0002", "pl")
    answer = " ".join(r.get("text", "") for r in second)
    assert number["shipment"]["tracking_code"] in answer and "Przewoźnik" in answer, second


def test_a_conversation_alternating_api_processes_keeps_its_context(scaled: Scaled, buyer):
    orders = scaled.internal("/buyers/tr-0002/trackable-orders")["orders"]
    shipped = next(o for o in orders if o["shipment"])
    conversation: Buyer = buyer("tr", "tr-0002")
    conversation.connect(scaled.api_urls[0])
    assert "Hangisini" in texts(conversation.say("merhaba, kargom ne zaman gelir"))
    conversation.connect(scaled.api_urls[1])  # the widget reconnects to the other process
    answer = texts(conversation.say(f"{shipped['number']} nolu siparişim"))
    assert shipped["shipment"]["tracking_code"] in answer and "Kargo firması" in answer, answer
    history = conversation.session["history"]
    assert [m["sender"] for m in history][:2] == ["buyer", "bot"]


@pytest.fixture
def agent_on_a(scaled: Scaled):
    client = httpx.Client(base_url=scaled.api_urls[0], timeout=30)
    token = client.post(f"{CONSOLE}/login", json=DEMO_AGENT).json()["token"]
    client.headers["Authorization"] = f"Bearer {token}"
    assert client.put(f"{CONSOLE}/presence", json={"presence": "online"}).status_code == 200
    yield client, token
    client.put(f"{CONSOLE}/presence", json={"presence": "offline"})
    client.close()


def test_an_agent_on_api_a_talks_with_a_buyer_on_api_b(scaled: Scaled, buyer, agent_on_a):
    agent, token = agent_on_a
    console_ws = connect(
        scaled.api_urls[0].replace("http://", "ws://") + f"{CONSOLE}/ws?token={urllib.parse.quote(token)}",
        open_timeout=15,
    )
    try:
        assert json.loads(console_ws.recv(timeout=15))["type"] == "hello"
        conversation: Buyer = buyer("tr", "tr-0003")
        conversation.connect(scaled.api_urls[1])
        queued = texts(conversation.say("müşteri temsilcisiyle görüşmek istiyorum"))
        assert "Sıradaki yeriniz" in queued, queued
        # The queue change reached the console on the other process.
        while json.loads(console_ws.recv(timeout=30)).get("type") != "queue_changed":
            pass
        cid = conversation.conversation_id
        console_ws.send(json.dumps({"type": "watch", "conversation_id": cid}))
        assert agent.post(f"{CONSOLE}/conversations/{cid}/claim").status_code == 200
        joined = conversation.frames_until(lambda f: f["type"] == "state" and f["state"] == "with_agent")
        assert joined[-1]["agent"]["name"] == "Deniz"
        assert agent.post(f"{CONSOLE}/conversations/{cid}/messages", json={"text": "Merhaba, ben Deniz."}).is_success
        said = conversation.frames_until(lambda f: f["type"] == "message" and f["message"]["sender"] == "agent")
        assert said[-1]["message"]["text"] == "Merhaba, ben Deniz."
        conversation.say("iade kodumu alamadım")
        while True:
            frame = json.loads(console_ws.recv(timeout=30))
            # The watched channel carries the agent's own lines too; wait for the buyer's.
            if frame.get("type") == "message" and frame["message"].get("sender") == "buyer":
                assert frame["conversation_id"] == cid and frame["message"]["text"] == "iade kodumu alamadım"
                break
        assert agent.post(f"{CONSOLE}/conversations/{cid}/resolve").status_code == 200
    finally:
        console_ws.close()


def _listener(url: str) -> psutil.Process:
    port = urllib.parse.urlsplit(url).port
    for conn in psutil.net_connections(kind="tcp"):
        if conn.status == psutil.CONN_LISTEN and conn.laddr.port == port and conn.pid:
            return psutil.Process(conn.pid)
    raise AssertionError(f"nothing listens on {url}")


def test_killing_one_api_and_one_rasa_process_mid_conversation_loses_nothing(scaled: Scaled, buyer):
    if not scaled.owned and os.environ.get("MD_SCALED_ALLOW_KILL") != "1":
        pytest.skip("would kill processes of a stack the tests did not start (MD_SCALED_ALLOW_KILL=1)")
    conversation: Buyer = buyer("pl", "pl-0001")
    conversation.connect(scaled.http_url)
    lines = ["dzień dobry", "gdzie jest moja paczka", "ile mam czasu na zwrot", "dziękuję"]
    conversation.say(lines[0])
    _listener(scaled.api_urls[0]).send_signal(signal.SIGKILL)
    _listener(scaled.rasa_urls[0]).send_signal(signal.SIGKILL)
    for index, line in enumerate(lines[1:], start=2):
        # The widget's outbox: resend with the same client id after reconnecting. Only a broken or
        # silent connection is retried; an assertion (or any other error) fails the test at once.
        last_failure: Exception | None = None
        for attempt in range(5):
            try:
                if conversation.ws is None:
                    conversation.connect(scaled.http_url)
                replies = conversation.say(line, client_id=f"m{index}")
            except (OSError, TimeoutError, WebSocketException) as exc:  # refused, reset, closed, 502
                last_failure = exc
                conversation.close()
                time.sleep(1 + attempt)
                continue
            assert replies, line
            break
        else:
            raise AssertionError(f"{line!r} was never answered") from last_failure
    session = conversation.connect(scaled.http_url)
    buyer_lines = [m["text"] for m in session["history"] if m["sender"] == "buyer"]
    assert buyer_lines == lines  # each stored exactly once
    answered = [m for m in session["history"] if m["sender"] in ("bot", "system")]
    assert len(answered) >= len(lines)
    # the bot, not apologies; on failure, which buyer line got which kind of answer (pytest truncates long texts)
    shown = [(m["sender"], m["text"][:60]) for m in session["history"] if m["sender"] in ("buyer", "bot", "system")]
    assert all(m["sender"] == "bot" for m in answered), "\n".join(f"{who}: {text}" for who, text in shown)
