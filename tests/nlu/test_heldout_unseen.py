"""The held-out sets stay unseen: no held-out message is in the training data, and every label exists.

Helpers and people add training data all the time; one pasted held-out line would quietly
inflate every figure of `make nlu-eval`."""

from __future__ import annotations

import re

import pytest
import yaml

from evaluation.labels import ROOT, annotations, label_sets, plain

LANGUAGES = ("tr", "pl")


def normal(text: str) -> str:
    return re.sub(r"\s+", " ", plain(text)).strip().casefold()


def training_texts(language: str) -> set[str]:
    texts: set[str] = set()
    for path in (ROOT / "data" / "nlu" / language).glob("*.yml"):
        for block in (yaml.safe_load(path.read_text()) or {}).get("nlu", []):
            texts |= {normal(line.strip()[2:]) for line in block.get("examples", "").splitlines() if line.strip()}
    for topic in yaml.safe_load((ROOT / "data" / "faq" / "topics.yml").read_text())["topics"].values():
        texts |= {normal(q) for q in topic[language]["questions"]}
    return texts


def known_labels() -> set[str]:
    intents: set[str] = set()
    for path in (ROOT / "bot" / "domain").glob("*.yml"):
        intents |= {
            i if isinstance(i, str) else next(iter(i)) for i in yaml.safe_load(path.read_text()).get("intents", [])
        }
    topics = yaml.safe_load((ROOT / "data" / "faq" / "topics.yml").read_text())["topics"]
    return (intents - {"faq"}) | {f"faq/{topic}" for topic in topics}


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_heldout_message_is_trained_on(language):
    seen = training_texts(language)
    leaked = sorted({text for pairs in label_sets(language).values() for text, _ in pairs if normal(text) in seen})
    assert not leaked, f"held-out messages found in the training data: {leaked[:10]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_heldout_and_annotator_label_exists(language):
    labels = known_labels()
    used = {label for pairs in label_sets(language).values() for _, label in pairs}
    used |= {label for votes in annotations(language).values() for label in votes.values()}
    assert used <= labels, sorted(used - labels)
