"""wallet_frozen: name every frozen amount's cause with its remedy; security holds go to a person."""

from __future__ import annotations

from rasa_sdk.events import EventType, FollowupAction, SlotSet

from actions.api_client import ApiError
from actions.base import ApiAction, Turn
from actions.formatting import format_date, format_money


class ActionWalletFrozen(ApiAction):
    def name(self) -> str:
        return "action_wallet_frozen"

    async def act(self, turn: Turn) -> list[EventType]:
        wallet = await self.api.request("GET", "/wallet", buyer=turn.buyer_id)
        currency = wallet["currency"]
        if not wallet["frozen"]:
            available = format_money(wallet["available"], currency, turn.language)
            turn.say("utter_wallet_nothing_frozen", available=available)
            return []
        events: list[EventType] = []
        for line in wallet["frozen"]:
            amount = format_money(line["amount"], currency, turn.language)
            until = format_date((line["until"] or "")[:10] or None, turn.words)
            cause = line["cause"]
            if cause == "pending_refund":
                turn.say("utter_wallet_pending_refund", amount=amount, order_number=line["order_number"], until=until)
            elif cause == "promo_expired":
                turn.say("utter_wallet_promo_expired", amount=amount, until=until)
            elif cause == "system_freeze":
                try:
                    body = {"conversation_id": turn.tracker.sender_id}
                    record = await self.api.request("POST", "/wallet/freeze-records", body, buyer=turn.buyer_id)
                except ApiError:  # the other lines are still worth telling
                    turn.say(self.unavailable_response)
                    continue
                turn.say("utter_wallet_system_freeze", amount=amount, reference=record["reference"])
            elif cause == "security_hold" and not events:
                turn.say("utter_wallet_security_hold", amount=amount)
                events = [SlotSet("handoff_reason", "security_hold"), FollowupAction("action_handoff")]
        return events
