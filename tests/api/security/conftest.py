"""Fixtures of the retention and erasure tests: these delete on purpose, so they get a database of
their own (migrated with Alembic, foreign keys on, as the api runs SQLite) instead of the session-wide
one of tests/api/conftest.py, and settings whose attachments dir and tracker store are temporary."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from api.db import make_engine
from api.settings import Settings


@pytest.fixture
def privacy_db(tmp_path: Path):
    from api.cli import migrate

    url = f"sqlite:///{tmp_path / 'app.db'}"
    migrate(url)
    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as session:
        yield session
    engine.dispose()


@pytest.fixture
def privacy_settings(tmp_path: Path) -> Settings:
    return Settings(
        attachments_dir=str(tmp_path / "attachments"),
        tracker_dialect="sqlite",
        tracker_db=str(tmp_path / "rasa_tracker.db"),
        tracker_url="",
        retention_days=365,
    )
