"""The benchmark's one-off timings (``make bench-timings``; minutes to an hour, never in tests):

- start-up: a stack from nothing running to healthy and to the first answer through the gateway
  WebSocket (embedded and scaled, started by bench/stacks.py; the warm-machine stand-in for
  "make run to the first answer", without make's own checks);
- NLU inference: sequential /model/parse of the held-out examples (evaluation/data/nlu/*_heldout.yml) on the
  embedded stack, milliseconds per message;
- training: a full ``rasa train`` with an empty cache, then an incremental one after one NLU
  example changed (same cache) and one after a domain response changed, all into a temp folder
  (models/ and the project's .rasa cache are not touched).

    .venv/bin/python -m bench.timings [--skip-training] [--skip-startup]

Writes results/bench/timings-<UTC time>.json; bench/report.py adds the newest one to summary.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import yaml
from websockets.sync.client import connect

from bench.load import RESULTS, describe_machine
from bench.stacks import STACKS

ROOT = Path(__file__).resolve().parent.parent
BOT_BIN = ROOT / ".venv-bot" / "bin"
RASA_DATA = ("data/nlu", "data/rules", "data/stories")
ANNOTATION = re.compile(r"\[([^\]]+)\](\([^)]*\)|\{[^}]*\})")


def heldout_texts(language: str, limit: int) -> list[str]:
    texts = []
    for kind in ("", "faq_"):
        path = ROOT / "evaluation" / "data" / "nlu" / f"{language}_{kind}heldout.yml"
        if not path.exists():
            continue
        for block in (yaml.safe_load(path.read_text()) or {}).get("nlu", []):
            for line in str(block.get("examples", "")).splitlines():
                line = line.strip()
                if line.startswith("- "):
                    texts.append(ANNOTATION.sub(r"\1", line[2:]).strip())
    return texts[:limit]


def first_answer(api_url: str) -> float:
    token = httpx.get(f"{api_url}/api/v1/demo/buyer-token", params={"buyer_id": "tr-0001"}, timeout=30).json()["token"]
    started = time.monotonic()
    with connect(api_url.replace("http://", "ws://") + "/api/v1/chat/ws", open_timeout=30) as ws:
        ws.send(json.dumps({"type": "start", "language": "tr", "buyer_token": token}))
        json.loads(ws.recv(timeout=60))
        ws.send(json.dumps({"type": "message", "text": "siparişim nerede", "client_message_id": "t1"}))
        while True:
            frame = json.loads(ws.recv(timeout=120))
            if frame.get("type") == "message":
                return time.monotonic() - started


def nlu_inference(rasa_url: str, token: str, per_language: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    with httpx.Client(timeout=60) as http:
        for language in ("tr", "pl"):
            texts = heldout_texts(language, per_language)
            for text in texts[:5]:  # warm-up
                http.post(f"{rasa_url}/model/parse", params={"token": token}, json={"text": text})
            ms = []
            for text in texts:
                started = time.perf_counter()
                http.post(f"{rasa_url}/model/parse", params={"token": token}, json={"text": text}).raise_for_status()
                ms.append((time.perf_counter() - started) * 1000)
            if ms:
                ordered = sorted(ms)
                out[language] = {
                    "messages": len(ms),
                    "mean_ms": round(statistics.fmean(ms), 1),
                    "p50_ms": round(statistics.median(ms), 1),
                    "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 1),
                }
    return out


def startup(profile: str, with_nlu: int) -> dict[str, Any]:
    started = time.monotonic()
    with STACKS[profile]() as stack:
        healthy = time.monotonic() - started
        answer = first_answer(stack.api_url)
        result: dict[str, Any] = {
            "healthy_after_s": round(healthy, 1),
            "first_answer_after_s": round(time.monotonic() - started, 1),
            "first_answer_latency_s": round(answer, 2),
        }
        if with_nlu:
            result["nlu_inference"] = nlu_inference(stack.rasa_url, stack.rasa_token, with_nlu)
    return result


def _train(workdir: Path, cache: Path, out: Path) -> float:
    env = {
        **os.environ,
        "RASA_CACHE_DIRECTORY": str(cache),
        "MD_EMBEDDING_CACHE": str(cache / "embeddings.sqlite3"),
        "RASA_TELEMETRY_ENABLED": "false",
    }
    cmd = [str(BOT_BIN / "rasa"), "train", "--domain", "bot/domain", "--data", *RASA_DATA, "--config", "config.yml"]
    cmd += ["--out", str(out), "--fixed-model-name", "timing"]
    started = time.monotonic()
    subprocess.run(cmd, cwd=workdir, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    return round(time.monotonic() - started, 1)


def training(keep_model: Path | None = None) -> Any:
    """Full, after-NLU-change and after-domain-change training times; with keep_model, also the
    fully trained archive (copied there) as (path, times)."""
    with tempfile.TemporaryDirectory(prefix="md-bench-train-") as folder:
        work = Path(folder) / "project"
        work.mkdir()
        for name in ("config.yml",):
            shutil.copy(ROOT / name, work / name)
        for name in ("bot", "data", "actions"):
            shutil.copytree(ROOT / name, work / name)
        cache, out = Path(folder) / "cache", Path(folder) / "models"
        full = _train(work, cache, out)
        if keep_model is not None:
            kept = keep_model / "full.tar.gz"
            shutil.copy(out / "timing.tar.gz", kept)
        # One NLU example more (a data change): featurizers and the classifiers train again.
        nlu_file = work / "data" / "nlu" / "tr" / "tracking.yml"
        text = nlu_file.read_text()
        marker = "examples: |\n"
        position = text.index(marker) + len(marker)
        indent = re.match(r"\s*", text[position:]).group(0)  # type: ignore[union-attr]
        nlu_file.write_text(text[:position] + f"{indent}- kargom hala gelmedi nerede kaldı acaba\n" + text[position:])
        incremental_nlu = _train(work, cache, out)
        # A response more (domain only): NLU comes from the cache, the dialogue policies train again.
        probe = 'version: "3.1"\nresponses:\n  utter_timing_probe:\n  - text: "timing"\n'
        (work / "bot" / "domain" / "zz_timing.yml").write_text(probe)
        incremental_domain = _train(work, cache, out)
    times = {
        "full_s": full,
        "incremental_after_nlu_change_s": incremental_nlu,
        "after_domain_change_s": incremental_domain,
    }
    return times if keep_model is None else (kept, times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skip-startup", action="store_true")
    parser.add_argument("--skip-training", action="store_true")
    parser.add_argument("--nlu-messages", type=int, default=300, help="held-out messages per language for NLU timing")
    args = parser.parse_args(argv)
    result: dict[str, Any] = {
        "kind": "timings",
        "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": describe_machine(args),
    }
    if not args.skip_startup:
        result["startup"] = {
            "embedded": startup("embedded", args.nlu_messages),
            "scaled": startup("scaled", 0),
        }
        print(f"[timings] start-up: {result['startup']}", flush=True)
    if not args.skip_training:
        result["training"] = training()
        print(f"[timings] training: {result['training']}", flush=True)
    result["finished_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"timings-{dt.datetime.now(dt.UTC).strftime('%Y%m%dT%H%M%SZ')}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(f"[timings] wrote {out}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
