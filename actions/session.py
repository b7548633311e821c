"""Session start: take language, buyer and market from the widget's metadata.

The gateway sends them with every message; Rasa hands the first message's
metadata to ``action_session_start`` as ``session_started_metadata``.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.markets import is_market, languages

CARRIED_OVER = ("language", "buyer_id", "market")


class ActionSessionStart(Action):
    def name(self) -> str:
        return "action_session_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        events: list[EventType] = [SessionStarted()]
        # Identity and language survive a session expiry; the dialogue state does not.
        for name in CARRIED_OVER:
            if tracker.get_slot(name) is not None:
                events.append(SlotSet(name, tracker.get_slot(name)))
        metadata = tracker.get_slot("session_started_metadata") or {}
        if metadata.get("language") in languages():
            events.append(SlotSet("language", metadata["language"]))
        if isinstance(metadata.get("buyer_id"), str) and metadata["buyer_id"]:
            events.append(SlotSet("buyer_id", metadata["buyer_id"]))
        if is_market(metadata.get("market")):
            events.append(SlotSet("market", metadata["market"]))
        events.append(ActionExecuted("action_listen"))
        return events
