"""FAQ answers on demand (the widget's FAQ panel), without starting a conversation."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel

from api.faq.service import get_faq
from api.gateway.texts import LANGUAGES, text

router = APIRouter(prefix="/api/v1", tags=["faq"])


class FaqResult(BaseModel):
    topic: str
    title: str
    answer: str
    confidence: float


class FaqResults(BaseModel):
    query: str
    language: str
    results: list[FaqResult]


@router.get("/faq", response_model=FaqResults)
def search_faq(
    q: Annotated[str, Query(max_length=300)] = "",
    lang: Annotated[str, Query()] = "tr",
    limit: Annotated[int, Query(ge=1, le=10)] = 3,
) -> FaqResults:
    if lang not in LANGUAGES:
        raise HTTPException(422, detail={"code": "unsupported_language", "message": text("unsupported_language", "tr")})
    query = q.strip()
    results = get_faq().search(query, lang, limit) if len(query) >= 2 else []
    return FaqResults(query=query, language=lang, results=[FaqResult(**r.__dict__) for r in results])
