"""Reads for taking an exam, and the access function every attempt view goes through."""

from __future__ import annotations

import uuid
from collections import defaultdict

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Count, Q, QuerySet
from rest_framework.exceptions import ValidationError

from exams.contents import version_contents
from exams.mastery import Mastery
from exams.models import Attempt, AttemptItem, MasteryRow
from mlaexam.errors import NotFound
from questions.models import Exam, Question, Service


def attempt_get_for_learner(*, attempt_id: object, learner: AbstractBaseUser, for_update: bool = False) -> Attempt:
    """The learner's own attempt. Anything else (another learner's, a malformed id) is a 404."""
    try:
        pk = uuid.UUID(str(attempt_id))
    except ValueError:
        raise NotFound("No such attempt.") from None
    query = Attempt.objects.select_related("exam")
    if for_update:
        query = query.select_for_update(of=("self",))
    attempt = query.filter(
        pk=pk,
        learner=learner,
    ).first()
    if attempt is None:
        raise NotFound("No such attempt.")
    return attempt


def attempt_items(*, attempt: Attempt) -> list[AttemptItem]:
    """The attempt's items in order, with the contents of the versions they served (and were
    regraded with) read into the cache in one query, so building their payloads makes none."""
    items = list(AttemptItem.objects.filter(attempt=attempt).order_by("position"))
    version_contents({i.version_id for i in items} | {i.graded_version_id for i in items if i.graded_version_id})
    return items


def attempts_for_learner(*, learner: AbstractBaseUser) -> QuerySet[Attempt]:
    return (
        Attempt.objects.filter(learner=learner)
        .select_related("exam", "result")
        .annotate(
            answered_count=Count("items", filter=Q(items__answer__isnull=False)),
            flagged_count=Count("items", filter=Q(items__flagged=True)),
        )
        .order_by("-started_at")
    )


def exams_with_counts() -> list[tuple[Exam, dict[int, int], list[str]]]:
    """Every exam with its blueprint, the published questions it can draw per domain number, and the
    AWS services those questions are tagged with (for the practice filters)."""
    exams = list(Exam.objects.prefetch_related("domains__task_statements"))
    counts: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))  # exam id -> domain -> n
    published = Question.objects.filter(status=Question.Status.PUBLISHED)
    types = {e.pk: set(e.question_types) for e in exams}
    for prefix in ("task_statement", "alt_task_statement"):
        rows = (
            published.exclude(**{f"{prefix}__isnull": True})
            .values(f"{prefix}__domain__exam_id", f"{prefix}__domain__number", "type")
            .annotate(n=Count("id"))
            .values_list(f"{prefix}__domain__exam_id", f"{prefix}__domain__number", "type", "n")
        )
        for exam_id, number, qtype, n in rows:
            if qtype in types.get(exam_id, ()):
                counts[exam_id][number] += n
    services: dict[int, set[str]] = defaultdict(set)
    for prefix in ("task_statement", "alt_task_statement"):
        rows = (
            Service.objects.filter(questions__status=Question.Status.PUBLISHED)
            .exclude(**{f"questions__{prefix}__isnull": True})
            .values_list(f"questions__{prefix}__domain__exam_id", "name")
            .distinct()
        )
        for exam_id, name in rows:
            services[exam_id].add(name)
    return [(e, dict(counts[e.pk]), sorted(services[e.pk])) for e in exams]


def learner_mastery(
    *, learner: AbstractBaseUser, exam: Exam, dimensions: tuple[str, ...] = ("domain", "task")
) -> list[Mastery]:
    """Mastery per domain and task statement over the learner's recent attempts (exams.mastery), as
    grading stored it (MasteryRow): one query, whatever the length of the learner's history."""
    rows = MasteryRow.objects.filter(learner=learner, exam=exam, dimension__in=dimensions).values_list(
        "dimension", "key", "label", "correct", "total", "attempts"
    )
    return [Mastery(d, k, label, c, n, a) for d, k, label, c, n, a in rows]


def practice_filters_resolve(*, exam: Exam, filters: dict) -> dict:
    """Practice filters as the API takes them (singular names, lists of values) as an attempt stores
    them (plural names). Values must exist in the exam's blueprint and the service list; otherwise a
    validation error names each bad value under ``filters``."""
    errors: dict[str, list[str]] = {}
    domains = {d.number: d for d in exam.domains.prefetch_related("task_statements")}
    for number in filters.get("domain", []):
        if number not in domains:
            errors.setdefault("domain", []).append(f"{exam.code} has no domain {number} (1 to {len(domains)})")
    codes = {t.code for d in domains.values() for t in d.task_statements.all()}
    for code in filters.get("task_statement", []):
        if code not in codes:
            errors.setdefault("task_statement", []).append(f"{exam.code} has no task statement {code!r}")
    for qtype in filters.get("type", []):
        if qtype not in exam.question_types:
            errors.setdefault("type", []).append(f"{exam.code} does not use {qtype} questions")
    if filters.get("service"):
        known = set(Service.objects.filter(name__in=filters["service"]).values_list("name", flat=True))
        for name in filters["service"]:
            if name not in known:
                errors.setdefault("service", []).append(f"unknown AWS service {name!r}")
    if errors:
        raise ValidationError({"filters": errors})
    plural = {"domain": "domains", "task_statement": "task_statements", "pillar": "pillars", "stage": "stages",
              "service": "services", "type": "types", "difficulty": "difficulties"}  # fmt: skip
    return {plural[k]: v for k, v in filters.items() if v}
