"""Agents for the console tests (tests/api): created in the database, signed in, handed conversations."""

from __future__ import annotations

import itertools

from ops.servers import SERVICE_TOKEN
from tests.support.conversations import start_body

CONSOLE = "/api/v1/console"
_names = itertools.count(1)


def make_agent(languages=("tr",), capacity: int = 3) -> tuple[str, str]:
    from api.db import get_sessionmaker
    from api.helpdesk.auth import create_agent

    username = f"agent{next(_names)}"
    with get_sessionmaker()() as session:
        create_agent(
            session,
            username=username,
            display_name=username.title(),
            password="s3cret-pass",
            languages=list(languages),
            capacity=capacity,
        )
    return username, "s3cret-pass"


def login(client, languages=("tr",), capacity: int = 3, online: bool = True) -> dict[str, str]:
    username, password = make_agent(languages, capacity)
    token = client.post(f"{CONSOLE}/login", json={"username": username, "password": password}).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    if online:
        assert client.put(f"{CONSOLE}/presence", json={"presence": "online"}, headers=headers).status_code == 200
    return headers


def conversation(client, language: str = "tr", buyer: str = "tr-0002") -> dict:
    response = client.post("/api/v1/conversations", json=start_body(client, language, buyer))
    assert response.status_code == 201
    return response.json()


def hand_over(client, conversation_id: str, reason: str = "buyer_request", **details) -> dict:
    body = {
        "conversation_id": conversation_id,
        "reason": reason,
        "topic": "return_request",
        "summary": "x",
        "details": details,
    }
    response = client.post("/api/v1/internal/handoffs", json=body, headers={"Authorization": f"Bearer {SERVICE_TOKEN}"})
    assert response.status_code == 200, response.text
    return response.json()


def empty_queue(client, languages=("tr",)) -> None:
    """Claim what other modules left in the queue of these languages (a new agent for every ten), so
    a test that reads queue positions sees only its own conversations, whichever modules ran first."""
    for _ in range(50):
        agent = login(client, languages, capacity=10)
        rows = client.get(f"{CONSOLE}/queue", headers=agent).json()["queue"]
        if not rows:
            return
        for row in rows[:10]:
            claimed = client.post(f"{CONSOLE}/conversations/{row['conversation_id']}/claim", headers=agent)
            assert claimed.status_code == 200, claimed.text
    raise AssertionError("the queue was still not empty after 500 claims")
