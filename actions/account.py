"""account_restricted: explain the restriction by type and time frame; a suspension goes to a person."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.api_client import ApiRefused, ApiUnavailable, CommerceApi
from actions.formatting import format_datetime, market_of


class ActionAccountRestricted(Action):
    def __init__(self, api: CommerceApi | None = None) -> None:
        self.api = api or CommerceApi()

    def name(self) -> str:
        return "action_account_restricted"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        buyer_id = tracker.get_slot("buyer_id")
        if not buyer_id:
            dispatcher.utter_message(response="utter_sign_in_needed")
            return []
        try:
            found = (await self.api.buyer_call("GET", buyer_id, "/restrictions"))["restrictions"]
        except (ApiUnavailable, ApiRefused):
            dispatcher.utter_message(response="utter_service_unavailable")
            return []
        if not found:
            dispatcher.utter_message(response="utter_no_restriction")
            return []
        market = market_of(tracker)
        first = found[0]  # most serious first
        if first["kind"] == "suspension":
            dispatcher.utter_message(response="utter_restriction_suspension")
            return [SlotSet("handoff_reason", "account_suspension"), FollowupAction("action_handoff")]
        until = format_datetime(first["expected_end"], market)
        dispatcher.utter_message(response=f"utter_restriction_{first['kind']}", until=until)
        return []
