"""Celery tasks: interfaces like views. They take ids, re-read the world and call a service.

Grading is idempotent (one result per attempt, under a unique constraint), so late acknowledgement
is safe: a worker killed mid-task has its message redelivered (``acks_late``, and
``reject_on_worker_lost`` when only the pool process dies), and the second run finds the result.
Only transient database errors are retried, with exponential backoff and a cap.
"""

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import InterfaceError, OperationalError

from exams import grading_queue, services
from questions.models import Question

TRANSIENT = (OperationalError, InterfaceError)


@shared_task(
    bind=True,
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
def grade_attempt(self, attempt_id: str, waiting_key: str = "") -> int:
    """Grade a submitted attempt, then every other attempt waiting (on a worker; in-process, each
    submission grades its own). A second delivery finds the result and grades only what waits."""
    grading_queue.release(waiting_key)  # from here on, a new submission publishes again
    if not self.request.is_eager:
        # Everything waiting, this attempt among them, oldest first; an attempt that cannot be graded
        # is passed over (and fails below if it is this task's), so it holds no other back.
        _, more = services.attempts_grade_waiting(seconds=settings.EXAM_GRADE_DRAIN_SECONDS)
        if more:  # the time is up: hand the rest to a fresh task (under the time limit), on this queue
            queue = (self.request.delivery_info or {}).get("routing_key")
            services.enqueue_grading(attempt_id, queue=queue)
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
