"""Case- and diacritic-free spelling of buyer text, for the features of both intent models.

Why: buyers write "siparişim", "siparisim" and, when angry, "SİPARİŞİM"; "zamówienie" and
"zamowienie". Python's lower() turns Turkish "İ" into "i" plus a combining dot, so a Turkish word
in capitals shared almost no character n-grams with the same word in lower case, and all-caps
messages fell back. Folding gives one spelling to all of them. The message text itself is never
changed: entities, slots and what an agent reads keep what the buyer typed.
"""

from __future__ import annotations

import unicodedata

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message

# Turkish capital I/İ and dotless ı, Polish ł: letters NFKD does not reduce to a base letter + mark.
_BASE_LETTERS = str.maketrans({"İ": "i", "I": "i", "ı": "i", "ł": "l", "Ł": "l"})


def fold(text: str) -> str:
    """Lower case without diacritics: "SİPARİŞİM", "siparişim" and "siparisim" become one string."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_BASE_LETTERS).lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class FoldingWhitespaceTokenizer(WhitespaceTokenizer):
    """Rasa's whitespace tokenizer with each token's lemma folded.

    The CountVectorsFeaturizers read the lemma (use_lemma, on by default), so DIET and the
    ResponseSelector see folded words and character n-grams, while token text and offsets, which
    the entity extractors and the LexicalSyntacticFeaturizer (capitals as a feature) read, stay as typed.
    """

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        tokens = super().tokenize(message, attribute)
        for token in tokens:
            token.lemma = fold(token.text)
        return tokens
