"""contact_seller: relay a question to the seller's inbox; a message breaking the rules is refused with the reason."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.api_client import ApiRefused, ApiUnavailable, CommerceApi
from actions.formatting import format_datetime, language_of, market_of
from actions.order_picking import OrderFormValidation, preamble, reset_events

BLOCKED = "utter_seller_message_blocked_"
# Reasons that mean "this is a message carrying contact data", never a plea for a person.
CONTACT_DATA = frozenset({"phone_number", "email", "link", "social_handle", "off_platform"})


def tell_why_blocked(dispatcher: CollectingDispatcher, reasons: list[str], domain: DomainDict) -> None:
    """One response per moderation reason the domain has words for (both the form and the send step refuse).

    The reasons come from the api's moderation; the domain's responses, not a copy of the api's
    list, decide which ones the bot can put into words."""
    for reason in reasons:
        if f"{BLOCKED}{reason}" in domain.get("responses", {}):
            dispatcher.utter_message(response=f"{BLOCKED}{reason}")


class ValidateContactSellerForm(OrderFormValidation):
    purpose = "seller"

    def name(self) -> str:
        return "validate_contact_seller_form"

    async def validate_seller_message(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = value.strip() if isinstance(value, str) else ""
        if not text or text.startswith("/"):
            return {"seller_message": None}
        reasons = await moderation_reasons(self.api, text, language_of(tracker.get_slot("language")))
        if reasons:
            tell_why_blocked(dispatcher, reasons, domain)
            return {"seller_message": None}
        return {"seller_message": text}


async def moderation_reasons(api: CommerceApi, text: str, language: str) -> list[str]:
    """Why the api's moderation refuses ``text`` ([] when it passes or cannot be asked: the send step checks again)."""
    try:
        status, verdict = await api.call(
            "POST", "/api/v1/internal/moderation/seller-message", {"text": text[:10_000], "language": language}
        )
    except ApiUnavailable:
        return []
    return list(verdict["reasons"]) if status == 200 and not verdict["allowed"] else []


class ActionPersonOrSellerMessage(Action):
    """A request for a person inside the seller form, unless it is the seller message itself.

    Asked for the message, a buyer often writes "call me at [PHONE] when it ships": the NLU reads
    "call me" as a plea for a person, but handing over would lose the message and never say why
    a phone number cannot go to a seller. Contact data in the answer means it is the message:
    refuse it with the reason and ask again; anything else hands over as the buyer asked."""

    def __init__(self, api: CommerceApi | None = None) -> None:
        self.api = api or CommerceApi()

    def name(self) -> str:
        return "action_person_or_seller_message"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        text = (tracker.latest_message.get("text") or "").strip()
        if tracker.get_slot("requested_slot") == "seller_message" and text:
            reasons = await moderation_reasons(self.api, text, language_of(tracker.get_slot("language")))
            if CONTACT_DATA.intersection(reasons):
                tell_why_blocked(dispatcher, reasons, domain)
                return [SlotSet("seller_message", None), FollowupAction("contact_seller_form")]
        return [ActiveLoop(None), SlotSet("requested_slot", None), FollowupAction("action_handoff")]


class ActionSendSellerMessage(Action):
    def __init__(self, api: CommerceApi | None = None) -> None:
        self.api = api or CommerceApi()

    def name(self) -> str:
        return "action_send_seller_message"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        reset = reset_events("seller_message")
        number = preamble(dispatcher, tracker, "seller")
        if number is None or not tracker.get_slot("seller_message"):
            return reset
        language = language_of(tracker.get_slot("language"))
        body = {
            "order_number": number,
            "text": tracker.get_slot("seller_message"),
            "language": language,
            "conversation_id": tracker.sender_id,
        }
        try:
            sent = await self.api.buyer_call("POST", tracker.get_slot("buyer_id"), "/seller-messages", body)
        except ApiRefused as refused:
            tell_why_blocked(dispatcher, refused.detail.get("reasons", []), domain)
            return reset
        except ApiUnavailable:
            dispatcher.utter_message(response="utter_service_unavailable")
            return reset
        market = market_of(tracker)
        dispatcher.utter_message(
            response="utter_seller_message_sent", seller=sent["seller"], due=format_datetime(sent["answer_due"], market)
        )
        return reset
