"""Production mode: the settings a deployment reachable from the internet may not keep.

``MD_ENVIRONMENT=production`` makes ``create_app`` refuse to build the api, with one line per
problem, while any of these hold; in demo mode (``make run``) the same list is logged as a loud
warning at start, so nobody mistakes the demo for a safe deployment.
"""

from __future__ import annotations

from api.settings import Settings
from ops.secrets_policy import UnsafeConfiguration, is_production, secret_problem

__all__ = ["UnsafeConfiguration", "check", "configuration_problems"]


def configuration_problems(settings: Settings) -> list[str]:
    """Every reason the settings are unsafe for production, one line each (empty when they are safe)."""
    secrets = {
        "MD_BUYER_TOKEN_SECRET": settings.buyer_token_secret,
        "MD_SERVICE_TOKEN": settings.service_token,
        "MD_RASA_TOKEN": settings.rasa_token,
        "MD_DEMO_AGENT_PASSWORD": settings.demo_agent_password,
        "MD_DEMO_SELLER_PASSWORD": settings.demo_seller_password,
    }
    if settings.metrics_token:  # optional; if set it must be a real secret too
        secrets["MD_METRICS_TOKEN"] = settings.metrics_token
    problems = [problem for name, value in secrets.items() if (problem := secret_problem(name, value))]
    if settings.demo_sign_in:
        problems.append(
            "MD_DEMO_SIGN_IN is on: anyone could sign in as any buyer through the demo token issuer; "
            "set MD_DEMO_SIGN_IN=false (the marketplace signs buyer tokens)"
        )
    if "*" in settings.allowed_origins:
        problems.append(
            "MD_ALLOWED_ORIGINS is '*': any web page could embed the widget and talk to the buyer endpoints; "
            "list the shop origins, e.g. MD_ALLOWED_ORIGINS='[\"https://shop.example\"]'"
        )
    return problems


def check(settings: Settings) -> list[str]:
    """Raise ``UnsafeConfiguration`` in production mode; in demo mode return the problems to warn about."""
    problems = configuration_problems(settings)
    if is_production(settings.environment) and problems:
        raise UnsafeConfiguration(problems)
    return problems


def demo_warning(problems: list[str]) -> str:
    """The banner demo mode logs at start."""
    bar = "!" * 78
    lines = [
        bar,
        "DEMO MODE (MD_ENVIRONMENT=demo): development secrets and demo sign-in; never expose this to the internet.",
        "Set MD_ENVIRONMENT=production for a real deployment; it would refuse to start because:",
        *(f"  - {problem}" for problem in problems),
        bar,
    ]
    return "\n".join(lines)
