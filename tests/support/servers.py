"""Start the real processes for tests (api, action server, Rasa) and stop them afterwards.

Standard library only: both environments import this (the bot env has no httpx).
Each server gets a free port and its own temporary database, so tests never touch
``var/`` and can run beside ``make run``.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
API_PY = ROOT / ".venv" / "bin" / "python"
BOT_BIN = ROOT / ".venv-bot" / "bin"
MODEL = ROOT / "models" / "marketdesk.tar.gz"
SERVICE_TOKEN = "test-service-token"
# The api's buyer-token key in tests: tests sign buyers in with it, as the marketplace would.
BUYER_TOKEN_SECRET = "test-buyer-token-secret-at-least-32-bytes"
RASA_TOKEN = "test-rasa-token"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_json(url: str, timeout: float = 5.0, headers: dict[str, str] | None = None) -> tuple[int, object]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        body = exc.read()
        try:
            return exc.code, json.loads(body or b"null")
        except ValueError:
            return exc.code, body.decode(errors="replace")


def _wait(ready: Callable[[], bool], process: subprocess.Popen, name: str, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}:\n{log.read_text()[-4000:]}")
        try:
            if ready():
                return
        except (OSError, urllib.error.URLError, ValueError):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{name} not ready after {timeout:.0f} s:\n{log.read_text()[-4000:]}")


@contextmanager
def running(
    name: str, cmd: list[str], env: dict[str, str], ready: Callable[[], bool], workdir: Path, timeout: float
) -> Iterator[subprocess.Popen]:
    log = workdir / f"{name}.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            cmd, cwd=ROOT, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        _wait(ready, process, name, log, timeout)
        yield process
    finally:
        stop(process)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def seed_database(database_url: str) -> None:
    subprocess.run(
        [str(API_PY), "-m", "api.cli", "seed"],
        cwd=ROOT,
        env={**os.environ, "MD_DATABASE_URL": database_url},
        check=True,
        capture_output=True,
    )


def api_env(database_url: str, rasa_url: str, action_url: str) -> dict[str, str]:
    return {
        "MD_DATABASE_URL": database_url,
        "MD_RASA_URL": rasa_url,
        "MD_ACTION_SERVER_URL": action_url,
        "MD_SERVICE_TOKEN": SERVICE_TOKEN,
        "MD_BUYER_TOKEN_SECRET": BUYER_TOKEN_SECRET,
        "MD_RASA_TOKEN": RASA_TOKEN,
        # Agents are "on shift" whenever a test logs one in; shift hours are tested in tests/api.
        "MD_STAFFING": "always",
        # Every test buyer is 127.0.0.1: the limits themselves are tested in tests/api/security.
        "MD_RATE_LIMIT_STARTS_PER_IP": "10000/minute",
        "MD_RATE_LIMIT_MESSAGES_PER_IP": "10000/minute",
        "MD_RATE_LIMIT_MESSAGES_PER_CONVERSATION": "10000/minute",
        "MD_RATE_LIMIT_UPLOADS_PER_IP": "10000/minute",
        "MD_RATE_LIMIT_UPLOADS_PER_CONVERSATION": "10000/minute",
        "MD_RATE_LIMIT_FAQ_PER_IP": "10000/minute",
        "MD_RATE_LIMIT_LOGINS_PER_IP": "10000/minute",
        "MD_MAX_SOCKETS_PER_IP": "10000",  # a load test holds 100 buyers' sockets from 127.0.0.1
    }


def demo_buyer_token(api_url: str, buyer_id: str) -> str:
    """Sign a buyer in through the api's demo issuer, as the demo page does (same secret and issuer)."""
    status, body = http_json(f"{api_url}/api/v1/demo/buyer-token?buyer_id={urllib.parse.quote(buyer_id)}")
    if status != 200 or not isinstance(body, dict):
        raise RuntimeError(f"no demo token for {buyer_id}: {status} {body}")
    return body["token"]


@contextmanager
def api_server(
    workdir: Path,
    port: int,
    rasa_url: str = "http://127.0.0.1:9",
    action_url: str = "http://127.0.0.1:9",
    extra_env: dict[str, str] | None = None,
) -> Iterator[str]:
    """The api as it is deployed (``python -m api.serve``) on a seeded SQLite database of its own."""
    database_url = f"sqlite:///{workdir / 'app.db'}"
    if not (workdir / "app.db").exists():
        seed_database(database_url)
    url = f"http://127.0.0.1:{port}"
    cmd = [str(API_PY), "-m", "api.serve", "--host", "127.0.0.1", "--port", str(port)]
    ready = lambda: http_json(f"{url}/healthz")[0] in (200, 503)  # noqa: E731
    env = {**api_env(database_url, rasa_url, action_url), "MD_ATTACHMENTS_DIR": str(workdir / "attachments")}
    env.update(extra_env or {})
    with running("api", cmd, env, ready, workdir, 60):
        yield url


@contextmanager
def action_server(workdir: Path, port: int, api_url: str) -> Iterator[str]:
    url = f"http://127.0.0.1:{port}"
    cmd = [str(BOT_BIN / "rasa"), "run", "actions", "--actions", "actions", "--port", str(port)]
    env = {"MD_API_URL": api_url, "MD_SERVICE_TOKEN": SERVICE_TOKEN}
    with running("actions", cmd, env, lambda: http_json(f"{url}/health")[0] == 200, workdir, 120):
        yield url


@contextmanager
def rasa_process(
    workdir: Path, port: int, action_url: str, model: Path = MODEL
) -> Iterator[tuple[str, subprocess.Popen]]:
    """Rasa serving `model` (HTTP API on, SQLite tracker store in workdir): its URL and its process."""
    url = f"http://127.0.0.1:{port}"
    cmd = [str(BOT_BIN / "rasa"), "run", "--enable-api", "--auth-token", RASA_TOKEN, "--model", str(model)]
    cmd += ["--endpoints", "bot/endpoints.yml", "--credentials", "bot/credentials.yml"]
    cmd += ["--interface", "127.0.0.1", "--port", str(port)]
    env = {
        "RASA_TELEMETRY_ENABLED": "false",
        "MD_ACTION_SERVER_URL": action_url,
        "MD_TRACKER_DIALECT": "sqlite",
        "MD_TRACKER_DB": str(workdir / "tracker.db"),
        "MD_TRACKER_URL": "",
        "MD_LOCK_STORE": "in_memory",
    }

    def ready() -> bool:
        status, body = http_json(f"{url}/status?token={RASA_TOKEN}")
        return status == 200 and isinstance(body, dict) and bool(body.get("model_file"))

    with running("rasa", cmd, env, ready, workdir, 240) as process:
        yield url, process


@contextmanager
def rasa_server(workdir: Path, port: int, action_url: str) -> Iterator[str]:
    with rasa_process(workdir, port, action_url) as (url, _):
        yield url
