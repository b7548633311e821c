"""digital_code_issue: which digital order, what is wrong with the code; the api applies the seed's table."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.api_client import ApiRefused, ApiUnavailable, CommerceApi
from actions.formatting import format_datetime, market_of
from actions.order_picking import OrderFormValidation, preamble, reset_events, typed_answer

# Typed instead of a button: "never arrived" words; anything else about a code is "invalid".
_NOT_RECEIVED = re.compile(
    r"gelmedi|ulaşmadı|ulasmadi|gönderilmedi|gonderilmedi|yok|nie\s+(?:do)?(?:przyszed|przyszł|przyszl|dotar|dosta)|"
    r"brak\s+kodu|nie\s+mam\s+kodu",
    re.I,
)


class ValidateDigitalCodeForm(OrderFormValidation):
    purpose = "digital"

    def name(self) -> str:
        return "validate_digital_code_form"

    async def on_order(self, order: dict[str, Any], dispatcher: CollectingDispatcher, tracker: Tracker) -> dict:
        """A typed number of a physical order: say so at once instead of asking about its code."""
        if order.get("is_digital"):
            return {}
        dispatcher.utter_message(response="utter_not_a_digital_order", order_number=order["number"])
        return {"order_blocker": "not_digital"}

    async def extract_digital_problem(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = typed_answer(tracker, "digital_problem")
        if text is None:
            return {}
        return {"digital_problem": "not_received" if _NOT_RECEIVED.search(text) else "invalid"}


class ActionDigitalCodeIssue(Action):
    def __init__(self, api: CommerceApi | None = None) -> None:
        self.api = api or CommerceApi()

    def name(self) -> str:
        return "action_digital_code_issue"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        reset = reset_events("digital_problem")
        number = preamble(dispatcher, tracker, "digital")
        if number is None:
            return reset
        if tracker.get_slot("order_blocker") == "not_digital":  # already said by the form
            return reset
        body = {
            "order_number": number,
            "problem": tracker.get_slot("digital_problem") or "invalid",
            "conversation_id": tracker.sender_id,
        }
        try:
            result = await self.api.buyer_call("POST", tracker.get_slot("buyer_id"), "/digital-issues", body)
        except (ApiUnavailable, ApiRefused):
            dispatcher.utter_message(response="utter_service_unavailable")
            return reset
        market = market_of(tracker)
        outcome = result["outcome"]
        if outcome == "activated":
            dispatcher.utter_message(
                response="utter_code_activated",
                product=result["product"],
                masked_code=result["masked_code"],
                activated_at=format_datetime(result["activated_at"], market),
            )
            return reset
        if outcome == "refund_requested":
            dispatcher.utter_message(
                response="utter_code_refund_requested", product=result["product"], reference=result["reference"]
            )
        else:
            dispatcher.utter_message(response="utter_code_resent", product=result["product"])
        dispatcher.utter_message(response="utter_code_fast_lane" if result["within_24h"] else "utter_code_report_soon")
        return reset
