"""Caps on WebSockets: frame size (the HTTP body cap's twin) and open sockets per client IP.

The HTTP body cap (``BodySizeLimit``) never sees WebSocket frames, so without this a client
could send frames of many MiB and a handful of sockets would multiply the api's memory. The
ASGI server is the first line (``python -m api.serve`` sets uvicorn's ``ws_max_size`` to the same
number, so an over-size frame is refused before it is buffered); this middleware is the rule the
app itself enforces whatever server runs it: a frame over ``MD_MAX_REQUEST_BYTES`` gets an error
frame in the buyer's language and close code 1009 (message too big), and the app sees a
disconnect. A client IP holding ``MD_MAX_SOCKETS_PER_IP`` open sockets gets its next one
closed with 1013 (try again later) after an error frame. Counts are per api process.
"""

from __future__ import annotations

import json
from collections import Counter

from starlette.datastructures import Headers, QueryParams
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.security.headers import preferred_language
from api.security.texts import LANGUAGES, text

CLOSE_TOO_BIG = 1009
CLOSE_TRY_AGAIN_LATER = 1013


def frame_size(message: Message, cap: int) -> int:
    """Bytes of a received frame (UTF-8 for text), computed only as far as the cap needs."""
    if message.get("bytes") is not None:
        return len(message["bytes"])
    data = message.get("text") or ""
    if len(data) > cap or len(data) * 4 <= cap:  # characters are 1-4 bytes: decided without encoding
        return len(data)
    return len(data.encode("utf-8", "surrogatepass"))


def socket_language(scope: Scope) -> str:
    """``?lang=`` of the socket URL, else Accept-Language, else Turkish."""
    lang = QueryParams(scope.get("query_string", b"")).get("lang", "")
    return lang if lang in LANGUAGES else preferred_language(Headers(scope=scope))


class SocketLimits:
    """Pure ASGI middleware for ``websocket`` scopes; HTTP passes straight through."""

    def __init__(self, app: ASGIApp, max_frame_bytes: int, max_sockets_per_ip: int) -> None:
        self.app = app
        self.max_frame_bytes = max_frame_bytes
        self.max_sockets_per_ip = max_sockets_per_ip
        self.open: Counter[str] = Counter()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "websocket":
            await self.app(scope, receive, send)
            return
        ip = scope["client"][0] if scope.get("client") else None
        if ip is not None and self.open[ip] >= self.max_sockets_per_ip:
            await self._refuse(scope, receive, send)
            return
        if ip is not None:
            self.open[ip] += 1
        closed = False

        async def guarded_send(message: Message) -> None:
            if not closed:  # after our close the app may still try to say goodbye: drop it
                await send(message)

        async def capped_receive() -> Message:
            nonlocal closed
            message = await receive()
            if message["type"] == "websocket.receive" and frame_size(message, self.max_frame_bytes) > (
                self.max_frame_bytes
            ):
                limit_kb = max(1, self.max_frame_bytes // 1024)
                await send(self._error_frame("frame_too_large", socket_language(scope), limit_kb=limit_kb))
                await send({"type": "websocket.close", "code": CLOSE_TOO_BIG, "reason": "frame too large"})
                closed = True
                return {"type": "websocket.disconnect", "code": CLOSE_TOO_BIG}
            return message

        try:
            await self.app(scope, capped_receive, guarded_send)
        finally:
            if ip is not None:
                self.open[ip] -= 1
                if self.open[ip] <= 0:
                    del self.open[ip]

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Accept only to say why in the buyer's language, then close: a bare refusal reads as a network error."""
        message = await receive()
        if message["type"] != "websocket.connect":
            return
        await send({"type": "websocket.accept"})
        await send(self._error_frame("too_many_connections", socket_language(scope)))
        await send({"type": "websocket.close", "code": CLOSE_TRY_AGAIN_LATER, "reason": "too many connections"})

    @staticmethod
    def _error_frame(code: str, language: str, **values: object) -> Message:
        frame = {"type": "error", "code": code, "message": text(code, language, **values)}
        return {"type": "websocket.send", "text": json.dumps(frame, ensure_ascii=False)}
