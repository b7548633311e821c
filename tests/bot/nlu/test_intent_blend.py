"""The intent classifier: TF-IDF model, its blend with the embedding model, training, saving and loading."""

from __future__ import annotations

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.intent_blend import IntentBlendClassifier, blend

EXAMPLES = {
    "track_order": [
        "kargom nerede",
        "siparisim ne zaman gelir",
        "paketim hala yolda mı",
        "gdzie jest moja paczka",
        "kiedy przyjdzie zamowienie",
        "paczka dalej w drodze?",
    ],
    "return_request": [
        "ürünü iade etmek istiyorum",
        "iade nasıl yaparım bu ayakkabıyı",
        "geri göndermek istiyorum",
        "chcę zwrócić buty",
        "jak zrobić zwrot tej kurtki",
        "chce oddac towar",
    ],
    "inform": ["TR48210936", "siparis no TR-55190273", "PL20847716", "numer zamowienia pl 73028411"],
    "out_of_scope": [
        "yarın hava nasıl olacak",
        "bana bir fıkra anlat",
        "maç kaç kaç bitti",
        "jaka jutro pogoda",
        "opowiedz kawał",
        "puść muzykę",
    ],
}


def test_blend_weights_the_text_model_over_the_embedding_model():
    blended = blend(["a", "b", "c"], np.array([0.2, 0.7, 0.1]), np.array([0.9, 0.1, 0.0]), weight=0.3)
    assert [r["name"] for r in blended] == ["b", "a", "c"]
    assert blended[0]["confidence"] == pytest.approx(0.3 * 0.1 + 0.7 * 0.7)
    assert sum(r["confidence"] for r in blended) == pytest.approx(1.0)


def test_blend_with_full_embedding_weight_keeps_the_embedding_order():
    blended = blend(["a", "b", "c"], np.array([0.2, 0.7, 0.1]), np.array([0.9, 0.1, 0.0]), weight=1.0)
    assert [r["name"] for r in blended][:2] == ["a", "b"]


def test_blend_without_embeddings_is_the_text_model():
    blended = blend(["a", "b"], np.array([0.3, 0.7]), None, weight=0.3)
    assert [(r["name"], r["confidence"]) for r in blended] == [("b", 0.7), ("a", 0.3)]


@pytest.fixture
def storage(tmp_path) -> LocalModelStorage:
    return LocalModelStorage(tmp_path)


def context() -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), "test")


def with_vector(message: Message, vector: list[float] | None) -> Message:
    if vector is not None:
        message.add_features(Features(np.array([vector], dtype=np.float32), "sentence", TEXT, "test"))
    return message


def toy_vector(intent: str, intents: list[str]) -> list[float]:
    """A stand-in sentence vector that names the intent: the embedding model can't miss it."""
    return [1.0 if name == intent else 0.0 for name in intents]


def trained(storage: LocalModelStorage, examples: dict[str, list[str]], vectors: bool = False, **config):
    resource = Resource("intent_blend")
    component = IntentBlendClassifier.create(config, storage, resource, context())
    intents = list(examples)
    messages = [
        with_vector(Message(data={TEXT: text, INTENT: intent}), toy_vector(intent, intents) if vectors else None)
        for intent, texts in examples.items()
        for text in texts
    ]
    component.train(TrainingData(messages))
    return component


def parse(component: IntentBlendClassifier, text: str, vector: list[float] | None = None) -> Message:
    return component.process([with_vector(Message(data={TEXT: text}), vector)])[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kargom nerde kaldı", "track_order"),
        ("gdzie moja paczka???", "track_order"),
        ("iade etmek istiyorum bu urunu", "return_request"),
        ("chce zwrocic kurtke", "return_request"),
        ("jutro pogoda bedzie?", "out_of_scope"),
        # unseen order numbers: digits are read by their shape, not their value
        ("TR99990000", "inform"),
        ("pl-31313131", "inform"),
    ],
)
def test_trained_model_reads_unseen_spellings_in_both_languages(storage, text, expected):
    component = trained(storage, EXAMPLES)
    message = parse(component, text)
    assert message.get(INTENT)["name"] == expected
    assert message.get(INTENT_RANKING_KEY)[0] == message.get(INTENT)


@pytest.mark.parametrize("folding", [True, False])
def test_capitals_and_missing_diacritics_read_like_the_trained_spelling_only_when_folded(storage, folding):
    component = trained(storage, EXAMPLES, fold=folding)
    shouted = parse(component, "ÜRÜNÜ İADE ETMEK İSTİYORUM").get(INTENT_RANKING_KEY)
    plain = parse(component, "urunu iade etmek istiyorum").get(INTENT_RANKING_KEY)
    same = [(r["name"], round(r["confidence"], 6)) for r in shouted] == [
        (r["name"], round(r["confidence"], 6)) for r in plain
    ]
    assert same is folding
    if folding:
        assert shouted[0]["name"] == "return_request"


def test_sentence_features_move_the_decision_when_weighted(storage):
    intents = list(EXAMPLES)
    component = trained(storage, EXAMPLES, vectors=True, embedding_weight=0.9)
    assert component.embedding_model is not None
    # The words say tracking; the sentence vector says return, and carries 90 % of the vote.
    message = parse(component, "kargom nerde kaldı", toy_vector("return_request", intents))
    assert message.get(INTENT)["name"] == "return_request"
    light = trained(storage, EXAMPLES, vectors=True, embedding_weight=0.1)
    assert parse(light, "kargom nerde kaldı", toy_vector("return_request", intents)).get(INTENT)["name"] == (
        "track_order"
    )


def test_message_without_sentence_features_gets_the_text_model_alone(storage):
    component = trained(storage, EXAMPLES, vectors=True)
    text_only = trained(storage, EXAMPLES)
    assert parse(component, "paczka nie doszła").get(INTENT_RANKING_KEY) == parse(text_only, "paczka nie doszła").get(
        INTENT_RANKING_KEY
    )


def test_saved_and_loaded_model_gives_the_same_ranking(storage):
    intents = list(EXAMPLES)
    component = trained(storage, EXAMPLES, vectors=True)
    vector = toy_vector("track_order", intents)
    before = parse(component, "paczka nie doszła", vector).get(INTENT_RANKING_KEY)
    loaded = IntentBlendClassifier.load({}, storage, Resource("intent_blend"), context())
    after = parse(loaded, "paczka nie doszła", vector).get(INTENT_RANKING_KEY)
    assert after == before


def test_ranking_is_cut_to_ranking_length(storage):
    component = trained(storage, EXAMPLES, ranking_length=2)
    assert len(parse(component, "kargom nerde").get(INTENT_RANKING_KEY)) == 2


def test_message_without_text_is_left_alone(storage):
    component = trained(storage, EXAMPLES)
    message = Message(data={})
    message.set(INTENT, {"name": "greet", "confidence": 1.0})
    assert component.process([message])[0].get(INTENT) == {"name": "greet", "confidence": 1.0}


def test_single_intent_data_classifies_nothing_and_loads_empty(storage):
    component = trained(storage, {"greet": ["merhaba", "cześć"]})
    assert parse(component, "selam").get(INTENT) is None
    loaded = IntentBlendClassifier.load({}, storage, Resource("intent_blend"), context())
    assert loaded.text_model is None
