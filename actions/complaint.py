"""complaint: take the buyer's account of what happened, record it, give the reference and the bodies."""

from __future__ import annotations

from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import ApiAction, Turn
from actions.formatting import format_date

DETAILED_WORDS = 8  # a first message this long already tells the story: don't ask for it again


class ValidateComplaintForm(FormValidationAction):
    def name(self) -> str:
        return "validate_complaint_form"

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        return domain_slots if tracker.get_slot("buyer_id") else []

    async def extract_complaint_text(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") or tracker.get_slot("complaint_text"):
            return {}
        text = ((tracker.latest_message or {}).get("text") or "").strip()
        if len(text.split()) >= DETAILED_WORDS:
            return {"complaint_text": text}
        return {}

    async def validate_complaint_text(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = value.strip() if isinstance(value, str) else ""
        return {"complaint_text": text or None}


class ActionRecordComplaint(ApiAction):
    clears = ("complaint_text",)

    def name(self) -> str:
        return "action_record_complaint"

    async def act(self, turn: Turn) -> list[EventType]:
        body = {
            "text": turn.slot("complaint_text") or "",
            "order_number": next(turn.tracker.get_latest_entity_values("order_number"), None),
            "conversation_id": turn.tracker.sender_id,
        }
        record = await self.api.request("POST", "/complaints", body, buyer=turn.buyer_id)
        turn.say(
            "utter_complaint_recorded",
            reference=record["reference"],
            due_date=format_date(record["answer_due"], turn.words),
            bodies=", ".join(record["bodies"]),
        )
        return self.done(turn)
