"""Canned responses per language, from data/helpdesk/canned.yml (edited by support leads, not code)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

FILE = Path(__file__).resolve().parents[2] / "data" / "helpdesk" / "canned.yml"


@cache
def _all() -> dict[str, list[dict[str, str]]]:
    return yaml.safe_load(FILE.read_text())


def canned_responses(language: str) -> list[dict[str, str]]:
    return list(_all().get(language, []))
