"""The three real processes, started once for the e2e tests: api, action server, Rasa."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from websockets.sync.client import ClientConnection, connect

from tests.support.servers import (
    SERVICE_TOKEN,
    action_server,
    api_server,
    demo_buyer_token,
    free_port,
    http_json,
    rasa_server,
)


@dataclass
class Stack:
    api_url: str
    rasa_url: str
    action_url: str

    @property
    def ws_url(self) -> str:
        return self.api_url.replace("http://", "ws://") + "/api/v1/chat/ws"

    def internal(self, path: str) -> Any:
        status, body = http_json(
            f"{self.api_url}/api/v1/internal{path}", headers={"Authorization": f"Bearer {SERVICE_TOKEN}"}
        )
        assert status == 200, body
        return body


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    workdir = tmp_path_factory.mktemp("stack")
    api_port, rasa_port, action_port = free_port(), free_port(), free_port()
    rasa_url, action_url = f"http://127.0.0.1:{rasa_port}", f"http://127.0.0.1:{action_port}"
    with api_server(workdir, api_port, rasa_url, action_url) as api_url:
        with action_server(workdir, action_port, api_url), rasa_server(workdir, rasa_port, action_url):
            yield Stack(api_url, rasa_url, action_url)


class Chat:
    """A widget-like WebSocket client: sends a message, collects the replies until typing stops."""

    def __init__(self, ws: ClientConnection, session: dict[str, Any]) -> None:
        self.ws = ws
        self.session = session
        self.last_buttons: list[dict[str, str]] = []

    def _frame(self) -> dict[str, Any]:
        return json.loads(self.ws.recv(timeout=90))

    def say(self, text: str, payload: str | None = None) -> list[dict[str, Any]]:
        frame: dict[str, Any] = {"type": "message", "text": text}
        if payload:
            frame["payload"] = payload
        self.ws.send(json.dumps(frame))
        ack = self._frame()
        assert ack["type"] == "ack", ack
        replies = []
        while (frame := self._frame()) != {"type": "typing", "on": False}:
            if frame["type"] == "message":
                replies.append(frame["message"])
        assert replies, "the bot said nothing"
        self.last_buttons = [b for r in replies for b in r["buttons"]]
        return replies

    def click(self, index: int) -> list[dict[str, Any]]:
        button = self.last_buttons[index]
        return self.say(button["title"], button["payload"])


@pytest.fixture
def chat(stack: Stack):
    def open_chat(language: str, buyer_id: str | None) -> Chat:
        ws = connect(stack.ws_url, open_timeout=10)
        start = {"type": "start", "language": language}
        if buyer_id:
            # Signed in as the host page would be: a token from the api's demo issuer.
            start["buyer_token"] = demo_buyer_token(stack.api_url, buyer_id)
        ws.send(json.dumps(start))
        session = json.loads(ws.recv(timeout=10))
        assert session["type"] == "session", session
        chats.append(ws)
        return Chat(ws, session)

    chats: list[ClientConnection] = []
    yield open_chat
    for ws in chats:
        ws.close()


def texts(replies: list[dict[str, Any]]) -> str:
    return "\n".join(r["text"] for r in replies)


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="tr-TR")
    page = context.new_page()
    yield page
    context.close()
