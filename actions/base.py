"""What every action that asks the api shares: the client, the sign-in guard, "try again later".

An action that calls the api subclasses :class:`ApiAction` and implements :meth:`ApiAction.act`
with a :class:`Turn` (the buyer, the language, the market, the domain's words). ``run`` does the
rest once: the process's one api client, asking an anonymous buyer to sign in, and answering
``utter_service_unavailable`` (per language, from the domain) when the api does not answer or
refuses in a way the action does not phrase itself. An action that phrases a refusal (a return
that is not returnable, a moderated message) catches that :class:`ApiError` code in ``act``.

Form validators use the same client through :class:`UsesApi`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.api_client import ApiError, CommerceApi, shared_api
from actions.markets import is_market, language_of, market_for_language
from actions.wording import Words


@dataclass(frozen=True)
class Turn:
    """One action call: who asks, in which language and market, and where the answer goes."""

    dispatcher: CollectingDispatcher
    tracker: Tracker
    domain: DomainDict
    language: str
    market: str
    buyer_id: str | None
    words: Words

    def say(self, response: str, **values: Any) -> None:
        self.dispatcher.utter_message(response=response, **values)

    def slot(self, name: str) -> Any:
        return self.tracker.get_slot(name)


def market_of(tracker: Tracker) -> str:
    """The buyer's market from the session; without one, the market of the conversation's language."""
    market = tracker.get_slot("market")
    return market if is_market(market) else market_for_language(language_of(tracker.get_slot("language")))


def turn_of(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Turn:
    language = language_of(tracker.get_slot("language"))
    return Turn(
        dispatcher=dispatcher,
        tracker=tracker,
        domain=domain,
        language=language,
        market=market_of(tracker),
        buyer_id=tracker.get_slot("buyer_id") or None,
        words=Words(domain, language),
    )


class UsesApi:
    """The action server's one api client (:func:`shared_api`); a test passes its own."""

    def __init__(self, api: CommerceApi | None = None) -> None:
        self.api = api or shared_api()


class ApiAction(UsesApi, Action, ABC):
    """An action that asks the api: subclasses set ``name`` and implement :meth:`act`.

    Abstract, so the action server registers only the concrete actions.
    """

    needs_buyer = True  # anonymous buyers are asked to sign in, the api is not asked
    sign_in_response = "utter_sign_in_needed"
    unavailable_response = "utter_service_unavailable"
    clears: tuple[str, ...] = ()  # slots the flow leaves empty however it ends

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        turn = turn_of(dispatcher, tracker, domain)
        if self.needs_buyer and not turn.buyer_id:
            turn.say(self.sign_in_response)
            return self.done(turn)
        try:
            return await self.act(turn)
        except ApiError:
            turn.say(self.unavailable_response)
            return self.done(turn)

    def done(self, turn: Turn) -> list[EventType]:
        """The events of a finished call, also after the guard or an unavailable api."""
        return [SlotSet(name, None) for name in self.clears]

    @abstractmethod
    async def act(self, turn: Turn) -> list[EventType]:
        """The action's own work; an :class:`ApiError` escaping it is told as "try again later"."""
