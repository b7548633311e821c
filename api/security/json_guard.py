"""Malformed JSON is refused at the door, in the client's language, instead of failing deep inside.

Python's ``json`` accepts more than JSON (RFC 8259) allows, and what it lets through broke
requests late, with a 500 and a traceback: ``NaN``, ``Infinity`` and ``-Infinity`` (and
numbers like ``1e999`` that overflow to infinity) cannot be written back into a JSON
response, and a lone surrogate (``"\\ud800"``, or its raw UTF-8-style bytes) is a ``str``
that no database driver or response can encode. Bytes that are not UTF-8 at all failed
the same way wherever a handler or a validation error echoed them.

``strict_loads`` is ``json.loads`` without those: it raises ``MalformedJson`` (a
``ValueError``) for them and for nesting deeper than the parser can follow. The chat
WebSocket parses its frames with it (an ``invalid_json`` error frame, the socket stays
open); ``JsonBodyGuard`` checks every HTTP request body the same way before FastAPI
parses it, and answers 400 ``{"detail": {"code": "invalid_json", "message": ...}}`` with
the message in the conversation's language (the chat's endpoints with a conversation
token) or else the ``Accept-Language`` one, Turkish by default. A body that is simply not
JSON syntax is left to FastAPI, which answers its usual 422 list; forms and uploads are
not touched (the multipart parser has its own rules).
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, NoReturn

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import DomainError
from api.security.headers import preferred_language
from api.security.texts import text

CONVERSATION_PATH = re.compile(r"^/api/v1/conversations/(?P<conversation_id>[^/]+)/")
FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
# Parsing a body this large happens off the event loop.
THREAD_OVER_BYTES = 64 * 1024


class MalformedJson(ValueError):
    """Valid for Python's json module, not JSON a program can store or answer with."""


def _refuse_constant(name: str) -> NoReturn:
    raise MalformedJson(f"{name} is not JSON")


def _finite(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):
        raise MalformedJson("number out of range")
    return value


def _check_text(value: Any) -> None:
    """Every string (keys too) must be Unicode text: a lone surrogate cannot be encoded."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise MalformedJson("lone surrogate in a string") from None
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)


def strict_loads(document: str | bytes) -> Any:
    """``json.loads`` for input from outside: ``MalformedJson`` for what JSON does not allow.

    Syntax errors stay ``json.JSONDecodeError`` (also a ``ValueError``), so a caller can tell
    "not JSON at all" from "JSON with something in it nothing downstream can take".
    """
    try:
        value = json.loads(document, parse_constant=_refuse_constant, parse_float=_finite)
    except (json.JSONDecodeError, MalformedJson):
        raise
    except (ValueError, RecursionError) as exc:  # not UTF-8, an int over Python's digit limit, too deep
        raise MalformedJson(str(exc)) from exc
    _check_text(value)
    return value


def _is_json(content_type: str) -> bool:
    """The types FastAPI parses as JSON (application/json, application/*+json)."""
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


def check_body(body: bytes, content_type: str | None) -> None:
    """``MalformedJson`` for a body a handler or validation error could not take back out."""
    if not body:
        return
    if content_type and _is_json(content_type):
        try:
            strict_loads(body)
        except json.JSONDecodeError:
            return  # not JSON at all: FastAPI answers its 422 with the position
        return
    if content_type and content_type.split(";", 1)[0].strip().lower() in FORM_TYPES:
        return
    # Anything else reaches validation as bytes, and its 422 echoes them as text.
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedJson("body is not UTF-8") from exc


class JsonBodyGuard:
    """Pure ASGI middleware: reads a request body once, checks it, replays it to the app unchanged.

    Mounted inside the body-size cap, so it never buffers more than ``max_request_bytes``
    (a body streamed past the cap reaches it as a disconnect, which it passes on).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        content_type = headers.get("content-type")
        if content_type and content_type.split(";", 1)[0].strip().lower() in FORM_TYPES:
            await self.app(scope, receive, send)  # uploads stream on to the multipart parser
            return
        received: list[Message] = []
        chunks: list[bytes] = []
        while True:
            message = await receive()
            received.append(message)
            if message["type"] != "http.request":
                break  # a disconnect: the app finds out as it would have
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                body = b"".join(chunks)
                try:
                    if len(body) > THREAD_OVER_BYTES:
                        await run_in_threadpool(check_body, body, content_type)
                    else:
                        check_body(body, content_type)
                except MalformedJson:
                    await self._refuse(scope, headers, send)
                    return
                break

        async def replay() -> Message:
            if received:
                return received.pop(0)
            return await receive()

        await self.app(scope, replay, send)

    @staticmethod
    async def _language(scope: Scope, headers: Headers) -> str:
        """The conversation's language when its token holder sent the request; else Accept-Language."""
        match = CONVERSATION_PATH.match(scope["path"])
        token = headers.get("x-conversation-token")
        chat = getattr(getattr(scope.get("app"), "state", None), "chat", None)
        if match and token and chat is not None:
            try:
                conversation = await run_in_threadpool(chat.resume, match["conversation_id"], token)
            except DomainError:
                pass
            else:
                return conversation.language
        return preferred_language(headers)

    async def _refuse(self, scope: Scope, headers: Headers, send: Send) -> None:
        language = await self._language(scope, headers)
        detail = {"code": "invalid_json", "message": text("invalid_json", language)}
        body = json.dumps({"detail": detail}, ensure_ascii=False).encode()
        response_headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 400, "headers": response_headers})
        await send({"type": "http.response.body", "body": body})
