"""An agent hands the chat back: Rasa resumes the paused conversation and the bot greets the
buyer again and asks for a rating (intent ``external_handback``); the widget shows its stars.

If Rasa is down at that moment, the gateway says the same in the buyer's language.
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool

from api.gateway.models import Conversation, Sender
from api.gateway.rasa_client import BotReply, BotUnavailable
from api.gateway.texts import text

HANDBACK_INTENT = "external_handback"


async def hand_back(state: Any, conversation_id: str) -> list[dict[str, Any]]:
    chat, rasa, hub = state.chat, state.rasa, state.hub

    def language() -> str:
        with chat._sessions() as session:
            return session.get(Conversation, conversation_id).language

    sender = Sender.BOT
    try:
        await rasa.resume(conversation_id)
        replies = await rasa.trigger_intent(conversation_id, HANDBACK_INTENT)
    except BotUnavailable:
        replies = []
    if not replies:
        replies, sender = [BotReply(text=text("bot_back", await run_in_threadpool(language)))], Sender.SYSTEM
    stored = await run_in_threadpool(chat._store_replies, conversation_id, None, sender, replies)
    await hub.publish(conversation_id, {"type": "state", "state": "bot"})
    for message in stored:
        await hub.publish(conversation_id, {"type": "message", "message": message})
    await hub.publish(conversation_id, {"type": "csat_request"})
    return stored
