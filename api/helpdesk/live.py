"""Live news between buyers and agents over the hub.

Channels: a conversation's id (the buyer's widget tabs), ``console:<id>`` (agents watching
that conversation) and ``console`` (every console: the queue changed).
"""

from __future__ import annotations

from typing import Any

from api.gateway.hub import Hub

CONSOLE = "console"


def console_channel(conversation_id: str) -> str:
    return f"{CONSOLE}:{conversation_id}"


async def queue_changed(hub: Hub) -> None:
    await hub.publish(CONSOLE, {"type": "queue_changed"})


async def announce_queued(hub: Hub, conversation_id: str, position: int, wait_seconds: int) -> None:
    """The buyer's widget shows the place in line; consoles refresh their queue."""
    await hub.publish(
        conversation_id, {"type": "state", "state": "queued", "position": position, "wait_seconds": wait_seconds}
    )
    await queue_changed(hub)


async def buyer_said(hub: Hub, conversation_id: str, message: dict[str, Any]) -> None:
    """Every buyer message reaches the agents watching the conversation (queued or with them)."""
    frame = {"type": "message", "conversation_id": conversation_id, "message": message}
    await hub.publish(console_channel(conversation_id), frame)


def session_channel(session_id: int) -> str:
    """Every live socket of one console login (closed on logout)."""
    return f"console-session:{session_id}"


def agent_channel(agent_id: int) -> str:
    """Every live socket of one agent, whatever the login (closed when the agent is removed)."""
    return f"console-agent:{agent_id}"


def notice_channel(agent_id: int) -> str:
    """News for one agent's consoles that must not end them (``agent_channel`` frames close the socket):
    idle reminders (``idle_reminder``) and buyer messages on their tickets (``ticket_message``)."""
    return f"console-notice:{agent_id}"


async def announce_ticket_message(hub: Hub, notices: list[Any]) -> None:
    """A buyer wrote to a conversation whose ticket is open: its owner's consoles hear of it
    (``reopen.TicketNotice``); every console's ticket list refreshes."""
    for notice in notices:
        frame = {"type": "ticket_message", "reference": notice.reference, "conversation_id": notice.conversation_id}
        if notice.agent_id is not None:
            await hub.publish(notice_channel(notice.agent_id), frame)
    if notices:
        await queue_changed(hub)


async def end_sessions(hub: Hub, channel: str, reason: str) -> int:
    """Close the console sockets on ``channel``, in every api process (through the hub)."""
    return await hub.publish(channel, {"type": "session_ended", "reason": reason})
