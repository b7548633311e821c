"""Stacks the benchmark starts itself (``bench.load --start``), on free ports and in a temp folder,
so a run never touches ``var/`` and can run beside ``make run``:

- embedded: what ``make run`` starts (one api on SQLite with the in-process hub, one Rasa with
  the SQLite tracker store and the in-memory lock store, one action server), via the same helpers
  as the end-to-end tests (ops/servers.py);
- scaled: ops/scaled.py (PostgreSQL, Redis, two api + two Rasa behind nginx, actions).

Both use the test tokens of ops/servers.py and the current model; ports come from its registry.
"""

from __future__ import annotations

import contextlib
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ops.scaled_stack import scaled_stack
from ops.servers import RASA_TOKEN, action_server, api_server, rasa_server, reserved_ports

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Stack:
    rasa_url: str
    api_url: str
    rasa_token: str
    watch: dict[str, int]
    started_in_s: float


@contextlib.contextmanager
def embedded() -> Iterator[Stack]:
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="md-bench-embedded-") as folder:
        workdir = Path(folder)
        with reserved_ports(3) as (api_port, rasa_port, action_port):
            rasa_url, action_url = f"http://127.0.0.1:{rasa_port}", f"http://127.0.0.1:{action_port}"
            with api_server(workdir, api_port, rasa_url, action_url) as api_url:
                with action_server(workdir, action_port, api_url), rasa_server(workdir, rasa_port, action_url):
                    watch = {"rasa": rasa_port, "actions": action_port, "api": api_port}
                    yield Stack(rasa_url, api_url, RASA_TOKEN, watch, round(time.monotonic() - started, 1))


@contextlib.contextmanager
def scaled() -> Iterator[Stack]:
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="md-bench-scaled-") as folder:
        with scaled_stack(Path(folder) / "scaled") as ports:
            rasa_a, rasa_b = ports.rasa_processes
            api_a, api_b = ports.api
            watch = {
                f"rasa-{rasa_a}": rasa_a,
                f"rasa-{rasa_b}": rasa_b,
                "actions": ports.actions,
                f"api-{api_a}": api_a,
                f"api-{api_b}": api_b,
                "nginx": ports.http,
                "postgres": ports.postgres,
                "redis": ports.redis,
            }
            yield Stack(ports.rasa_url, ports.http_url, RASA_TOKEN, watch, round(time.monotonic() - started, 1))


STACKS = {"embedded": embedded, "scaled": scaled}
