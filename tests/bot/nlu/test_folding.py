"""Folding buyer text: one spelling for capitals and missing diacritics, the typed text kept."""

from __future__ import annotations

import pytest
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.folding import FoldingWhitespaceTokenizer, fold


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        ("SİPARİŞİM NEREDE", "siparisim nerede"),
        ("SIPARISIM NEREDE", "siparisim nerede"),
        ("ıade ğüşöç", "iade gusoc"),
        ("ZAMÓWIENIE, ŁÓDŹ, żółć", "zamowienie, lodz, zolc"),
        ("zwrot 😡 ?", "zwrot 😡 ?"),
    ],
)
def test_fold_drops_case_and_diacritics_of_both_languages(written, folded):
    assert fold(written) == folded


def tokens(tokenizer: WhitespaceTokenizer, text: str):
    message = Message(data={TEXT: text})
    return tokenizer.tokenize(message, TEXT)


def test_tokens_keep_the_typed_text_and_offsets_and_carry_a_folded_lemma():
    text = "SİPARİŞİM TR12345678 gelmedi, ZAMÓWIENIE"
    folded = tokens(FoldingWhitespaceTokenizer(FoldingWhitespaceTokenizer.get_default_config()), text)
    plain = tokens(WhitespaceTokenizer(WhitespaceTokenizer.get_default_config()), text)
    assert [(t.text, t.start, t.end) for t in folded] == [(t.text, t.start, t.end) for t in plain]
    assert [t.text for t in folded] == ["SİPARİŞİM", "TR12345678", "gelmedi", "ZAMÓWIENIE"]
    assert [t.lemma for t in folded] == ["siparisim", "tr12345678", "gelmedi", "zamowienie"]
    assert all(text[t.start : t.end] == t.text for t in folded)


def test_count_vectors_see_capitals_and_missing_diacritics_as_the_same_word():
    """The featurizer reads lemmas: with folding the three spellings give one vocabulary entry."""
    tokenizer = FoldingWhitespaceTokenizer(FoldingWhitespaceTokenizer.get_default_config())
    texts = ["SİPARİŞİM", "siparişim", "siparisim"]
    messages = [Message(data={TEXT: t}) for t in texts]
    for message in messages:
        tokenizer.process([message])
    lemmas = {token.lemma for m in messages for token in m.get("text_tokens")}
    assert lemmas == {"siparisim"}
    assert CountVectorsFeaturizer.get_default_config()["use_lemma"] is True
