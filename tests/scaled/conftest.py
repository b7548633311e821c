"""The scaled profile for the scale-out tests: PostgreSQL, Redis, two api and two Rasa processes behind
nginx, started by ops/scaled.py into a temp folder on reserved ports (or, with MD_SCALED_EXTERNAL=1, a
`make run-scaled` that is already running on the default ports).

Part of `make test` (`make test-scaled`, which installs Debian's postgresql, redis-server and nginx
through ops/install-scaled.sh first); the stack takes one to two minutes to start.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ops.scaled_stack import scaled_stack
from ops.servers import http_json
from tests.support.scaled import Buyer, Scaled

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "marketdesk.tar.gz"


def _missing() -> str | None:
    if os.environ.get("MD_SCALED_TESTS") != "1" and os.environ.get("MD_SCALED_EXTERNAL") != "1":
        return "scale-out tests start PostgreSQL, Redis, nginx and five processes: MD_SCALED_TESTS=1 (make test-scaled)"
    if not MODEL.exists():
        return "no trained model"
    if not glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        return "no PostgreSQL server binaries"
    if not (shutil.which("redis-server") or Path("/usr/bin/redis-server").exists()):
        return "no redis-server"
    if not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()):
        return "no nginx"
    return None


def _wait_healthy(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if http_json(f"{url}/healthz")[0] == 200:
                return
        time.sleep(2)
    raise RuntimeError(f"the scaled stack at {url} was not healthy within {timeout:.0f} s")


@pytest.fixture(scope="session")
def scaled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scaled]:
    reason = _missing()
    if reason:
        pytest.skip(reason)
    if os.environ.get("MD_SCALED_EXTERNAL") == "1":
        stack = Scaled(
            "http://127.0.0.1:8080",
            "http://127.0.0.1:5080",
            ["http://127.0.0.1:8001", "http://127.0.0.1:8002"],
            ["http://127.0.0.1:5006", "http://127.0.0.1:5007"],
            owned=False,
            service_token=os.environ.get("MD_SERVICE_TOKEN", "dev-service-token"),
            rasa_token=os.environ.get("MD_RASA_TOKEN", "dev-rasa-token"),
        )
        _wait_healthy(stack.http_url, 30)
        yield stack
        return
    with scaled_stack(tmp_path_factory.mktemp("scaled")) as ports:
        yield Scaled(
            ports.http_url,
            ports.rasa_url,
            [f"http://127.0.0.1:{p}" for p in ports.api],
            [f"http://127.0.0.1:{p}" for p in ports.rasa_processes],
            owned=True,
        )


@pytest.fixture
def buyer(scaled: Scaled):
    opened: list[Buyer] = []

    def make(language: str, buyer_id: str) -> Buyer:
        b = Buyer(scaled, language, buyer_id)
        opened.append(b)
        return b

    yield make
    for b in opened:
        b.close()
