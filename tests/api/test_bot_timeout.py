"""Rasa that accepts the connection but never answers: the buyer still gets a reply, in bounded time."""

from __future__ import annotations

import socket
import threading

from fastapi.testclient import TestClient

from tests.support.conversations import start


def test_silent_rasa_times_out_into_a_friendly_message(database_url):
    from api.main import create_app
    from api.settings import Settings

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()
    accepted: list[socket.socket] = []
    threading.Thread(target=lambda: accepted.append(silent.accept()[0]), daemon=True).start()
    host, port = silent.getsockname()
    app = create_app(Settings(database_url=database_url, rasa_url=f"http://{host}:{port}", rasa_timeout_seconds=1.0))
    try:
        with TestClient(app) as client:
            conv = start(client, "pl", "pl-0001")
            response = client.post(
                f"/api/v1/conversations/{conv['conversation_id']}/messages",
                json={"text": "gdzie jest paczka"},
                headers={"X-Conversation-Token": conv["token"]},
            )
        assert response.status_code == 200
        assert accepted, "the gateway never reached the silent server"
        [reply] = response.json()["replies"]
        assert reply["sender"] == "system" and "nasz asystent nie może" in reply["text"]
    finally:
        silent.close()
        for conn in accepted:
            conn.close()
