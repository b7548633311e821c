"""What the simulated buyers say: short Turkish and Polish conversations of the four kinds the
benchmark mixes (tracking, returns, FAQ, handoff).

``BUTTON`` as a step means "press the first button of the last answer" (the order or product
picker), as a buyer in the widget would; without buttons the step is skipped. A path that cannot
press buttons (NLU only) skips these steps. A handoff is always a conversation's last turn:
afterwards a person has it and the bot stays silent.
"""

from __future__ import annotations

BUTTON = "@button"

SCENARIOS: dict[str, dict[str, list[str]]] = {
    "tracking": {
        "tr": ["merhaba", "siparişim nerede", BUTTON, "teşekkürler"],
        "pl": ["dzień dobry", "gdzie jest moja paczka", BUTTON, "dziękuję"],
    },
    "return": {
        "tr": ["aldığım ürünü iade etmek istiyorum", BUTTON, BUTTON, BUTTON],
        "pl": ["chcę zwrócić produkt, który dostałem", BUTTON, BUTTON, BUTTON],
    },
    "faq": {
        "tr": ["iade süresi kaç gün", "canlı destek var mı", "müşteri hizmetleri numarası"],
        "pl": ["ile mam czasu na zwrot", "czy macie czat na żywo", "numer telefonu do obsługi klienta"],
    },
    "handoff": {
        "tr": ["merhaba", "müşteri temsilcisiyle görüşmek istiyorum"],
        "pl": ["dzień dobry", "chcę rozmawiać z konsultantem"],
    },
}

KINDS = tuple(SCENARIOS)

# Demo buyers with orders, returns, digital codes and wallet lines in the seed (tr-0001..0006, pl-...).
BUYERS = {language: [f"{language}-{n:04d}" for n in range(1, 7)] for language in ("tr", "pl")}
MARKET = {"tr": "TR", "pl": "PL"}


def pick(worker: int, sequence: int) -> tuple[str, str, str]:
    """(kind, language, buyer) of a worker's n-th conversation: an even mix, deterministic per run."""
    turn = worker * 7 + sequence
    language = ("tr", "pl")[turn % 2]
    kind = KINDS[(turn // 2) % len(KINDS)]
    buyer = BUYERS[language][(worker + sequence) % len(BUYERS[language])]
    return kind, language, buyer
