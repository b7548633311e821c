"""The benchmark report: medians over repeats, a PNG of p95 latency against concurrency for the three
paths (one line style per profile), and a markdown summary with the gateway/REST ratios the issue
asks about. Reads the newest result file of each profile in a folder.

    .venv/bin/python -m bench.report [results/bench]
"""

from __future__ import annotations

import json
import statistics
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PATH_LABELS = {
    "parse": "Rasa /model/parse (NLU only)",
    "rest": "Rasa REST channel + actions",
    "gateway": "gateway WebSocket (full path)",
}
PROFILE_STYLES = {"embedded": "-", "scaled": "--"}


def latest_results(folder: Path) -> list[dict[str, Any]]:
    newest: dict[str, tuple[str, dict[str, Any]]] = {}
    for file in sorted(folder.glob("*.json")):
        try:
            data = json.loads(file.read_text())
        except ValueError:
            continue
        if not isinstance(data, dict) or "runs" not in data:
            continue
        think = data.get("settings", {}).get("think_s") or 0
        # A think-time run (people pausing between messages) is its own load shape, never a closed-loop one.
        label = data.get("profile", "?") + (f", think time {think:g} s" if think else "")
        stamp = data.get("started_at", "")
        if label not in newest or stamp >= newest[label][0]:
            data["_file"], data["_label"] = file.name, label
            newest[label] = (stamp, data)
    return [data for _, data in sorted(newest.values(), key=lambda item: item[1]["_label"])]


def held_under(table: dict[tuple[str, int], dict[str, Any]], path: str, p95_ms: float) -> int | None:
    """The most conversations measured on ``path`` with p95 at or under ``p95_ms`` and no errors."""
    fits = [c for (p, c), row in table.items() if p == path and row["p95"] is not None]
    fits = [c for c in fits if table[(path, c)]["p95"] <= p95_ms and not table[(path, c)]["errors"]]
    return max(fits) if fits else None


def _median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(statistics.median(present), 1) if present else None


def aggregate(result: dict[str, Any]) -> dict[tuple[str, int], dict[str, Any]]:
    """(path, concurrency) -> medians over repeats (and the worst error rate, the total lost)."""
    groups: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
    for run in result["runs"]:
        groups[(run["path"], run["concurrency"])].append(run)
    table = {}
    for key, runs in groups.items():
        rss: dict[str, list[float]] = defaultdict(list)
        for run in runs:
            for name, mb in run.get("peak_rss_mb", {}).items():
                rss[name].append(mb)
        table[key] = {
            "repeats": len(runs),
            "p50": _median([r["latency_ms"]["p50"] for r in runs]),
            "p95": _median([r["latency_ms"]["p95"] for r in runs]),
            "p99": _median([r["latency_ms"]["p99"] for r in runs]),
            "messages_per_s": _median([r["messages_per_s"] for r in runs]),
            "error_rate_max": max((r["error_rate"] or 0.0) for r in runs),
            "errors": sum(sum(r["errors"].values()) for r in runs),
            "lost": sum(r.get("lost", 0) for r in runs),
            "system_replies": sum(r.get("system_replies", 0) for r in runs),
            "turns": sum(r["turns"] for r in runs),
            "peak_rss_mb": {name: max(values) for name, values in rss.items()},
        }
    return table


def plot(results: list[dict[str, Any]], out: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 5), dpi=120)
    colors = {"parse": "tab:green", "rest": "tab:blue", "gateway": "tab:red"}
    for result in results:
        table = aggregate(result)
        profile = result.get("profile", "?")
        for path in PATH_LABELS:
            points = sorted((c, row["p95"]) for (p, c), row in table.items() if p == path and row["p95"] is not None)
            if not points:
                continue
            xs, ys = zip(*points, strict=True)
            ax.plot(
                xs,
                ys,
                PROFILE_STYLES.get(profile, ":"),
                marker="o",
                color=colors[path],
                label=f"{PATH_LABELS[path]} [{profile}]",
            )
    ax.set_xlabel("concurrent conversations")
    ax.set_ylabel("p95 latency per message (ms)")
    ax.set_title("marketdesk: p95 latency against concurrency (median of repeats)")
    ax.set_xscale("symlog", linthresh=1)
    levels = sorted({run["concurrency"] for result in results for run in result["runs"]})
    ax.set_xticks(levels, [str(level) for level in levels])
    ax.set_yscale("log")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out)
    plt.close(fig)
    return out


def summary(results: list[dict[str, Any]]) -> str:
    lines = [
        "# Benchmark summary",
        "",
        "Generated by `bench/report.py` from the newest result file of each profile; figures are medians",
        "over the repeats (errors and lost messages: totals). Latency is per message, from sending it to",
        "the last answer (gateway: to the typing-off frame). The machine is shared and noisy: compare the",
        'ratios between paths rather than absolute numbers. "Own answers" are replies the gateway',
        "wrote itself (bot down or slow, handover): many of them mean the gateway figures are not the bot's.",
        "",
    ]
    for result in results:
        table = aggregate(result)
        settings = result.get("settings", {})
        machine = result.get("machine", {})
        lines += [
            f"## {result.get('_label', result.get('profile'))} ({result.get('_file')})",
            "",
            f"Started {result.get('started_at')}; {settings.get('duration_s')} s per level, "
            f"{settings.get('repeats')} repeat(s); {machine.get('cpus')} CPUs, load average at start "
            f"{machine.get('load_average_at_start')}; model {machine.get('model', {}).get('mtime')}.",
            "",
        ]
        if result.get("skipped_paths"):
            lines += [f"Skipped (not reachable): {', '.join(result['skipped_paths'])}.", ""]
        if settings.get("think_s"):
            held = held_under(table, "gateway", 1000.0)
            lines += [
                f"Each buyer pauses {settings['think_s'] / 2:g}-{settings['think_s'] * 1.5:g} s before every message. "
                f"Conversations held through the gateway with p95 under 1 s and no errors: "
                f"**{held if held is not None else 'none of the levels measured'}**.",
                "",
            ]
        lines += [
            "| path | conc. | p50 ms | p95 ms | p99 ms | msg/s | errors | max error rate | lost | own answers |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for (path, concurrency), row in sorted(
            table.items(), key=lambda kv: (kv[0][1], list(PATH_LABELS).index(kv[0][0]))
        ):
            lines.append(
                f"| {path} | {concurrency} | {row['p50']} | {row['p95']} | {row['p99']} | {row['messages_per_s']} "
                f"| {row['errors']}/{row['turns']} | {row['error_rate_max']:.2%} | {row['lost']} "
                f"| {row['system_replies'] if path == 'gateway' else '-'} |"
            )
        ratios = []
        for concurrency in sorted({c for _, c in table}):
            rest, gateway = table.get(("rest", concurrency)), table.get(("gateway", concurrency))
            if rest and gateway and rest["p95"] and gateway["p95"]:
                ratio = gateway["p95"] / rest["p95"]
                verdict = "within" if ratio <= 1.15 else "ABOVE"
                ratios.append(f"| {concurrency} | {rest['p95']} | {gateway['p95']} | {ratio:.2f} | {verdict} |")
        if ratios:
            lines += [
                "",
                "Gateway p95 against plain Rasa (REST channel) p95; target: at most 1.15.",
                "",
                "| conc. | rest p95 ms | gateway p95 ms | ratio | target |",
                "|---:|---:|---:|---:|---|",
                *ratios,
            ]
        names = sorted({n for row in table.values() for n in row["peak_rss_mb"]})
        if names:
            lines += ["", "Peak RSS per process (MB, process and its children, highest over paths and repeats):", ""]
            lines += ["| process | " + " | ".join(f"c={c}" for c in sorted({c for _, c in table})) + " |"]
            lines += ["|---|" + "---:|" * len({c for _, c in table})]
            for name in names:
                cells = []
                for concurrency in sorted({c for _, c in table}):
                    values = [row["peak_rss_mb"].get(name) for (_, c), row in table.items() if c == concurrency]
                    values = [v for v in values if v is not None]
                    cells.append(f"{max(values):.0f}" if values else "-")
                lines.append(f"| {name} | " + " | ".join(cells) + " |")
            if "loadgen" in names and not result["settings"].get("loadgen_alone"):
                lines += ["", "(loadgen here includes the stack it started: measured before it was counted alone.)"]
        lines.append("")
    closed_loop = [r for r in results if not r.get("settings", {}).get("think_s")]
    if len(closed_loop) == 2:
        by_profile = {r["profile"]: aggregate(r) for r in closed_loop}
        if {"embedded", "scaled"} <= set(by_profile):
            lines += [
                "## Throughput, scaled against embedded (gateway messages per second)",
                "",
                "| conc. | embedded | scaled | ratio |",
                "|---:|---:|---:|---:|",
            ]
            for concurrency in sorted({c for _, c in by_profile["embedded"]}):
                one = by_profile["embedded"].get(("gateway", concurrency))
                two = by_profile["scaled"].get(("gateway", concurrency))
                if one and two and one["messages_per_s"]:
                    ratio = two["messages_per_s"] / one["messages_per_s"]
                    lines.append(f"| {concurrency} | {one['messages_per_s']} | {two['messages_per_s']} | {ratio:.2f} |")
            lines.append("")
    return "\n".join(lines)


def latest_timings(folder: Path) -> dict[str, Any] | None:
    files = sorted(folder.glob("timings-*.json"))
    return json.loads(files[-1].read_text()) if files else None


def timings_section(timings: dict[str, Any]) -> str:
    lines = [f"## Timings ({timings.get('started_at')}, bench/timings.py)", ""]
    for profile, row in (timings.get("startup") or {}).items():
        lines.append(
            f"- {profile}: healthy after {row['healthy_after_s']} s, first answer through the gateway after "
            f"{row['first_answer_after_s']} s (that answer took {row['first_answer_latency_s']} s)"
        )
        for language, nlu in (row.get("nlu_inference") or {}).items():
            lines.append(
                f"  - NLU inference {language}: {nlu['messages']} held-out messages one at a time, mean "
                f"{nlu['mean_ms']} ms, p50 {nlu['p50_ms']} ms, p95 {nlu['p95_ms']} ms"
            )
    training = timings.get("training")
    if training:
        lines.append(
            f"- training: full {training['full_s']} s; after one NLU example changed "
            f"{training['incremental_after_nlu_change_s']} s; "
            f"after a domain-only change {training['after_domain_change_s']} s"
        )
    return "\n".join([*lines, ""])


def write_report(folder: Path) -> list[Path]:
    results = latest_results(folder)
    timings = latest_timings(folder)
    if not results and not timings:
        return []
    written = []
    closed_loop = [r for r in results if not r.get("settings", {}).get("think_s")]
    if closed_loop:
        written.append(plot(closed_loop, folder / "p95_vs_concurrency.png"))
    md = folder / "summary.md"
    md.write_text(summary(results) + ("\n" + timings_section(timings) if timings else ""))
    return [*written, md]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    folder = Path(argv[0]) if argv else ROOT / "results" / "bench"
    for written in write_report(folder):
        print(f"wrote {written}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
