"""return_request, return_status, return_rejected.

Eligibility (window, hygiene, digital, existing returns) is the api's; the actions ask
for what is missing and phrase the answers. A rejected return may be re-submitted once
with an explanation and the photos uploaded in the chat; a second rejection goes to a person.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.api_client import ApiError, CommerceApi, Order, order_path
from actions.base import ApiAction, Turn, UsesApi
from actions.formatting import format_date
from actions.order_picking import MAX_BUTTONS, OrderFlowAction, OrderFormValidation, choice_button, typed_answer
from actions.wording import Words

RETURN_SLOTS = ("return_item", "return_reason", "return_note", "return_blocker", "return_deadline")
RESUBMIT_SLOTS = ("return_code", "resubmit_explanation", "evidence_done", "resubmit_blocker")


def refund_info(item: dict[str, Any], words: Words) -> str:
    """When the money comes back, in words: by the return's state (``utter_label_refund_*``)."""
    state = item["state"]
    if state in ("accepted", "refunded"):
        return words.text(f"utter_label_refund_{state}", date=format_date(item["refund_expected"], words))
    if state == "rejected":
        return words.text("utter_label_refund_rejected", reason=item["rejection_reason"] or "-")
    return words.text("utter_label_refund_pending", days=item["refund_after_acceptance"])


def eligibility_path(number: str) -> str:
    return order_path(number) + "/return-eligibility"


class ValidateReturnForm(OrderFormValidation):
    purpose = "return"

    def name(self) -> str:
        return "validate_return_form"

    def slots_after_order(self, domain_slots: list[str], tracker: Tracker) -> list[str]:
        return ["order_number"] if tracker.get_slot("return_blocker") else domain_slots

    async def on_order(self, order: Order, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict:
        try:
            verdict = await self.api.request(
                "GET", eligibility_path(order["number"]), buyer=tracker.get_slot("buyer_id")
            )
        except ApiError:
            return {"return_blocker": "unavailable"}
        if not verdict["eligible"]:
            blocker = verdict["reason"]
            extra = {}
            if blocker == "no_returnable_item":
                reasons = {i["reason"] for i in verdict["items"]}
                blocker = "hygiene" if reasons == {"hygiene"} else blocker
                if reasons == {"already_requested"}:
                    blocker = "already_requested"
                    extra = {"return_code": verdict["items"][0]["return_code"]}
            return {"return_blocker": blocker, "return_deadline": verdict["deadline"], **extra}
        returnable = [i for i in verdict["items"] if i["returnable"]]
        if len(returnable) == 1:
            return {"return_item": str(returnable[0]["id"]), "return_deadline": verdict["deadline"]}
        return {"return_item": None, "return_deadline": verdict["deadline"]}

    async def validate_return_item(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if isinstance(value, str | int) and str(value).isdigit():
            return {"return_item": str(value)}
        dispatcher.utter_message(response="utter_return_item_not_understood")
        return {"return_item": None}

    async def extract_return_reason(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        # A typed reason instead of a button: kept word for word as the return's note.
        text = typed_answer(tracker, "return_reason")
        return {"return_reason": "other", "return_note": text[:2000]} if text else {}


class ActionAskReturnItem(ApiAction):
    needs_buyer = False  # asked inside the form, which has a buyer

    def name(self) -> str:
        return "action_ask_return_item"

    async def act(self, turn: Turn) -> list[EventType]:
        try:
            verdict = await self.api.request("GET", eligibility_path(turn.slot("order_number")), buyer=turn.buyer_id)
            items = [i for i in verdict["items"] if i["returnable"]]
        except ApiError:
            items = []
        buttons = [choice_button(i["name"], "return_item", str(i["id"])) for i in items[:MAX_BUTTONS]]
        turn.say("utter_ask_return_item", buttons=buttons)
        return []


class ActionCreateReturn(OrderFlowAction):
    purpose = "return"
    clears = (*RETURN_SLOTS, "return_code")

    def name(self) -> str:
        return "action_create_return"

    def say_blocked(self, turn: Turn, number: str, blocker: str, code: str | None) -> list[EventType]:
        deadline = format_date(turn.slot("return_deadline"), turn.words)
        turn.say(f"utter_return_blocked_{blocker}", order_number=number, deadline=deadline, code=code or "")
        return self.done(turn)

    async def act_on_order(self, turn: Turn, number: str) -> list[EventType]:
        blocker = turn.slot("return_blocker")
        if blocker == "unavailable":
            turn.say(self.unavailable_response)
            return self.done(turn)
        if blocker:
            return self.say_blocked(turn, number, blocker, turn.slot("return_code"))
        body = {
            "order_number": number,
            "item_id": int(item) if (item := turn.slot("return_item")) else None,
            "reason": turn.slot("return_reason") or "other",
            "note": turn.slot("return_note"),
            "conversation_id": turn.tracker.sender_id,
        }
        try:
            created = await self.api.request("POST", "/returns", body, buyer=turn.buyer_id)
        except ApiError as error:
            if error.unavailable:
                raise
            reason = error.detail.get("reason") or "no_returnable_item"
            return self.say_blocked(turn, number, reason, error.detail.get("return_code"))
        turn.say(
            "utter_return_created",
            code=created["code"],
            item=created["item"],
            order_number=number,
            carrier=created["carrier"],
            ship_by=format_date(created["ship_by"], turn.words),
            refund_days=created["refund_after_acceptance"],
        )
        return self.done(turn)


class ActionReturnStatus(ApiAction):
    def name(self) -> str:
        return "action_return_status"

    async def act(self, turn: Turn) -> list[EventType]:
        listed = (await self.api.request("GET", "/returns", buyer=turn.buyer_id))["returns"]
        if not listed:
            turn.say("utter_returns_none")
            return []
        turn.say("utter_return_status_intro")
        for item in listed[:MAX_BUTTONS]:
            turn.say(
                "utter_return_status_item",
                code=item["code"],
                item=item["item"],
                order_number=item["order_number"],
                state_label=turn.words.text(f"utter_label_return_{item['state']}"),
                refund_info=refund_info(item, turn.words),
            )
        return []


async def rejected_returns(api: CommerceApi, buyer_id: str) -> list[dict[str, Any]]:
    return (await api.request("GET", "/returns?state=rejected", buyer=buyer_id))["returns"]


class ValidateReturnResubmitForm(UsesApi, FormValidationAction):
    def name(self) -> str:
        return "validate_return_resubmit_form"

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        if not tracker.get_slot("buyer_id") or tracker.get_slot("resubmit_blocker"):
            return []
        return domain_slots

    async def extract_return_code(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot("return_code") or tracker.get_slot("requested_slot"):
            return {}
        try:
            rejected = await rejected_returns(self.api, tracker.get_slot("buyer_id"))
        except ApiError:
            return {}
        if not rejected:
            return {"return_code": "-"}
        if len(rejected) == 1:
            return {"return_code": rejected[0]["code"]}
        return {}

    async def validate_return_code(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value == "-":
            return {"return_code": "-", "resubmit_blocker": "none_rejected"}
        try:
            rejected = await rejected_returns(self.api, tracker.get_slot("buyer_id"))
        except ApiError:
            return {"return_code": "-", "resubmit_blocker": "unavailable"}
        match = next((r for r in rejected if r["code"] == str(value).strip().upper()), None)
        if match is None:
            dispatcher.utter_message(response="utter_return_code_not_found")
            return {"return_code": None}
        dispatcher.utter_message(
            response="utter_return_rejection_reason",
            code=match["code"],
            item=match["item"],
            reason=match["rejection_reason"] or "-",
        )
        if not match["can_resubmit"]:
            return {"return_code": match["code"], "resubmit_blocker": "used"}
        return {"return_code": match["code"]}


class ActionAskReturnCode(ApiAction):
    needs_buyer = False  # asked inside the form, which has a buyer

    def name(self) -> str:
        return "action_ask_return_code"

    async def act(self, turn: Turn) -> list[EventType]:
        try:
            rejected = await rejected_returns(self.api, turn.buyer_id or "")
        except ApiError:
            rejected = []
        buttons = [
            choice_button(f"{r['code']} · {r['item']}", "return_code", r["code"]) for r in rejected[:MAX_BUTTONS]
        ]
        turn.say("utter_ask_return_code", buttons=buttons)
        return []


class ActionResubmitReturn(ApiAction):
    clears = RESUBMIT_SLOTS

    def name(self) -> str:
        return "action_resubmit_return"

    def second_rejection(self, turn: Turn, code: str) -> list[EventType]:
        turn.say("utter_return_second_rejection", code=code)
        return [
            *self.done(turn),
            SlotSet("handoff_reason", "second_return_rejection"),
            FollowupAction("action_handoff"),
        ]

    async def act(self, turn: Turn) -> list[EventType]:
        code = turn.slot("return_code")
        blocker = turn.slot("resubmit_blocker")
        if blocker == "none_rejected":
            turn.say("utter_no_rejected_returns")
            return self.done(turn)
        if blocker == "unavailable" or not code:
            turn.say(self.unavailable_response)
            return self.done(turn)
        if blocker == "used":
            return self.second_rejection(turn, code)
        body = {"explanation": turn.slot("resubmit_explanation") or "", "conversation_id": turn.tracker.sender_id}
        try:
            done = await self.api.request("POST", f"/returns/{code}/resubmit", body, buyer=turn.buyer_id)
        except ApiError as error:
            if error.unavailable:
                raise
            if error.code == "resubmission_used":
                return self.second_rejection(turn, code)
            turn.say("utter_no_rejected_returns")
            return self.done(turn)
        turn.say("utter_return_resubmitted", code=code, photos=done["attachments"])
        return self.done(turn)
