"""The score report of one attempt (pure, no ORM): breakdown rows and the learner's confusions.

A breakdown row is (dimension, key, label, correct, total) for each domain, task statement, pillar,
lifecycle stage, question type and AWS service the attempt's questions carry (a question with two
pillars counts in both). A section *meets competencies* when its percentage correct reaches the
exam's pass fraction (72% for MLA-C01, the same cut as the overall pass line); below it, it *needs
improvement*. That mirrors the real score report, which classifies each section against the
passing standard rather than against a fixed number of questions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from exams import snapshot
from questions.concepts import confusion

DIMENSIONS = ("domain", "task", "pillar", "stage", "type", "service")
TYPE_LABELS = {
    "multiple_choice": "Multiple choice",
    "multiple_response": "Multiple response",
    "ordering": "Ordering",
    "matching": "Matching",
}
STAGE_LABELS = {
    "data_preparation": "Data preparation",
    "model_training": "Model training",
    "model_deployment": "Model deployment",
    "monitoring_operations": "Monitoring and operations",
}
PILLAR_LABELS = {"scalability": "Scalability", "cost-effectiveness": "Cost-effectiveness", "security": "Security"}


@dataclass(frozen=True)
class Marked:
    """What the report needs of one served item."""

    domain: int
    task: str
    tags: dict
    qtype: str
    correct: bool


@dataclass
class Row:
    dimension: str
    key: str
    label: str
    correct: int = 0
    total: int = 0


def classification(correct: int, total: int, pass_fraction: Fraction) -> str:
    return "meets_competencies" if total and Fraction(correct, total) >= pass_fraction else "needs_improvement"


def sections(domain: int, task: str, tags: dict, qtype: str) -> tuple[tuple[str, str, str], ...]:
    """The (dimension, key, label) sections one item counts in."""
    found = [
        ("domain", str(domain), tags.get("domain_name", f"Domain {domain}")),
        ("task", task, tags.get("task_title", task)),
    ]
    found += [("pillar", pillar, PILLAR_LABELS.get(pillar, pillar)) for pillar in tags.get("pillars", [])]
    stage = tags.get("stage", "")
    found.append(("stage", stage, STAGE_LABELS.get(stage, stage)))
    found.append(("type", qtype, TYPE_LABELS.get(qtype, qtype)))
    found += [("service", service, service) for service in tags.get("services", [])]
    return tuple(found)


def breakdown(items: list[Marked], sections_of: Callable[[Marked], tuple] | None = None) -> list[Row]:
    """Rows in dimension order; domains and task statements by key, the others in order of first
    appearance. ``sections_of`` may memoise ``sections`` (a grading batch sees each question's tags
    many times)."""
    counts: dict[tuple[str, str], list] = {}
    for item in sorted(items, key=lambda i: (i.domain, i.task)):
        hit = int(item.correct)
        found = sections_of(item) if sections_of else sections(item.domain, item.task, item.tags, item.qtype)
        for dimension, key, label in found:
            entry = counts.get((dimension, key))
            if entry is None:
                counts[(dimension, key)] = entry = [label, 0, 0]
            entry[1] += hit
            entry[2] += 1
    order = {d: i for i, d in enumerate(DIMENSIONS)}
    rows = [Row(dimension, key, label, c, n) for (dimension, key), (label, c, n) in counts.items()]
    return sorted(rows, key=lambda r: (order[r.dimension], r.key if r.dimension in ("domain", "task") else ""))


def mistakes(content: dict, layout: dict, answer: dict | None) -> list[tuple[str, str, str, str]]:
    """For a wrong choice answer: (chosen concept, expected concept, chosen text, expected text) per
    distractor picked; the concepts are empty strings when the option texts name none."""
    if not answer or content["type"] not in ("multiple_choice", "multiple_response"):
        return []
    shown = {token: content["options"][i] for i, token in layout["o"]}
    key = set(snapshot.key(content, layout)["selected"])
    key_texts = [shown[t]["text"] for t in key]
    found = []
    for token in answer.get("selected", []):
        if token in key or token not in shown:
            continue
        text = shown[token]["text"]
        pair = confusion(text, key_texts)
        found.append(
            (pair[0], pair[1], text, key_texts[0] if key_texts else "")
            if pair
            else ("", "", text, key_texts[0] if key_texts else "")
        )
    return found
