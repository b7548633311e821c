"""The agent console (/console) in a real browser (Debian's chromium via Playwright) against the real stack."""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from ops.servers import API_PY, ROOT
from tests.support.screenshots import screenshot_path
from tests.support.stack import stack_database_url, texts

TIMEOUT = 60_000
CONSOLE = "/api/v1/console"
PAYLOAD = "<img src=x onerror=alert(1)>merhaba"


def console_call(stack, method: str, path: str, body: dict | None = None, token: str | None = None) -> Any:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"{stack.api_url}{CONSOLE}{path}", data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            raw = response.read()
            return json.loads(raw) if raw else None
    except urllib.error.HTTPError as exc:
        return {"status": exc.code, "body": exc.read().decode(errors="replace")}


@dataclass
class ConsoleAgent:
    username: str
    password: str
    conversations: list[str] = field(default_factory=list)  # to tidy up if the test stops halfway


@pytest.fixture
def console_agent(stack, tmp_path_factory) -> Iterator[ConsoleAgent]:
    """A Turkish-speaking agent "Ayşe" with a unique username, created with the operator CLI."""
    agent = ConsoleAgent(username=f"konsol-{uuid.uuid4().hex[:10]}", password=f"pw-{uuid.uuid4().hex}")
    env = {**os.environ, "MD_DATABASE_URL": stack_database_url(tmp_path_factory), "MD_AGENT_PASSWORD": agent.password}
    command = [str(API_PY), "-m", "api.cli", "create-agent", agent.username, "--name", "Ayşe", "--languages", "tr"]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    yield agent
    # Nobody stays online and nothing stays queued: other tests expect tickets and "place 1".
    token = console_call(stack, "POST", "/login", {"username": agent.username, "password": agent.password})["token"]
    for conversation_id in agent.conversations:
        detail = console_call(stack, "GET", f"/conversations/{conversation_id}", token=token)
        state = detail.get("conversation", {}).get("state")
        if state == "queued":
            console_call(stack, "POST", f"/conversations/{conversation_id}/claim", token=token)
            state = "with_agent"
        if state == "with_agent":
            console_call(stack, "POST", f"/conversations/{conversation_id}/handback", token=token)
    console_call(stack, "PUT", "/presence", {"presence": "offline"}, token=token)
    console_call(stack, "POST", "/logout", token=token)


def next_frame(conversation, wanted: Callable[[dict], bool], timeout: float = 60) -> dict:
    """Read the buyer's socket until a frame matches (state, typing and ack frames come in between)."""
    deadline, seen = time.monotonic() + timeout, []
    while time.monotonic() < deadline:
        frame = json.loads(conversation.ws.recv(timeout=max(0.1, deadline - time.monotonic())))
        seen.append(frame)
        if wanted(frame):
            return frame
    raise AssertionError(f"no matching frame; saw {seen}")


def watch_page(page: Page) -> tuple[list[str], list[str]]:
    dialogs: list[str] = []
    errors: list[str] = []

    def on_dialog(dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return dialogs, errors


def log_in(page: Page, stack, agent: ConsoleAgent) -> None:
    page.goto(f"{stack.api_url}/console")
    expect(page.get_by_test_id("login-submit")).to_have_text("Giriş yap")
    page.get_by_label("Kullanıcı adı").fill(agent.username)
    page.get_by_label("Şifre").fill(agent.password)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("presence-select")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_test_id("connection-status")).to_have_text("Canlı bağlantı açık", timeout=TIMEOUT)


def test_agent_claims_a_queued_buyer_replies_live_and_hands_back(stack, chat, page, console_agent):
    dialogs, errors = watch_page(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, stack, console_agent)
    with page.expect_response(lambda r: r.url.endswith(f"{CONSOLE}/presence") and r.request.method == "PUT") as put:
        page.get_by_test_id("presence-select").select_option("online")
    assert put.value.ok

    # The buyer asks for a person: with an agent online the bot gives a place in line.
    buyer = chat("tr", "tr-0002")
    conversation_id = buyer.session["conversation"]["conversation_id"]
    console_agent.conversations.append(conversation_id)
    queued = texts(buyer.say("müşteri temsilcisiyle görüşmek istiyorum"))
    assert "Sıradaki yeriniz" in queued, queued
    buyer.ws.send(json.dumps({"type": "message", "text": PAYLOAD}))
    assert next_frame(buyer, lambda f: f["type"] == "ack")["message"]["text"] == PAYLOAD

    item = page.locator(f'[data-testid="queue-item"][data-conversation-id="{conversation_id}"]')
    expect(item).to_be_visible(timeout=TIMEOUT)
    expect(item.get_by_test_id("queue-wait")).to_have_text(re.compile(r"\d\d:\d\d"))
    expect(item.get_by_test_id("queue-reason")).to_contain_text("Müşteri talebi")
    item.get_by_test_id("claim-button").click()

    # The whole conversation, the bot's part included; the payload is literal text.
    transcript = page.get_by_test_id("transcript")
    buyer_lines = transcript.locator('[data-testid="transcript-message"][data-sender="buyer"]')
    expect(buyer_lines.filter(has_text="müşteri temsilcisiyle görüşmek istiyorum")).to_have_count(1, timeout=TIMEOUT)
    expect(buyer_lines.filter(has_text=PAYLOAD)).to_have_count(1)
    expect(transcript.locator('[data-sender="bot"]').filter(has_text="Sıradaki yeriniz")).to_have_count(1)
    assert transcript.get_attribute("role") == "log" and transcript.get_attribute("aria-live") == "polite"
    assert transcript.locator("img").count() == 0
    assert page.locator('img[src="x"]').count() == 0
    expect(page.get_by_test_id("handoff-details")).to_contain_text("Müşteri talebi")
    expect(page.locator(f'[data-testid="mine-item"][data-conversation-id="{conversation_id}"]')).to_be_visible()
    expect(page.get_by_test_id("tickets-list")).to_be_attached()
    next_frame(buyer, lambda f: f["type"] == "state" and f["state"] == "with_agent")

    # Live: what the buyer writes now shows up without a reload.
    buyer.ws.send(json.dumps({"type": "message", "text": "kargom hâlâ gelmedi"}))
    expect(buyer_lines.filter(has_text="kargom hâlâ gelmedi")).to_have_count(1, timeout=TIMEOUT)

    # A canned response fills the reply box; the agent edits it and sends with Enter.
    canned = page.get_by_test_id("canned-select")
    expect(canned.locator("option")).not_to_have_count(1, timeout=TIMEOUT)
    canned.select_option("checking")
    reply_box = page.get_by_test_id("reply-input")
    expect(reply_box).to_have_value(re.compile("^Kontrol ediyorum"))
    expect(reply_box).to_be_focused()
    reply_box.fill("")
    answer = "Merhaba, ben Ayşe. Kargonuzu hemen kontrol ediyorum."
    reply_box.press_sequentially(answer, delay=5)
    reply_box.press("Enter")
    typing = next_frame(buyer, lambda f: f["type"] == "agent_typing" and f["on"] is True)
    assert typing["agent"]["name"] == "Ayşe"
    said = next_frame(buyer, lambda f: f["type"] == "message" and f["message"]["sender"] == "agent")
    assert said["message"]["text"] == answer and said["message"]["agent_name"] == "Ayşe"
    agent_lines = transcript.locator('[data-testid="transcript-message"][data-sender="agent"]')
    expect(agent_lines.filter(has_text=answer)).to_have_count(1, timeout=TIMEOUT)  # once, not twice (reply + frame)
    expect(reply_box).to_have_value("")

    page.get_by_test_id("note-input").fill("Kargo firmasına soruldu.")
    page.get_by_test_id("note-save").click()
    expect(page.get_by_test_id("notes-list")).to_contain_text("Kargo firmasına soruldu.", timeout=TIMEOUT)
    expect(page.locator('[data-testid="ticket-item"].is-current')).to_have_count(1, timeout=TIMEOUT)

    page.screenshot(path=screenshot_path("console.png"))

    # Hand back: the bot takes over again and the buyer hears from it.
    page.get_by_test_id("handback-button").click()
    next_frame(buyer, lambda f: f["type"] == "state" and f["state"] == "bot")
    back = next_frame(buyer, lambda f: f["type"] == "message" and f["message"]["sender"] in ("bot", "system"))
    assert back["message"]["text"]
    expect(page.locator(f'[data-testid="mine-item"][data-conversation-id="{conversation_id}"]')).to_have_count(0)
    expect(page.get_by_test_id("readonly")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_test_id("error-banner")).to_have_count(0)
    assert dialogs == [] and errors == [], (dialogs, errors)


def test_login_error_language_switch_and_a_narrow_window(stack, page, console_agent):
    dialogs, errors = watch_page(page)
    page.goto(f"{stack.api_url}/console")
    page.get_by_test_id("login-username").fill(console_agent.username)
    page.get_by_test_id("login-password").fill("yanlış-şifre")
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("error-banner")).to_contain_text("Kullanıcı adı veya şifre hatalı", timeout=TIMEOUT)

    page.get_by_test_id("ui-language").select_option("pl")
    expect(page.get_by_test_id("login-submit")).to_have_text("Zaloguj")
    expect(page.get_by_test_id("error-banner")).to_contain_text("Nieprawidłowa nazwa użytkownika lub hasło")
    assert page.evaluate("() => document.documentElement.lang") == "pl"

    page.get_by_label("Nazwa użytkownika").fill(console_agent.username)
    page.get_by_label("Hasło").fill(console_agent.password)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("logout-button")).to_have_text("Wyloguj", timeout=TIMEOUT)
    expect(page.get_by_test_id("error-banner")).to_have_count(0)
    expect(page.locator("#queue-title")).to_contain_text("Kolejka")
    assert page.evaluate("() => sessionStorage.getItem('marketdesk-console:token')")

    page.set_viewport_size({"width": 390, "height": 800})
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    expect(page.get_by_test_id("queue-list")).to_be_attached()
    page.screenshot(path=screenshot_path("console-narrow-pl.png"), full_page=True)

    page.get_by_test_id("logout-button").click()
    expect(page.get_by_test_id("login-submit")).to_be_visible(timeout=TIMEOUT)
    assert page.evaluate("() => sessionStorage.getItem('marketdesk-console:token')") is None
    assert dialogs == [] and errors == [], (dialogs, errors)
