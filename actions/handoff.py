"""action_handoff: hand the buyer to people with everything the bot collected.

The api decides where the request goes: into the live queue when the market's agents
are on shift and someone speaks the language (the bot tells the place in line and the
wait, then pauses: Rasa hears nothing until an agent hands back), otherwise a ticket
(the buyer leaves a message and gets its number and answer time). Either way the
person sees the reason, the topic, the collected details and a short summary.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import ConversationPaused, EventType

from actions.base import ApiAction, Turn
from actions.order_picking import out_of_attempts

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


def handoff_reason(tracker: Tracker) -> str:
    """Why a person is needed: set by a flow (security hold...), or read from the last message."""
    if tracker.get_slot("handoff_reason"):
        return tracker.get_slot("handoff_reason")
    intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
    if intent == "nlu_fallback":
        return "bot_did_not_understand"
    if out_of_attempts(tracker) or tracker.get_slot("tracking_failed"):
        return "form_failed"
    return "buyer_request"


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


class ActionHandoff(ApiAction):
    needs_buyer = False  # an anonymous buyer can still ask for a person
    clears = ("handoff_reason",)

    def name(self) -> str:
        return "action_handoff"

    async def act(self, turn: Turn) -> list[EventType]:
        tracker = turn.tracker
        reason = handoff_reason(tracker)
        topic = last_topic(tracker)
        said = " / ".join(recent_buyer_lines(tracker))
        body = {
            "conversation_id": tracker.sender_id,
            "reason": reason,
            "topic": topic,
            "summary": f"Topic: {topic or 'general'}. Buyer said: {said}",
            "details": {k: str(tracker.get_slot(k)) for k in DETAIL_SLOTS if tracker.get_slot(k) not in (None, "-")},
        }
        record = await self.api.request("POST", "/api/v1/internal/handoffs", body)
        if record.get("mode") == "queued":
            minutes = max(1, round(record["wait_seconds"] / 60))
            turn.say("utter_handoff_queued", position=record["position"], wait_minutes=minutes)
            return [*self.done(turn), ConversationPaused()]
        response = "utter_handoff_existing" if record["existing"] else "utter_handoff_requested"
        turn.say(response, reference=record["reference"], due=record["first_response_local"])
        return self.done(turn)
