"""The scaled profile for the scale-out tests: PostgreSQL, Redis, two api and two Rasa processes behind
nginx, started by ops/scaled.py into a temp folder on free ports (or, with MD_SCALED_EXTERNAL=1, a
`make run-scaled` that is already running on the default ports).

Part of `make test` (`make test-scaled`, which installs Debian's postgresql, redis-server and nginx
through ops/install-scaled.sh first); the stack takes one to two minutes to start.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from websockets.sync.client import ClientConnection, connect

from tests.support.scaled_stack import scaled_stack
from tests.support.servers import RASA_TOKEN, SERVICE_TOKEN, http_json

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "marketdesk.tar.gz"


def _missing() -> str | None:
    if os.environ.get("MD_SCALED_TESTS") != "1" and os.environ.get("MD_SCALED_EXTERNAL") != "1":
        return "scale-out tests start PostgreSQL, Redis, nginx and five processes: MD_SCALED_TESTS=1 (make test-scaled)"
    if not MODEL.exists():
        return "no trained model"
    if not glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        return "no PostgreSQL server binaries"
    if not (shutil.which("redis-server") or Path("/usr/bin/redis-server").exists()):
        return "no redis-server"
    if not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()):
        return "no nginx"
    return None


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


def _wait_healthy(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if http_json(f"{url}/healthz")[0] == 200:
                return
        time.sleep(2)
    raise RuntimeError(f"the scaled stack at {url} was not healthy within {timeout:.0f} s")


@pytest.fixture(scope="session")
def scaled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scaled]:
    reason = _missing()
    if reason:
        pytest.skip(reason)
    if os.environ.get("MD_SCALED_EXTERNAL") == "1":
        stack = Scaled(
            "http://127.0.0.1:8080",
            "http://127.0.0.1:5080",
            ["http://127.0.0.1:8001", "http://127.0.0.1:8002"],
            ["http://127.0.0.1:5006", "http://127.0.0.1:5007"],
            owned=False,
            service_token=os.environ.get("MD_SERVICE_TOKEN", "dev-service-token"),
            rasa_token=os.environ.get("MD_RASA_TOKEN", "dev-rasa-token"),
        )
        _wait_healthy(stack.http_url, 30)
        yield stack
        return
    with scaled_stack(tmp_path_factory.mktemp("scaled")) as ports:
        yield Scaled(
            ports.http_url,
            ports.rasa_url,
            [f"http://127.0.0.1:{p}" for p in ports.api],
            [f"http://127.0.0.1:{p}" for p in ports.rasa_processes],
            owned=True,
        )


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


@pytest.fixture
def buyer(scaled: Scaled):
    opened: list[Buyer] = []

    def make(language: str, buyer_id: str) -> Buyer:
        b = Buyer(scaled, language, buyer_id)
        opened.append(b)
        return b

    yield make
    for b in opened:
        b.close()


def texts(replies: list[dict[str, Any]]) -> str:
    return "\n".join(r["text"] for r in replies)
