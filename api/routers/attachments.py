"""Buyer uploads (evidence photos, screenshots) and viewing them again."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Header, Query, Request, UploadFile
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool

from api.deps import ChatDep, RateLimitsDep, conversation_by_token, rate_limit
from api.errors import error_responses
from api.gateway.attachments import AttachmentService, StoredFile
from api.gateway.service import chat_error

router = APIRouter(
    prefix="/api/v1/conversations", tags=["attachments"], responses=error_responses(400, 404, 413, 422, 429)
)


def attachment_service(request: Request) -> AttachmentService:
    return request.app.state.attachments


@router.post("/{conversation_id}/attachments", status_code=201)
async def upload(
    conversation_id: str,
    request: Request,
    chat: ChatDep,
    limits: RateLimitsDep,
    file: Annotated[UploadFile | None, File()] = None,
    client_message_id: Annotated[str | None, Form()] = None,
    x_conversation_token: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    conversation = await conversation_by_token(chat, conversation_id, x_conversation_token, request)
    service = attachment_service(request)
    await rate_limit(limits, "upload", request, conversation.id)
    if file is None:
        raise chat_error("attachment_missing")
    # Read one byte past the limit: enough to refuse without holding a huge upload in memory.
    data = await file.read(service.max_bytes + 1)
    message, duplicate = await run_in_threadpool(service.store, conversation.id, file.filename, data, client_message_id)
    return {"message": message, "duplicate": duplicate}


@router.get("/{conversation_id}/attachments/{attachment_id}")
async def download(
    conversation_id: str,
    attachment_id: str,
    request: Request,
    chat: ChatDep,
    token: Annotated[str | None, Query(description="Conversation token, for <img src>.")] = None,
    x_conversation_token: Annotated[str | None, Header()] = None,
) -> FileResponse:
    conversation = await conversation_by_token(chat, conversation_id, x_conversation_token or token, request)
    stored = await run_in_threadpool(attachment_service(request).open, conversation.id, attachment_id)
    return file_response(stored)


def file_response(stored: StoredFile) -> FileResponse:
    """Images go out inline, never sniffed, never able to run anything."""
    return FileResponse(
        stored.path,
        media_type=stored.content_type,
        headers={
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'",
            "Cache-Control": "private, max-age=3600",
        },
        content_disposition_type="inline",
        filename=stored.filename,
    )
