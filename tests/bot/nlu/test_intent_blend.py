"""The DIET + TF-IDF blend: how the two rankings are averaged, training, saving and loading."""

from __future__ import annotations

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.intent_blend import IntentBlendClassifier, blend, shape

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


def ranking(**confidences: float) -> list[dict]:
    return [{"name": n, "confidence": c} for n, c in sorted(confidences.items(), key=lambda kv: -kv[1])]


def test_blend_weights_the_linear_model_over_diet():
    classes = ["a", "b", "c"]
    blended = blend(ranking(a=0.9, b=0.1), classes, [0.2, 0.7, 0.1], diet_weight=0.3)
    assert [r["name"] for r in blended] == ["b", "a", "c"]
    assert blended[0]["confidence"] == pytest.approx(0.3 * 0.1 + 0.7 * 0.7)
    assert sum(r["confidence"] for r in blended) == pytest.approx(1.0)


def test_blend_with_full_diet_weight_keeps_diet_order():
    blended = blend(ranking(a=0.9, b=0.1), ["a", "b", "c"], [0.2, 0.7, 0.1], diet_weight=1.0)
    assert [r["name"] for r in blended][:2] == ["a", "b"]


def test_blend_renormalises_a_cut_diet_ranking_and_ignores_unknown_labels():
    # DIET reports only its top entries; "nlu_fallback" is not an intent the linear model knows.
    blended = blend(ranking(a=0.4, nlu_fallback=0.5, b=0.1), ["a", "b"], [0.5, 0.5], diet_weight=0.5)
    by_name = {r["name"]: r["confidence"] for r in blended}
    assert set(by_name) == {"a", "b"}
    assert by_name["a"] == pytest.approx(0.5 * 0.8 + 0.5 * 0.5)


def test_blend_without_a_diet_ranking_is_the_linear_model():
    blended = blend([], ["a", "b"], [0.3, 0.7], diet_weight=0.3)
    assert [(r["name"], r["confidence"]) for r in blended] == [("b", 0.7), ("a", 0.3)]


def test_shape_keeps_letters_and_zeroes_digits():
    assert shape("TR-48210936, 12.11'de 1.249,90 TL") == "TR-00000000, 00.00'de 0.000,00 TL"


@pytest.fixture
def storage(tmp_path) -> LocalModelStorage:
    return LocalModelStorage(tmp_path)


def context() -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), "test")


def trained(storage: LocalModelStorage, examples: dict[str, list[str]], **config) -> IntentBlendClassifier:
    resource = Resource("intent_blend")
    component = IntentBlendClassifier.create(config, storage, resource, context())
    messages = [Message(data={TEXT: text, INTENT: intent}) for intent, texts in examples.items() for text in texts]
    component.train(TrainingData(messages))
    return component


def parse(component: IntentBlendClassifier, text: str, diet: list[dict] | None = None) -> Message:
    message = Message(data={TEXT: text})
    if diet is not None:
        message.set(INTENT, diet[0])
        message.set(INTENT_RANKING_KEY, diet)
    return component.process([message])[0]


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
    component = trained(storage, EXAMPLES, diet_weight=0.0)
    message = parse(component, text)
    assert message.get(INTENT)["name"] == expected
    assert message.get(INTENT_RANKING_KEY)[0] == message.get(INTENT)


@pytest.mark.parametrize("folding", [True, False])
def test_capitals_and_missing_diacritics_read_like_the_trained_spelling_only_when_folded(storage, folding):
    component = trained(storage, EXAMPLES, diet_weight=0.0, fold=folding)
    shouted = parse(component, "ÜRÜNÜ İADE ETMEK İSTİYORUM").get(INTENT_RANKING_KEY)
    plain = parse(component, "urunu iade etmek istiyorum").get(INTENT_RANKING_KEY)
    same = [(r["name"], round(r["confidence"], 6)) for r in shouted] == [
        (r["name"], round(r["confidence"], 6)) for r in plain
    ]
    assert same is folding
    if folding:
        assert shouted[0]["name"] == "return_request"


def test_a_confident_diet_can_still_win(storage):
    component = trained(storage, EXAMPLES, diet_weight=0.9)
    message = parse(component, "kargom nerde kaldı", ranking(return_request=0.99, track_order=0.01))
    assert message.get(INTENT)["name"] == "return_request"


def test_saved_and_loaded_model_gives_the_same_ranking(storage):
    component = trained(storage, EXAMPLES)
    diet = ranking(track_order=0.6, out_of_scope=0.4)
    before = parse(component, "paczka nie doszła", diet).get(INTENT_RANKING_KEY)
    loaded = IntentBlendClassifier.load({}, storage, Resource("intent_blend"), context())
    after = parse(loaded, "paczka nie doszła", diet).get(INTENT_RANKING_KEY)
    assert after == before


def test_ranking_is_cut_to_ranking_length(storage):
    component = trained(storage, EXAMPLES, ranking_length=2)
    assert len(parse(component, "kargom nerde").get(INTENT_RANKING_KEY)) == 2


def test_message_without_text_keeps_what_diet_said(storage):
    component = trained(storage, EXAMPLES)
    message = Message(data={})
    message.set(INTENT, {"name": "greet", "confidence": 1.0})
    assert component.process([message])[0].get(INTENT) == {"name": "greet", "confidence": 1.0}


def test_single_intent_data_passes_diet_through_and_loads_empty(storage):
    component = trained(storage, {"greet": ["merhaba", "cześć"]})
    diet = ranking(greet=0.8, thank=0.2)
    assert parse(component, "selam", diet).get(INTENT_RANKING_KEY) == diet
    loaded = IntentBlendClassifier.load({}, storage, Resource("intent_blend"), context())
    assert loaded.pipeline is None
