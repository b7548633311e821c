"""Words the actions put inside a response (a scan's label, "and 2 more"), from the domain's responses.

Every buyer-facing word lives in bot/domain/*.yml, one variation per language (the
``language`` slot condition), so Turkish and Polish are reviewed side by side. Most words
reach the buyer as a whole response the action names; a few are values *inside* another
response (the parcel's state in ``utter_order_on_the_way``). Those are responses too
(``utter_label_*``), and :class:`Words` picks the variation for the conversation's language
from the domain Rasa sends with every action call.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_PLACEHOLDER = re.compile(r"{(\w+)}")


@dataclass(frozen=True)
class Words:
    """The domain's wording in one language."""

    domain: dict[str, Any]
    language: str

    def has(self, response: str) -> bool:
        return response in (self.domain.get("responses") or {})

    def text(self, response: str, **values: Any) -> str:
        """The response's text for this language with ``{placeholders}`` filled (KeyError if it has none)."""
        for variation in self.domain["responses"][response]:
            conditions = variation.get("condition") or []
            if any(c.get("name") == "language" and c.get("value") == self.language for c in conditions):
                return _PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), variation["text"])
        raise KeyError(f"{response} has no {self.language} variation")
