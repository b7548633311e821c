"""Stacks the benchmark starts itself (``bench.load --start``), on free ports and in a temp folder,
so a run never touches ``var/`` and can run beside ``make run``:

- embedded: what ``make run`` starts (one api on SQLite with the in-process hub, one Rasa with
  the SQLite tracker store and the in-memory lock store, one action server), via the same helpers
  as the end-to-end tests (tests/support/servers.py);
- scaled: ops/scaled.py (PostgreSQL, Redis, two api + two Rasa behind nginx, actions).

Both use the test tokens of tests/support/servers.py and the current model.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.support.servers import (
    RASA_TOKEN,
    SERVICE_TOKEN,
    action_server,
    api_server,
    free_port,
    http_json,
    rasa_server,
)

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Stack:
    rasa_url: str
    api_url: str
    rasa_token: str
    watch: dict[str, int]
    started_in_s: float


def _port(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


@contextlib.contextmanager
def embedded() -> Iterator[Stack]:
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="md-bench-embedded-") as folder:
        workdir = Path(folder)
        api_port, rasa_port, action_port = free_port(), free_port(), free_port()
        rasa_url, action_url = f"http://127.0.0.1:{rasa_port}", f"http://127.0.0.1:{action_port}"
        with api_server(workdir, api_port, rasa_url, action_url) as api_url:
            with action_server(workdir, action_port, api_url), rasa_server(workdir, rasa_port, action_url):
                watch = {"rasa": rasa_port, "actions": action_port, "api": api_port}
                yield Stack(rasa_url, api_url, RASA_TOKEN, watch, round(time.monotonic() - started, 1))


@contextlib.contextmanager
def scaled() -> Iterator[Stack]:
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="md-bench-scaled-") as folder:
        ports = {
            name: free_port()
            for name in ("HTTP", "RASA", "ACTIONS", "PG", "REDIS", "API_A", "API_B", "RASA_A", "RASA_B")
        }
        env = {
            **os.environ,
            "MD_SCALED_DIR": str(Path(folder) / "scaled"),
            "MD_SCALED_HTTP_PORT": str(ports["HTTP"]),
            "MD_SCALED_RASA_PORT": str(ports["RASA"]),
            "MD_SCALED_ACTIONS_PORT": str(ports["ACTIONS"]),
            "MD_SCALED_PG_PORT": str(ports["PG"]),
            "MD_SCALED_REDIS_PORT": str(ports["REDIS"]),
            "MD_SCALED_API_PORTS": f"{ports['API_A']} {ports['API_B']}",
            "MD_SCALED_RASA_PORTS": f"{ports['RASA_A']} {ports['RASA_B']}",
            "MD_RASA_TOKEN": RASA_TOKEN,
            "MD_SERVICE_TOKEN": SERVICE_TOKEN,
            "MD_STAFFING": "always",
            # As in the embedded stack (tests/support/servers.py): the limits are not what is measured.
            "MD_RATE_LIMIT_STARTS_PER_IP": "10000/minute",
            "MD_RATE_LIMIT_MESSAGES_PER_IP": "10000/minute",
            "MD_RATE_LIMIT_MESSAGES_PER_CONVERSATION": "10000/minute",
        }
        log = open(Path(folder) / "supervisor.log", "wb")  # noqa: SIM115 - closed below
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "ops" / "scaled.py")], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        http_url = f"http://127.0.0.1:{ports['HTTP']}"
        try:
            deadline = time.monotonic() + 900
            while http_json(f"{http_url}/healthz")[0] != 200:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the scaled stack did not start; see {folder}/supervisor.log")
                time.sleep(2)
            watch = {
                f"rasa-{ports['RASA_A']}": ports["RASA_A"],
                f"rasa-{ports['RASA_B']}": ports["RASA_B"],
                "actions": ports["ACTIONS"],
                f"api-{ports['API_A']}": ports["API_A"],
                f"api-{ports['API_B']}": ports["API_B"],
                "nginx": ports["HTTP"],
                "postgres": ports["PG"],
                "redis": ports["REDIS"],
            }
            yield Stack(
                f"http://127.0.0.1:{ports['RASA']}", http_url, RASA_TOKEN, watch, round(time.monotonic() - started, 1)
            )
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(120)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()


STACKS = {"embedded": embedded, "scaled": scaled}
