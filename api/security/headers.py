"""Security headers on every HTTP response, and a cap on request body sizes.

Pages (the demo shop, the console) get a Content-Security-Policy that allows only our
own scripts: the inline script of a static page is allowed by its SHA-256, computed
from the file at start-up, so editing the page cannot silently widen the policy.
Every other response gets ``default-src 'none'`` (JSON and images never need to run
anything). Nothing may frame us (``frame-ancestors 'none'`` and ``X-Frame-Options:
DENY``) except that the widget script itself is made to be loaded by other sites, so
it is marked ``Cross-Origin-Resource-Policy: cross-origin`` instead. A header a route
set itself (the attachments' CSP) is kept.

The body cap answers 413 before a handler (or the multipart parser, which spools to
disk) sees an oversized request: uploads may be ``max_attachment_bytes`` plus form
overhead, anything else ``max_request_bytes``. Its message is in the buyer's language:
the conversation's for an upload with its token, else ``Accept-Language``, else Turkish.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Iterable
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import DomainError
from api.security.texts import LANGUAGES, megabytes, text

WIDGET_SCRIPT = "/static/widget.js"
DOCS_PATHS = ("/docs", "/redoc")
UPLOAD_PATH = re.compile(r"^/api/v1/conversations/(?P<conversation_id>[^/]+)/attachments$")
MULTIPART_OVERHEAD = 64 * 1024

COMMON = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": (
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
    ),
}
API_CSP = "default-src 'none'; frame-ancestors 'none'"
# Only over TLS (directly, or X-Forwarded-Proto from a trusted proxy): on plain HTTP browsers ignore it.
HSTS = "max-age=31536000; includeSubDomains"
# FastAPI's Swagger UI and ReDoc pages load their code from a CDN and start it inline.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
    "font-src 'self' https://fonts.gstatic.com; img-src 'self' data: https://fastapi.tiangolo.com "
    "https://cdn.redoc.ly; worker-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)


def inline_script_hashes(pages: Iterable[Path]) -> list[str]:
    """CSP source expressions ('sha256-...') for the inline scripts of the given HTML files."""
    hashes = []
    for page in pages:
        for body in _INLINE_SCRIPT.findall(page.read_text(encoding="utf-8")):
            digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
            hashes.append(f"'sha256-{digest}'")
    return sorted(set(hashes))


def page_csp(static_dir: Path) -> str:
    """The policy of our HTML pages: own scripts (plus the pages' hashed inline ones), own connections.

    Styles may be inline: the widget styles its shadow root with a <style> element and the
    pages carry their own; images come from us (attachments) or are data:/blob: previews.
    """
    scripts = " ".join(["'self'", *inline_script_hashes(sorted(static_dir.glob("*.html")))])
    return (
        f"default-src 'self'; script-src {scripts}; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    )


def websocket_origin_allowed(headers: Headers, allowed_origins: list[str]) -> bool:
    """CORS does not cover WebSockets: the chat socket checks Origin against the same list.

    A page of the api's own origin (the demo page) is always allowed; a client that sends
    no Origin is not a browser page, so there is no cross-site page to protect against.
    """
    origin = headers.get("origin")
    if origin is None or "*" in allowed_origins or origin in allowed_origins:
        return True
    host = headers.get("host", "")
    return origin.split("://", 1)[-1] == host


def preferred_language(headers: Headers) -> str:
    """tr or pl from Accept-Language (first one named), Turkish when neither is."""
    for part in headers.get("accept-language", "").split(","):
        language = part.split(";")[0].strip().lower()[:2]
        if language in LANGUAGES:
            return language
    return "tr"


class SecurityHeaders:
    """Pure ASGI middleware (no body buffering, so streaming responses and WebSockets are untouched).

    Mounted outermost, so CORS preflights and the body cap's 413 get the headers too.
    """

    def __init__(self, app: ASGIApp, static_dir: Path) -> None:
        self.app = app
        self.page_csp = page_csp(static_dir)

    def headers_for(self, path: str, content_type: str, secure: bool = False) -> dict[str, str]:
        headers = dict(COMMON)
        if secure:
            headers["Strict-Transport-Security"] = HSTS
        if path == WIDGET_SCRIPT:
            headers["Cross-Origin-Resource-Policy"] = "cross-origin"
            return headers
        headers["X-Frame-Options"] = "DENY"
        if path.startswith(DOCS_PATHS):
            headers["Content-Security-Policy"] = DOCS_CSP
        elif content_type.startswith("text/html"):
            headers["Content-Security-Policy"] = self.page_csp
        else:
            headers["Content-Security-Policy"] = API_CSP
        return headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        secure = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers_for(path, headers.get("content-type", ""), secure).items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodySizeLimit:
    """413 for a declared oversized body; a body streamed past the cap reads as a disconnect.

    Mounted inside CORS, so a cross-origin widget can read the 413's JSON.
    """

    def __init__(self, app: ASGIApp, max_request_bytes: int, max_upload_bytes: int) -> None:
        self.app = app
        self.max_request_bytes = max_request_bytes
        self.max_attachment_bytes = max_upload_bytes
        self.max_upload_bytes = max_upload_bytes + MULTIPART_OVERHEAD

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        cap = self.max_upload_bytes if UPLOAD_PATH.match(path) else self.max_request_bytes
        request_headers = Headers(scope=scope)
        declared = request_headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            await self._too_large(send, path, await self._language(scope, path, request_headers))
            return
        received = 0

        async def capped_receive() -> Message:
            # A body without Content-Length (chunked) is counted as it arrives: past the cap the
            # app sees a disconnect, so nothing oversized is parsed or stored.
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > cap:
                    return {"type": "http.disconnect"}
            return message

        await self.app(scope, capped_receive, send)

    @staticmethod
    async def _language(scope: Scope, path: str, headers: Headers) -> str:
        """The conversation's language for an upload its token holder sent; else Accept-Language."""
        upload = UPLOAD_PATH.match(path)
        token = headers.get("x-conversation-token")
        if upload and token:
            chat = scope["app"].state.chat
            try:
                conversation = await run_in_threadpool(chat.resume, upload["conversation_id"], token)
            except DomainError:
                pass
            else:
                return conversation.language
        return preferred_language(headers)

    async def _too_large(self, send: Send, path: str, language: str) -> None:
        if UPLOAD_PATH.match(path):
            limit_mb = megabytes(self.max_attachment_bytes)
            detail = {
                "code": "attachment_too_large",
                "message": text("attachment_too_large", language, limit_mb=limit_mb),
            }
        else:
            detail = {"code": "request_too_large", "message": text("request_too_large", language)}
        body = json.dumps({"detail": detail}, ensure_ascii=False).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})
