"""FAQ answers on demand (the widget's FAQ panel), without starting a conversation.

Same content (data/faq/topics.yml) and same model as the bot: the question goes to Rasa's
NLU (/model/parse) and its response selector ranks the topics. While Rasa is down the
lexical index answers instead, flagged ``source: lexical``; so it does when the model finds no
FAQ topic for a bare keyword typed into the FAQ panel.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from api.deps import RateLimitsDep, rate_limit
from api.errors import error_responses, reply_in
from api.faq.service import get_faq, rank_from_parse
from api.gateway.rasa_client import BotUnavailable
from api.gateway.service import chat_error
from api.gateway.texts import LANGUAGES
from api.security.pii import mask_field

router = APIRouter(prefix="/api/v1", tags=["faq"], responses=error_responses(422, 429))


class FaqResult(BaseModel):
    topic: str
    title: str
    answer: str
    confidence: float


class FaqResults(BaseModel):
    query: str
    language: str
    source: str  # "model": the bot's NLU model; "lexical": fallback while the bot is down
    results: list[FaqResult]


@router.get("/faq", response_model=FaqResults)
async def search_faq(
    request: Request,
    limits: RateLimitsDep,
    q: Annotated[str, Query(max_length=300)] = "",
    lang: Annotated[str, Query()] = "tr",
    limit: Annotated[int, Query(ge=1, le=10)] = 3,
) -> FaqResults:
    reply_in(request, lang if lang in LANGUAGES else "tr")
    if lang not in LANGUAGES:
        raise chat_error("unsupported_language")
    await rate_limit(limits, "faq", request)
    # A question typed into the FAQ panel is buyer text too: masked before Rasa's NLU sees it (its
    # logs) and before it is echoed back.
    query = mask_field(q.strip(), lang)
    index = get_faq()
    source, results = "model", []
    if len(query) >= 2:
        try:
            parsed = await request.app.state.rasa.parse(query, lang)
            results = rank_from_parse(index, parsed, lang, limit)
        except BotUnavailable:
            results = []
        if not results:
            # Rasa is down, or the model reads a bare keyword ("iade") as a request, not a question:
            # the lexical index over the same content still finds the topic.
            source, results = "lexical", index.search(query, lang, limit)
    return FaqResults(query=query, language=lang, source=source, results=[FaqResult(**r.__dict__) for r in results])
