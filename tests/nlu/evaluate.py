"""Held-out NLU figures per language, and how often foreign requests are wrongly accepted.

Run with the bot env (`make nlu-eval`). It loads the trained model, parses
  - tests/nlu/{tr,pl}_heldout.yml: buyer messages written apart from the training data;
  - out-of-scope probes from third-party data (../shared/benchmarks): xSID Turkish test
    and MASSIVE pl-PL test utterances, none of which is a marketplace support request;
and writes results/nlu/heldout.json plus a Markdown table for the README.
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT.parent / "shared" / "benchmarks"
OUT = ROOT / "results" / "nlu"
REJECTED = {"out_of_scope", "nlu_fallback"}
PROBES_PER_LANGUAGE = 300


def heldout(language: str, kind: str = "") -> list[tuple[str, str]]:
    """(text, label) pairs; FAQ questions are labelled faq/<topic>."""
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(ROOT / "tests" / "nlu" / f"{language}_{kind}heldout.yml"))
    return [(m.get("text"), m.get_full_intent()) for m in data.intent_examples]


def topic_of(parse: dict) -> str:
    selector = (parse.get("response_selector") or {}).get("faq") or {}
    return selector.get("response", {}).get("intent_response_key") or "faq/?"


def probes(language: str) -> list[str]:
    texts: list[str] = []
    if language == "tr":
        path = BENCH / "xsid-tr" / "tr.test.conll"
        texts = [line[len("# text = ") :].strip() for line in path.open() if line.startswith("# text = ")]
    else:
        path = BENCH / "massive-pl" / "pl-PL.test.jsonl"
        for line in path.open():
            row = json.loads(line)
            if not row["intent"].startswith(("takeaway_", "lists_")):
                texts.append(row["utt"])
    random.Random(7).shuffle(texts)
    return texts[:PROBES_PER_LANGUAGE]


async def evaluate(model: Path) -> dict:
    from rasa.core.agent import Agent
    from sklearn.metrics import accuracy_score, f1_score

    agent = Agent.load(str(model))
    report: dict = {"model": model.name, "languages": {}}
    for language in ("tr", "pl"):
        faq_examples = heldout(language, "faq_")
        examples = heldout(language) + [(text, "faq") for text, _ in faq_examples]
        predicted = [(await agent.parse_message(text))["intent"]["name"] for text, _ in examples]
        gold = [intent for _, intent in examples]
        faq_parses = [await agent.parse_message(text) for text, _ in faq_examples]
        faq_right = sum(
            p["intent"]["name"] == "faq" and topic_of(p) == label
            for p, (_, label) in zip(faq_parses, faq_examples, strict=True)
        )
        topic_right = sum(topic_of(p) == label for p, (_, label) in zip(faq_parses, faq_examples, strict=True))
        confusions = Counter((g, p) for g, p in zip(gold, predicted, strict=True) if g != p)
        labels = sorted(set(gold))
        per_intent = f1_score(gold, predicted, labels=labels, average=None, zero_division=0)
        probe_texts = probes(language)
        probe_parses = [(await agent.parse_message(t))["intent"] for t in probe_texts]
        accepted = [p["name"] for p in probe_parses if p["name"] not in REJECTED]
        report["languages"][language] = {
            "heldout_examples": len(examples),
            "accuracy": round(accuracy_score(gold, predicted), 4),
            "macro_f1": round(f1_score(gold, predicted, labels=labels, average="macro", zero_division=0), 4),
            "f1_per_intent": {label: round(float(v), 4) for label, v in zip(labels, per_intent, strict=True)},
            "confusion_pairs": [{"gold": g, "predicted": p, "count": n} for (g, p), n in confusions.most_common(15)],
            "faq_heldout_questions": len(faq_examples),
            "faq_answered_right": round(faq_right / max(1, len(faq_examples)), 4),
            "faq_topic_accuracy": round(topic_right / max(1, len(faq_examples)), 4),
            "errors": [
                {"text": t, "gold": g, "predicted": p} for (t, g), p in zip(examples, predicted, strict=True) if g != p
            ],
            "oos_probes": len(probe_texts),
            "oos_false_accept_rate": round(len(accepted) / len(probe_texts), 4),
            "oos_false_accepts_by_intent": dict(Counter(accepted).most_common()),
            "oos_false_accept_examples": [
                {"text": t, "predicted": p["name"], "confidence": round(p["confidence"], 3)}
                for t, p in zip(probe_texts, probe_parses, strict=True)
                if p["name"] not in REJECTED
            ],
        }
    return report


def markdown(report: dict) -> str:
    rows = [
        "| language | held-out examples | accuracy | macro-F1 | FAQ topic right (intent + topic) "
        "| OOS probes | OOS false-accept |",
        "|---|---|---|---|---|---|---|",
    ]
    for language, r in report["languages"].items():
        rows.append(
            f"| {language} | {r['heldout_examples']} | {r['accuracy']:.3f} | {r['macro_f1']:.3f} "
            f"| {r['faq_topic_accuracy']:.3f} ({r['faq_answered_right']:.3f}) "
            f"| {r['oos_probes']} | {r['oos_false_accept_rate']:.3f} |"
        )
    for language, r in report["languages"].items():
        rows += ["", f"Most frequent confusions ({language}): gold -> predicted (count)", ""]
        rows += [f"- {c['gold']} -> {c['predicted']} ({c['count']})" for c in r["confusion_pairs"]] or ["- none"]
    return "\n".join(rows)


def main() -> int:
    model = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "models" / "marketdesk.tar.gz"
    report = asyncio.run(evaluate(model))
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "heldout.json").write_text(json.dumps(report, ensure_ascii=False, indent=2))
    (OUT / "heldout.md").write_text(markdown(report) + "\n")
    print(markdown(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
