"""Live connections per conversation, so news from outside a socket (an agent's message, a queue
update) reaches the buyer's open widget tabs.

``Hub`` is in-process: one api process (the default). ``RedisHub`` has the same interface and
also fans every frame out over Redis pub/sub, so a socket held by another api process gets it
(an agent on process A talks with a buyer on process B). ``make_hub`` picks one from the
``MD_HUB_URL`` setting.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any

Sender = Callable[[dict[str, Any]], Awaitable[None]]

log = logging.getLogger("marketdesk.hub")


class Hub:
    def __init__(self) -> None:
        self._senders: dict[str, set[Sender]] = defaultdict(set)

    async def start(self) -> None:
        """Nothing to connect in-process (RedisHub subscribes here)."""

    async def aclose(self) -> None:
        """Nothing to release in-process."""

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
        return await self._deliver_locally(conversation_id, frame)

    async def _deliver_locally(self, conversation_id: str, frame: dict[str, Any]) -> int:
        senders = list(self._senders.get(conversation_id, ()))
        results = await asyncio.gather(*(send(frame) for send in senders), return_exceptions=True)
        for send, result in zip(senders, results, strict=True):
            if isinstance(result, Exception):
                self.leave(conversation_id, send)
        return sum(1 for r in results if not isinstance(r, Exception))


class RedisHub(Hub):
    """The in-process hub plus Redis pub/sub between api processes.

    ``publish`` delivers to this process's sockets at once and publishes the frame on
    ``<prefix><channel>`` tagged with this instance's id; every instance pattern-subscribes to
    ``<prefix>*`` from ``start()`` on (so a socket that joined is reachable before its first frame
    can be published) and hands frames of other instances to its local sockets. Frames from one
    publisher arrive in order. If Redis is unreachable, local delivery still works, publishing
    logs the failure, and the subscriber reconnects with backoff (frames sent meanwhile are lost
    to other processes: pub/sub keeps nothing; buyers and agents get them from the stored
    history when they reload).

    The return value of ``publish`` is the local deliveries plus the number of *other api
    processes* that received the frame (each of them may hold any number of sockets for it).
    """

    def __init__(self, url: str, prefix: str = "md:hub:") -> None:
        super().__init__()
        import redis.asyncio as aioredis  # only the scaled profile needs redis

        self._url = url
        self._prefix = prefix
        self._origin = uuid.uuid4().hex
        # Publishing must never hang a request; the subscriber waits idle for as long as it takes
        # (with a health-check ping so a dead connection is noticed).
        self._redis = aioredis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
        self._subscriber = aioredis.Redis.from_url(url, socket_connect_timeout=2, health_check_interval=30)
        self._reader: asyncio.Task[None] | None = None
        self._subscribed = asyncio.Event()

    @property
    def origin(self) -> str:
        return self._origin

    async def start(self) -> None:
        if self._reader is None:
            self._subscribed = asyncio.Event()  # bound to this event loop (a TestClient runs one per lifespan)
            self._reader = asyncio.create_task(self._read_forever())
        # Wait (briefly) for the first subscription so frames published right after start-up arrive.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._subscribed.wait(), timeout=10)
        if not self._subscribed.is_set():
            log.error("hub: not subscribed to %s yet; cross-process delivery starts when Redis answers", self._url)

    async def aclose(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader
            self._reader = None
        await self._redis.aclose()
        await self._subscriber.aclose()

    async def publish(self, conversation_id: str, frame: dict[str, Any]) -> int:
        delivered = await self._deliver_locally(conversation_id, frame)
        payload = json.dumps({"origin": self._origin, "frame": frame}, ensure_ascii=False, default=str)
        try:
            receivers = await self._redis.publish(self._prefix + conversation_id, payload)
        except Exception:  # Redis down: local sockets were served; others read the stored history
            log.exception("hub: publishing to Redis failed for %s", conversation_id)
            return delivered
        # This instance's own subscription is one of the receivers.
        return delivered + max(int(receivers) - (1 if self._subscribed.is_set() else 0), 0)

    async def _read_forever(self) -> None:
        delay = 0.5
        while True:
            pubsub = self._subscriber.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.psubscribe(self._prefix + "*")
                self._subscribed.set()
                delay = 0.5
                async for message in pubsub.listen():
                    if message.get("type") == "pmessage":
                        await self._on_message(message)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("hub: Redis subscription lost; retrying in %.1f s", delay, exc_info=True)
            finally:
                self._subscribed.clear()
                with contextlib.suppress(Exception):
                    await pubsub.aclose()
            await asyncio.sleep(delay)
            delay = min(delay * 2, 10.0)

    async def _on_message(self, message: dict[str, Any]) -> None:
        channel = message["channel"]
        if isinstance(channel, bytes):
            channel = channel.decode()
        try:
            body = json.loads(message["data"])
        except (TypeError, ValueError):
            log.warning("hub: ignoring a malformed frame on %s", channel)
            return
        if not isinstance(body, dict) or body.get("origin") == self._origin:
            return  # our own frame: already delivered locally
        conversation_id = channel[len(self._prefix) :]
        if conversation_id in self._senders:
            await self._deliver_locally(conversation_id, body.get("frame") or {})


def make_hub(url: str = "") -> Hub:
    """``""`` -> the in-process hub; ``redis://host:port/db`` -> RedisHub."""
    return RedisHub(url) if url else Hub()
