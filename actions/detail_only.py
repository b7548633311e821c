"""A buyer message that only gives a detail ("the blue coat, size 38", "I paid 749,90 TL by card").

Inside a form the form asks its question again right after this action, so a short
acknowledgement is enough; out of the blue the buyer has not said what they need, so the
bot asks, naming what it can do, instead of guessing a flow from a date or a colour.
Order numbers and language switches have their own, more specific rules.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict


class ActionDetailOnly(Action):
    def name(self) -> str:
        return "action_detail_only"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        if tracker.active_loop_name:
            dispatcher.utter_message(response="utter_detail_noted")
        else:
            dispatcher.utter_message(response="utter_detail_what_next")
        return []
