"""The documented shape of every error the api returns, for the OpenAPI document.

Errors are ``{"detail": {"code": ..., ...}}``: a stable code, a ``message`` in the buyer's
language where a buyer reads it, ``retry_after`` on rate limits, and rule details (a
limit, moderation reasons) where a rule gives them. Request validation by FastAPI
keeps its own shape (``detail`` is a list of issues) under the same 422. Declaring both
lets clients, and schema-based tests, rely on what each status carries.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

# A catalogue words a code in a language: ``catalogue(code, language, **values) -> str``.
Catalogue = Callable[..., str]
LANGUAGES = ("tr", "pl")


class DomainError(Exception):
    """The one error a rule raises when it says no, whatever the layer.

    ``code`` is stable for clients, ``status`` is the HTTP status the one handler answers with,
    ``details`` travel in the body (a limit, moderation reasons, a reference), and ``catalogue``
    words the code for a person: the buyer's texts for the gateway and support rules, the seller's
    for the portal (none for staff and service callers, who get the code alone). ``values`` fill the
    text without travelling in the body; ``worded`` adds details that depend on the reader's language
    (the seller portal's ``reason_messages``). Services raise it without knowing HTTP exists beyond
    a number; the one handler and the chat socket render it through :meth:`detail`, so the shape of
    every refusal is the same.
    """

    def __init__(
        self,
        code: str,
        status: int = 409,
        *,
        catalogue: Catalogue | None = None,
        language: str | None = None,
        values: dict[str, object] | None = None,
        worded: Callable[[str], dict[str, object]] | None = None,
        **details: object,
    ) -> None:
        super().__init__(code)
        self.code = code
        self.status = status
        self.catalogue = catalogue
        self.language = language
        self.values = dict(values or {})
        self.worded = worded
        self.details = details

    @property
    def retry_after(self) -> int | None:
        """Seconds until a resend is taken (rate limits, a locked account), else None."""
        seconds = self.details.get("retry_after")
        return seconds if isinstance(seconds, int) else None

    def message(self, language: str) -> str | None:
        """The code in ``language`` (Turkish when it is not one of ours), or None without a catalogue."""
        if self.catalogue is None:
            return None
        lang = language if language in LANGUAGES else "tr"
        return self.catalogue(self.code, lang, **{**self.details, **self.values})

    def detail(self, language: str | None = None) -> dict[str, object]:
        """The ``detail`` of the response: code, details, and the message where there is a catalogue."""
        body: dict[str, object] = {"code": self.code, **self.details}
        language = language or self.language or "tr"
        wording = self.message(language)
        if wording is not None:
            body["message"] = wording
        if self.worded is not None:
            body.update(self.worded(language if language in LANGUAGES else "tr"))
        return body


def reply_in(connection: Any, language: object) -> None:
    """Word the refusals of this request in ``language`` (a router that knows the reader's language)."""
    connection.state.language = language


def request_language(request: Any) -> str | None:
    """The reader's language: set on the request by whoever knows it (``reply_in``; one we do not speak
    reads as Turkish), else the Accept-Language header of a reader nobody knows yet."""
    state = getattr(request, "state", None)
    if state is not None and hasattr(state, "language"):
        return state.language if state.language in LANGUAGES else None
    header = (request.headers.get("accept-language") or "").lower()
    for part in header.split(","):
        tag = part.split(";")[0].strip()[:2]
        if tag in LANGUAGES:
            return tag
    return None


async def domain_error_handler(request: Any, exc: DomainError) -> Any:
    """The one place a :class:`DomainError` becomes an HTTP response."""
    from fastapi.responses import JSONResponse

    language = exc.language or request_language(request)
    headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after is not None else None
    return JSONResponse({"detail": exc.detail(language)}, status_code=exc.status, headers=headers)


def install(app: Any) -> None:
    """Register the handler on the FastAPI app (api/main.py)."""
    app.add_exception_handler(DomainError, domain_error_handler)


class ErrorDetail(BaseModel):
    model_config = ConfigDict(extra="allow")

    code: str = Field(description="Stable error code, e.g. unknown_conversation, too_many_messages.")
    message: str | None = Field(default=None, description="For buyers: the text in their language.")
    retry_after: int | None = Field(default=None, description="Rate limits: seconds until a resend is accepted.")


class ValidationIssue(BaseModel):
    model_config = ConfigDict(extra="allow")

    loc: list[str | int]
    msg: str
    type: str


class ApiError(BaseModel):
    detail: ErrorDetail | list[ValidationIssue] | str


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a router: the statuses its operations may answer with, all as ``ApiError``."""
    descriptions = {
        400: "The body could not be parsed at all (not JSON / not a form).",
        401: "No or an invalid credential (service token, agent session).",
        403: "Authenticated, but not allowed (another agent's conversation, supervisors only, wrong language).",
        404: "Unknown, or not yours: the two are deliberately the same.",
        409: "A rule refused the action in the current state.",
        413: "Body or upload over its size limit; nothing was stored.",
        422: "Invalid input: a rule's code, or FastAPI's list of validation issues.",
        429: "Rate limited; nothing was stored. Resend after retry_after seconds.",
    }
    return {status: {"model": ApiError, "description": descriptions[status]} for status in statuses}
