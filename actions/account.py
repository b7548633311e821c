"""account_restricted: explain the restriction by type and time frame; a suspension goes to a person."""

from __future__ import annotations

from rasa_sdk.events import EventType, FollowupAction, SlotSet

from actions.base import ApiAction, Turn
from actions.formatting import format_datetime


class ActionAccountRestricted(ApiAction):
    def name(self) -> str:
        return "action_account_restricted"

    async def act(self, turn: Turn) -> list[EventType]:
        found = (await self.api.request("GET", "/restrictions", buyer=turn.buyer_id))["restrictions"]
        if not found:
            turn.say("utter_no_restriction")
            return []
        first = found[0]  # most serious first
        if first["kind"] == "suspension":
            turn.say("utter_restriction_suspension")
            return [SlotSet("handoff_reason", "account_suspension"), FollowupAction("action_handoff")]
        turn.say(f"utter_restriction_{first['kind']}", until=format_datetime(first["expected_end"], turn.market))
        return []
