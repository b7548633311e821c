"""The text features and linear model both NLU classifiers are built on.

Why linear: on our ~11,500 buyer messages, a multinomial logistic regression over sublinear
TF-IDF character n-grams within words (2-5, which carry Turkish and Polish inflection and
survive missing diacritics and typos) and word uni/bigrams scored within a point of DIET on every
held-out set, sent foreign requests to out_of_scope far more reliably, and trains in about a
minute on one core where DIET took most of an hour. The intent classifier
(bot/nlu/intent_blend.py) and the FAQ topic selector (bot/nlu/faq_selector.py) both use it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from bot.nlu.folding import fold

# skops trusts numpy and scikit-learn types itself; a fitted TF-IDF keeps one scipy matrix.
# Anything else in a model file is refused on load.
TRUSTED_TYPES = ["scipy.sparse._csr.csr_matrix"]

DIGIT = re.compile(r"\d")

DEFAULT_CONFIG: dict[str, Any] = {
    "fold": True,
    "C": 20.0,
    "max_iter": 3000,
    "char_min_ngram": 2,
    "char_max_ngram": 5,
    "word_max_ngram": 2,
    "random_state": 42,
}


def shape(text: str) -> str:
    """Every digit as 0: an order number, amount or date says what kind of detail it is, not its value.

    Without it a bare order number the model has not seen ("TR88888888") shares few n-grams with
    the trained ones and drifts to out_of_scope.
    """
    return DIGIT.sub("0", text)


def prepare(text: str, config: dict[str, Any]) -> str:
    """The text the linear model sees: digits as 0, and folded when config["fold"] is on."""
    text = shape(text)
    return fold(text) if config.get("fold") else text


def build_features(config: dict[str, Any]) -> FeatureUnion:
    """Character n-grams within words + word uni/bigrams, sublinear TF-IDF."""
    return FeatureUnion(
        [
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=(config["char_min_ngram"], config["char_max_ngram"]),
                    sublinear_tf=True,
                    lowercase=True,
                    dtype=np.float32,
                ),
            ),
            (
                "words",
                TfidfVectorizer(
                    token_pattern=r"(?u)\b\w+\b",
                    ngram_range=(1, config["word_max_ngram"]),
                    sublinear_tf=True,
                    lowercase=True,
                    dtype=np.float32,
                ),
            ),
        ]
    )


def build_classifier(config: dict[str, Any]) -> LogisticRegression:
    return LogisticRegression(C=config["C"], max_iter=config["max_iter"], random_state=config["random_state"])


def build_pipeline(config: dict[str, Any]) -> Pipeline:
    """TF-IDF features and a multinomial logistic regression in one fitted object."""
    return Pipeline([("features", build_features(config)), ("classifier", build_classifier(config))])


def dump(model: Any, path: Path) -> None:
    import skops.io as sio

    sio.dump(model, path)


def load(path: Path) -> Any:
    """A model written by dump(); skops refuses any type outside scikit-learn, numpy and TRUSTED_TYPES."""
    import skops.io as sio

    return for_prediction(sio.load(path, trusted=TRUSTED_TYPES))


def for_prediction(model: Any) -> Any:
    """Lay the classifiers' weights out for one-message prediction; the figures stay bit for bit the same.

    scikit-learn scores a sparse TF-IDF row as ``X @ coef_.T``. With ``coef_`` in C order (as
    training leaves it) the transpose is not C-contiguous, so scipy copies the whole weight
    matrix (24 intents x ~110,000 n-grams) for every message: 6 ms of a 7 ms prediction, 7 % of
    the Rasa process's CPU in a py-spy profile (docs/performance.md). Fortran order makes the
    transpose C-contiguous and the product copy-free.
    """
    steps = model.steps if hasattr(model, "steps") else [(None, model)]
    for _, step in steps:
        if getattr(step, "coef_", None) is not None:
            step.coef_ = np.asfortranarray(step.coef_)
    return model
