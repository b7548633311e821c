"""The widget's messages to a seller: a question or an answer to the seller's reply, and "urgent".

POST /api/v1/conversations/{id}/seller-questions   (header X-Conversation-Token)
  -> {"order_number", "text", "urgent"?: bool, "reply_to_id"?: int, "client_message_id"?: str}
  <- 201 {"message": <the buyer's chat message>, "question": {"id", "order_number", "answer_due", "urgent"},
          "duplicate": bool}
POST /api/v1/conversations/{id}/seller-questions/{question_id}/urgent  <- {"question": {...}}
GET  /api/v1/conversations/{id}/seller-questions
  <- {"seller_messages": [{"message_id", "reply_id", "order_number", "kind", "status", "question_id"}],
      "questions": [{"id", "order_number", "answer_due", "urgent", "answered", "created_at"}]}

Errors are ``{"detail": {"code", "message"}}`` in the conversation's language: ``sign_in_required``
(403, anonymous conversation), ``order_not_found`` (404: unknown, malformed and other buyers'
numbers alike), ``reply_not_found`` / ``question_not_found`` (404), ``empty_message``,
``message_too_long`` (with ``limit``), ``message_blocked`` (with ``reasons``) (422), rate limits (429).
Rules live in api/sellers/buyer_questions.py and api/support/seller_contact.py.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from api.clock import utcnow
from api.db import get_sessionmaker
from api.deps import ChatDep, RateLimitsDep, conversation_by_token, get_commerce, rate_limit
from api.errors import error_responses
from api.gateway.models import Conversation
from api.gateway.service import clean_client_id
from api.helpdesk.live import buyer_said
from api.sellers import buyer_questions

router = APIRouter(
    prefix="/api/v1/conversations", tags=["seller questions"], responses=error_responses(400, 403, 404, 413, 422, 429)
)

MAX_ID = 2**31 - 1


class SellerQuestionIn(BaseModel):
    order_number: str = Field(max_length=64, description="The buyer's order, e.g. TR48213907.")
    # No length limit here: the rule's refusal (message_too_long) is in the buyer's language.
    text: str = Field(description="What the buyer writes to the seller (moderated, masked).")
    urgent: bool = Field(default=False, description='Marked "Acil" / "Pilne": first in the seller\'s inbox.')
    reply_to_id: int | None = Field(default=None, ge=1, le=MAX_ID, description="The seller reply answered.")
    client_message_id: str | None = Field(default=None, description="Client-chosen id; a resend is stored once.")


def _with_session(fn, *args, **kwargs):
    with get_sessionmaker()() as session:
        return fn(session, *args, **kwargs)


def _with_commerce(fn, *args, **kwargs):
    """``fn(session, commerce, ...)``: a rule that also reads the marketplace's data (the commerce port)."""
    with get_sessionmaker()() as session:
        return fn(session, get_commerce(session), *args, **kwargs)


async def _buyer_conversation(chat, conversation_id: str, token: str | None, request: Request) -> Conversation:
    """The token holder's conversation, signed in (403 ``sign_in_required``); refusals in its language."""
    conversation = await conversation_by_token(chat, conversation_id, token, request)
    buyer_questions.signed_in_buyer(conversation)
    return conversation


@router.post("/{conversation_id}/seller-questions", status_code=201)
async def ask_seller(
    conversation_id: str,
    body: SellerQuestionIn,
    request: Request,
    chat: ChatDep,
    limits: RateLimitsDep,
    x_conversation_token: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    conversation = await _buyer_conversation(chat, conversation_id, x_conversation_token, request)
    await rate_limit(limits, "message", request, conversation.id)
    client_id = clean_client_id(body.client_message_id, request.app.state.settings.buyer_token_secret)
    asked = await run_in_threadpool(
        _with_commerce,
        buyer_questions.ask,
        conversation,
        body.order_number,
        body.text,
        urgent=body.urgent,
        reply_to_id=body.reply_to_id,
        client_id=client_id,
        now=utcnow(),
    )
    if not asked.duplicate:
        await buyer_said(request.app.state.hub, conversation.id, asked.message)  # agents watching see it
    return {"message": asked.message, "question": asked.question, "duplicate": asked.duplicate}


@router.post("/{conversation_id}/seller-questions/{question_id}/urgent")
async def mark_urgent(
    conversation_id: str,
    question_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    request: Request,
    chat: ChatDep,
    limits: RateLimitsDep,
    x_conversation_token: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    conversation = await _buyer_conversation(chat, conversation_id, x_conversation_token, request)
    await rate_limit(limits, "message", request, conversation.id)
    question = await run_in_threadpool(_with_session, buyer_questions.mark_urgent, conversation, question_id)
    return {"question": question}


@router.get("/{conversation_id}/seller-questions")
async def seller_context(
    conversation_id: str, chat: ChatDep, x_conversation_token: Annotated[str | None, Header()] = None
) -> dict[str, Any]:
    conversation = await conversation_by_token(chat, conversation_id, x_conversation_token)
    return await run_in_threadpool(_with_session, buyer_questions.conversation_context, conversation)
