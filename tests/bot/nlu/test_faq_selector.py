"""The FAQ topic selector answers where Rasa's ResponseSelector did, in the same shape."""

from __future__ import annotations

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RESPONSE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.faq_selector import FaqSelector

QUESTIONS = {
    "faq/carriers": ["hangi kargo firmalarıyla çalışıyorsunuz", "jakie firmy kurierskie", "kargo şirketi hangisi"],
    "faq/invoices": ["fatura nasıl alırım", "jak dostać fakturę", "faktura vat na firmę"],
    "faq/refund_time": ["para iadesi kaç günde yatar", "ile trwa zwrot pieniędzy", "refund ne kadar sürer"],
}
RESPONSES = {f"utter_{key}": [{"text": f"answer of {key}"}] for key in QUESTIONS}


@pytest.fixture
def storage(tmp_path) -> LocalModelStorage:
    return LocalModelStorage(tmp_path)


def context() -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), "test")


def trained(storage: LocalModelStorage, questions=QUESTIONS) -> FaqSelector:
    selector = FaqSelector.create({"retrieval_intent": "faq"}, storage, Resource("faq"), context())
    messages = [
        Message(data={TEXT: q, INTENT: "faq", INTENT_RESPONSE_KEY: key}) for key, qs in questions.items() for q in qs
    ]
    messages.append(Message(data={TEXT: "kargom nerede", INTENT: "track_order"}))
    selector.train(TrainingData(messages, responses=RESPONSES))
    return selector


def select(selector: FaqSelector, text: str) -> dict:
    return selector.process([Message(data={TEXT: text})])[0].get("response_selector")


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("fatura alabilir miyim", "faq/invoices"),
        ("jaki kurier wozi paczki", "faq/carriers"),
        ("ile dni na zwrot pieniedzy", "faq/refund_time"),
    ],
)
def test_selects_the_topic_in_rasas_response_selector_shape(storage, text, topic):
    result = select(trained(storage), text)
    assert result["all_retrieval_intents"] == ["faq"]
    response = result["faq"]["response"]
    assert response["intent_response_key"] == topic
    assert response["utter_action"] == f"utter_{topic}"
    assert response["responses"] == [{"text": f"answer of {topic}"}]
    ranking = result["faq"]["ranking"]
    assert ranking[0]["intent_response_key"] == topic
    assert ranking[0]["confidence"] == response["confidence"]
    assert [r["confidence"] for r in ranking] == sorted((r["confidence"] for r in ranking), reverse=True)
    assert sum(r["confidence"] for r in ranking) == pytest.approx(1.0)


def test_saved_and_loaded_selector_selects_the_same(storage):
    before = select(trained(storage), "fatura")
    loaded = FaqSelector.load({"retrieval_intent": "faq"}, storage, Resource("faq"), context())
    assert select(loaded, "fatura") == before


def test_one_topic_selects_nothing(storage):
    selector = trained(storage, {"faq/invoices": QUESTIONS["faq/invoices"]})
    assert select(selector, "fatura") is None
    assert FaqSelector.load({}, storage, Resource("faq"), context()).pipeline is None
