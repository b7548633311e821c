"""Market facts the actions phrase with (time zone, language, currency sign), read from ``data/markets/``.

The api reads the same files (api/markets.py); the action server cannot import the api, so this
small loader reads them again instead of keeping a copy of any fact in Python.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

MARKETS_DIR = Path(__file__).resolve().parent.parent / "data" / "markets"
# The language of a conversation nothing has decided yet (see actions/language.py).
DEFAULT_LANGUAGE = os.environ.get("MD_DEFAULT_LANGUAGE", "tr")


@cache
def markets() -> dict[str, dict[str, Any]]:
    """Every market's facts by its code (``TR``, ``PL``), read once per process."""
    found = {}
    for path in sorted(MARKETS_DIR.glob("*.yml")):
        facts = yaml.safe_load(path.read_text())
        found[str(facts["market"])] = facts
    return found


def languages() -> tuple[str, ...]:
    """The languages the bot speaks: one per market."""
    return tuple(str(facts["language"]) for facts in markets().values())


def default_market() -> str:
    """The market of the default language's buyers, for a conversation nothing else places."""
    found = (code for code, facts in markets().items() if facts["language"] == DEFAULT_LANGUAGE)
    return next(found, next(iter(markets())))


def is_market(value: Any) -> bool:
    return value in markets()


def market_for_language(language: str | None) -> str:
    """The market whose buyers speak ``language`` (a conversation without a market falls back to it)."""
    return next((code for code, facts in markets().items() if facts["language"] == language), default_market())


def time_zone(market: str | None) -> ZoneInfo:
    """The market's clock; an unknown market shows the default market's clock."""
    facts = markets().get(market or "") or markets()[default_market()]
    return ZoneInfo(str(facts["time_zone"]))


def currency_sign(currency: str) -> str:
    """How buyers write the currency (TRY -> TL, PLN -> zł); an unknown code is shown as it is."""
    return next((str(f["currency_sign"]) for f in markets().values() if f["currency"] == currency), currency)


def language_of(value: Any) -> str:
    """The conversation's language when it is one the bot speaks, else the default one."""
    return value if value in languages() else DEFAULT_LANGUAGE


def number_locale(language: str) -> str:
    """How numbers are written in ``language`` (babel's locale, from the market that speaks it)."""
    facts = markets()[market_for_language(language)]
    return str(facts["number_locale"])
