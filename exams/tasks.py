"""Celery tasks: interfaces like views. They take ids, re-read the world and call a service.

Grading is idempotent (one result per attempt, under a unique constraint), so late acknowledgement
is safe: a worker killed mid-task has its message redelivered (``acks_late``, and
``reject_on_worker_lost`` when only the pool process dies), and the second run finds the result.
Only transient database errors are retried, with exponential backoff and a cap.
"""

from celery import shared_task
from django.contrib.auth import get_user_model
from django.db import InterfaceError, OperationalError

from exams import services
from questions.models import Question

TRANSIENT = (OperationalError, InterfaceError)


@shared_task(
    name="exams.grade_attempt",
    ignore_result=True,  # the result is in PostgreSQL; nobody waits on the task
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT,
    retry_backoff=2,
    retry_backoff_max=60,
    retry_jitter=True,
    max_retries=6,
)
def grade_attempt(attempt_id: str) -> int:
    """Grade a submitted attempt; a second delivery finds the result and stops."""
    return services.attempt_grade_score(attempt_id=attempt_id)


@shared_task(name="exams.expire_overdue_attempts", autoretry_for=TRANSIENT, retry_backoff=True, max_retries=3)
def expire_overdue_attempts() -> int:
    """Submit every attempt past its deadline (the browser may never come back)."""
    return services.attempts_expire_overdue()


@shared_task(name="exams.requeue_ungraded_attempts", autoretry_for=TRANSIENT, retry_backoff=True, max_retries=3)
def requeue_ungraded_attempts() -> int:
    """Hand attempts submitted over a minute ago and still ungraded to a worker again."""
    return services.attempts_requeue_ungraded()


@shared_task(name="exams.regrade_question", acks_late=True, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=3)
def regrade_question(question_id: int, user_id: int | None = None) -> dict:
    """Apply a question's corrected key to every attempt graded with an earlier version."""
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    report = services.question_regrade(question=Question.objects.get(pk=question_id), by=user)
    return {"regraded": report.regraded, "changed": report.changed, "skipped": report.skipped}
