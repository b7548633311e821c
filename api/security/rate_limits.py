"""Rate limits on what a buyer (or anyone on the internet) can make the gateway do.

Buyer messages, conversation starts, uploads, FAQ searches and console logins are
counted per conversation and per client IP address with the ``limits`` library's moving window,
so a burst at a window's edge cannot double the allowance. Counters live in the storage
named by ``MD_RATE_LIMIT_STORAGE``: ``memory://`` is right for one api process; several
processes share counters through ``redis://``.

A refused request is never half-done: the check runs before anything is stored, and the
error (``too_many_*``, HTTP 429 or a WebSocket error frame with ``retry_after``) tells
the buyer, in their language, that this message was not saved and when to resend it.

The IP is the peer address; behind a reverse proxy listed in ``MD_TRUSTED_PROXIES`` it is the
client the proxy names in X-Forwarded-For (``api/security/forwarded.py``), from anyone else the
header is ignored, so rotating it cannot reset a limit.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, parse_many, storage, strategies

from api.errors import Catalogue, DomainError
from api.security.texts import text
from api.settings import Settings


def rate_limited(code: str, retry_after: int, catalogue: Catalogue | None = text) -> DomainError:
    """429 with ``retry_after`` (body and Retry-After header); worded by ``catalogue``, the buyer's
    guard texts unless the caller reads another (the seller portal) or none (the console)."""
    return DomainError(code, 429, catalogue=catalogue, values={"seconds": retry_after}, retry_after=retry_after)


@dataclass(frozen=True)
class Rule:
    code: str  # the buyer-facing error (api/gateway/texts.py)
    per_conversation: list[RateLimitItem]
    per_ip: list[RateLimitItem]


class RateLimits:
    """One per app; ``check`` raises ``rate_limited`` (a 429 ``DomainError``) or counts the request."""

    def __init__(self, settings: Settings) -> None:
        self._storage = storage.storage_from_string(settings.rate_limit_storage)
        self._window = strategies.MovingWindowRateLimiter(self._storage)
        self.rules = {
            "message": Rule(
                "too_many_messages",
                parse_many(settings.rate_limit_messages_per_conversation),
                parse_many(settings.rate_limit_messages_per_ip),
            ),
            "start": Rule("too_many_starts", [], parse_many(settings.rate_limit_starts_per_ip)),
            "upload": Rule(
                "too_many_uploads",
                parse_many(settings.rate_limit_uploads_per_conversation),
                parse_many(settings.rate_limit_uploads_per_ip),
            ),
            "faq": Rule("too_many_searches", [], parse_many(settings.rate_limit_faq_per_ip)),
            "login": Rule("too_many_logins", [], parse_many(settings.rate_limit_logins_per_ip)),
        }

    def check(
        self, kind: str, *, ip: str | None, conversation_id: str | None = None, catalogue: Catalogue | None = text
    ) -> None:
        """Count one ``kind`` request, or refuse it without counting it (worded by ``catalogue``).

        Every applicable window is tested first, so a refused request uses up none of
        them; a request nobody can attribute (no IP, no conversation) is not limited.
        """
        rule = self.rules[kind]
        windows = [(item, (kind, "conversation", conversation_id)) for item in rule.per_conversation if conversation_id]
        windows += [(item, (kind, "ip", ip)) for item in rule.per_ip if ip]
        refused = [(item, keys) for item, keys in windows if not self._window.test(item, *keys)]
        if refused:
            raise rate_limited(rule.code, max(self._retry_after(item, keys) for item, keys in refused), catalogue)
        for item, keys in windows:
            if not self._window.hit(item, *keys):  # lost a race with a concurrent request
                raise rate_limited(rule.code, self._retry_after(item, keys), catalogue)

    def _retry_after(self, item: RateLimitItem, keys: tuple[str, ...]) -> int:
        reset_at = self._window.get_window_stats(item, *keys).reset_time
        return max(1, math.ceil(reset_at - time.time()))

    def reset(self) -> None:
        """Forget every counter (tests, and an operator clearing a false alarm)."""
        self._storage.reset()
