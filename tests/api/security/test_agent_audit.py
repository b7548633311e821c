"""Every agent action leaves an audit row (actor ``agent:<username>``); only supervisors read them back."""

from __future__ import annotations

import io
import uuid

import pytest
from PIL import Image

from tests.support.console import hand_over, make_agent
from tests.support.conversations import start

CONSOLE = "/api/v1/console"


pytestmark = pytest.mark.usefixtures("agents_go_home")


def signed_in(client, role: str = "agent", online: bool = True) -> tuple[str, dict[str, str]]:
    from api.db import get_sessionmaker
    from api.helpdesk.auth import create_agent

    username = f"{role}{uuid.uuid4().hex[:8]}"
    with get_sessionmaker()() as session:
        create_agent(
            session, username=username, display_name=username, password="s3cret-pass", languages=["tr"], role=role
        )
    token = client.post(f"{CONSOLE}/login", json={"username": username, "password": "s3cret-pass"}).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    if online:
        assert client.put(f"{CONSOLE}/presence", json={"presence": "online"}, headers=headers).status_code == 200
    return username, headers


def audit_rows(client, supervisor: dict[str, str], **filters) -> list[dict]:
    response = client.get(f"{CONSOLE}/audit", params={"limit": 500, **filters}, headers=supervisor)
    assert response.status_code == 200, response.text
    return response.json()["entries"]


def actions_of(rows: list[dict], actor: str) -> list[str]:
    return [r["action"] for r in reversed(rows) if r["actor"] == actor]


def test_logins_failures_presence_and_logout_are_audited(client):
    _, supervisor = signed_in(client, "supervisor", online=False)
    username, password = make_agent()
    assert client.post(f"{CONSOLE}/login", json={"username": username, "password": "wrong-password"}).status_code == 401
    assert client.post(f"{CONSOLE}/login", json={"username": "hunter2-typed-here", "password": "x"}).status_code == 401
    token = client.post(f"{CONSOLE}/login", json={"username": username, "password": password}).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    client.put(f"{CONSOLE}/presence", json={"presence": "online"}, headers=headers)
    client.put(f"{CONSOLE}/presence", json={"presence": "away"}, headers=headers)
    assert client.post(f"{CONSOLE}/logout", headers=headers).status_code == 204

    rows = audit_rows(client, supervisor, target=f"agent:{username}")
    assert actions_of(rows, f"agent:{username}") == [
        "agent.login_failed",
        "agent.login",
        "agent.presence",
        "agent.presence",
        "agent.logout",
    ]
    presence = [r["details"] for r in reversed(rows) if r["action"] == "agent.presence"]
    assert presence == [{"before": "offline", "after": "online"}, {"before": "online", "after": "away"}]
    unknown = audit_rows(client, supervisor, target="agent:unknown", action="agent.login_failed")
    assert unknown and unknown[0]["actor"] == "anonymous"
    # A username nobody has may be a password typed into the wrong field: it is not written down.
    assert "hunter2" not in str(audit_rows(client, supervisor))


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (6, 6), (1, 2, 3)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_conversation_work_is_audited_without_the_words(client, staffed):
    first, first_headers = signed_in(client)
    second, second_headers = signed_in(client)
    _, supervisor = signed_in(client, "supervisor", online=False)
    conv = start(client, "tr", "tr-0002")
    cid = conv["conversation_id"]
    uploaded = client.post(
        f"/api/v1/conversations/{cid}/attachments",
        files={"file": ("k.png", png(), "image/png")},
        headers={"X-Conversation-Token": conv["token"]},
    ).json()["message"]["attachment"]["id"]
    hand_over(client, cid)
    path = f"{CONSOLE}/conversations/{cid}"
    assert client.post(f"{path}/claim", headers=first_headers).status_code == 200
    assert client.post(f"{path}/messages", json={"text": "Gizli cevap 12345"}, headers=first_headers).status_code == 200
    note = client.post(f"{path}/notes", json={"text": "Not: adres doğrulandı"}, headers=first_headers).json()
    token = first_headers["Authorization"][7:]
    assert client.get(f"{CONSOLE}/attachments/{uploaded}", params={"token": token}).status_code == 200
    moved = client.post(f"{path}/transfer", json={"agent_username": second}, headers=first_headers)
    assert moved.status_code == 200
    assert client.post(f"{path}/handback", headers=second_headers).status_code == 200
    changed = client.patch(f"{CONSOLE}/tickets/{note['ticket']}", json={"status": "pending"}, headers=second_headers)
    assert changed.status_code == 200 and changed.json()["status"] == "pending"

    rows = audit_rows(client, supervisor, target=f"conversation:{cid}")
    assert actions_of(rows, f"agent:{first}") == [
        "conversation.claim",
        "conversation.message",
        "conversation.note",
        "conversation.transfer",
    ]
    assert actions_of(rows, f"agent:{second}") == ["conversation.handback"]
    transfer = next(r for r in rows if r["action"] == "conversation.transfer")
    assert transfer["details"] == {"to_agent": second}
    viewed = audit_rows(client, supervisor, target=f"attachment:{uploaded}")
    assert [(r["actor"], r["action"]) for r in viewed] == [(f"agent:{first}", "attachment.view")]
    ticket = audit_rows(client, supervisor, target=f"ticket:{note['ticket']}")
    assert ticket[0]["actor"] == f"agent:{second}" and ticket[0]["details"] == {"before": "open", "after": "pending"}
    everything = str(audit_rows(client, supervisor))
    assert "Gizli cevap" not in everything and "adres doğrulandı" not in everything  # ids, never the words


def test_only_supervisors_read_the_audit_log_and_take_over_a_colleagues_chat(client, staffed):
    _, owner_headers = signed_in(client)
    _, colleague = signed_in(client)
    boss, supervisor = signed_in(client, "supervisor")
    assert client.get(f"{CONSOLE}/audit", headers=colleague).status_code == 403
    assert client.get(f"{CONSOLE}/audit", headers=colleague).json()["detail"]["code"] == "supervisor_only"
    assert client.get(f"{CONSOLE}/audit", headers=supervisor).status_code == 200

    conv = start(client, "tr", "tr-0002")
    cid = conv["conversation_id"]
    hand_over(client, cid)
    client.post(f"{CONSOLE}/conversations/{cid}/claim", headers=owner_headers)
    assert client.post(f"{CONSOLE}/conversations/{cid}/transfer", json={}, headers=colleague).status_code == 403
    assert client.post(f"{CONSOLE}/conversations/{cid}/transfer", json={}, headers=supervisor).status_code == 200
    [row] = audit_rows(client, supervisor, target=f"conversation:{cid}", action="conversation.transfer")
    assert row["actor"] == f"agent:{boss}" and row["details"]["to_queue"] == "tr"
    assert "on_behalf_of_agent_id" in row["details"]


def test_ticket_changes_stay_in_the_agents_markets(client):
    from api.clock import utcnow
    from api.db import get_sessionmaker
    from api.helpdesk.tickets import open_ticket

    _, agent = signed_in(client, online=False)  # Turkish only
    with get_sessionmaker()() as session:
        polish = open_ticket(session, market="PL", topic="general", now=utcnow()).reference
        turkish = open_ticket(session, market="TR", topic="general", now=utcnow()).reference
    assert client.patch(f"{CONSOLE}/tickets/{polish}", json={"status": "resolved"}, headers=agent).status_code == 404
    assert client.patch(f"{CONSOLE}/tickets/{turkish}", json={"status": "bogus"}, headers=agent).status_code == 422
    done = client.patch(f"{CONSOLE}/tickets/{turkish}", json={"status": "resolved"}, headers=agent)
    assert done.status_code == 200 and done.json()["status"] == "resolved"
    reopened = client.patch(f"{CONSOLE}/tickets/{turkish}", json={"status": "open"}, headers=agent)
    assert reopened.json()["status"] == "open" and reopened.json()["breached"]["resolution"] is False
