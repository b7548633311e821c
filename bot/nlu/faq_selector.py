"""FAQ topic selector: which FAQ answer fits a general question, by a TF-IDF logistic regression.

Why not Rasa's ResponseSelector: it is a second DIET (a transformer over the same 57,000-item
character vocabulary) that alone took a quarter of the model's training time and a large part of
its memory, to choose among 13 topics. A linear model over the features of bot/nlu/linear_text.py,
trained on the FAQ questions only, picks the topic as well on the held-out FAQ questions
(README "NLU") in seconds.

It writes the message's `response_selector` exactly as Rasa's ResponseSelector does, so the
`utter_faq` retrieval action, `rasa test` and the api's FAQ search (api/faq/service.py, which
reads the ranking) work unchanged.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import (
    RESPONSE_SELECTOR_PREDICTION_KEY,
    RESPONSE_SELECTOR_PROPERTY_NAME,
    RESPONSE_SELECTOR_RANKING_KEY,
    RESPONSE_SELECTOR_RESPONSES_KEY,
    RESPONSE_SELECTOR_RETRIEVAL_INTENTS,
    RESPONSE_SELECTOR_UTTER_ACTION_KEY,
)
from rasa.shared.nlu.constants import INTENT, INTENT_RESPONSE_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.shared.utils.io import raise_warning
from sklearn.pipeline import Pipeline

from bot.nlu import linear_text

logger = logging.getLogger(__name__)

MODEL_FILE = "faq_selector.skops"
META_FILE = "faq_selector.json"


def utter_action(intent_response_key: str) -> str:
    """faq/carriers -> utter_faq/carriers, the response the retrieval action sends."""
    return f"utter_{intent_response_key}"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class FaqSelector(GraphComponent):
    """Ranks the topics of one retrieval intent (`faq`) for every message, like Rasa's ResponseSelector."""

    @staticmethod
    def required_packages() -> list[str]:
        return ["sklearn", "skops"]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**linear_text.DEFAULT_CONFIG, "retrieval_intent": "faq", "C": 20.0, "ranking_length": 10}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        pipeline: Pipeline | None = None,
        responses: dict[str, list[dict[str, Any]]] | None = None,
        retrieval_intents: list[str] | None = None,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.pipeline = pipeline
        self.responses = responses or {}
        self.retrieval_intents = retrieval_intents or []

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> FaqSelector:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        intent = self.config["retrieval_intent"]
        examples = [
            e
            for e in training_data.intent_examples
            if e.get(INTENT) == intent and e.get(TEXT) and e.get(INTENT_RESPONSE_KEY)
        ]
        self.retrieval_intents = sorted(training_data.retrieval_intents)
        keys = {e.get(INTENT_RESPONSE_KEY) for e in examples}
        self.responses = {utter_action(k): training_data.responses.get(utter_action(k), []) for k in keys}
        if len(keys) < 2:
            raise_warning(f"FaqSelector needs questions of at least two '{intent}' topics; it will select nothing.")
            return self._resource
        pipeline = linear_text.build_pipeline(self.config)
        pipeline.fit(
            [linear_text.prepare(e.get(TEXT), self.config) for e in examples],
            [e.get(INTENT_RESPONSE_KEY) for e in examples],
        )
        self.pipeline = pipeline
        self.persist()
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        if self.pipeline is None:
            return messages
        to_score = [m for m in messages if m.get(TEXT)]
        if not to_score:
            return messages
        probabilities = self.pipeline.predict_proba([linear_text.prepare(m.get(TEXT), self.config) for m in to_score])
        keys = [str(c) for c in self.pipeline.classes_]
        for message, row in zip(to_score, probabilities, strict=True):
            scored = [
                {"id": i, PREDICTED_CONFIDENCE_KEY: float(p), INTENT_RESPONSE_KEY: key}
                for i, (key, p) in enumerate(zip(keys, row, strict=True))
            ]
            ranking = sorted(scored, key=lambda r: -r[PREDICTED_CONFIDENCE_KEY])[: self.config["ranking_length"]]
            best = ranking[0][INTENT_RESPONSE_KEY]
            selected = {
                RESPONSE_SELECTOR_PREDICTION_KEY: {
                    RESPONSE_SELECTOR_RESPONSES_KEY: self.responses.get(utter_action(best)) or [{TEXT: best}],
                    PREDICTED_CONFIDENCE_KEY: ranking[0][PREDICTED_CONFIDENCE_KEY],
                    INTENT_RESPONSE_KEY: best,
                    RESPONSE_SELECTOR_UTTER_ACTION_KEY: utter_action(best),
                },
                RESPONSE_SELECTOR_RANKING_KEY: ranking,
            }
            properties = message.get(RESPONSE_SELECTOR_PROPERTY_NAME) or {}
            properties[RESPONSE_SELECTOR_RETRIEVAL_INTENTS] = self.retrieval_intents
            properties[self.config["retrieval_intent"]] = selected
            message.set(RESPONSE_SELECTOR_PROPERTY_NAME, properties, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def persist(self) -> None:
        with self._model_storage.write_to(self._resource) as directory:
            linear_text.dump(self.pipeline, directory / MODEL_FILE)
            meta = {"responses": self.responses, "retrieval_intents": self.retrieval_intents}
            (directory / META_FILE).write_text(json.dumps(meta, ensure_ascii=False))

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> FaqSelector:
        try:
            with model_storage.read_from(resource) as directory:
                pipeline = linear_text.load(directory / MODEL_FILE)
                meta = json.loads((directory / META_FILE).read_text())
        except ValueError:  # nothing persisted: trained with fewer than two topics
            return cls(config, model_storage, resource)
        return cls(config, model_storage, resource, pipeline, meta["responses"], meta["retrieval_intents"])
