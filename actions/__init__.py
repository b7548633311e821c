"""Rasa custom actions: thin clients of the api that turn its answers into responses and events."""
