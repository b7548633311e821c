"""How well masking does on the labelled buyer messages: precision and recall per kind.

Run ``python -m evaluation.privacy`` (or ``make privacy-eval``); it writes
``results/privacy/masking.json`` and ``results/privacy/masking.md``.

Scoring is span-level: a predicted span is a true positive when its kind is right and it
covers exactly the letters and digits of a labelled value (separators, brackets and spaces
at the edges don't count). Anything else predicted is a false positive (so masking part of
an order number, or calling a PESEL a TCKN, costs precision); a labelled value with no
matching span is a false negative. Overall figures are micro-averaged over all spans. The
string-level figure (messages masked exactly right, look-alikes included) is reported too.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from api.security.pii import KINDS, find, warm_up

ROOT = Path(__file__).resolve().parents[1]
DATASET = ROOT / "evaluation" / "data" / "privacy" / "pii_labelled.yml"
# Written by someone who never read the masker, after it was built: scored, never tuned on.
BLIND = DATASET.with_name("pii_blind.yml")
RESULTS = ROOT / "results" / "privacy"


def _key(text: str, start: int, end: int) -> tuple[int, ...]:
    return tuple(i for i in range(start, end) if text[i].isalnum())


def _ratio(num: int, den: int) -> float:
    return round(num / den, 4) if den else 1.0


# Subsets reported on their own as well: the ids of numbers glued to words and file names.
SUBSETS = {"glued": lambda case: "-g" in case["id"]}


def evaluate(cases: list[dict[str, Any]], subsets: bool = True) -> dict[str, Any]:
    warm_up()  # time the masking, not spaCy's import
    tp, fp, fn = Counter(), Counter(), Counter()
    failures, exact, elapsed = [], 0, 0.0
    for case in cases:
        text = case["text"]
        expected = {}
        for item in case.get("pii") or []:
            start = text.index(item["value"])
            expected[_key(text, start, start + len(item["value"]))] = item["kind"]
        began = time.perf_counter()
        predicted = {_key(text, f.start, f.end): f.kind for f in find(text, case.get("lang"))}
        elapsed += time.perf_counter() - began
        wrong = []
        for key, kind in predicted.items():
            if expected.get(key) == kind:
                tp[kind] += 1
            else:
                fp[kind] += 1
                wrong.append(f"false {kind}: {''.join(text[i] for i in key)}")
        for key, kind in expected.items():
            if predicted.get(key) != kind:
                fn[kind] += 1
                wrong.append(f"missed {kind}: {''.join(text[i] for i in key)}")
        if wrong:
            failures.append({"id": case["id"], "text": text, "errors": wrong})
        else:
            exact += 1
    per_kind = {
        kind: {
            "precision": _ratio(tp[kind], tp[kind] + fp[kind]),
            "recall": _ratio(tp[kind], tp[kind] + fn[kind]),
            "support": tp[kind] + fn[kind],
            "tp": tp[kind],
            "fp": fp[kind],
            "fn": fn[kind],
        }
        for kind in KINDS
    }
    total_tp, total_fp, total_fn = sum(tp.values()), sum(fp.values()), sum(fn.values())
    languages = Counter(c.get("lang") for c in cases)
    parts = {}
    for name, member in SUBSETS.items() if subsets else ():
        chosen = [c for c in cases if member(c)]
        if chosen:
            part = evaluate(chosen, subsets=False)
            parts[name] = {
                "cases": len(chosen),
                **part["overall"],
                "strings_exactly_right": part["strings_exactly_right"],
            }
    return {
        "definition": "span-level; a span matches when kind and covered letters/digits equal the label",
        "cases": len(cases),
        "cases_per_language": dict(sorted(languages.items())),
        "cases_with_personal_data": sum(1 for c in cases if c.get("pii")),
        "overall": {
            "precision": _ratio(total_tp, total_tp + total_fp),
            "recall": _ratio(total_tp, total_tp + total_fn),
            "tp": total_tp,
            "fp": total_fp,
            "fn": total_fn,
        },
        "per_kind": per_kind,
        "strings_exactly_right": _ratio(exact, len(cases)),
        "subsets": parts,
        "mean_ms_per_message": round(elapsed / max(1, len(cases)) * 1000, 3),
        "failures": failures,
    }


def markdown(report: dict[str, Any]) -> str:
    lines = [
        "# Personal-data masking on labelled buyer messages",
        "",
        f"{report['cases']} messages ({', '.join(f'{k}: {v}' for k, v in report['cases_per_language'].items())}), "
        f"{report['cases_with_personal_data']} with personal data, the rest look-alikes (order numbers, tracking "
        "codes, amounts, dates, numbers failing their checksum). Data: `evaluation/data/privacy/pii_labelled.yml`.",
        "",
        f"Scoring: {report['definition']}. Overall figures are micro-averaged over spans.",
        "",
        "| kind | precision | recall | support | FP | FN |",
        "|---|---|---|---|---|---|",
    ]
    for kind, row in report["per_kind"].items():
        lines.append(
            f"| {kind} | {row['precision']:.3f} | {row['recall']:.3f} | {row['support']} | {row['fp']} | {row['fn']} |"
        )
    overall = report["overall"]
    lines += [
        f"| **overall** | **{overall['precision']:.3f}** | **{overall['recall']:.3f}** | "
        f"{overall['tp'] + overall['fn']} | {overall['fp']} | {overall['fn']} |",
        "",
        f"Messages masked exactly right: {report['strings_exactly_right']:.3f}. "
        f"Mean time per message: {report['mean_ms_per_message']} ms.",
        "",
    ]
    for name, part in report.get("subsets", {}).items():
        lines.append(
            f"Subset {name} ({part['cases']} messages): precision {part['precision']:.3f}, recall "
            f"{part['recall']:.3f} ({part['tp']} found, {part['fp']} false, {part['fn']} missed), "
            f"exactly right {part['strings_exactly_right']:.3f}."
        )
    lines += [
        "",
        "Before numbers glued to words and file names were masked (commit 0208a6e, 2026-12-07, this same "
        "set of 170): overall precision 1.000, recall 0.774 (82 found, 0 false, 24 missed), exactly right "
        "0.859; subset glued: recall 0.000 (0 of 24 found, 0 false), precision undefined (nothing found). "
        "The rule added is general (a digit run or IBAN with a letter, '_', '.' or '-' stuck to it is judged "
        "by its checksum unless its neighbours make it part of a code); property tests in "
        "`tests/api/security/test_pii.py` glue generated values to words and extensions beyond this set.",
        "",
        "Caveat: the messages and the masker were written by the same person, so these figures are "
        "optimistic for text nobody has seen. The first run on this set scored precision 0.988 and recall "
        "0.988 (a Turkish landline with 'arasın' after 'kargo' was taken for a code; the digit groups of a "
        "mistyped IBAN passed as a card); both were fixed with general rules, not per-message exceptions. "
        "The property tests in `tests/api/security/test_pii.py` probe generated text beyond this set.",
        "",
    ]
    blind = report.get("blind")
    if blind:
        o = blind["overall"]
        lines += [
            "## Blind set",
            "",
            f"{blind['cases']} messages in `evaluation/data/privacy/pii_blind.yml` (glued identifiers and look-alikes "
            "such as EAN barcodes that pass Luhn), written after the masker by someone who never read it; scored, "
            f"never tuned on: precision {o['precision']:.3f}, recall {o['recall']:.3f} ({o['tp']} found, "
            f"{o['fp']} false, {o['fn']} missed), exactly right {blind['strings_exactly_right']:.3f}. The masker "
            "of commit 0208a6e (2026-12-07) on the same set: precision 1.000, recall 0.651 (28 found, 0 false, "
            "15 missed), exactly right 0.750.",
            "",
            *(f"- missed: `{f['id']}` {f['text']!r}: {'; '.join(f['errors'])}" for f in blind["failures"]),
            "",
        ]
    if report["failures"]:
        lines += ["## Errors", ""]
        for failure in report["failures"]:
            lines.append(f"- `{failure['id']}` {failure['text']!r}: {'; '.join(failure['errors'])}")
        lines.append("")
    return "\n".join(lines)


def load(path: Path = DATASET) -> list[dict[str, Any]]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation.privacy")
    parser.add_argument("--data", type=Path, default=DATASET)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    report = evaluate(load(args.data))
    if args.data == DATASET and BLIND.exists():
        report["blind"] = evaluate(load(BLIND), subsets=False)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "masking.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (args.out / "masking.md").write_text(markdown(report), encoding="utf-8")
    overall = report["overall"]
    print(f"masking: precision {overall['precision']:.3f}, recall {overall['recall']:.3f} -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
