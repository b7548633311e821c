"""Held-out label sets: as first written, and by the written guideline with two blind annotators.

The first labels were written together with the messages (annotator A). Two more annotators
labelled the same messages blind (shuffled sheet, no labels, no model output) by
evaluation/data/nlu/annotation/GUIDELINE.md. The guideline label of a message is the one at least two of
the three chose; when all three differ, the first label stays; annotation/adjudication.tsv
overrides a few by hand, each with its reason. Both label sets are reported,
so a figure never improves by relabelling alone without that being visible.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HELDOUT = ROOT / "evaluation" / "data" / "nlu"
ANNOTATION = HELDOUT / "annotation"
ANNOTATORS = ("b", "c")
_ENTITY = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


def plain(text: str) -> str:
    """A training-format line without entity markup: what the buyer typed."""
    return _ENTITY.sub(r"\1", text).strip()


def written(language: str, name: str = "heldout") -> list[tuple[str, str]]:
    """(text, label) pairs of data/nlu/<language>_<name>.yml (under evaluation/) plus its FAQ file.

    FAQ labels are faq/<topic>."""
    import yaml

    pairs: list[tuple[str, str]] = []
    files = [HELDOUT / f"{language}_{name}.yml"]
    if name == "heldout":
        files.append(HELDOUT / f"{language}_faq_heldout.yml")
    for path in files:
        for block in (yaml.safe_load(path.read_text()) or {}).get("nlu", []):
            for line in block.get("examples", "").splitlines():
                if line.strip().startswith("- "):
                    pairs.append((plain(line.strip()[2:]), block["intent"]))
    return pairs


def _tsv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def annotations(language: str) -> dict[str, dict[str, str]]:
    """text -> {annotator: label} for the blind annotators whose files exist."""
    texts = {row["id"]: row["text"] for row in _tsv(ANNOTATION / f"{language}_sheet.tsv")}
    found: dict[str, dict[str, str]] = {text: {} for text in texts.values()}
    for annotator in ANNOTATORS:
        path = ANNOTATION / f"{language}_annotator_{annotator}.tsv"
        if path.exists():
            for row in _tsv(path):
                found[texts[row["id"]]][annotator] = row["label"].strip()
    return found


def by_guideline(language: str) -> list[tuple[str, str]]:
    """The held-out pairs with the majority label of the three annotators (first label on a three-way split)."""
    blind = annotations(language)
    decided = adjudicated()
    pairs = []
    for text, first in written(language):
        votes = Counter([first, *blind.get(text, {}).values()])
        label, count = votes.most_common(1)[0]
        pairs.append((text, decided.get(text, label if count >= 2 else first)))
    return pairs


def adjudicated() -> dict[str, str]:
    """text -> label decided by hand after the blind annotation (each row says why)."""
    path = ANNOTATION / "adjudication.tsv"
    return {row["text"]: row["label"] for row in _tsv(path)} if path.exists() else {}


def agreement(language: str) -> dict[str, float | int]:
    """Cohen's kappa between each pair of annotators on the full label (intent or faq/<topic>)."""
    from sklearn.metrics import cohen_kappa_score

    blind = annotations(language)
    labels = {"a": [first for _, first in written(language)]}
    for annotator in ANNOTATORS:
        column = [blind.get(text, {}).get(annotator) for text, _ in written(language)]
        if all(column):
            labels[annotator] = column
    names = sorted(labels)
    report: dict[str, float | int] = {}
    for i, x in enumerate(names):
        for y in names[i + 1 :]:
            report[f"kappa_{x}_{y}"] = round(float(cohen_kappa_score(labels[x], labels[y])), 3)
    first, guideline = written(language), by_guideline(language)
    report["relabelled"] = sum(a != b for (_, a), (_, b) in zip(first, guideline, strict=True))
    return report


def blind_sets(language: str) -> dict[str, list[tuple[str, str]]]:
    """The sets written blind to the training data, by version: evaluation/data/nlu/<language>_heldout_v<N>.yml."""
    found = sorted(HELDOUT.glob(f"{language}_heldout_v*.yml"), key=lambda p: int(p.stem.rsplit("_v", 1)[1]))
    return {f"{p.stem.rsplit('_', 1)[1]}_blind": written(language, p.stem.split("_", 1)[1]) for p in found}


def label_sets(language: str) -> dict[str, list[tuple[str, str]]]:
    """Every held-out set of a language: as first written, by the guideline (3 annotators), the blind ones."""
    return {"as_written": written(language), "guideline": by_guideline(language), **blind_sets(language)}
