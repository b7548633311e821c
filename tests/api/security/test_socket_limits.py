"""WebSocket frames are capped like HTTP bodies, and one IP cannot hold unlimited sockets.

Before, a frame of many MiB was parsed whole (the HTTP body cap never sees WebSocket frames)
and any number of sockets could be opened from one address.
"""

from __future__ import annotations

import asyncio
import json
from contextlib import contextmanager

import pytest
import websockets
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from ops.servers import api_server
from tests.support.console import login

CHAT = "/api/v1/chat/ws"
CAP = 4096


@contextmanager
def capped_client(database_url: str, **settings):
    from api.main import create_app
    from api.settings import Settings

    with TestClient(create_app(Settings(database_url=database_url, max_request_bytes=CAP, **settings))) as client:
        yield client


@pytest.mark.parametrize(("language", "fragment"), [("tr", "bağlantı kapatıldı"), ("pl", "Połączenie zamknięto")])
def test_an_oversized_chat_frame_closes_the_socket_with_1009_and_a_clear_error(database_url, language, fragment):
    with capped_client(database_url) as client:
        with client.websocket_connect(f"{CHAT}?lang={language}") as ws:
            ws.send_json({"type": "start", "language": language})
            assert ws.receive_json()["type"] == "session"
            ws.send_json({"type": "message", "text": "ç" * CAP})  # 2 bytes a character: twice the cap
            error = ws.receive_json()
            assert error["code"] == "frame_too_large" and fragment in error["message"] and "4 KB" in error["message"]
            with pytest.raises(WebSocketDisconnect) as closed:
                ws.receive_json()
            assert closed.value.code == 1009
        with client.websocket_connect(CHAT) as ws:  # the next socket is served as usual
            ws.send_json({"type": "start", "language": language, "filler": "x" * (CAP // 2)})
            assert ws.receive_json()["type"] == "session"


def test_the_console_socket_has_the_same_cap(database_url, client):
    headers = login(client)
    with capped_client(database_url) as capped:
        with capped.websocket_connect(f"/api/v1/console/ws?token={headers['Authorization'][7:]}") as ws:
            assert ws.receive_json()["type"] == "hello"
            ws.send_text(json.dumps({"type": "watch", "conversation_id": "x" * (CAP + 1)}))
            assert ws.receive_json()["code"] == "frame_too_large"
            with pytest.raises(WebSocketDisconnect) as closed:
                ws.receive_json()
            assert closed.value.code == 1009


def test_one_address_holds_a_bounded_number_of_sockets(database_url):
    with capped_client(database_url, max_sockets_per_ip=2) as client:
        with client.websocket_connect(CHAT) as first, client.websocket_connect(CHAT):
            with client.websocket_connect(f"{CHAT}?lang=pl") as third:
                refused = third.receive_json()
                assert refused["code"] == "too_many_connections" and "zbyt wiele" in refused["message"]
                with pytest.raises(WebSocketDisconnect) as closed:
                    third.receive_json()
                assert closed.value.code == 1013
            first.send_json({"type": "start", "language": "tr"})
            assert first.receive_json()["type"] == "session"
        with client.websocket_connect(CHAT) as again:  # closed sockets free their places
            again.send_json({"type": "start", "language": "tr"})
            assert again.receive_json()["type"] == "session"


def test_the_real_server_refuses_an_oversized_frame_before_buffering_it(tmp_path):
    """python -m api.serve gives uvicorn the same cap: a 1 MiB frame ends with 1009, not a parse."""

    async def send_big(url: str) -> tuple[int | None, list[dict]]:
        frames: list[dict] = []
        async with websockets.connect(url, max_size=None) as ws:
            await ws.send(json.dumps({"type": "start", "language": "tr"}))
            frames.append(json.loads(await ws.recv()))
            await ws.send(json.dumps({"type": "message", "text": "a" * (1024 * 1024)}))
            try:
                while True:
                    frames.append(json.loads(await asyncio.wait_for(ws.recv(), 20)))
            except websockets.ConnectionClosed as exc:
                return (exc.rcvd.code if exc.rcvd else None), frames

    with api_server(tmp_path, extra_env={"MD_MAX_REQUEST_BYTES": str(64 * 1024)}) as url:
        code, frames = asyncio.run(send_big(url.replace("http", "ws") + CHAT))
    assert frames[0]["type"] == "session"
    assert code == 1009
    assert not [f for f in frames[1:] if f.get("type") in ("ack", "message")]  # nothing was accepted
