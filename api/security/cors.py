"""CORS for the buyer endpoints only.

The widget runs on the shops' pages (``MD_ALLOWED_ORIGINS``), so the endpoints it calls answer
cross-origin requests from them. Nothing else does: with a global CORS policy of ``*`` any web
page could make its visitors' browsers try console passwords (a JSON login needs a preflight,
which now gets no CORS answer) or read the demo sign-in. Console, internal, metrics and demo
endpoints stay same-origin or server-to-server.
"""

from __future__ import annotations

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

# What widget.js calls: conversations (messages, uploads, attachments) and the FAQ search.
BUYER_PREFIXES = ("/api/v1/conversations", "/api/v1/faq")


def is_buyer_path(path: str) -> bool:
    return any(path == prefix or path.startswith(prefix + "/") for prefix in BUYER_PREFIXES)


class BuyerCORS:
    """Starlette's CORS middleware, applied to the buyer paths; every other path passes untouched."""

    def __init__(self, app: ASGIApp, allowed_origins: list[str]) -> None:
        self.app = app
        self.cors = CORSMiddleware(
            app,
            allow_origins=allowed_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", "X-Conversation-Token"],
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and is_buyer_path(scope["path"]):
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)
