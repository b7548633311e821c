"""wallet_frozen: name every frozen amount's cause with its remedy; security holds go to a person."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.api_client import ApiRefused, ApiUnavailable, CommerceApi
from actions.formatting import format_date, format_money, language_of


class ActionWalletFrozen(Action):
    def __init__(self, api: CommerceApi | None = None) -> None:
        self.api = api or CommerceApi()

    def name(self) -> str:
        return "action_wallet_frozen"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        buyer_id = tracker.get_slot("buyer_id")
        if not buyer_id:
            dispatcher.utter_message(response="utter_sign_in_needed")
            return []
        language = language_of(tracker.get_slot("language"))
        try:
            wallet = await self.api.buyer_call("GET", buyer_id, "/wallet")
        except (ApiUnavailable, ApiRefused):
            dispatcher.utter_message(response="utter_service_unavailable")
            return []
        currency = wallet["currency"]
        if not wallet["frozen"]:
            available = format_money(wallet["available"], currency, language)
            dispatcher.utter_message(response="utter_wallet_nothing_frozen", available=available)
            return []
        events: list[EventType] = []
        for line in wallet["frozen"]:
            amount = format_money(line["amount"], currency, language)
            until = format_date((line["until"] or "")[:10] or None, language)
            cause = line["cause"]
            if cause == "pending_refund":
                dispatcher.utter_message(
                    response="utter_wallet_pending_refund",
                    amount=amount,
                    order_number=line["order_number"],
                    until=until,
                )
            elif cause == "promo_expired":
                dispatcher.utter_message(response="utter_wallet_promo_expired", amount=amount, until=until)
            elif cause == "system_freeze":
                try:
                    record = await self.api.buyer_call(
                        "POST", buyer_id, "/wallet/freeze-records", {"conversation_id": tracker.sender_id}
                    )
                except (ApiUnavailable, ApiRefused):
                    dispatcher.utter_message(response="utter_service_unavailable")
                    continue
                dispatcher.utter_message(
                    response="utter_wallet_system_freeze", amount=amount, reference=record["reference"]
                )
            elif cause == "security_hold" and not events:
                dispatcher.utter_message(response="utter_wallet_security_hold", amount=amount)
                events = [SlotSet("handoff_reason", "security_hold"), FollowupAction("action_handoff")]
        return events
