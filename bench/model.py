"""`make bench-train`: what the assistant model costs (minutes, never in tests).

- training: a full ``rasa train`` from nothing (empty Rasa cache, empty sentence-embedding cache),
  then after one NLU example changed and after one domain response changed (same caches), in a
  temp copy of the project (models/, .rasa/ and the project's caches are not touched);
- the archive's size;
- serving: ``rasa run --enable-api`` on the archive alone (NLU + dialogue model loaded; no action
  server needed for /model/parse), resident memory of the Rasa process after a warm-up of 50
  parses, then sequential /model/parse of held-out messages: p50 / p95 in ms, one at a time
  (one conversation).

    .venv/bin/python -m bench.model [--model PATH] [--skip-training] [--label NAME]

With --model, the archive given is measured instead of a fresh training (e.g. an older model).
Writes results/bench/model-<label>-<UTC time>.json and prints a one-line summary;
results/bench/model.md keeps the table of every run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import psutil

from bench.load import RESULTS, describe_machine
from bench.timings import heldout_texts, training
from ops.servers import RASA_TOKEN, rasa_process

ROOT = Path(__file__).resolve().parent.parent
WARMUP = 50


def rss_mb(pid: int) -> float:
    """Resident memory of the process and its children (Rasa runs as one process; to be safe)."""
    process = psutil.Process(pid)
    total = process.memory_info().rss + sum(c.memory_info().rss for c in process.children(recursive=True))
    return round(total / 2**20, 1)


def serving(model: Path, per_language: int) -> dict[str, Any]:
    texts = [t for language in ("tr", "pl") for t in heldout_texts(language, per_language)]
    with tempfile.TemporaryDirectory(prefix="md-bench-model-") as folder:
        with rasa_process(Path(folder), None, "http://127.0.0.1:9", model=model) as (url, process):
            started = time.monotonic()
            with httpx.Client(timeout=60) as http:
                parse = f"{url}/model/parse"
                for text in (texts * 2)[:WARMUP]:
                    http.post(parse, params={"token": RASA_TOKEN}, json={"text": text}).raise_for_status()
                warm_rss = rss_mb(process.pid)
                ms = []
                for text in texts:
                    t0 = time.perf_counter()
                    http.post(parse, params={"token": RASA_TOKEN}, json={"text": text}).raise_for_status()
                    ms.append((time.perf_counter() - t0) * 1000)
            ordered = sorted(ms)
            return {
                "rss_after_warmup_mb": warm_rss,
                "rss_after_parses_mb": rss_mb(process.pid),
                "parse_messages": len(ms),
                "parse_p50_ms": round(statistics.median(ms), 1),
                "parse_p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 1),
                "parse_mean_ms": round(statistics.fmean(ms), 1),
                "measured_in_s": round(time.monotonic() - started, 1),
            }


def markdown_row(result: dict[str, Any]) -> str:
    t = result.get("training") or {}
    s = result["serving"]

    def fmt(v: Any, unit: str = "") -> str:
        return "-" if v is None else f"{v}{unit}"

    return (
        f"| {result['label']} | {result['commit']} | {result['started_at'][:10]} | {fmt(t.get('full_s'), ' s')} "
        f"| {fmt(t.get('incremental_after_nlu_change_s'), ' s')} | {fmt(t.get('after_domain_change_s'), ' s')} "
        f"| {result['archive_mb']} MB | {s['rss_after_warmup_mb']:.0f} MB "
        f"| {s['parse_p50_ms']} / {s['parse_p95_ms']} ms |"
    )


def commit() -> str:
    import subprocess

    out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True)
    return out.stdout.strip() + ("+changes" if dirty.stdout.strip() else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, help="measure this archive instead of training one")
    parser.add_argument("--label", default="current")
    parser.add_argument("--nlu-messages", type=int, default=200, help="held-out messages per language to parse")
    args = parser.parse_args(argv)
    result: dict[str, Any] = {
        "kind": "model",
        "label": args.label,
        "commit": commit(),
        "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": describe_machine(args),
    }
    with tempfile.TemporaryDirectory(prefix="md-bench-archive-") as keep:
        if args.model:
            model = args.model
        else:
            trained, result["training"] = training(keep_model=Path(keep))
            model = trained
            print(f"[model] training: {result['training']}", flush=True)
        result["archive_mb"] = round(model.stat().st_size / 2**20, 1)
        result["serving"] = serving(model, args.nlu_messages)
    result["finished_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    (RESULTS / f"model-{args.label}-{stamp}.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    table = RESULTS / "model.md"
    if not table.exists():
        table.write_text(
            "# Model cost (`make bench-train`)\n\n"
            "| model | commit | date | full train | after NLU change | after domain change | archive "
            "| Rasa RSS after warm-up | /model/parse p50 / p95 |\n|---|---|---|---|---|---|---|---|---|\n"
        )
    with table.open("a") as out:
        out.write(markdown_row(result) + "\n")
    print(markdown_row(result), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
