"""A buyer's conversation through the api's TestClient (tests/api): sign in, start, send, read back,
the WebSocket's start frame, and uploads. Shared by the api test modules, so none imports another."""

from __future__ import annotations

import io

from PIL import Image


def buyer_token(client, buyer_id: str) -> str:
    """What the marketplace's page would hold: a token from the demo issuer (same secret and issuer)."""
    response = client.get("/api/v1/demo/buyer-token", params={"buyer_id": buyer_id})
    assert response.status_code == 200, response.text
    return response.json()["token"]


def start_body(client, language: str, buyer_id: str | None) -> dict:
    """A start request signed in as ``buyer_id`` (anonymous for None)."""
    return (
        {"language": language}
        if buyer_id is None
        else {"language": language, "buyer_token": buyer_token(client, buyer_id)}
    )


def start(client, language="tr", buyer_id="tr-0001") -> dict:
    response = client.post("/api/v1/conversations", json=start_body(client, language, buyer_id))
    assert response.status_code == 201, response.text
    return response.json()


def post(client, conv: dict, text: str, **extra):
    return client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/messages",
        json={"text": text, **extra},
        headers={"X-Conversation-Token": conv["token"]},
    )


def history(client, conv: dict) -> list[dict]:
    response = client.get(
        f"/api/v1/conversations/{conv['conversation_id']}/messages", headers={"X-Conversation-Token": conv["token"]}
    )
    assert response.status_code == 200
    return response.json()["messages"]


def open_session(ws, **start) -> dict:
    """Send the WebSocket's start frame and return the session frame."""
    ws.send_json({"type": "start", **start})
    frame = ws.receive_json()
    assert frame["type"] == "session", frame
    return frame


def event(client, headers, conversation_id: str, **body):
    """A handoff event from the human side (queue, agent, CSAT request), as the agent queue posts it."""
    return client.post(f"/api/v1/internal/conversations/{conversation_id}/events", json=body, headers=headers)


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def upload(client, conv, data: bytes, name: str = "ekran.png", mime: str = "image/png", **form):
    return client.post(
        f"/api/v1/conversations/{conv['conversation_id']}/attachments",
        files={"file": (name, data, mime)},
        data=form,
        headers={"X-Conversation-Token": conv["token"]},
    )
