"""Start the real processes (api, action server, Rasa) for tests and the benchmark, and stop them afterwards.

Standard library only: both environments import this (the bot env has no httpx). Each server gets a
port of its own and its own temporary database, so tests never touch ``var/`` and can run beside
``make run`` and beside each other (several pytest processes at once on one machine).

Ports are reserved, never "found free and released". Asking the kernel for port 0, closing the
socket and handing the number to a child leaves a window in which another process (another test
run, or any outgoing connection) can be given the same number; the child then fails to bind or, worse,
the readiness check talks to someone else's server. Here:

- every port comes from ``reserved_port()``: a registry of lock files under
  ``$TMPDIR/marketdesk-ports/<port>.lock``. The reserving process holds an exclusive ``flock`` on the
  port's file for as long as the port is in use (the whole life of the server, restarts included),
  so no other process using this module can reserve the same port. ``flock`` is per open file, so
  two reservations inside one process exclude each other too, and the kernel drops the lock when the
  holder dies (even by SIGKILL): a crashed run leaves no stale reservation behind (the empty lock
  files stay: deleting one while another process opens it would let two processes lock two files);
- ports are drawn below the kernel's ephemeral range (``/proc/sys/net/ipv4/ip_local_port_range``,
  32768-60999 by default), which the kernel never hands out for port 0 or outgoing connections, so a
  process that does not use the registry can only collide by binding that exact number on purpose;
  a port something already listens on is skipped (a test bind while holding the lock);
- the api (uvicorn) does not bind at all: the parent binds the reserved port and passes the socket
  to ``python -m api.serve --fd N`` (``pass_fds``) and closes its own copy once the api answers, so
  the api has no window whatsoever. Rasa and the action server take only a port number: they bind within seconds
  of the check, and in the remaining case (a foreign process binding that exact number meanwhile)
  the child cannot bind and exits, and ``running`` fails loudly with its log.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import random
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
API_PY = ROOT / ".venv" / "bin" / "python"
BOT_BIN = ROOT / ".venv-bot" / "bin"
MODEL = ROOT / "models" / "marketdesk.tar.gz"
SERVICE_TOKEN = "test-service-token"
# The api's buyer-token key in tests: tests sign buyers in with it, as the marketplace would.
BUYER_TOKEN_SECRET = "test-buyer-token-secret-at-least-32-bytes"
RASA_TOKEN = "test-rasa-token"

PORT_REGISTRY = Path(tempfile.gettempdir()) / "marketdesk-ports"
LOWEST_PORT = 20000  # above the usual fixed ports of dev tools (5005, 5055, 5432, 6379, 8000, 8080, ...)


def _ephemeral_start() -> int:
    """Where the kernel starts handing out ports on its own (Linux default 32768)."""
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def _bindable(port: int) -> bool:
    """Nothing is bound to the port on loopback (no SO_REUSEADDR: a port in TIME_WAIT counts as busy)."""
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@contextmanager
def reserved_port() -> Iterator[int]:
    """A loopback port that no other user of this registry gets until the block exits."""
    PORT_REGISTRY.mkdir(exist_ok=True)
    upper = _ephemeral_start()
    candidates = range(LOWEST_PORT, upper) if upper - LOWEST_PORT >= 1000 else range(LOWEST_PORT, 32768)
    pick = random.SystemRandom()
    for _ in range(500):
        port = pick.choice(candidates)
        fd = os.open(PORT_REGISTRY / f"{port}.lock", os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # another reservation holds it (this process or another)
            os.close(fd)
            continue
        if not _bindable(port):
            os.close(fd)
            continue
        try:
            yield port
        finally:
            os.close(fd)  # closing the file releases the lock
        return
    raise RuntimeError(f"no free port between {candidates.start} and {candidates.stop} after 500 tries")


@contextmanager
def reserved_ports(count: int) -> Iterator[list[int]]:
    """``count`` distinct reserved ports, held together until the block exits."""
    with contextlib.ExitStack() as held:
        yield [held.enter_context(reserved_port()) for _ in range(count)]


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


def wait_until_ready(
    ready: Callable[[], bool], process: subprocess.Popen, name: str, log: Path, timeout: float
) -> None:
    """Poll ``ready`` until it holds; fail with the end of the log if the process exits or time runs out."""
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
    name: str,
    cmd: list[str],
    env: dict[str, str],
    ready: Callable[[], bool],
    workdir: Path,
    timeout: float,
    pass_fds: Sequence[int] = (),
) -> Iterator[subprocess.Popen]:
    log = workdir / f"{name}.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            pass_fds=tuple(pass_fds),
        )
    try:
        wait_until_ready(ready, process, name, log, timeout)
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
def _port_or_reserved(port: int | None) -> Iterator[int]:
    """The caller's reserved port, or one reserved here for the life of the server."""
    if port is not None:
        yield port
        return
    with reserved_port() as own:
        yield own


def _listening_socket_for(port: int) -> socket.socket:
    """The api's socket, bound here and inherited by the child (SO_REUSEADDR: a restart after a kill
    finds the port in TIME_WAIT). Not listening yet: connections are refused until the api listens."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(("127.0.0.1", port))
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


@contextmanager
def api_server(
    workdir: Path,
    port: int | None = None,
    rasa_url: str = "http://127.0.0.1:9",
    action_url: str = "http://127.0.0.1:9",
    extra_env: dict[str, str] | None = None,
) -> Iterator[str]:
    """The api as it is deployed (``python -m api.serve``) on a seeded SQLite database of its own.

    ``port``: one the caller holds with ``reserved_port()`` (to restart on the same address), or
    None to reserve one for the life of this server.
    """
    database_url = f"sqlite:///{workdir / 'app.db'}"
    if not (workdir / "app.db").exists():
        seed_database(database_url)
    env = {**api_env(database_url, rasa_url, action_url), "MD_ATTACHMENTS_DIR": str(workdir / "attachments")}
    env.update(extra_env or {})
    with _port_or_reserved(port) as bound_port:
        url = f"http://127.0.0.1:{bound_port}"
        ready = lambda: http_json(f"{url}/healthz")[0] in (200, 503)  # noqa: E731
        sock = _listening_socket_for(bound_port)
        cmd = [str(API_PY), "-m", "api.serve", "--fd", str(sock.fileno())]
        try:
            server = running("api", cmd, env, ready, workdir, 60, pass_fds=(sock.fileno(),))
            with server:
                # The child has its own copy now; the parent's would keep the port listening after a kill.
                sock.close()
                yield url
        finally:
            sock.close()


@contextmanager
def action_server(workdir: Path, port: int | None, api_url: str) -> Iterator[str]:
    with _port_or_reserved(port) as own_port:
        url = f"http://127.0.0.1:{own_port}"
        cmd = [str(BOT_BIN / "rasa"), "run", "actions", "--actions", "actions", "--port", str(own_port)]
        env = {"MD_API_URL": api_url, "MD_SERVICE_TOKEN": SERVICE_TOKEN}
        with running("actions", cmd, env, lambda: http_json(f"{url}/health")[0] == 200, workdir, 120):
            yield url


@contextmanager
def rasa_process(
    workdir: Path, port: int | None, action_url: str, model: Path = MODEL
) -> Iterator[tuple[str, subprocess.Popen]]:
    """Rasa serving `model` (HTTP API on, SQLite tracker store in workdir): its URL and its process."""
    with _port_or_reserved(port) as own_port:
        url = f"http://127.0.0.1:{own_port}"
        cmd = [str(BOT_BIN / "python"), "-m", "bot.serve", "run", "--enable-api", "--auth-token", RASA_TOKEN]
        cmd += ["--model", str(model)]
        cmd += ["--endpoints", "bot/endpoints.yml", "--credentials", "bot/credentials.yml"]
        cmd += ["--interface", "127.0.0.1", "--port", str(own_port)]
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
def rasa_server(workdir: Path, port: int | None, action_url: str) -> Iterator[str]:
    with rasa_process(workdir, port, action_url) as (url, _):
        yield url
