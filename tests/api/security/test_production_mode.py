"""Production mode refuses the published defaults; demo mode says loudly what it is.

Each case would have passed unnoticed before MD_ENVIRONMENT existed: the api served with every
development secret and nothing warned.
"""

from __future__ import annotations

import logging
import secrets
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient

from api.security.production import UnsafeConfiguration, configuration_problems
from api.settings import Settings
from ops.secrets_policy import MIN_SECRET_CHARS, refuse_in_production, secret_problem
from ops.servers import ROOT


def safe(**overrides) -> Settings:
    values = {
        "environment": "production",
        "buyer_token_secret": secrets.token_urlsafe(40),
        "service_token": secrets.token_urlsafe(40),
        "rasa_token": secrets.token_urlsafe(40),
        "demo_agent_password": secrets.token_urlsafe(40),
        "demo_seller_password": secrets.token_urlsafe(40),
        "demo_sign_in": False,
        "allowed_origins": ["https://shop.example"],
    }
    return Settings(**{**values, **overrides})


def test_the_published_defaults_are_each_one_problem(database_url):
    defaults = Settings(
        environment="production",
        buyer_token_secret="dev-buyer-token-secret",
        service_token="dev-service-token",
        rasa_token="dev-rasa-token",
        demo_agent_password="demo-agent-2026",
        demo_seller_password="demo-seller-2026",
        demo_sign_in=True,
        allowed_origins=["*"],
    )
    problems = configuration_problems(defaults)
    names = ("MD_BUYER_TOKEN_SECRET", "MD_SERVICE_TOKEN", "MD_RASA_TOKEN", "MD_DEMO_AGENT_PASSWORD")
    for name in (*names, "MD_DEMO_SELLER_PASSWORD"):
        assert sum(line.startswith(name) for line in problems) == 1, name
    assert any(line.startswith("MD_DEMO_SIGN_IN") for line in problems)
    assert any(line.startswith("MD_ALLOWED_ORIGINS") for line in problems)
    assert len(problems) == 7
    from api.main import create_app

    with pytest.raises(UnsafeConfiguration) as refused:
        create_app(defaults)
    assert refused.value.problems == problems
    assert all(f"  - {line}" in str(refused.value) for line in problems)


@pytest.mark.parametrize(
    ("value", "refused"),
    [
        ("", True),
        ("x" * (MIN_SECRET_CHARS - 1), True),
        ("CHANGEME", True),
        ("test-buyer-token-secret-at-least-32-bytes", True),  # long, but published in this repository
        (secrets.token_urlsafe(24), False),  # 32 characters
    ],
)
def test_a_secret_must_be_long_and_unpublished(value, refused):
    assert (secret_problem("MD_SERVICE_TOKEN", value) is not None) is refused


def test_safe_production_settings_start_and_hide_the_internal_api_from_the_docs(database_url):
    from api.main import create_app

    production = create_app(safe())
    with TestClient(production) as client:
        paths = client.get("/openapi.json").json()["paths"]
        assert client.get("/docs").status_code == 200
    assert paths and not [p for p in paths if p.startswith("/api/v1/internal")]
    assert "/api/v1/conversations" in paths
    demo_paths = create_app(safe(environment="demo")).openapi()["paths"]
    assert [p for p in demo_paths if p.startswith("/api/v1/internal")]


def test_one_unsafe_setting_is_enough_to_refuse(database_url):
    from api.main import create_app

    for overrides, name in (
        ({"demo_sign_in": True}, "MD_DEMO_SIGN_IN"),
        ({"allowed_origins": ["https://shop.example", "*"]}, "MD_ALLOWED_ORIGINS"),
        ({"metrics_token": "short"}, "MD_METRICS_TOKEN"),
        ({"rasa_token": "dev-rasa-token"}, "MD_RASA_TOKEN"),
    ):
        with pytest.raises(UnsafeConfiguration) as refused:
            create_app(safe(**overrides))
        assert [line.split(" ")[0] for line in refused.value.problems] == [name]


def test_demo_mode_warns_loudly_at_start(database_url, caplog):
    from api.main import create_app

    demo = Settings(environment="demo", demo_sign_in=True, allowed_origins=["*"])
    with caplog.at_level(logging.WARNING, logger="marketdesk.api"), TestClient(create_app(demo)):
        pass
    warning = "\n".join(r.getMessage() for r in caplog.records if r.name == "marketdesk.api")
    assert "DEMO MODE" in warning and "MD_DEMO_SIGN_IN" in warning and "MD_ALLOWED_ORIGINS" in warning


def test_the_api_process_refuses_to_start_with_one_line_per_problem(tmp_path):
    """The real entry point (python -m api.serve), as an operator would start it."""
    env = {
        "PATH": "/usr/bin:/bin",
        "MD_ENVIRONMENT": "production",
        "MD_DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}",
        "MD_DEMO_SIGN_IN": "false",
        "MD_ALLOWED_ORIGINS": '["https://shop.example"]',
    }
    done = subprocess.run(
        [sys.executable, "-m", "api.serve", "--port", "9"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "refusing to start in production mode" in done.stderr
    names = ("MD_BUYER_TOKEN_SECRET", "MD_SERVICE_TOKEN", "MD_RASA_TOKEN", "MD_DEMO_AGENT_PASSWORD")
    for name in (*names, "MD_DEMO_SELLER_PASSWORD"):
        assert f"  - {name} is a published development default" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_scaled_profile_refuses_default_rasa_and_service_tokens(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "MD_ENVIRONMENT": "production", "MD_SCALED_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "ops/scaled.py", "--no-bot"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode != 0
    assert "MD_RASA_TOKEN is a published development default" in done.stderr
    assert "MD_SERVICE_TOKEN is a published development default" in done.stderr
    assert not any(tmp_path.iterdir())  # nothing was started or initialised


def test_the_action_servers_token_follows_the_same_policy():
    refuse_in_production({"MD_SERVICE_TOKEN": secrets.token_urlsafe(40)}, "production")
    refuse_in_production({"MD_SERVICE_TOKEN": "dev-service-token"}, "demo")
    with pytest.raises(UnsafeConfiguration):
        refuse_in_production({"MD_SERVICE_TOKEN": "dev-service-token"}, "production")


def test_production_migrates_but_never_loads_the_demo_data(tmp_path):
    database = tmp_path / "app.db"
    env = {"PATH": "/usr/bin:/bin", "MD_ENVIRONMENT": "production", "MD_DATABASE_URL": f"sqlite:///{database}"}
    done = subprocess.run(
        [sys.executable, "-m", "api.cli", "seed"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1 and "not seeded: MD_ENVIRONMENT=production" in done.stderr
    import sqlite3

    with sqlite3.connect(database) as db:
        assert db.execute("SELECT count(*) FROM buyers").fetchone() == (0,)
        assert db.execute("SELECT count(*) FROM agents").fetchone() == (0,)
        assert db.execute("SELECT count(*) FROM seller_users").fetchone() == (0,)
