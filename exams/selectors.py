"""Reads for taking an exam, and the access function every attempt view goes through."""

from __future__ import annotations

import uuid
from collections import defaultdict

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from exams.mastery import WINDOW, Mastery, pool
from exams.models import Attempt, ResultRow
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
    """Mastery per domain and task statement over the learner's recent attempts (exams.mastery),
    from the score-report rows in one query, whatever the length of the learner's history."""
    rows = (
        ResultRow.objects.filter(learner=learner, exam=exam, dimension__in=dimensions)
        .annotate(recency=Window(RowNumber(), partition_by=[F("dimension"), F("key")], order_by=F("graded_at").desc()))
        .filter(recency__lte=WINDOW)
        .values_list("dimension", "key", "label", "correct", "total")
    )
    return pool(list(rows))
