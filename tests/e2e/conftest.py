"""The three real processes, started once for the e2e tests: api, action server, Rasa; and the browser.

The helpers the tests share live in tests/support (stack.py, widget.py, screenshots.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from websockets.sync.client import ClientConnection, connect

from ops.servers import (
    action_server,
    api_server,
    demo_buyer_token,
    rasa_server,
    reserved_ports,
)
from tests.support.stack import Chat, Stack


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    workdir = tmp_path_factory.mktemp("stack")
    with reserved_ports(2) as (rasa_port, action_port):
        rasa_url, action_url = f"http://127.0.0.1:{rasa_port}", f"http://127.0.0.1:{action_port}"
        with api_server(workdir, None, rasa_url, action_url) as api_url:
            with action_server(workdir, action_port, api_url), rasa_server(workdir, rasa_port, action_url):
                yield Stack(api_url, rasa_url, action_url)


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
