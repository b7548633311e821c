"""contact_seller: relay a question to the seller's inbox; a message breaking the rules is refused with the reason."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.api_client import ApiError, CommerceApi
from actions.base import ApiAction, Turn
from actions.formatting import format_datetime
from actions.markets import language_of
from actions.order_picking import OrderFlowAction, OrderFormValidation

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
        verdict = await api.request(
            "POST", "/api/v1/internal/moderation/seller-message", {"text": text[:10_000], "language": language}
        )
    except ApiError:
        return []
    return [] if verdict["allowed"] else list(verdict["reasons"])


class ActionPersonOrSellerMessage(ApiAction):
    """A request for a person inside the seller form, unless it is the seller message itself.

    Asked for the message, a buyer often writes "call me at [PHONE] when it ships": the NLU reads
    "call me" as a plea for a person, but handing over would lose the message and never say why
    a phone number cannot go to a seller. Contact data in the answer means it is the message:
    refuse it with the reason and ask again; anything else hands over as the buyer asked."""

    needs_buyer = False  # a plea for a person is heard from anyone

    def name(self) -> str:
        return "action_person_or_seller_message"

    async def act(self, turn: Turn) -> list[EventType]:
        text = (turn.tracker.latest_message.get("text") or "").strip()
        if turn.slot("requested_slot") == "seller_message" and text:
            reasons = await moderation_reasons(self.api, text, turn.language)
            if CONTACT_DATA.intersection(reasons):
                tell_why_blocked(turn.dispatcher, reasons, turn.domain)
                return [SlotSet("seller_message", None), FollowupAction("contact_seller_form")]
        return [ActiveLoop(None), SlotSet("requested_slot", None), FollowupAction("action_handoff")]


class ActionSendSellerMessage(OrderFlowAction):
    purpose = "seller"
    clears = ("seller_message",)

    def name(self) -> str:
        return "action_send_seller_message"

    async def act_on_order(self, turn: Turn, number: str) -> list[EventType]:
        if not turn.slot("seller_message"):
            return self.done(turn)
        body = {
            "order_number": number,
            "text": turn.slot("seller_message"),
            "language": turn.language,
            "conversation_id": turn.tracker.sender_id,
        }
        try:
            sent = await self.api.request("POST", "/seller-messages", body, buyer=turn.buyer_id)
        except ApiError as error:
            if error.unavailable:
                raise
            tell_why_blocked(turn.dispatcher, error.detail.get("reasons", []), turn.domain)
            return self.done(turn)
        turn.say(
            "utter_seller_message_sent", seller=sent["seller"], due=format_datetime(sent["answer_due"], turn.market)
        )
        return self.done(turn)
