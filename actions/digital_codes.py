"""digital_code_issue: which digital order, what is wrong with the code; the api applies the seed's table."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.api_client import Order
from actions.base import Turn
from actions.formatting import format_datetime
from actions.order_picking import OrderFlowAction, OrderFormValidation, typed_answer

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

    async def on_order(self, order: Order, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict:
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


class ActionDigitalCodeIssue(OrderFlowAction):
    purpose = "digital"
    clears = ("digital_problem",)

    def name(self) -> str:
        return "action_digital_code_issue"

    async def act_on_order(self, turn: Turn, number: str) -> list[EventType]:
        if turn.slot("order_blocker") == "not_digital":  # already said by the form
            return self.done(turn)
        body = {
            "order_number": number,
            "problem": turn.slot("digital_problem") or "invalid",
            "conversation_id": turn.tracker.sender_id,
        }
        result = await self.api.request("POST", "/digital-issues", body, buyer=turn.buyer_id)
        outcome = result["outcome"]
        if outcome == "activated":
            turn.say(
                "utter_code_activated",
                product=result["product"],
                masked_code=result["masked_code"],
                activated_at=format_datetime(result["activated_at"], turn.market),
            )
            return self.done(turn)
        if outcome == "refund_requested":
            turn.say("utter_code_refund_requested", product=result["product"], reference=result["reference"])
        else:
            turn.say("utter_code_resent", product=result["product"])
        turn.say("utter_code_fast_lane" if result["within_24h"] else "utter_code_report_soon")
        return self.done(turn)
