"""Celery tasks: interfaces like views. They take ids, re-read the world and call a service."""

from celery import shared_task

from exams import services


@shared_task(name="exams.grade_attempt", acks_late=True, reject_on_worker_lost=True)
def grade_attempt(attempt_id: str) -> int:
    """Grade a submitted attempt; a second delivery finds the result and stops."""
    return services.attempt_grade(attempt_id=attempt_id).scaled_score


@shared_task(name="exams.expire_overdue_attempts")
def expire_overdue_attempts() -> int:
    """Submit every attempt past its deadline (the browser may never come back)."""
    return services.attempts_expire_overdue()
