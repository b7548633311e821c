"""Which secrets a production deployment may not run with, and the one-line reason for each.

Standard library only, and in ops/ rather than api/, so the action server (Rasa's Python 3.10
environment, which never imports the api) and the scaled profile's launcher apply the same policy.

The development defaults are published in this repository: with any of them a stranger can sign
buyer tokens, call the internal endpoints or log into the console. Production mode therefore
refuses them, anything shorter than ``MIN_SECRET_CHARS``, and a few classic placeholders.
"""

from __future__ import annotations

import os

PRODUCTION = "production"
MIN_SECRET_CHARS = 32
# Every default this repository ships (settings, Makefile, Procfile, ops/, tests/support) and the
# placeholders people paste from examples.
KNOWN_DEFAULTS = frozenset(
    {
        "dev-buyer-token-secret",
        "dev-service-token",
        "dev-rasa-token",
        "demo-agent-2026",
        "demo-seller-2026",
        "test-service-token",
        "test-buyer-token-secret-at-least-32-bytes",
        "test-rasa-token",
        "changeme",
        "change-me",
        "secret",
        "password",
    }
)


def is_production(environment: str | None = None) -> bool:
    """``MD_ENVIRONMENT=production`` (the api's setting; read from the process environment elsewhere)."""
    value = environment if environment is not None else os.environ.get("MD_ENVIRONMENT", "demo")
    return value.strip().lower() == PRODUCTION


def secret_problem(name: str, value: str | None) -> str | None:
    """Why ``value`` may not protect a production deployment, or None if it may."""
    value = value or ""
    if not value.strip():
        return f"{name} is empty: set a random secret of at least {MIN_SECRET_CHARS} characters"
    if value.strip().lower() in KNOWN_DEFAULTS:
        return (
            f"{name} is a published development default: set a random secret of at least {MIN_SECRET_CHARS} characters"
        )
    if len(value) < MIN_SECRET_CHARS:
        return f"{name} is {len(value)} characters long: production needs at least {MIN_SECRET_CHARS}"
    return None


def secret_problems(secrets: dict[str, str | None]) -> list[str]:
    """One line per secret that production may not use (``secrets`` maps setting names to values)."""
    return [problem for name, value in secrets.items() if (problem := secret_problem(name, value))]


class UnsafeConfiguration(RuntimeError):
    """Production mode was asked for with settings that would let a stranger in."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(
            "refusing to start in production mode (MD_ENVIRONMENT=production):\n"
            + "\n".join(f"  - {problem}" for problem in problems)
        )


def refuse_in_production(secrets: dict[str, str | None], environment: str | None = None) -> None:
    """Raise ``UnsafeConfiguration`` in production mode when any of ``secrets`` is unsafe."""
    if is_production(environment) and (problems := secret_problems(secrets)):
        raise UnsafeConfiguration(problems)
