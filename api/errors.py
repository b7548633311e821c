"""The documented shape of every error the api returns, for the OpenAPI document.

Errors are ``{"detail": {"code": ..., ...}}``: a stable code, a ``message`` in the buyer's
language where a buyer reads it, ``retry_after`` on rate limits, and rule details (a
limit, moderation reasons) where a rule gives them. Request validation by FastAPI
keeps its own shape (``detail`` is a list of issues) under the same 422. Declaring both
lets clients, and schema-based tests, rely on what each status carries.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


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
