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
