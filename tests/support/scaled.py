"""The scaled profile as the scale-out tests see it (tests/scaled): where its parts listen, and a
widget-like client that can move between api processes."""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from typing import Any

from websockets.sync.client import ClientConnection, connect

from ops.servers import RASA_TOKEN, SERVICE_TOKEN, http_json


@dataclass
class Scaled:
    http_url: str  # nginx in front of the api processes
    rasa_url: str  # nginx in front of the Rasa processes
    api_urls: list[str]
    rasa_urls: list[str]
    owned: bool  # started by the tests (processes may be killed)
    service_token: str = SERVICE_TOKEN
    rasa_token: str = RASA_TOKEN

    def ws_url(self, base: str) -> str:
        return base.replace("http://", "ws://") + "/api/v1/chat/ws"

    def internal(self, path: str) -> Any:
        status, body = http_json(
            f"{self.http_url}/api/v1/internal{path}", headers={"Authorization": f"Bearer {self.service_token}"}
        )
        assert status == 200, body
        return body


class Buyer:
    """A widget-like client that can move between api processes (resume by conversation id + token)."""

    def __init__(self, stack: Scaled, language: str, buyer_id: str) -> None:
        self.stack = stack
        self.language = language
        status, body = http_json(f"{stack.http_url}/api/v1/demo/buyer-token?buyer_id={buyer_id}")
        assert status == 200, body
        self.buyer_token = body["token"]
        self.session: dict[str, Any] | None = None
        self.ws: ClientConnection | None = None
        self.last_buttons: list[dict[str, str]] = []
        self.sent = 0

    def connect(self, base_url: str) -> dict[str, Any]:
        self.close()
        self.ws = connect(self.stack.ws_url(base_url), open_timeout=15)
        start: dict[str, Any] = {"type": "start", "language": self.language, "buyer_token": self.buyer_token}
        if self.session is not None:
            conversation = self.session["conversation"]
            start.update(conversation_id=conversation["conversation_id"], token=conversation["token"])
        self.ws.send(json.dumps(start))
        session = self.frame()
        assert session["type"] == "session", session
        self.session = session
        return session

    @property
    def conversation_id(self) -> str:
        assert self.session is not None
        return self.session["conversation"]["conversation_id"]

    def frame(self, timeout: float = 90) -> dict[str, Any]:
        assert self.ws is not None
        return json.loads(self.ws.recv(timeout=timeout))

    def frames_until(self, wanted, timeout: float = 90) -> list[dict[str, Any]]:
        seen = []
        while True:
            frame = self.frame(timeout)
            seen.append(frame)
            if wanted(frame):
                return seen

    def say(self, text: str, payload: str | None = None, client_id: str | None = None) -> list[dict[str, Any]]:
        assert self.ws is not None
        self.sent += 1
        frame: dict[str, Any] = {"type": "message", "text": text, "client_message_id": client_id or f"m{self.sent}"}
        if payload:
            frame["payload"] = payload
        self.ws.send(json.dumps(frame))
        frames = self.frames_until(lambda f: f["type"] == "typing" and f["on"] is False)
        assert any(f["type"] == "ack" for f in frames), frames
        replies = [f["message"] for f in frames if f["type"] == "message"]
        self.last_buttons = [b for r in replies for b in r.get("buttons") or []]
        return replies

    def close(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(Exception):
                self.ws.close()
            self.ws = None
