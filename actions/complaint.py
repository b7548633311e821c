"""complaint: take the buyer's account of what happened, record it, give the reference and the bodies."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.api_client import ApiRefused, ApiUnavailable, CommerceApi
from actions.formatting import format_date, language_of

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


class ActionRecordComplaint(Action):
    def __init__(self, api: CommerceApi | None = None) -> None:
        self.api = api or CommerceApi()

    def name(self) -> str:
        return "action_record_complaint"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        reset: list[EventType] = [SlotSet("complaint_text", None)]
        buyer_id = tracker.get_slot("buyer_id")
        if not buyer_id:
            dispatcher.utter_message(response="utter_sign_in_needed")
            return reset
        language = language_of(tracker.get_slot("language"))
        order_number = next(tracker.get_latest_entity_values("order_number"), None)
        body = {
            "text": tracker.get_slot("complaint_text") or "",
            "order_number": order_number,
            "conversation_id": tracker.sender_id,
        }
        try:
            record = await self.api.buyer_call("POST", buyer_id, "/complaints", body)
        except (ApiUnavailable, ApiRefused):
            dispatcher.utter_message(response="utter_service_unavailable")
            return reset
        dispatcher.utter_message(
            response="utter_complaint_recorded",
            reference=record["reference"],
            due_date=format_date(record["answer_due"], language),
            bodies=", ".join(record["bodies"]),
        )
        return reset
