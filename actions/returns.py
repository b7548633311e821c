"""return_request, return_status, return_rejected.

Eligibility (window, hygiene, digital, existing returns) is the api's; the actions ask
for what is missing and phrase the answers. A rejected return may be re-submitted once
with an explanation and the photos uploaded in the chat; a second rejection goes to a person.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.api_client import ApiRefused, ApiUnavailable, CommerceApi, order_path
from actions.formatting import format_date, language_of
from actions.order_picking import OrderFormValidation, choice_button, preamble, reset_events, typed_answer

RETURN_SLOTS = ("return_item", "return_reason", "return_note", "return_blocker", "return_deadline")
RESUBMIT_SLOTS = ("return_code", "resubmit_explanation", "evidence_done", "resubmit_blocker")
MAX_BUTTONS = 5

STATE_LABELS = {
    "requested": {
        "tr": "talep alındı, ürünü kargoya vermenizi bekliyoruz",
        "pl": "zgłoszony, czekamy na nadanie paczki",
    },
    "in_transit": {"tr": "iade kargosu yolda", "pl": "paczka zwrotna w drodze"},
    "received_by_seller": {"tr": "satıcıya ulaştı, inceleniyor", "pl": "dotarł do sprzedawcy, trwa sprawdzanie"},
    "accepted": {"tr": "satıcı iadeyi onayladı", "pl": "sprzedawca przyjął zwrot"},
    "refunded": {"tr": "ücret iadesi yapıldı", "pl": "pieniądze zostały zwrócone"},
    "rejected": {"tr": "satıcı iadeyi reddetti", "pl": "sprzedawca odrzucił zwrot"},
}
REFUND_INFO = {
    "pending": {
        "tr": "Satıcı onayladıktan sonra ücret iadesi {days} içinde kartınıza yansır.",
        "pl": "Po akceptacji sprzedawcy pieniądze wrócą na kartę w ciągu {days}.",
    },
    "accepted": {"tr": "Ücret iadesi en geç {date} tarihinde kartınızda.", "pl": "Zwrot pieniędzy najpóźniej {date}."},
    "refunded": {"tr": "Ücret {date} tarihinde iade edildi.", "pl": "Pieniądze zwrócono {date}."},
    "rejected": {"tr": "Red gerekçesi: {reason}", "pl": "Powód odrzucenia: {reason}"},
}


def _refund_info(item: dict[str, Any], language: str) -> str:
    state = item["state"]
    if state in ("accepted", "refunded"):
        return REFUND_INFO[state][language].format(date=format_date(item["refund_expected"], language))
    if state == "rejected":
        return REFUND_INFO["rejected"][language].format(reason=item["rejection_reason"] or "-")
    return REFUND_INFO["pending"][language].format(days=item["refund_after_acceptance"])


class ValidateReturnForm(OrderFormValidation):
    purpose = "return"

    def name(self) -> str:
        return "validate_return_form"

    def slots_after_order(self, domain_slots: list[str], tracker: Tracker) -> list[str]:
        return ["order_number"] if tracker.get_slot("return_blocker") else domain_slots

    async def on_order(self, order: dict[str, Any], dispatcher: CollectingDispatcher, tracker: Tracker) -> dict:
        try:
            verdict = await self.api.buyer_call(
                "GET", tracker.get_slot("buyer_id"), order_path(order["number"]) + "/return-eligibility"
            )
        except (ApiUnavailable, ApiRefused):
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


class ActionAskReturnItem(Action):
    def __init__(self, api: CommerceApi | None = None) -> None:
        self.api = api or CommerceApi()

    def name(self) -> str:
        return "action_ask_return_item"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        number = tracker.get_slot("order_number")
        try:
            verdict = await self.api.buyer_call(
                "GET", tracker.get_slot("buyer_id"), order_path(number) + "/return-eligibility"
            )
            items = [i for i in verdict["items"] if i["returnable"]]
        except (ApiUnavailable, ApiRefused):
            items = []
        buttons = [choice_button(i["name"], "return_item", str(i["id"])) for i in items[:MAX_BUTTONS]]
        dispatcher.utter_message(response="utter_ask_return_item", buttons=buttons)
        return []


class ActionCreateReturn(Action):
    def __init__(self, api: CommerceApi | None = None) -> None:
        self.api = api or CommerceApi()

    def name(self) -> str:
        return "action_create_return"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        reset = reset_events(*RETURN_SLOTS, "return_code")
        number = preamble(dispatcher, tracker, "return")
        if number is None:
            return reset
        language = language_of(tracker.get_slot("language"))
        blocker = tracker.get_slot("return_blocker")
        if blocker == "unavailable":
            dispatcher.utter_message(response="utter_service_unavailable")
            return reset
        if blocker:
            deadline = format_date(tracker.get_slot("return_deadline"), language)
            dispatcher.utter_message(
                response=f"utter_return_blocked_{blocker}",
                order_number=number,
                deadline=deadline,
                code=tracker.get_slot("return_code") or "",
            )
            return reset
        body = {
            "order_number": number,
            "item_id": int(item) if (item := tracker.get_slot("return_item")) else None,
            "reason": tracker.get_slot("return_reason") or "other",
            "note": tracker.get_slot("return_note"),
            "conversation_id": tracker.sender_id,
        }
        try:
            created = await self.api.buyer_call("POST", tracker.get_slot("buyer_id"), "/returns", body)
        except ApiRefused as refused:
            reason = refused.detail.get("reason") or "no_returnable_item"
            dispatcher.utter_message(
                response=f"utter_return_blocked_{reason}",
                order_number=number,
                deadline=format_date(tracker.get_slot("return_deadline"), language),
                code=refused.detail.get("return_code") or "",
            )
            return reset
        except ApiUnavailable:
            dispatcher.utter_message(response="utter_service_unavailable")
            return reset
        dispatcher.utter_message(
            response="utter_return_created",
            code=created["code"],
            item=created["item"],
            order_number=number,
            carrier=created["carrier"],
            ship_by=format_date(created["ship_by"], language),
            refund_days=created["refund_after_acceptance"],
        )
        return reset


class ActionReturnStatus(Action):
    def __init__(self, api: CommerceApi | None = None) -> None:
        self.api = api or CommerceApi()

    def name(self) -> str:
        return "action_return_status"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        buyer_id = tracker.get_slot("buyer_id")
        if not buyer_id:
            dispatcher.utter_message(response="utter_sign_in_needed")
            return []
        language = language_of(tracker.get_slot("language"))
        try:
            listed = (await self.api.buyer_call("GET", buyer_id, "/returns"))["returns"]
        except (ApiUnavailable, ApiRefused):
            dispatcher.utter_message(response="utter_service_unavailable")
            return []
        if not listed:
            dispatcher.utter_message(response="utter_returns_none")
            return []
        dispatcher.utter_message(response="utter_return_status_intro")
        for item in listed[:MAX_BUTTONS]:
            dispatcher.utter_message(
                response="utter_return_status_item",
                code=item["code"],
                item=item["item"],
                order_number=item["order_number"],
                state_label=STATE_LABELS[item["state"]][language],
                refund_info=_refund_info(item, language),
            )
        return []


async def _rejected(api: CommerceApi, buyer_id: str) -> list[dict[str, Any]]:
    return (await api.buyer_call("GET", buyer_id, "/returns?state=rejected"))["returns"]


class ValidateReturnResubmitForm(FormValidationAction):
    def __init__(self, api: CommerceApi | None = None) -> None:
        self.api = api or CommerceApi()

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
            rejected = await _rejected(self.api, tracker.get_slot("buyer_id"))
        except (ApiUnavailable, ApiRefused):
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
            rejected = await _rejected(self.api, tracker.get_slot("buyer_id"))
        except (ApiUnavailable, ApiRefused):
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


class ActionAskReturnCode(Action):
    def __init__(self, api: CommerceApi | None = None) -> None:
        self.api = api or CommerceApi()

    def name(self) -> str:
        return "action_ask_return_code"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        try:
            rejected = await _rejected(self.api, tracker.get_slot("buyer_id"))
        except (ApiUnavailable, ApiRefused):
            rejected = []
        buttons = [
            choice_button(f"{r['code']} · {r['item']}", "return_code", r["code"]) for r in rejected[:MAX_BUTTONS]
        ]
        dispatcher.utter_message(response="utter_ask_return_code", buttons=buttons)
        return []


class ActionResubmitReturn(Action):
    def __init__(self, api: CommerceApi | None = None) -> None:
        self.api = api or CommerceApi()

    def name(self) -> str:
        return "action_resubmit_return"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        reset: list[EventType] = [SlotSet(name, None) for name in RESUBMIT_SLOTS]
        buyer_id = tracker.get_slot("buyer_id")
        code = tracker.get_slot("return_code")
        blocker = tracker.get_slot("resubmit_blocker")
        if not buyer_id:
            dispatcher.utter_message(response="utter_sign_in_needed")
            return reset
        if blocker == "none_rejected":
            dispatcher.utter_message(response="utter_no_rejected_returns")
            return reset
        if blocker == "unavailable" or not code:
            dispatcher.utter_message(response="utter_service_unavailable")
            return reset
        if blocker == "used":
            dispatcher.utter_message(response="utter_return_second_rejection", code=code)
            return [*reset, SlotSet("handoff_reason", "second_return_rejection"), FollowupAction("action_handoff")]
        body = {"explanation": tracker.get_slot("resubmit_explanation") or "", "conversation_id": tracker.sender_id}
        try:
            done = await self.api.buyer_call("POST", buyer_id, f"/returns/{code}/resubmit", body)
        except ApiRefused as refused:
            if refused.code == "resubmission_used":
                dispatcher.utter_message(response="utter_return_second_rejection", code=code)
                return [*reset, SlotSet("handoff_reason", "second_return_rejection"), FollowupAction("action_handoff")]
            dispatcher.utter_message(response="utter_no_rejected_returns")
            return reset
        except ApiUnavailable:
            dispatcher.utter_message(response="utter_service_unavailable")
            return reset
        dispatcher.utter_message(response="utter_return_resubmitted", code=code, photos=done["attachments"])
        return reset
