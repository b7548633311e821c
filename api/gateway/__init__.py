"""The buyer-facing gateway: conversations, messages and the bridge to Rasa."""
