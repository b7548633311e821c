"""The embedded stack of the e2e tests (api, action server, Rasa; started by tests/e2e/conftest.py)
and a widget-like WebSocket client for it. Shared by the e2e modules, so none imports another."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from websockets.sync.client import ClientConnection

from ops.servers import SERVICE_TOKEN, http_json


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


def stack_database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The session stack's SQLite url: conftest's ``stack`` runs the api in ``mktemp("stack")``, and
    ``api_server`` keeps the database there as ``app.db`` (pytest may add a ``stackcurrent`` symlink
    to the same folder). Logging in through the api afterwards proves it is the api's database."""
    found = {path.resolve() for path in tmp_path_factory.getbasetemp().glob("stack*/app.db")}
    assert len(found) == 1, f"expected the one stack database, found {sorted(found)}"
    return f"sqlite:///{found.pop()}"


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


def texts(replies: list[dict[str, Any]]) -> str:
    return "\n".join(r["text"] for r in replies)
