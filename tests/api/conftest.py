"""api tests: a real SQLite database, migrated and seeded once per session; Rasa is not running.

Rasa's absence is real (nothing listens on the port), which is exactly the
"bot down" case the gateway must handle. Conversations with the real Rasa are
in tests/e2e.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from hypothesis import settings as hypothesis_settings

from ops.servers import BUYER_TOKEN_SECRET, SERVICE_TOKEN
from tests.support.databases import seeded_database, use_seeded

# make test (and CI) explores the same examples every run, so a red build is reproducible and
# never a roll of the dice; HYPOTHESIS_PROFILE=explore searches new ones (then pin what it finds).
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
hypothesis_settings.register_profile("explore")
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

RATE_LIMITED = (
    "messages_per_conversation",
    "messages_per_ip",
    "starts_per_ip",
    "uploads_per_conversation",
    "uploads_per_ip",
    "faq_per_ip",
    "logins_per_ip",
)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'app.db'}"
    os.environ.update(
        MD_DATABASE_URL=url,
        MD_RASA_URL="http://127.0.0.1:9",
        MD_ACTION_SERVER_URL="http://127.0.0.1:9",
        MD_RASA_TIMEOUT_SECONDS="2",
        MD_SERVICE_TOKEN=SERVICE_TOKEN,
        MD_BUYER_TOKEN_SECRET=BUYER_TOKEN_SECRET,
        MD_MAX_MESSAGE_CHARS="2000",
        MD_ATTACHMENTS_DIR=str(tmp_path_factory.mktemp("attachments")),
        MD_MAX_ATTACHMENT_BYTES=str(256 * 1024),
        MD_STAFFING="schedule",  # the Makefile exports "always" for the demo; shift hours are tested here
    )
    # Every test client is one IP ("testclient"): the shared app must not throttle the suite.
    # tests/api/security/test_limits.py builds apps with tight limits of its own.
    for kind in RATE_LIMITED:
        os.environ[f"MD_RATE_LIMIT_{kind.upper()}"] = "100000/minute"
    use_seeded(url)
    return url


@pytest.fixture(scope="session")
def app(database_url: str):
    from api.main import create_app

    return create_app()


@pytest.fixture(scope="module")
def own_database(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A seeded database for one module that changes demo data (tests/support/databases.py says why).
    Such a module overrides ``app`` with a module-scoped one that depends on this fixture."""
    with seeded_database(tmp_path_factory.mktemp("own-db")) as url:
        yield url


@pytest.fixture
def client(app) -> TestClient:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def service_headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {SERVICE_TOKEN}"}


@pytest.fixture
def agents_go_home():
    """Agents left online would take other modules' conversations whenever the clock is in shift hours."""
    yield
    from sqlalchemy import update

    from api.db import get_sessionmaker
    from api.helpdesk.models import Agent

    with get_sessionmaker()() as session:
        session.execute(update(Agent).values(presence="offline"))
        session.commit()


@pytest.fixture
def staffed(monkeypatch):
    """Agents count as on shift whatever the clock says (shift hours have their own tests)."""
    from api.settings import get_settings

    monkeypatch.setattr(get_settings(), "staffing", "always")
