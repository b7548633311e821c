"""action_handoff: hand the buyer to people with everything the bot collected.

Until the live agent queue exists, the request becomes a ticket (reason, topic, order,
a short summary) and the buyer hears its number and when a person answers. Nothing
the buyer said is lost: the ticket links this conversation.
"""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.api_client import ApiUnavailable, CommerceApi

SUPPORT_INTENTS = frozenset(
    {
        "track_order",
        "cancel_order",
        "return_request",
        "return_status",
        "return_rejected",
        "digital_code_issue",
        "wallet_frozen",
        "delivered_not_received",
        "damaged_item",
        "wrong_or_missing_item",
        "contact_seller",
        "account_restricted",
        "complaint",
    }
)
DETAIL_SLOTS = ("order_number", "return_code", "language", "market", "buyer_id")


def last_topic(tracker: Tracker) -> str | None:
    """The buyer's latest support intent: what the person should pick up."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            intent = (event.get("parse_data") or {}).get("intent", {}).get("name")
            if intent in SUPPORT_INTENTS:
                return intent
    return None


def recent_buyer_lines(tracker: Tracker, limit: int = 3) -> list[str]:
    lines = []
    for event in reversed(tracker.events):
        text = event.get("text") if event.get("event") == "user" else None
        if text and not text.startswith("/"):
            lines.append(text[:200])
        if len(lines) == limit:
            break
    return list(reversed(lines))


class ActionHandoff(Action):
    def __init__(self, api: CommerceApi | None = None) -> None:
        self.api = api or CommerceApi()

    def name(self) -> str:
        return "action_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        reason = tracker.get_slot("handoff_reason") or "buyer_request"
        topic = last_topic(tracker)
        said = " / ".join(recent_buyer_lines(tracker))
        body = {
            "conversation_id": tracker.sender_id,
            "reason": reason,
            "topic": topic,
            "summary": f"Topic: {topic or 'general'}. Buyer said: {said}",
            "details": {k: str(tracker.get_slot(k)) for k in DETAIL_SLOTS if tracker.get_slot(k) not in (None, "-")},
        }
        try:
            status, record = await self.api.call("POST", "/api/v1/internal/handoffs", body)
        except ApiUnavailable:
            status, record = 503, None
        if status != 200 or not isinstance(record, dict):
            dispatcher.utter_message(response="utter_service_unavailable")
            return [SlotSet("handoff_reason", None)]
        response = "utter_handoff_existing" if record["existing"] else "utter_handoff_requested"
        dispatcher.utter_message(response=response, reference=record["reference"], due=record["first_response_local"])
        return [SlotSet("handoff_reason", None)]
