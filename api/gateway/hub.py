"""Live connections per conversation, so news from outside a socket (an agent's message, a queue
update) reaches the buyer's open widget tabs.

In-process only: one api process. Fan-out across processes (Redis pub/sub) comes with
the scale-out issue behind this same interface.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any

Sender = Callable[[dict[str, Any]], Awaitable[None]]


class Hub:
    def __init__(self) -> None:
        self._senders: dict[str, set[Sender]] = defaultdict(set)

    def join(self, conversation_id: str, send: Sender) -> None:
        self._senders[conversation_id].add(send)

    def leave(self, conversation_id: str, send: Sender) -> None:
        senders = self._senders.get(conversation_id)
        if senders is not None:
            senders.discard(send)
            if not senders:
                del self._senders[conversation_id]

    def connections(self, conversation_id: str) -> int:
        return len(self._senders.get(conversation_id, ()))

    async def publish(self, conversation_id: str, frame: dict[str, Any]) -> int:
        """Send to every live socket of the conversation; a dead one is dropped. Returns deliveries."""
        senders = list(self._senders.get(conversation_id, ()))
        results = await asyncio.gather(*(send(frame) for send in senders), return_exceptions=True)
        for send, result in zip(senders, results, strict=True):
            if isinstance(result, Exception):
                self.leave(conversation_id, send)
        return sum(1 for r in results if not isinstance(r, Exception))
