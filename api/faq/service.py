"""FAQ content and search.

Content: ``data/faq/topics.yml`` (questions buyers ask and the answer, per topic and
language) with market facts from ``data/markets/{tr,pl}.yml`` filled into the
answers, so a phone number or a carrier changes in one place.

Search ranks topics by rapidfuzz's token-set similarity between the folded query and
each topic's buyer questions. Measured on the content (leave-one-question-out) and on
third-party out-of-scope text (xSID tr / MASSIVE pl dev): top-1 0.60 tr / 0.68 pl,
5 % / 6 % of foreign requests above the cut-off. It answers without Rasa, so the
widget's FAQ panel works even when the bot is down.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from api.markets import market_config

DATA = Path(__file__).resolve().parents[2] / "data"
LANGUAGES = ("tr", "pl")  # each language's market file is data/markets/<language>.yml
MIN_SCORE = 60.0


@dataclass(frozen=True)
class Answer:
    topic: str
    title: str
    answer: str
    confidence: float


def fold(text: str) -> str:
    """Lower-case and strip diacritics, so "siparisim" meets "siparişim" and "zwrot" meets "zwrót"."""
    text = text.replace("ı", "i").replace("İ", "i").replace("ł", "l").replace("Ł", "l")
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _facts(language: str) -> dict[str, str]:
    raw = market_config(language)
    return {k: ", ".join(map(str, v)) if isinstance(v, list) else str(v) for k, v in raw.items()}


class FaqIndex:
    def __init__(self, topics_file: Path = DATA / "faq" / "topics.yml") -> None:
        topics = yaml.safe_load(topics_file.read_text())["topics"]
        self.answers: dict[str, dict[str, tuple[str, str]]] = {}
        self._choices: dict[str, list[str]] = {}
        self._owners: dict[str, list[str]] = {}
        for language in LANGUAGES:
            facts = _facts(language)
            choices, owners = [], []
            for topic, content in topics.items():
                entry = content[language]
                self.answers.setdefault(topic, {})[language] = (entry["title"], entry["answer"].format(**facts))
                for question in [entry["title"], *entry["questions"]]:
                    choices.append(fold(question))
                    owners.append(topic)
            self._choices[language], self._owners[language] = choices, owners

    def answer(self, topic: str, language: str) -> tuple[str, str] | None:
        return self.answers.get(topic, {}).get(language)

    def search(self, query: str, language: str, limit: int = 3) -> list[Answer]:
        """Best topics for the query, each once, with a 0-1 confidence."""
        matches = process.extract(
            fold(query), self._choices[language], scorer=fuzz.token_set_ratio, limit=limit * 10, score_cutoff=MIN_SCORE
        )
        best: dict[str, float] = {}
        for _choice, score, index in matches:
            topic = self._owners[language][index]
            best[topic] = max(best.get(topic, 0.0), score)
        ranked = sorted(best.items(), key=lambda item: item[1], reverse=True)[:limit]
        return [Answer(t, *self.answers[t][language], confidence=round(s / 100, 3)) for t, s in ranked]


FAQ_INTENT = "faq"
MIN_MODEL_CONFIDENCE = 0.05


def rank_from_parse(index: FaqIndex, parse: dict, language: str, limit: int = 3) -> list[Answer]:
    """The bot's own reading of the question: P(faq intent) x P(topic | faq) per topic.

    A question about the buyer's own order scores low on the faq intent, so it does
    not get a confident FAQ answer it can't use.
    """
    intents = {i.get("name"): float(i.get("confidence", 0)) for i in parse.get("intent_ranking") or []}
    p_faq = intents.get(FAQ_INTENT, 0.0)
    selector = (parse.get("response_selector") or {}).get(FAQ_INTENT) or {}
    answers = []
    for entry in selector.get("ranking") or []:
        topic = str(entry.get("intent_response_key", "")).removeprefix(f"{FAQ_INTENT}/")
        found = index.answer(topic, language)
        confidence = round(p_faq * float(entry.get("confidence", 0)), 3)
        if found and confidence >= MIN_MODEL_CONFIDENCE:
            answers.append(Answer(topic, found[0], found[1], confidence))
    return sorted(answers, key=lambda a: a.confidence, reverse=True)[:limit]


@lru_cache(maxsize=1)
def get_faq() -> FaqIndex:
    return FaqIndex()
