"""Before and after in one run: the load benchmark on a clean checkout of REV and on this tree.

    .venv/bin/python -m bench.compare --baseline HEAD~3          # embedded, rest + gateway, c=1,10,50,100
    make bench BASELINE=REV                                      # the same through make

Throughput and latency move with the machine's load, so figures from different days do not
compare. This tool checks REV out into a temp git worktree (nothing of this tree's uncommitted
work), gives it the same environments when the lock files match (else builds its own with
``make <venv>/.synced``) and the same model when the training inputs match (else trains its own), then
runs ``bench.load --start`` alternately on the baseline and on this tree, each round on a
freshly started stack, so both see the same conditions. Output: results/bench/compare-<profile>-
<time>.json (every run of both) and compare.md (medians, ratios, the targets of the throughput
work: 3x gateway msg/s at 10 conversations, gateway p95 at 10 conversations within 1 s, gateway/
REST p95 within 1.15 at every level, no errors and no lost messages).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.report import aggregate

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "results" / "bench"
LOCKS = {".venv": "locks/api.txt", ".venv-bot": "locks/bot.txt"}
TRAINING_INPUTS = ("config.yml", "bot/domain", "bot/nlu", "data/nlu", "data/rules", "data/stories")
MODEL = Path("models/marketdesk.tar.gz")


def git(*args: str, cwd: Path = ROOT) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def same_as_tree(rev: str, paths: tuple[str, ...] | list[str]) -> bool:
    """Whether ``paths`` at ``rev`` equal this working tree's (uncommitted changes count)."""
    return subprocess.run(["git", "diff", "--quiet", rev, "--", *paths], cwd=ROOT).returncode == 0


def prepare(rev: str, folder: Path) -> Path:
    """A clean checkout of ``rev`` with environments and a model, sharing this tree's where they match."""
    tree = folder / "baseline"
    git("worktree", "add", "--detach", "--force", str(tree), rev)
    for venv, lock in LOCKS.items():
        if same_as_tree(rev, [lock]) and (ROOT / venv).exists():
            (tree / venv).symlink_to(ROOT / venv)
        else:
            print(f"[compare] {lock} differs at {rev}: building the baseline's own {venv}", flush=True)
            subprocess.run(["make", f"{venv}/.synced"], cwd=tree, check=True)
    if same_as_tree(rev, list(TRAINING_INPUTS)) and (ROOT / MODEL).exists():
        shutil.copy2(ROOT / MODEL, tree / MODEL)
    else:
        print(f"[compare] training inputs differ at {rev}: training the baseline's model", flush=True)
        subprocess.run(["make", "train"], cwd=tree, check=True)
    return tree


def load(tree: Path, out: Path, args: argparse.Namespace) -> dict[str, Any]:
    cmd = [str(tree / ".venv" / "bin" / "python"), "-m", "bench.load", "--start", "--profile", args.profile]
    cmd += ["--paths", args.paths, "--concurrency", args.concurrency, "--duration", str(args.duration)]
    cmd += ["--repeats", "1", "--warmup", str(args.warmup), "--out", str(out), "--no-report"]
    subprocess.run(cmd, cwd=tree, check=True)
    return json.loads(out.read_text())


def merge(results: list[dict[str, Any]]) -> dict[str, Any]:
    merged = dict(results[0])
    merged["runs"] = []
    for round_, result in enumerate(results):
        for run in result["runs"]:
            merged["runs"].append({**run, "repeat": round_})
    return merged


def _cell(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def report(rev: str, head: str, before: dict[str, Any], after: dict[str, Any], rounds: int) -> str:
    old, new = aggregate(before), aggregate(after)
    lines = [
        f"# Before and after: {rev} against {head}",
        "",
        f"Measured {after.get('started_at', '')[:10]} in one run (`python -m bench.compare`), {rounds} round(s) "
        f"alternating a fresh stack of each, {after['settings']['duration_s']:g} s per level; medians over rounds, "
        "errors and lost messages are totals. Profile: " + str(after.get("profile")) + ".",
        "",
        "| path | conc. | msg/s before | msg/s after | x | p50 ms before | p50 after | p95 ms before | p95 after "
        "| errors before | errors after | lost after |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for path, concurrency in sorted(new, key=lambda k: (k[1], k[0])):
        a, b = old.get((path, concurrency), {}), new[(path, concurrency)]
        speedup = b["messages_per_s"] / a["messages_per_s"] if a.get("messages_per_s") else None
        lines.append(
            f"| {path} | {concurrency} | {_cell(a.get('messages_per_s'))} | {_cell(b['messages_per_s'])} "
            f"| {'-' if speedup is None else f'{speedup:.2f}'} | {_cell(a.get('p50'))} | {_cell(b['p50'])} "
            f"| {_cell(a.get('p95'))} | {_cell(b['p95'])} | {a.get('errors', '-')} | {b['errors']} | {b['lost']} |"
        )
    lines += ["", "Targets (after):", ""]
    g10_old, g10 = old.get(("gateway", 10)), new.get(("gateway", 10))
    if g10_old and g10 and g10_old["messages_per_s"]:
        x = g10["messages_per_s"] / g10_old["messages_per_s"]
        lines.append(f"- gateway throughput at 10 conversations: {x:.2f}x the baseline (target 3x): {_verdict(x >= 3)}")
    if g10:
        ok = g10["p95"] is not None and g10["p95"] <= 1000
        lines.append(f"- gateway p95 at 10 conversations: {g10['p95']} ms (target 1000 ms): {_verdict(ok)}")
    for concurrency in sorted({c for _, c in new}):
        rest, gateway = new.get(("rest", concurrency)), new.get(("gateway", concurrency))
        if rest and gateway and rest["p95"]:
            ratio = gateway["p95"] / rest["p95"]
            lines.append(f"- gateway/REST p95 at {concurrency}: {ratio:.2f} (target 1.15): {_verdict(ratio <= 1.15)}")
    errors = sum(row["errors"] for row in new.values())
    lost = sum(row["lost"] for row in new.values())
    lines.append(f"- errors {errors}, lost messages {lost} (target 0): {_verdict(errors == 0 and lost == 0)}")
    return "\n".join(lines) + "\n"


def _verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", required=True, help="the commit to compare with (any git revision)")
    parser.add_argument("--profile", default="embedded", choices=("embedded", "scaled"))
    parser.add_argument("--paths", default="rest,gateway")
    parser.add_argument("--concurrency", default="1,10,50,100")
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--warmup", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=2, help="fresh stacks of each side, alternating")
    parser.add_argument("--out", type=Path, help="default results/bench/compare-<profile>-<time>.json")
    args = parser.parse_args(argv)

    rev = git("rev-parse", "--short", args.baseline)
    dirty = bool(git("status", "--porcelain", "--untracked-files=no"))
    head = git("rev-parse", "--short", "HEAD") + (" with uncommitted changes" if dirty else "")
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    with tempfile.TemporaryDirectory(prefix="md-bench-compare-") as folder:
        work = Path(folder)
        tree = prepare(rev, work)
        try:
            before, after = [], []
            for round_ in range(args.rounds):
                order = [("baseline", tree, before), ("current", ROOT, after)]
                for side, where, results in order if round_ % 2 == 0 else order[::-1]:
                    print(f"[compare] round {round_ + 1}/{args.rounds}: {side}", flush=True)
                    results.append(load(where, work / f"{side}-{round_}.json", args))
        finally:
            git("worktree", "remove", "--force", str(tree))
    merged_before, merged_after = merge(before), merge(after)
    out = args.out or RESULTS / f"compare-{args.profile}-{stamp}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    payload = {"baseline": rev, "current": head, "rounds": args.rounds, "before": merged_before, "after": merged_after}
    out.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    text = report(rev, head, merged_before, merged_after, args.rounds)
    (out.parent / "compare.md").write_text(text)
    print(text, flush=True)
    print(f"[compare] wrote {out} and {out.parent / 'compare.md'}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
