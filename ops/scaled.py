"""The scaled profile on one machine (``make run-scaled``): PostgreSQL, Redis, two api and two Rasa
processes, one action server, nginx in front. Ctrl-C stops everything.

Layout (all on 127.0.0.1; every port can be changed with the environment variable in brackets):

    nginx :8080 [MD_SCALED_HTTP_PORT] -> api :8001, :8002 [MD_SCALED_API_PORTS]  (HTTP + WebSocket)
    nginx :5080 [MD_SCALED_RASA_PORT] -> rasa :5006, :5007 [MD_SCALED_RASA_PORTS] (the api's MD_RASA_URL)
    action server :5058 [MD_SCALED_ACTIONS_PORT] (Rasa -> actions; actions -> api through nginx)
    PostgreSQL :5433 [MD_SCALED_PG_PORT]: databases ``marketdesk`` (app, Alembic) and ``rasa`` (tracker store)
    Redis :6380 [MD_SCALED_REDIS_PORT]: db 0 the gateway hub (pub/sub), 1 Rasa's lock store,
                                        2 the api's rate-limit counters

Data lives in ``var/scaled/`` [MD_SCALED_DIR] (``pg/`` the cluster, ``redis/``, ``nginx/``, ``logs/`` one file per
process). PostgreSQL refuses to run as root, so as root the cluster belongs to the ``postgres``
user and ``initdb``/``pg_ctl`` run through ``runuser``; trust authentication on loopback is for a
developer machine only.

    .venv/bin/python ops/scaled.py            # start (initialises what is missing), Ctrl-C stops
    .venv/bin/python ops/scaled.py --init     # only initialise + migrate + seed, then stop the databases
    .venv/bin/python ops/scaled.py --status   # print what is listening
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from ops.secrets_policy import UnsafeConfiguration, refuse_in_production  # noqa: E402

STATE = Path(os.environ.get("MD_SCALED_DIR") or ROOT / "var" / "scaled").resolve()
LOGS = STATE / "logs"
API_BIN = ROOT / ".venv" / "bin"
BOT_BIN = ROOT / ".venv-bot" / "bin"
MODEL = ROOT / "models" / "marketdesk.tar.gz"


def _ports(name: str, default: str) -> list[int]:
    return [int(p) for p in os.environ.get(name, default).replace(",", " ").split()]


HTTP_PORT = _ports("MD_SCALED_HTTP_PORT", "8080")[0]
RASA_LB_PORT = _ports("MD_SCALED_RASA_PORT", "5080")[0]
API_PORTS = _ports("MD_SCALED_API_PORTS", "8001 8002")
RASA_PORTS = _ports("MD_SCALED_RASA_PORTS", "5006 5007")
ACTIONS_PORT = _ports("MD_SCALED_ACTIONS_PORT", "5058")[0]
PG_PORT = _ports("MD_SCALED_PG_PORT", "5433")[0]
REDIS_PORT = _ports("MD_SCALED_REDIS_PORT", "6380")[0]

PG_USER = "postgres"
APP_DB = "marketdesk"
RASA_DB = "rasa"
APP_DATABASE_URL = f"postgresql+psycopg://{PG_USER}@127.0.0.1:{PG_PORT}/{APP_DB}"
TRACKER_URL = f"postgresql://{PG_USER}@127.0.0.1:{PG_PORT}/{RASA_DB}"  # Rasa's SQLAlchemy 1.4 + psycopg2
REDIS_URL = f"redis://127.0.0.1:{REDIS_PORT}"

RASA_TOKEN = os.environ.get("MD_RASA_TOKEN", "dev-rasa-token")
SERVICE_TOKEN = os.environ.get("MD_SERVICE_TOKEN", "dev-service-token")


def log(message: str) -> None:
    print(f"[scaled] {message}", flush=True)


# ---- binaries --------------------------------------------------------------------------------


def pg_bin() -> Path:
    """Debian keeps PostgreSQL's server binaries out of PATH: /usr/lib/postgresql/<version>/bin."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    raise SystemExit("PostgreSQL server binaries not found: run ops/install-scaled.sh")


def binary(name: str, *fallbacks: str) -> str:
    for candidate in (shutil.which(name), *fallbacks):
        if candidate and Path(candidate).exists():
            return candidate
    raise SystemExit(f"{name} not found: run ops/install-scaled.sh")


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.3)
        return s.connect_ex(("127.0.0.1", port)) == 0


# ---- PostgreSQL --------------------------------------------------------------------------------

IS_ROOT = os.geteuid() == 0


def as_pg(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", PG_USER, "--", *cmd] if IS_ROOT else cmd


def pg_paths() -> tuple[Path, Path, Path]:
    return STATE / "pg", STATE / "pg-socket", LOGS / "postgres.log"


def pg_init() -> None:
    data, sockets, logfile = pg_paths()
    for folder in (STATE, LOGS, sockets):
        folder.mkdir(parents=True, exist_ok=True)
    if IS_ROOT:
        # The postgres user must reach its folders: traverse (x) on the parents, own its own.
        for folder in (*reversed(STATE.parents[: len(STATE.relative_to("/").parts) - 1]), STATE, LOGS):
            mode = folder.stat().st_mode
            if not mode & 0o001:
                folder.chmod(mode | 0o111)
        owner = pwd.getpwnam(PG_USER)
        for path in (sockets, logfile):
            if path == logfile:
                path.touch(exist_ok=True)
            os.chown(path, owner.pw_uid, owner.pw_gid)
    if (data / "PG_VERSION").exists():
        return
    data.mkdir(parents=True, exist_ok=True)
    if IS_ROOT:
        owner = pwd.getpwnam(PG_USER)
        os.chown(data, owner.pw_uid, owner.pw_gid)
    data.chmod(0o700)
    log(f"initdb {data}")
    subprocess.run(
        as_pg(
            [str(pg_bin() / "initdb"), "-D", str(data), "-U", PG_USER, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )


def pg_ctl(*args: str, check: bool = True, quiet: bool = False) -> subprocess.CompletedProcess:
    data, _, _ = pg_paths()
    out = subprocess.DEVNULL if quiet else None
    return subprocess.run(as_pg([str(pg_bin() / "pg_ctl"), "-D", str(data), *args]), check=check, stdout=out)


def pg_running() -> bool:
    return (
        pg_ctl("status", check=False, quiet=True).returncode == 0 if (STATE / "pg" / "PG_VERSION").exists() else False
    )


def pg_start() -> None:
    _, sockets, logfile = pg_paths()
    if pg_running():
        log("PostgreSQL already running")
        return
    if port_open(PG_PORT):
        raise SystemExit(f"port {PG_PORT} is taken by something else (set MD_SCALED_PG_PORT)")
    options = (
        f"-c listen_addresses=127.0.0.1 -c port={PG_PORT} -c unix_socket_directories={sockets} "
        "-c max_connections=300 -c shared_buffers=128MB"
    )
    log(f"PostgreSQL on 127.0.0.1:{PG_PORT}")
    pg_ctl("-l", str(logfile), "-o", options, "-w", "-t", "60", "start")


def pg_stop() -> None:
    if pg_running():
        log("stopping PostgreSQL")
        pg_ctl("-m", "fast", "-w", "stop", check=False)


def pg_create_databases() -> None:
    import psycopg

    with psycopg.connect(f"postgresql://{PG_USER}@127.0.0.1:{PG_PORT}/postgres", autocommit=True) as conn:
        existing = {row[0] for row in conn.execute("SELECT datname FROM pg_database")}
        for name in (APP_DB, RASA_DB):
            if name not in existing:
                log(f"creating database {name}")
                conn.execute(f'CREATE DATABASE "{name}"')


# ---- child processes -----------------------------------------------------------------------------


@dataclass
class Child:
    name: str
    cmd: list[str]
    env: dict[str, str] = field(default_factory=dict)
    ready_url: str | None = None  # HTTP 200 (or 503 for the api before its peers are up) = started
    essential: bool = False  # its death stops everything
    reported: bool = False
    process: subprocess.Popen | None = None

    def start(self) -> None:
        LOGS.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            self.cmd,
            cwd=ROOT,
            env={**os.environ, **self.env},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl-C reaches the supervisor only; it stops children in order
        )
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        with open(LOGS / f"{self.name}.log", "ab") as logfile:
            for line in self.process.stdout:
                logfile.write(line)
                logfile.flush()
                sys.stdout.write(f"{self.name:>9} | {line.decode(errors='replace')}")
                sys.stdout.flush()

    def stop(self, timeout: float = 15.0) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def http_status(url: str, timeout: float = 3.0) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0


def wait_for(children: list[Child], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    pending = [c for c in children if c.ready_url]
    while pending and time.monotonic() < deadline:
        for child in list(pending):
            assert child.process is not None
            if child.process.poll() is not None:
                raise RuntimeError(f"{child.name} exited with {child.process.returncode}; see {LOGS / child.name}.log")
            if http_status(child.ready_url) in (200, 503):  # type: ignore[arg-type]
                pending.remove(child)
        time.sleep(0.5)
    if pending:
        raise RuntimeError(f"not ready after {timeout:.0f} s: {', '.join(c.name for c in pending)}")


# ---- nginx ------------------------------------------------------------------------------------


def nginx_config() -> Path:
    folder = STATE / "nginx"
    for sub in ("", "tmp"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    api_servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in API_PORTS)
    rasa_servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in RASA_PORTS)
    user = "user root;\n" if IS_ROOT else ""  # workers write their temp files under var/scaled/nginx
    config = f"""# Generated by ops/scaled.py; edits are overwritten on the next start.
{user}worker_processes auto;
pid {folder}/nginx.pid;
error_log {LOGS}/nginx-error.log warn;
events {{ worker_connections 4096; }}

http {{
    client_body_temp_path {folder}/tmp/body;
    proxy_temp_path {folder}/tmp/proxy;
    fastcgi_temp_path {folder}/tmp/fastcgi;
    uwsgi_temp_path {folder}/tmp/uwsgi;
    scgi_temp_path {folder}/tmp/scgi;
    log_format upstream '$remote_addr [$time_local] "$request" $status $body_bytes_sent '
                        'upstream=$upstream_addr rt=$request_time urt=$upstream_response_time';
    access_log {LOGS}/nginx-access.log upstream buffer=64k flush=2s;
    client_max_body_size 8m;
    server_tokens off;

    # WebSocket upgrade for the widget's and the console's sockets; plain keep-alive otherwise.
    map $http_upgrade $connection_upgrade {{
        default upgrade;
        ''      '';
    }}

    upstream md_api {{
{api_servers}
        keepalive 64;
    }}

    upstream md_rasa {{
{rasa_servers}
        keepalive 64;
    }}

    server {{
        listen 127.0.0.1:{HTTP_PORT};
        location / {{
            proxy_pass http://md_api;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_read_timeout 3600s;
            proxy_send_timeout 3600s;
            proxy_next_upstream error timeout http_502;
        }}
    }}

    server {{
        listen 127.0.0.1:{RASA_LB_PORT};
        location / {{
            proxy_pass http://md_rasa;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_read_timeout 120s;
            # A buyer message is a POST. When a Rasa process dies, nginx may still hand the next
            # message to a kept-alive connection of the dead process; without non_idempotent it
            # then answers 502 instead of trying the live process, and the buyer gets an apology.
            # Rasa writes the tracker only after the turn, so a retry does not run a turn twice
            # unless the process died in the few milliseconds between saving and replying.
            proxy_next_upstream error timeout http_502 non_idempotent;
        }}
    }}
}}
"""
    path = STATE / "nginx.conf"
    path.write_text(config)
    return path


# ---- the profile ------------------------------------------------------------------------------


def common_env() -> dict[str, str]:
    return {
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "MD_RASA_TOKEN": RASA_TOKEN,
        "MD_SERVICE_TOKEN": SERVICE_TOKEN,
        "MD_STAFFING": os.environ.get("MD_STAFFING", "always"),
    }


def api_env() -> dict[str, str]:
    return {
        **common_env(),
        "MD_DATABASE_URL": APP_DATABASE_URL,
        "MD_HUB_URL": f"{REDIS_URL}/0",
        "MD_RATE_LIMIT_STORAGE": f"{REDIS_URL}/2",
        "MD_RASA_URL": f"http://127.0.0.1:{RASA_LB_PORT}",
        "MD_ACTION_SERVER_URL": f"http://127.0.0.1:{ACTIONS_PORT}",
        "MD_API_URL": f"http://127.0.0.1:{HTTP_PORT}",
        "MD_ATTACHMENTS_DIR": str(STATE / "attachments"),
        # nginx on the loopback is the only peer whose X-Forwarded-For / -Proto the api believes.
        "MD_TRUSTED_PROXIES": '["127.0.0.1"]',
    }


def rasa_env() -> dict[str, str]:
    return {
        **common_env(),
        "MD_ACTION_SERVER_URL": f"http://127.0.0.1:{ACTIONS_PORT}",
        "MD_TRACKER_DIALECT": "postgresql",
        "MD_TRACKER_DB": RASA_DB,
        "MD_TRACKER_URL": TRACKER_URL,
        "MD_LOCK_STORE_HOST": "127.0.0.1",
        "MD_LOCK_STORE_PORT": str(REDIS_PORT),
        "MD_LOCK_STORE_DB": "1",
    }


def redis_child() -> Child:
    folder = STATE / "redis"
    folder.mkdir(parents=True, exist_ok=True)
    cmd = [binary("redis-server", "/usr/bin/redis-server"), "--port", str(REDIS_PORT), "--bind", "127.0.0.1"]
    cmd += ["--dir", str(folder), "--save", "", "--appendonly", "no", "--daemonize", "no"]
    return Child("redis", cmd, essential=True)


def wait_port(port: int, name: str, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not port_open(port):
        if time.monotonic() > deadline:
            raise RuntimeError(f"{name} is not listening on {port}")
        time.sleep(0.1)


def migrate_and_seed() -> None:
    log("migrations + demo seed on PostgreSQL")
    env = {**os.environ, **api_env()}
    subprocess.run([str(API_BIN / "python"), "-m", "api.cli", "seed"], cwd=ROOT, env=env, check=True)


def app_children(bot: bool = True) -> list[Child]:
    children: list[Child] = []
    for port in RASA_PORTS if bot else ():
        cmd = [str(BOT_BIN / "python"), "-m", "bot.serve", "run", "--enable-api", "--auth-token", RASA_TOKEN]
        cmd += ["--model", str(MODEL)]
        cmd += ["--endpoints", "ops/endpoints.scaled.yml", "--credentials", "bot/credentials.yml"]
        cmd += ["--interface", "127.0.0.1", "--port", str(port)]
        children.append(Child(f"rasa-{port}", cmd, rasa_env(), f"http://127.0.0.1:{port}/status?token={RASA_TOKEN}"))
    actions_env = {**common_env(), "MD_API_URL": f"http://127.0.0.1:{HTTP_PORT}"}
    cmd = [str(BOT_BIN / "rasa"), "run", "actions", "--actions", "actions", "--port", str(ACTIONS_PORT)]
    if bot:
        children.append(Child("actions", cmd, actions_env, f"http://127.0.0.1:{ACTIONS_PORT}/health"))
    for port in API_PORTS:
        cmd = [str(API_BIN / "python"), "-m", "api.serve", "--host", "127.0.0.1", "--port", str(port)]
        children.append(Child(f"api-{port}", cmd, api_env(), f"http://127.0.0.1:{port}/healthz"))
    return children


def check_ports_free() -> None:
    taken = [p for p in (HTTP_PORT, RASA_LB_PORT, ACTIONS_PORT, REDIS_PORT, *API_PORTS, *RASA_PORTS) if port_open(p)]
    if taken:
        raise SystemExit(f"ports already in use: {taken} (another run-scaled? set MD_SCALED_*_PORT to move)")


def run(init_only: bool = False, bot: bool = True) -> int:
    if not MODEL.exists() and not init_only and bot:
        raise SystemExit(f"no model at {MODEL}: make train")
    try:  # production mode: Rasa's and the action server's tokens too (the api checks its own settings)
        refuse_in_production({"MD_RASA_TOKEN": RASA_TOKEN, "MD_SERVICE_TOKEN": SERVICE_TOKEN})
    except UnsafeConfiguration as exc:
        raise SystemExit(str(exc)) from None
    check_ports_free()
    children: list[Child] = []
    stopping = threading.Event()

    def on_signal(signum, _frame) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    pg_started_here = False
    code = 0
    try:
        pg_init()
        pg_started_here = not pg_running()
        pg_start()
        redis = redis_child()
        redis.start()
        children.append(redis)
        wait_port(REDIS_PORT, "redis")
        pg_create_databases()
        migrate_and_seed()
        if init_only:
            return 0
        started = time.monotonic()
        for child in app_children(bot):
            child.start()
            children.append(child)
        nginx = Child(
            "nginx",
            [
                binary("nginx", "/usr/sbin/nginx"),
                "-c",
                str(nginx_config()),
                "-e",
                str(LOGS / "nginx-error.log"),
                "-g",
                "daemon off;",
            ],
            essential=True,
        )
        nginx.start()
        children.append(nginx)
        wait_port(HTTP_PORT, "nginx")
        wait_for(children, timeout=float(os.environ.get("MD_SCALED_START_TIMEOUT", "600")))
        # Through the load balancer: both api processes healthy means Rasa and actions answer too.
        deadline = time.monotonic() + 120
        while http_status(f"http://127.0.0.1:{HTTP_PORT}/healthz") != (200 if bot else 503):
            if time.monotonic() > deadline or stopping.is_set():
                raise RuntimeError("the stack did not become healthy through nginx")
            time.sleep(1)
        log(
            f"marketdesk (scaled) is ready after {time.monotonic() - started:.0f} s: open "
            f"http://127.0.0.1:{HTTP_PORT}/ (api x{len(API_PORTS)}, rasa x{len(RASA_PORTS) if bot else 0} behind "
            f"http://127.0.0.1:{RASA_LB_PORT}, PostgreSQL :{PG_PORT}, Redis :{REDIS_PORT}); Ctrl-C stops all"
        )
        while not stopping.is_set():
            for child in children:
                assert child.process is not None
                if child.process.poll() is not None and not child.reported:
                    child.reported = True
                    log(f"{child.name} exited with {child.process.returncode}")
                    if child.essential:
                        stopping.set()
                        code = 1
            stopping.wait(1)
    except (RuntimeError, subprocess.CalledProcessError) as exc:
        log(f"failed: {exc}")
        code = 1
    finally:
        log("stopping")
        for child in reversed(children):
            child.stop()
        if pg_started_here or not init_only:
            pg_stop()
    return code


def status() -> int:
    names = {
        "nginx api": HTTP_PORT,
        "nginx rasa": RASA_LB_PORT,
        "actions": ACTIONS_PORT,
        "postgres": PG_PORT,
        "redis": REDIS_PORT,
        **{f"api {p}": p for p in API_PORTS},
        **{f"rasa {p}": p for p in RASA_PORTS},
    }
    for name, port in names.items():
        print(f"{name:>11} :{port} {'up' if port_open(port) else 'down'}")
    return 0


def stop_leftovers() -> int:
    """After a supervisor was killed hard: stop PostgreSQL and whatever listens on the profile's ports."""
    import psutil

    pg_stop()
    ports = {HTTP_PORT, RASA_LB_PORT, ACTIONS_PORT, REDIS_PORT, *API_PORTS, *RASA_PORTS}
    pids = {
        c.pid for c in psutil.net_connections(kind="tcp") if c.status == psutil.CONN_LISTEN and c.laddr.port in ports
    }
    for pid in sorted(p for p in pids if p):
        with contextlib.suppress(psutil.Error):
            process = psutil.Process(pid)
            log(f"stopping {pid} {' '.join(process.cmdline()[:3])}")
            process.terminate()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--init", action="store_true", help="initialise, migrate and seed, then stop")
    parser.add_argument("--no-bot", action="store_true", help="without Rasa and actions (api, nginx, databases)")
    parser.add_argument("--stop", action="store_true", help="stop leftovers of a supervisor that was killed")
    parser.add_argument("--status", action="store_true", help="which ports of the profile are listening")
    args = parser.parse_args(argv)
    if args.status:
        return status()
    if args.stop:
        return stop_leftovers()
    return run(init_only=args.init, bot=not args.no_bot)


if __name__ == "__main__":
    sys.exit(main())
