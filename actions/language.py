"""Which language the buyer speaks: from the widget, from the text, or on request.

Runs as ``action_validate_slot_mappings`` after every buyer message, so the
`language` slot is always set before any response is chosen.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from lingua import Language, LanguageDetectorBuilder
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import ValidationAction
from rasa_sdk.types import DomainDict

from actions.markets import DEFAULT_LANGUAGE, languages

_LINGUA = {Language.TURKISH: "tr", Language.POLISH: "pl"}
# Below this confidence a guess is worse than the default (e.g. "ok", "TR12345678").
MIN_CONFIDENCE = 0.6


@lru_cache(maxsize=1)
def _detector():
    # English is a candidate so that English text isn't forced into tr/pl.
    return LanguageDetectorBuilder.from_languages(Language.TURKISH, Language.POLISH, Language.ENGLISH).build()


def detect_language(text: str) -> str | None:
    """tr or pl when the text is clearly one of them, else None."""
    if not text or text.startswith("/"):
        return None
    confidences = _detector().compute_language_confidence_values(text)
    if not confidences:
        return None
    best = confidences[0]
    if best.language in _LINGUA and best.value >= MIN_CONFIDENCE:
        return _LINGUA[best.language]
    return None


def requested_language(tracker: Tracker) -> str | None:
    """The language a buyer asked to switch to ("Polski proszę"), if this message asks for one."""
    message = tracker.latest_message or {}
    if (message.get("intent") or {}).get("name") != "inform":
        return None
    for entity in message.get("entities") or []:
        if entity.get("entity") == "language" and entity.get("value") in languages():
            return entity["value"]
    return None


def switched_in_widget(tracker: Tracker) -> str | None:
    """The buyer picked another language in the widget; the gateway flags the next message."""
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    if metadata.get("switch_language") and metadata.get("language") in languages():
        return metadata["language"]
    return None


class ValidateSlotMappings(ValidationAction):
    def name(self) -> str:
        return "action_validate_slot_mappings"

    async def extract_language(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        requested = requested_language(tracker) or switched_in_widget(tracker)
        if requested:
            return {"language": requested}
        if tracker.get_slot("language") in languages():
            return {}
        text = (tracker.latest_message or {}).get("text") or ""
        return {"language": detect_language(text) or DEFAULT_LANGUAGE}
