"""Start ops/scaled.py (PostgreSQL, Redis, two api and two Rasa processes behind nginx, actions) on
reserved ports in a folder of the caller's, wait until it is healthy through nginx, and stop it afterwards.

Shared by the scale-out tests (tests/scaled) and the benchmark (bench/stacks.py), so both run the
profile exactly as `make run-scaled` does, only on other ports and beside anything already running.
The nine ports come from ops/servers.py's registry (``reserved_ports``) and stay reserved until the
supervisor has stopped, so a concurrent test run or benchmark never gets one of them (see there why
that is not "find a free port and release it").
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ops.servers import ROOT, api_env, http_json, reserved_ports, wait_until_ready


@dataclass
class ScaledPorts:
    http: int  # nginx in front of the api processes
    rasa: int  # nginx in front of the Rasa processes
    actions: int
    postgres: int
    redis: int
    api: list[int]
    rasa_processes: list[int]

    @classmethod
    @contextlib.contextmanager
    def reserved(cls) -> Iterator[ScaledPorts]:
        """Nine ports held in the registry until the block exits."""
        with reserved_ports(9) as ports:
            http, rasa, actions, postgres, redis, api_a, api_b, rasa_a, rasa_b = ports
            yield cls(http, rasa, actions, postgres, redis, [api_a, api_b], [rasa_a, rasa_b])

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.http}"

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa}"


def scaled_env(folder: Path, ports: ScaledPorts) -> dict[str, str]:
    """The supervisor's settings: the test tokens and limits of the embedded test stack, these ports."""
    tokens_and_limits = {k: v for k, v in api_env("", "", "").items() if not k.endswith("_URL")}
    return {
        **os.environ,
        **tokens_and_limits,
        "MD_SCALED_DIR": str(folder),
        "MD_SCALED_HTTP_PORT": str(ports.http),
        "MD_SCALED_RASA_PORT": str(ports.rasa),
        "MD_SCALED_ACTIONS_PORT": str(ports.actions),
        "MD_SCALED_PG_PORT": str(ports.postgres),
        "MD_SCALED_REDIS_PORT": str(ports.redis),
        "MD_SCALED_API_PORTS": " ".join(map(str, ports.api)),
        "MD_SCALED_RASA_PORTS": " ".join(map(str, ports.rasa_processes)),
    }


def _all_up(ports: ScaledPorts) -> bool:
    """nginx answers healthy as soon as ONE Rasa is up: wait for every process behind it too."""
    urls = [f"{ports.http_url}/healthz"]
    urls += [f"http://127.0.0.1:{port}/healthz" for port in ports.api]
    urls += [f"http://127.0.0.1:{port}/version" for port in ports.rasa_processes]
    return all(http_json(url)[0] == 200 for url in urls)  # refused until each one listens: the wait retries


def stop_supervisor(process: subprocess.Popen, timeout: float = 120) -> None:
    """SIGINT is the supervisor's Ctrl-C: it stops its children in order and PostgreSQL last."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def scaled_stack(folder: Path, timeout: float = 900) -> Iterator[ScaledPorts]:
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "supervisor.log"
    with ScaledPorts.reserved() as ports:
        with open(log, "wb") as out:
            process = subprocess.Popen(
                [sys.executable, str(ROOT / "ops" / "scaled.py")],
                cwd=ROOT,
                env=scaled_env(folder, ports),
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        try:
            wait_until_ready(lambda: _all_up(ports), process, "ops/scaled.py", log, timeout)
            yield ports
        finally:
            stop_supervisor(process)  # before the ports go back to the registry
