"""Load generator: N concurrent Turkish and Polish conversations for a fixed time, on three paths.

    parse    Rasa's /model/parse: NLU only, the floor
    rest     Rasa's REST channel /webhooks/rest/webhook with the action server (a plain Rasa deployment)
    gateway  the widget's WebSocket /api/v1/chat/ws through the api (the full path)

Every conversation is closed-loop (a buyer waits for the answer before the next message) and one of
tracking, return, FAQ or handoff (bench/scenarios.py), alternating tr and pl, demo buyers
tr-0001..0006 / pl-0001..0006 signed in through the demo token issuer. Per path and concurrency
level it records latency percentiles, messages per second, errors (HTTP/socket errors, timeouts,
error frames, turns with no answer = lost) and peak RSS + CPU time of every process of the stack
(found by their listening ports). Results: results/bench/<profile>-<UTC time>.json, then
bench/report.py draws the plot and writes the markdown summary.

    .venv/bin/python -m bench.load --profile embedded                      # against `make run`
    .venv/bin/python -m bench.load --profile scaled                        # against `make run-scaled`
    .venv/bin/python -m bench.load --profile scaled --start                # starts and stops its own stack
    .venv/bin/python -m bench.load --concurrency 2 --duration 10 --repeats 1   # smoke

The gateway rate-limits per client IP and caps sockets per IP. Every simulated conversation presents
its own address in X-Forwarded-For, which counts behind the scaled profile's nginx (a trusted proxy,
MD_TRUSTED_PROXIES); the embedded stack believes no proxy, so the stacks started here raise the limits
(ops/servers.py api_env), and `make bench-running` against `make run` needs the same, e.g.
MD_MAX_SOCKETS_PER_IP=10000 and the MD_RATE_LIMIT_* settings raised.
Benchmark conversations are stored like any other (app database and Rasa's tracker store).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import hashlib
import itertools
import json
import os
import platform
import random
import statistics
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psutil
import websockets

from bench.scenarios import BUTTON, MARKET, SCENARIOS, pick

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "results" / "bench"
PATHS = ("parse", "rest", "gateway")

PROFILES: dict[str, dict[str, Any]] = {
    "embedded": {
        "rasa_url": "http://127.0.0.1:5005",
        "api_url": "http://127.0.0.1:8000",
        "watch": {"rasa": 5005, "actions": 5055, "api": 8000},
    },
    "scaled": {
        "rasa_url": "http://127.0.0.1:5080",
        "api_url": "http://127.0.0.1:8080",
        "watch": {
            "rasa-5006": 5006,
            "rasa-5007": 5007,
            "actions": 5058,
            "api-8001": 8001,
            "api-8002": 8002,
            "nginx": 8080,
            "postgres": 5433,
            "redis": 6380,
        },
    },
}


class TurnFailed(Exception):
    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


@dataclass
class Recorder:
    latencies: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    conversations: int = 0
    system_replies: int = 0  # gateway: answered by the gateway itself (bot down/slow apology, handover)

    def ok(self, seconds: float) -> None:
        self.latencies.append(seconds)

    def failed(self, kind: str) -> None:
        self.errors[kind] += 1


# ---- the three paths -------------------------------------------------------------------------


class Conversation:
    """One buyer's conversation on one path; ``say`` returns the answer's buttons."""

    async def open(self) -> None:
        pass

    async def say(self, text: str, payload: str | None = None) -> list[dict[str, str]]:
        raise NotImplementedError

    async def close(self) -> None:
        pass


class ParseConversation(Conversation):
    can_press_buttons = False

    def __init__(self, ctx: Context, language: str, buyer: str) -> None:
        self.ctx = ctx

    async def say(self, text: str, payload: str | None = None) -> list[dict[str, str]]:
        response = await self.ctx.http.post(
            f"{self.ctx.rasa_url}/model/parse", params={"token": self.ctx.rasa_token}, json={"text": text}
        )
        if response.status_code != 200:
            raise TurnFailed(f"http_{response.status_code}")
        if not (response.json().get("intent") or {}).get("name"):
            raise TurnFailed("no_intent")
        return []


class RestConversation(Conversation):
    can_press_buttons = True

    def __init__(self, ctx: Context, language: str, buyer: str) -> None:
        self.ctx = ctx
        self.sender = f"bench-{uuid.uuid4().hex[:16]}"
        self.metadata = {"language": language, "buyer_id": buyer, "market": MARKET[language], "switch_language": False}

    async def say(self, text: str, payload: str | None = None) -> list[dict[str, str]]:
        body = {"sender": self.sender, "message": payload or text, "metadata": self.metadata}
        response = await self.ctx.http.post(f"{self.ctx.rasa_url}/webhooks/rest/webhook", json=body)
        if response.status_code != 200:
            raise TurnFailed(f"http_{response.status_code}")
        replies = response.json()
        if not replies:
            raise TurnFailed("no_reply")
        return [b for r in replies for b in (r.get("buttons") or [])]


class GatewayConversation(Conversation):
    can_press_buttons = True

    def __init__(self, ctx: Context, language: str, buyer: str) -> None:
        self.ctx = ctx
        self.language = language
        self.buyer = buyer
        self.ws: Any = None
        self.sequence = itertools.count()

    async def open(self) -> None:
        token = await self.ctx.buyer_token(self.buyer)
        self.ws = await websockets.connect(
            self.ctx.ws_url,
            additional_headers={"X-Forwarded-For": self.ctx.fake_ip()},
            open_timeout=self.ctx.timeout,
            max_size=2**22,
        )
        await self.ws.send(json.dumps({"type": "start", "language": self.language, "buyer_token": token}))
        frame = await self._receive()
        if frame.get("type") != "session":
            raise TurnFailed(f"start_{frame.get('code') or frame.get('type')}")

    async def _receive(self) -> dict[str, Any]:
        return json.loads(await asyncio.wait_for(self.ws.recv(), self.ctx.timeout))

    async def say(self, text: str, payload: str | None = None) -> list[dict[str, str]]:
        client_id = f"b{next(self.sequence)}-{uuid.uuid4().hex[:8]}"
        frame: dict[str, Any] = {"type": "message", "text": text, "client_message_id": client_id}
        if payload:
            frame["payload"] = payload
        await self.ws.send(json.dumps(frame))
        acked, messages, buttons, handed_over = False, 0, [], False
        while True:
            reply = await self._receive()
            kind = reply.get("type")
            if kind == "error":
                raise TurnFailed(f"error_{reply.get('code')}")
            if kind == "ack":
                acked = True
            elif kind == "message":
                message = reply.get("message") or {}
                messages += 1
                if message.get("sender") == "system":
                    self.ctx.recorder.system_replies += 1
                buttons.extend(message.get("buttons") or [])
            elif kind == "state" and reply.get("state") in ("queued", "with_agent"):
                handed_over = True
            elif kind == "typing" and reply.get("on") is False:
                break
        if not acked:
            raise TurnFailed("no_ack")
        if messages == 0 and not handed_over:
            raise TurnFailed("lost")  # stored, acknowledged, never answered
        return buttons

    async def close(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await self.ws.close()


CONVERSATIONS = {"parse": ParseConversation, "rest": RestConversation, "gateway": GatewayConversation}


@dataclass
class Context:
    rasa_url: str
    api_url: str
    rasa_token: str
    timeout: float
    http: httpx.AsyncClient
    think: float = 0.0
    recorder: Recorder = field(default_factory=Recorder)
    tokens: dict[str, str] = field(default_factory=dict)
    ip_counter: itertools.count = field(default_factory=lambda: itertools.count(1))

    @property
    def ws_url(self) -> str:
        return self.api_url.replace("http", "ws", 1) + "/api/v1/chat/ws"

    def fake_ip(self) -> str:
        n = next(self.ip_counter)
        return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"

    async def buyer_token(self, buyer: str) -> str:
        if buyer not in self.tokens:
            response = await self.http.get(f"{self.api_url}/api/v1/demo/buyer-token", params={"buyer_id": buyer})
            response.raise_for_status()
            self.tokens[buyer] = response.json()["token"]
        return self.tokens[buyer]


# ---- one level ---------------------------------------------------------------------------------


async def conversation_worker(path: str, worker: int, ctx: Context, deadline: float) -> None:
    cls = CONVERSATIONS[path]
    # Think time (``--think``): a person reads the answer and types, 0.5-1.5 times the mean, seeded
    # per worker so two runs wait alike. Not part of any latency.
    thinking = random.Random(worker)
    for sequence in itertools.count():
        if time.monotonic() >= deadline:
            return
        kind, language, buyer = pick(worker, sequence)
        conversation = cls(ctx, language, buyer)
        ctx.recorder.conversations += 1
        try:
            try:
                await conversation.open()
            except (TurnFailed, OSError, asyncio.TimeoutError, websockets.WebSocketException, httpx.HTTPError) as exc:
                ctx.recorder.failed(exc.kind if isinstance(exc, TurnFailed) else f"open_{type(exc).__name__}")
                await asyncio.sleep(0.5)
                continue
            buttons: list[dict[str, str]] = []
            for step in SCENARIOS[kind][language]:
                if time.monotonic() >= deadline:
                    return
                text, payload = step, None
                if step == BUTTON:
                    if not cls.can_press_buttons or not buttons:
                        continue
                    text, payload = buttons[0].get("title") or "", buttons[0].get("payload")
                if ctx.think > 0:
                    pause = ctx.think * thinking.uniform(0.5, 1.5)
                    await asyncio.sleep(min(pause, max(0.0, deadline - time.monotonic())))
                    if time.monotonic() >= deadline:
                        return
                started = time.monotonic()
                try:
                    buttons = await asyncio.wait_for(conversation.say(text, payload), ctx.timeout)
                except TurnFailed as exc:
                    ctx.recorder.failed(exc.kind)
                    break
                except asyncio.TimeoutError:
                    ctx.recorder.failed("timeout")
                    break
                except (OSError, websockets.WebSocketException, httpx.HTTPError, ValueError) as exc:
                    ctx.recorder.failed(type(exc).__name__)
                    break
                ctx.recorder.ok(time.monotonic() - started)
        finally:
            await conversation.close()


class Sampler(threading.Thread):
    """Peak RSS (process + children) and CPU seconds of the stack's processes while a level runs."""

    def __init__(self, watch: dict[str, int], interval: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.interval = interval
        self.processes = find_processes(watch)
        self.processes["loadgen"] = psutil.Process()
        self.peak_rss: dict[str, int] = dict.fromkeys(self.processes, 0)
        self.cpu_start = {name: _tree_cpu(p) for name, p in self.processes.items()}
        self.cpu_seconds: dict[str, float] = {}
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            self.sample()
            self.stopping.wait(self.interval)

    def sample(self) -> None:
        for name, process in self.processes.items():
            self.peak_rss[name] = max(self.peak_rss[name], _tree_rss(process))

    def stop(self) -> None:
        self.stopping.set()
        self.join()
        self.sample()
        self.cpu_seconds = {n: round(_tree_cpu(p) - self.cpu_start[n], 2) for n, p in self.processes.items()}


def _tree(process: psutil.Process) -> list[psutil.Process]:
    if process.pid == os.getpid():
        return [process]  # the load generator alone: with --start, the stack it runs is its children
    try:
        return [process, *process.children(recursive=True)]
    except psutil.Error:
        return []


def _tree_rss(process: psutil.Process) -> int:
    total = 0
    for p in _tree(process):
        with contextlib.suppress(psutil.Error):
            total += p.memory_info().rss
    return total


def _tree_cpu(process: psutil.Process) -> float:
    total = 0.0
    for p in _tree(process):
        with contextlib.suppress(psutil.Error):
            times = p.cpu_times()
            total += times.user + times.system
    return total


def find_processes(watch: dict[str, int]) -> dict[str, psutil.Process]:
    """The process listening on each port (the postmaster, nginx's master, uvicorn, Rasa)."""
    by_port: dict[int, int] = {}
    for conn in psutil.net_connections(kind="tcp"):
        if conn.status == psutil.CONN_LISTEN and conn.pid and conn.laddr:
            by_port.setdefault(conn.laddr.port, conn.pid)
    found = {}
    for name, port in watch.items():
        pid = by_port.get(port)
        if pid is not None:
            process = psutil.Process(pid)
            # A wrapper (runuser, honcho) is not the server: climb no further than the listener itself.
            found[name] = process
    return found


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


async def run_level(path: str, concurrency: int, duration: float, args: argparse.Namespace) -> dict[str, Any]:
    limits = httpx.Limits(max_connections=concurrency + 16, max_keepalive_connections=concurrency + 16)
    async with httpx.AsyncClient(timeout=args.timeout, limits=limits) as http:
        ctx = Context(args.rasa_url, args.api_url, args.rasa_token, args.timeout, http, think=args.think)
        sampler = Sampler(args.watch)
        sampler.start()
        started = time.monotonic()
        deadline = started + duration
        await asyncio.gather(*(conversation_worker(path, w, ctx, deadline) for w in range(concurrency)))
        elapsed = time.monotonic() - started
        sampler.stop()
    rec = ctx.recorder
    turns = len(rec.latencies) + sum(rec.errors.values())
    ms = [x * 1000 for x in rec.latencies]
    return {
        "path": path,
        "concurrency": concurrency,
        "think_s": args.think,
        "duration_s": round(elapsed, 2),
        "turns": turns,
        "ok": len(rec.latencies),
        "errors": dict(rec.errors),
        "error_rate": round(sum(rec.errors.values()) / turns, 4) if turns else None,
        "lost": rec.errors.get("lost", 0) + rec.errors.get("no_reply", 0),
        "conversations": rec.conversations,
        "system_replies": rec.system_replies,
        "messages_per_s": round(len(rec.latencies) / elapsed, 2) if elapsed else None,
        "latency_ms": {
            "p50": _round(percentile(ms, 50)),
            "p95": _round(percentile(ms, 95)),
            "p99": _round(percentile(ms, 99)),
            "mean": _round(statistics.fmean(ms)) if ms else None,
            "max": _round(max(ms)) if ms else None,
        },
        "peak_rss_mb": {n: round(b / 2**20, 1) for n, b in sampler.peak_rss.items()},
        "cpu_seconds": sampler.cpu_seconds,
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


# ---- the run -----------------------------------------------------------------------------------


def describe_machine(args: argparse.Namespace) -> dict[str, Any]:
    model = ROOT / "models" / "marketdesk.tar.gz"
    model_info: dict[str, Any] = {"path": str(model.relative_to(ROOT))}
    if model.exists():
        stat = model.stat()
        model_info["mtime"] = dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC).isoformat(timespec="seconds")
        model_info["size_mb"] = round(stat.st_size / 2**20, 1)
        with open(model, "rb") as f:
            model_info["sha256_first_mb"] = hashlib.sha256(f.read(2**20)).hexdigest()[:16]
    return {
        "host": platform.node(),
        "cpus": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "model": model_info,
    }


async def preflight(args: argparse.Namespace) -> list[str]:
    """Which paths can run now; the others are reported as skipped instead of as 100 % errors."""
    usable = []
    async with httpx.AsyncClient(timeout=5) as http:
        for path in args.paths:
            try:
                if path in ("parse", "rest"):
                    r = await http.get(f"{args.rasa_url}/status", params={"token": args.rasa_token})
                    ok = r.status_code == 200 and bool(r.json().get("model_file"))
                else:
                    status = (await http.get(f"{args.api_url}/healthz")).status_code
                    ok = status == 200 or (args.force and status == 503)
            except httpx.HTTPError:
                ok = False
            if ok:
                usable.append(path)
            else:
                print(f"[bench] {path}: not reachable/healthy, skipped", flush=True)
    return usable


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    paths = await preflight(args)
    result: dict[str, Any] = {
        "profile": args.profile,
        "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "settings": {
            "paths": args.paths,
            "concurrency": args.concurrency,
            "duration_s": args.duration,
            "repeats": args.repeats,
            "think_s": args.think,
            "warmup_s": args.warmup,
            "timeout_s": args.timeout,
            "rasa_url": args.rasa_url,
            "api_url": args.api_url,
            "watch": args.watch,
            "loadgen_alone": True,  # its RSS without the stack it may have started
        },
        "machine": describe_machine(args),
        "skipped_paths": [p for p in args.paths if p not in paths],
        "runs": [],
    }
    for path in paths:
        if args.warmup > 0:
            print(f"[bench] warm-up {path} ({args.warmup:.0f} s)", flush=True)
            await run_level(path, 2, args.warmup, args)
    for repeat in range(args.repeats):
        for concurrency in args.concurrency:
            for path in paths:
                run = await run_level(path, concurrency, args.duration, args)
                run["repeat"] = repeat
                result["runs"].append(run)
                lat = run["latency_ms"]
                print(
                    f"[bench] rep {repeat} {path:>7} c={concurrency:<3} ok={run['ok']:<5} "
                    f"err={run['error_rate']} p50={lat['p50']} p95={lat['p95']} p99={lat['p99']} ms "
                    f"{run['messages_per_s']} msg/s",
                    flush=True,
                )
                await asyncio.sleep(args.pause)
    result["finished_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    return result


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile", choices=sorted(PROFILES), default="embedded")
    parser.add_argument("--paths", default=",".join(PATHS), help="comma list of parse, rest, gateway")
    parser.add_argument("--concurrency", default="1,10,50,100", help="comma list of concurrent conversations")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per path and level")
    parser.add_argument("--repeats", type=int, default=3, help="runs of the whole matrix (the report takes medians)")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds of unrecorded load per path first")
    parser.add_argument("--pause", type=float, default=2.0, help="seconds between levels")
    parser.add_argument("--timeout", type=float, default=30.0, help="longest wait for one answer")
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="mean seconds a buyer reads and types before each message (0.5-1.5x, seeded); 0: closed loop",
    )
    parser.add_argument("--rasa-url", help="default: the profile's (embedded :5005, scaled nginx :5080)")
    parser.add_argument("--api-url", help="default: the profile's (embedded :8000, scaled nginx :8080)")
    parser.add_argument("--rasa-token", default=os.environ.get("MD_RASA_TOKEN", "dev-rasa-token"))
    parser.add_argument("--watch", help="processes to measure, name=port,...; default: the profile's")
    parser.add_argument("--out", type=Path, help="result file; default results/bench/<profile>-<time>.json")
    parser.add_argument(
        "--start", action="store_true", help="start the profile's stack in a temp folder on free ports, stop it after"
    )
    parser.add_argument("--force", action="store_true", help="run the gateway path even if /healthz is degraded")
    parser.add_argument("--no-report", action="store_true", help="do not redraw the plot and summary")
    args = parser.parse_args(argv)
    profile = PROFILES[args.profile]
    args.paths = [p for p in args.paths.split(",") if p]
    unknown = set(args.paths) - set(PATHS)
    if unknown:
        parser.error(f"unknown paths: {sorted(unknown)}")
    args.concurrency = [int(c) for c in args.concurrency.split(",") if c]
    args.rasa_url = (args.rasa_url or profile["rasa_url"]).rstrip("/")
    args.api_url = (args.api_url or profile["api_url"]).rstrip("/")
    if args.watch:
        args.watch = {k: int(v) for k, v in (item.split("=") for item in args.watch.split(","))}
    else:
        args.watch = dict(profile["watch"])
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.start:
        from bench.stacks import STACKS

        print(f"[bench] starting a {args.profile} stack (temp folder, free ports)", flush=True)
        with STACKS[args.profile]() as stack:
            print(f"[bench] {args.profile} stack healthy after {stack.started_in_s} s", flush=True)
            args.rasa_url, args.api_url, args.rasa_token = stack.rasa_url, stack.api_url, stack.rasa_token
            args.watch = stack.watch
            result = asyncio.run(main_async(args))
            result["stack_started_by_bench"] = True
            result["stack_healthy_after_s"] = stack.started_in_s
    else:
        result = asyncio.run(main_async(args))
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    out = args.out or RESULTS / f"{args.profile}-{stamp}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(f"[bench] wrote {out}", flush=True)
    if not args.no_report:
        from bench.report import write_report

        for written in write_report(out.parent):
            print(f"[bench] wrote {written}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
