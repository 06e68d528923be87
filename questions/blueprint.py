"""Exam blueprints and the service list, read from ``questions/blueprints/`` (no ORM).

The files are the source of truth for exams (EXAM.md): a revised exam is a data change. The
loader (``questions.services.blueprints_load``) writes them to the database; the bank checker
validates bank files against them without touching the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml

from questions import rules
from questions.apportion import apportion

PILLARS = {
    "scalability": "Scalability",
    "cost-effectiveness": "Cost-effectiveness",
    "security": "Security",
}


NOT_EXAMS = {
    "services.yaml",
    "concepts.yaml",
    "distractor-pairs.yaml",
}  # the other files in questions/blueprints/ are exams


class BlueprintError(ValueError):
    """A blueprint or service file that cannot be used; the message names the file and field."""


@dataclass
class TaskStatementSpec:
    code: str
    title: str
    covers: str = ""


@dataclass
class DomainSpec:
    number: int
    name: str
    weight: Decimal
    task_statements: list[TaskStatementSpec] = field(default_factory=list)


@dataclass
class ExamSpec:
    code: str
    name: str
    question_count: int
    scored_count: int
    minutes: int
    passing_score: int
    score_min: int
    score_max: int
    pass_fraction: Decimal
    question_types: list[str]
    notes: str
    domains: list[DomainSpec]

    def form(self, total: int | None = None) -> dict[int, int]:
        """Questions per domain number for a form of ``total`` (default: a full form)."""
        count = self.question_count if total is None else total
        seats = apportion(count, [d.weight for d in self.domains])
        return {d.number: n for d, n in zip(self.domains, seats, strict=True)}

    def task_codes(self) -> dict[str, int]:
        """Task statement code -> its domain number."""
        return {ts.code: d.number for d in self.domains for ts in d.task_statements}


@dataclass
class Catalog:
    exams: dict[str, ExamSpec]
    services: list[str]
    pairs: dict[str, str] = field(default_factory=dict)  # distractor pair id -> what it teaches
    retired_names: dict[str, str] = field(default_factory=dict)  # retired name -> the current one

    def resolve_task(self, ref: str) -> tuple[ExamSpec, str] | None:
        """'MLA-C01 1.1' -> (the exam, '1.1'), or None if no such task statement."""
        parts = ref.split()
        if len(parts) != 2:
            return None
        exam = self.exams.get(parts[0])
        if exam is None or parts[1] not in exam.task_codes():
            return None
        return exam, parts[1]


def _require(data: dict, key: str, kind: type, path: Path) -> object:
    if key not in data:
        raise BlueprintError(f"{path}: missing field '{key}'")
    value = data[key]
    if kind is int and (not isinstance(value, int) or isinstance(value, bool)):
        raise BlueprintError(f"{path}: '{key}' must be a whole number")
    if kind is str and not isinstance(value, str):
        raise BlueprintError(f"{path}: '{key}' must be text")
    return value


def _fraction(data: dict, path: Path) -> Decimal:
    try:
        value = Decimal(str(data.get("pass_fraction", "0.72")))
    except ArithmeticError as exc:
        raise BlueprintError(f"{path}: 'pass_fraction' must be a number") from exc
    if not 0 < value <= 1:
        raise BlueprintError(f"{path}: 'pass_fraction' must be in (0, 1]")
    return value


def read_exam(path: Path) -> ExamSpec:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise BlueprintError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise BlueprintError(f"{path}: a blueprint is a mapping")
    types = data.get("question_types") or []
    unknown = [t for t in types if t not in rules.QUESTION_TYPES]
    if unknown or not types:
        raise BlueprintError(f"{path}: question_types must list known types (unknown: {unknown})")
    domains = []
    for raw in data.get("domains") or []:
        try:
            weight = Decimal(str(raw["weight"]))
            tasks = [
                TaskStatementSpec(code=str(t["code"]), title=str(t["title"]), covers=str(t.get("covers", "")))
                for t in raw.get("task_statements") or []
            ]
            domains.append(
                DomainSpec(number=int(raw["number"]), name=str(raw["name"]), weight=weight, task_statements=tasks)
            )
        except (KeyError, TypeError, ValueError, ArithmeticError) as exc:
            raise BlueprintError(f"{path}: domain {raw!r} is malformed ({exc})") from exc
    if not domains:
        raise BlueprintError(f"{path}: a blueprint needs at least one domain")
    if sum(d.weight for d in domains) != 100:
        raise BlueprintError(f"{path}: domain weights add up to {sum(d.weight for d in domains)}, not 100")
    return ExamSpec(
        code=_require(data, "code", str, path),  # type: ignore[arg-type]
        name=_require(data, "name", str, path),  # type: ignore[arg-type]
        question_count=_require(data, "question_count", int, path),  # type: ignore[arg-type]
        scored_count=_require(data, "scored_count", int, path),  # type: ignore[arg-type]
        minutes=_require(data, "minutes", int, path),  # type: ignore[arg-type]
        passing_score=_require(data, "passing_score", int, path),  # type: ignore[arg-type]
        score_min=_require(data, "score_min", int, path),  # type: ignore[arg-type]
        score_max=_require(data, "score_max", int, path),  # type: ignore[arg-type]
        pass_fraction=_fraction(data, path),
        question_types=list(types),
        notes=str(data.get("notes", "")),
        domains=domains,
    )


def read_catalog(blueprint_dir: Path) -> Catalog:
    exams = {}
    for path in sorted(blueprint_dir.glob("*.yaml")):
        if path.name in NOT_EXAMS:
            continue
        spec = read_exam(path)
        exams[spec.code] = spec
    services_path = blueprint_dir / "services.yaml"
    data = yaml.safe_load(services_path.read_text(encoding="utf-8"))
    services = data.get("services") if isinstance(data, dict) else None
    if not isinstance(services, list) or not all(isinstance(s, str) for s in services):
        raise BlueprintError(f"{services_path}: 'services' must be a list of names")
    if len(set(services)) != len(services):
        raise BlueprintError(f"{services_path}: a service is listed twice")
    pairs_path = blueprint_dir / "distractor-pairs.yaml"
    extra = yaml.safe_load(pairs_path.read_text(encoding="utf-8")) if pairs_path.exists() else {}
    return Catalog(
        exams=exams,
        services=services,
        pairs={str(k): str(v) for k, v in (extra.get("pairs") or {}).items()},
        retired_names={str(k): str(v) for k, v in (extra.get("retired_names") or {}).items()},
    )


@cache
def distractor_pairs() -> dict[str, str]:
    """The distractor pairs of the shipped blueprints (cached: the files change only with a deploy)."""
    from django.conf import settings

    return read_catalog(settings.BLUEPRINT_DIR).pairs
