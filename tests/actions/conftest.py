"""Action tests: trackers built from a JSON fixture (tests/support/trackers.py), a real api with a seeded
temporary database.

The demo data is seeded once per run; every test module gets its own copy of it and its own api, so
what one module changes (a cancelled order, a created return, an opened ticket) no other module sees.
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.api_client import CommerceApi
from ops.servers import SERVICE_TOKEN, api_server, seed_database

SEEDED = "app.db"


@pytest.fixture(scope="session")
def seeded_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    workdir = tmp_path_factory.mktemp("seed")
    seed_database(f"sqlite:///{workdir / SEEDED}")
    return workdir / SEEDED


@pytest.fixture(scope="module")
def api_url(tmp_path_factory: pytest.TempPathFactory, seeded_database: Path) -> Iterator[str]:
    workdir = tmp_path_factory.mktemp("api")
    for path in seeded_database.parent.glob(f"{SEEDED}*"):  # the database and any journal beside it
        shutil.copy(path, workdir / path.name)
    with api_server(workdir) as url:
        yield url


@pytest.fixture
async def api(api_url: str) -> AsyncIterator[CommerceApi]:
    client = CommerceApi(api_url, SERVICE_TOKEN)
    yield client
    await client.close()


@pytest.fixture
async def dead_api() -> AsyncIterator[CommerceApi]:
    client = CommerceApi("http://127.0.0.1:9", SERVICE_TOKEN)
    yield client
    await client.close()


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()
