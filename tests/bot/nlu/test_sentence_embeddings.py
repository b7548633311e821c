"""The bundled multilingual encoder: meaning across languages and spellings, and the training cache."""

from __future__ import annotations

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu import sentence_embeddings
from bot.nlu.intent_blend import sentence_vector
from bot.nlu.sentence_embeddings import DIMENSIONS, EmbeddingCache, SentenceEmbeddingFeaturizer, embed


def test_same_request_in_other_words_and_languages_is_closer_than_another_request():
    refund, iade, zwrot, weather = embed(
        ["refund gelmedi hala", "param iade edilmedi", "nie dostałem zwrotu pieniędzy", "jutro będzie padać deszcz"]
    )
    assert refund @ iade > refund @ weather
    assert iade @ zwrot > iade @ weather
    assert abs(np.linalg.norm(refund) - 1) < 1e-3


def test_cache_returns_the_encoders_vectors_and_keeps_them(tmp_path):
    texts = ["kargom nerede", "gdzie jest paczka"]
    cache = EmbeddingCache(tmp_path / "e.sqlite3")
    first = cache.embed(texts)
    cache.close()
    again = EmbeddingCache(tmp_path / "e.sqlite3")
    rows = again._db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0]
    second = again.embed([*texts, "kargom nerede"])
    again.close()
    assert rows == 2
    fresh = embed(texts)
    for text, vector in zip(texts, fresh, strict=True):
        assert np.allclose(first[text], vector, atol=1e-6)
        assert np.array_equal(second[text], first[text])


def test_featurizer_adds_one_sentence_vector_in_training_and_when_parsing(tmp_path, monkeypatch):
    monkeypatch.setenv("MD_EMBEDDING_CACHE", str(tmp_path / "cache.sqlite3"))
    featurizer = SentenceEmbeddingFeaturizer.create(
        {}, LocalModelStorage(tmp_path), Resource("e5"), ExecutionContext(GraphSchema({}), "e5")
    )
    data = featurizer.process_training_data(TrainingData([Message(data={TEXT: "siparisim nerde"})]))
    trained = sentence_vector(data.training_examples[0])
    parsed = sentence_vector(featurizer.process([Message(data={TEXT: "siparisim nerde"})])[0])
    assert trained.shape == (DIMENSIONS,)
    assert np.allclose(trained, parsed, atol=1e-6)
    assert sentence_embeddings.cache_path().exists()
    empty = featurizer.process([Message(data={})])[0]
    assert sentence_vector(empty) is None
