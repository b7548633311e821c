"""Precision and recall of the seller-message moderation on the labelled set.

``python -m evaluation.moderation`` (or ``make moderation-eval``) scores
``api.support.moderation.check`` against ``evaluation/data/moderation/moderation_labelled.yml``
(written before the rules were tuned) and ``moderation_fresh.yml`` (written after, with other
tricks, to see how far the rules carry), and writes ``results/privacy/moderation.json`` and
``results/privacy/moderation.md``.

Two views: per reason code (was this reason given when expected?), and "blocked vs
allowed", which is what a buyer feels: a wrongly blocked polite question is as bad for
the product as a missed phone number is for the platform. Every error is listed so a
change to the word lists can be judged message by message.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from api.support.moderation import REASONS, check

ROOT = Path(__file__).resolve().parents[1]
LABELLED = ROOT / "evaluation" / "data" / "moderation" / "moderation_labelled.yml"
FRESH = LABELLED.with_name("moderation_fresh.yml")
RESULTS = ROOT / "results" / "privacy"


@dataclass(frozen=True)
class Example:
    language: str
    text: str
    expected: frozenset[str]


def load(path: Path = LABELLED) -> list[Example]:
    """The labelled messages; an unknown reason code in the file is an error, not a silent miss."""
    examples = []
    for item in yaml.safe_load(path.read_text(encoding="utf-8")):
        expected = frozenset(item["expect"] or [])
        unknown = expected - set(REASONS)
        if unknown:
            raise ValueError(f"unknown reason codes {sorted(unknown)} for {item['text']!r}")
        examples.append(Example(item["lang"], item["text"], expected))
    return examples


def _ratio(numerator: int, denominator: int) -> float:
    return round(numerator / denominator, 4) if denominator else 1.0


def _scores(tp: int, fp: int, fn: int) -> dict[str, Any]:
    precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    f1 = round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


def _blocked_scores(pairs: Iterable[tuple[Example, frozenset[str]]]) -> dict[str, Any]:
    tp = fp = fn = tn = 0
    for example, predicted in pairs:
        expected_blocked, predicted_blocked = bool(example.expected), bool(predicted)
        tp += expected_blocked and predicted_blocked
        fp += predicted_blocked and not expected_blocked
        fn += expected_blocked and not predicted_blocked
        tn += not expected_blocked and not predicted_blocked
    return {**_scores(tp, fp, fn), "tn": tn}


def evaluate(examples: list[Example]) -> dict[str, Any]:
    """Scores per reason, blocked-vs-allowed overall and per language, and the errors."""
    pairs = [(example, frozenset(check(example.text, example.language))) for example in examples]
    per_reason = {}
    for reason in REASONS:
        tp = sum(reason in p and reason in e.expected for e, p in pairs)
        fp = sum(reason in p and reason not in e.expected for e, p in pairs)
        fn = sum(reason not in p and reason in e.expected for e, p in pairs)
        per_reason[reason] = {**_scores(tp, fp, fn), "support": tp + fn}
    languages = sorted({e.language for e in examples})
    errors = [
        {
            "language": e.language,
            "text": e.text,
            "expected": sorted(e.expected, key=REASONS.index),
            "predicted": sorted(p, key=REASONS.index),
            "kind": "false_block" if p and not e.expected else "miss" if e.expected and not p else "wrong_reasons",
        }
        for e, p in pairs
        if p != e.expected
    ]
    return {
        "examples": len(examples),
        "allowed_share": _ratio(sum(not e.expected for e in examples), len(examples)),
        "exact_match": _ratio(sum(p == e.expected for e, p in pairs), len(pairs)),
        "blocked_vs_allowed": _blocked_scores(pairs),
        "blocked_vs_allowed_by_language": {
            lang: _blocked_scores((e, p) for e, p in pairs if e.language == lang) for lang in languages
        },
        "per_reason": per_reason,
        "errors": errors,
    }


def markdown(reports: dict[str, dict[str, Any]]) -> str:
    lines = [
        "# Seller-message moderation on labelled buyer messages",
        "",
        "Made by `make moderation-eval` (`evaluation/moderation.py`). Blocked vs allowed:",
        "a message is blocked when `moderation.check` gives any reason. Sets:",
        "`labelled` (`evaluation/data/moderation/moderation_labelled.yml`, written before the rules were",
        "tuned) and `fresh` (`moderation_fresh.yml`, written afterwards with tricks and wordings",
        "the first set lacks; its scores before the fixes it prompted are in its header).",
        "Both sets were written by the author of the rules, so read the figures as an upper",
        "bound until buyers' real messages are labelled.",
    ]
    for name, report in reports.items():
        lines += _markdown_set(name, report)
    return "\n".join(lines) + "\n"


def _markdown_set(name: str, report: dict[str, Any]) -> list[str]:
    overall = report["blocked_vs_allowed"]
    lines = [
        "",
        f"## Set `{name}`: {report['examples']} messages, {report['allowed_share']:.0%} allowed",
        "",
        "| scope | precision | recall | F1 | blocked right | wrongly blocked | missed | allowed right |",
        "|---|---|---|---|---|---|---|---|",
        f"| all | {overall['precision']:.3f} | {overall['recall']:.3f} | {overall['f1']:.3f} | {overall['tp']} "
        f"| {overall['fp']} | {overall['fn']} | {overall['tn']} |",
    ]
    for lang, s in report["blocked_vs_allowed_by_language"].items():
        lines.append(
            f"| {lang} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | {s['tp']} | {s['fp']} "
            f"| {s['fn']} | {s['tn']} |"
        )
    lines += [
        "",
        f"Exact reason sets: {report['exact_match']:.1%} of messages.",
        "",
        "| reason | support | precision | recall | F1 | false positives | misses |",
        "|---|---|---|---|---|---|---|",
    ]
    for reason, s in report["per_reason"].items():
        lines.append(
            f"| {reason} | {s['support']} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} "
            f"| {s['fp']} | {s['fn']} |"
        )
    lines += ["", "Messages with another reason set than labelled:", ""]
    if not report["errors"]:
        lines.append("None.")
    for error in report["errors"]:
        lines.append(
            f"- {error['kind']} ({error['language']}): `{error['text']}` expected "
            f"{error['expected'] or 'allowed'}, got {error['predicted'] or 'allowed'}"
        )
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labelled", type=Path, action="append", help="a set to score (default: both sets)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    paths = args.labelled or [LABELLED, FRESH]
    reports = {path.stem.removeprefix("moderation_"): evaluate(load(path)) for path in paths}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "moderation.json").write_text(
        json.dumps(reports, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    (args.out / "moderation.md").write_text(markdown(reports), encoding="utf-8")
    for name, report in reports.items():
        overall = report["blocked_vs_allowed"]
        print(f"{name}: blocked vs allowed precision {overall['precision']:.3f}, recall {overall['recall']:.3f}")
        for reason, s in report["per_reason"].items():
            print(f"  {reason:16} precision {s['precision']:.3f}  recall {s['recall']:.3f}  (support {s['support']})")
        print(f"  {len(report['errors'])} messages with another reason set")
    print(f"written: {args.out / 'moderation.md'}, {args.out / 'moderation.json'}")


if __name__ == "__main__":
    main()
