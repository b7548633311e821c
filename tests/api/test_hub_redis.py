"""The Redis hub: a frame published by one Hub instance reaches a socket joined on another.

Runs only where a ``redis-server`` binary exists (``make run-scaled`` installs Debian's); the test
starts its own server on a loopback port reserved in ops/servers.py's registry, in a temp dir, and stops it.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from api.gateway.hub import Hub, RedisHub, make_hub
from ops.servers import reserved_port

REDIS_SERVER = shutil.which("redis-server") or (
    "/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None
)
pytestmark = pytest.mark.skipif(REDIS_SERVER is None, reason="no redis-server binary")
pytest.importorskip("redis.asyncio")


@contextlib.contextmanager
def redis_server(port: int, folder: Path) -> Iterator[str]:
    """A private redis-server on 127.0.0.1:port, stopped on exit."""
    options = f"--port {port} --bind 127.0.0.1 --dir {folder} --appendonly no --daemonize no".split()
    proc = subprocess.Popen(
        [REDIS_SERVER, *options, "--save", ""],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with reserved_port() as port, redis_server(port, tmp_path_factory.mktemp("redis")) as url:
        yield url


class Inbox:
    """A stand-in for ``WebSocket.send_json`` that records frames."""

    def __init__(self) -> None:
        self.frames: list[dict[str, Any]] = []
        self.arrived = asyncio.Event()

    async def __call__(self, frame: dict[str, Any]) -> None:
        self.frames.append(frame)
        self.arrived.set()

    async def wait_for(self, count: int, timeout: float = 5.0) -> None:
        async def until() -> None:
            while len(self.frames) < count:
                self.arrived.clear()
                await self.arrived.wait()

        await asyncio.wait_for(until(), timeout)


def test_make_hub_picks_by_setting(redis_url: str) -> None:
    assert type(make_hub("")) is Hub
    assert isinstance(make_hub(redis_url), RedisHub)


async def test_frame_published_on_one_hub_reaches_a_socket_of_another(redis_url: str) -> None:
    process_a, process_b = RedisHub(redis_url), RedisHub(redis_url)
    await process_a.start()
    await process_b.start()
    try:
        buyer_on_b, agent_on_a = Inbox(), Inbox()
        process_b.join("conv-1", buyer_on_b)
        process_a.join("console:conv-1", agent_on_a)

        frame = {"type": "message", "message": {"sender": "agent", "text": "Merhaba, ben Deniz 🙂"}}
        delivered = await process_a.publish("conv-1", frame)
        await buyer_on_b.wait_for(1)
        assert buyer_on_b.frames == [frame]
        assert delivered >= 1  # process B received it

        # The other way round, and the publisher's own socket gets its frame exactly once.
        await process_b.publish("console:conv-1", {"type": "message", "n": 1})
        await process_a.publish("console:conv-1", {"type": "message", "n": 2})
        await agent_on_a.wait_for(2)
        # Nothing more comes: A's subscriber reads Redis in publish order, so a frame B publishes now
        # reaches A after any (wrongly delivered) copy of the two above.
        await process_b.publish("console:conv-1", {"type": "barrier"})
        await agent_on_a.wait_for(3)
        assert agent_on_a.frames[-1] == {"type": "barrier"}, agent_on_a.frames
        assert sorted(f["n"] for f in agent_on_a.frames[:-1]) == [1, 2]  # two publishers: no order between them

        # Frames of one publisher arrive in order.
        for n in range(20):
            await process_a.publish("conv-1", {"type": "seq", "n": n})
        await buyer_on_b.wait_for(21)
        assert [f["n"] for f in buyer_on_b.frames[1:]] == list(range(20))

        # After leaving, nothing more reaches the socket; other channels never did.
        probe = Inbox()
        process_b.join("conv-barrier", probe)
        process_b.leave("conv-1", buyer_on_b)
        await process_a.publish("conv-1", {"type": "late"})
        await process_a.publish("conv-2", {"type": "other"})
        # B's subscriber handles A's frames in publish order: once this one is in, the two above were handled.
        await process_a.publish("conv-barrier", {"type": "barrier"})
        await probe.wait_for(1)
        assert len(buyer_on_b.frames) == 21
    finally:
        await process_a.aclose()
        await process_b.aclose()


async def test_local_delivery_survives_redis_being_unreachable() -> None:
    with reserved_port() as nothing_listens:
        hub = RedisHub(f"redis://127.0.0.1:{nothing_listens}/0")
        inbox = Inbox()
        hub.join("conv-x", inbox)
        try:
            assert await hub.publish("conv-x", {"type": "state", "state": "bot"}) == 1
            assert inbox.frames == [{"type": "state", "state": "bot"}]
        finally:
            await hub.aclose()


def test_an_event_posted_on_api_a_reaches_the_buyer_socket_on_api_b(database_url, redis_url, service_headers):
    """Two api apps (as two processes would be) on one database and one Redis."""
    from fastapi.testclient import TestClient

    from api.main import create_app
    from api.settings import Settings
    from tests.support.conversations import buyer_token, open_session

    api_a, api_b = (create_app(Settings(hub_url=redis_url)) for _ in range(2))
    with TestClient(api_a) as client_a, TestClient(api_b) as client_b:
        with client_b.websocket_connect("/api/v1/chat/ws") as ws:
            token = buyer_token(client_b, "tr-0002")
            cid = open_session(ws, language="tr", buyer_token=token)["conversation"]["conversation_id"]
            posted = client_a.post(
                f"/api/v1/internal/conversations/{cid}/events",
                json={"type": "state", "state": "queued", "position": 1, "wait_seconds": 30},
                headers=service_headers,
            )
            # Checked before reading the socket, so a broken fan-out fails instead of hanging.
            assert posted.status_code == 200 and posted.json()["delivered_to"] == 1
            assert ws.receive_json() == {"type": "state", "state": "queued", "position": 1, "wait_seconds": 30}


async def test_the_subscriber_comes_back_after_a_redis_restart(tmp_path: Path) -> None:
    with reserved_port() as port:  # held while Redis is away, so the restart gets the same port
        await _restart_redis_on(port, tmp_path)


async def _restart_redis_on(port: int, tmp_path: Path) -> None:
    process_a, process_b = None, None
    with redis_server(port, tmp_path) as url:
        process_a, process_b = RedisHub(url), RedisHub(url)
        await process_a.start()
        await process_b.start()
    try:
        inbox = Inbox()
        process_b.join("conv-r", inbox)
        with redis_server(port, tmp_path) as url:
            # Redis was away; the subscriber reconnects with backoff, so publish until it is back.
            deadline = time.monotonic() + 20
            while not inbox.frames and time.monotonic() < deadline:
                await process_a.publish("conv-r", {"type": "ping"})
                await asyncio.sleep(0.25)
            assert inbox.frames and inbox.frames[0] == {"type": "ping"}
    finally:
        await process_a.aclose()
        await process_b.aclose()
