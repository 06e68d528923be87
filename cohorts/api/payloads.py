"""Plain dicts for the cohort serializers, built by role."""

from __future__ import annotations

from django.http import HttpRequest

from cohorts.models import Assignment, Cohort
from cohorts.selectors import LearnerAssignment
from exams.models import Attempt

TEACHING = ("instructor", "staff")


def person(user) -> dict:
    return {"id": user.pk, "username": user.username, "name": user.get_full_name()}


def join_url(request: HttpRequest, cohort: Cohort) -> str:
    return request.build_absolute_uri(f"/join/{cohort.join_code}")


def cohort_payload(*, cohort: Cohort, role: str, request: HttpRequest, member_count: int | None = None) -> dict:
    teaching = role in TEACHING
    if member_count is None and teaching:
        member_count = cohort.memberships.count()
    return {
        "id": cohort.pk,
        "name": cohort.name,
        "exam": cohort.exam.code,
        "role": role,
        "instructors": [person(u) for u in sorted(cohort.instructors.all(), key=lambda u: u.username)],
        "created_at": cohort.created_at,
        "join_code": cohort.join_code if teaching else None,
        "join_url": join_url(request, cohort) if teaching else None,
        "member_count": member_count if teaching else None,
    }


def _attempt(attempt: Attempt, assignment: Assignment) -> dict:
    result = getattr(attempt, "result", None) if attempt.status == Attempt.Status.GRADED else None
    return {
        "id": attempt.pk,
        "status": attempt.status,
        "started_at": attempt.started_at,
        "submitted_at": attempt.submitted_at,
        "scaled_score": result.scaled_score if result else None,
        "passed": result.passed if result else None,
        "late": bool(attempt.submitted_at and attempt.submitted_at > assignment.due_at),
    }


def assignment_payload(
    assignment: Assignment, *, mine: LearnerAssignment | None = None, progress: dict | None = None
) -> dict:
    cohort = assignment.cohort
    return {
        "id": assignment.pk,
        "cohort": cohort.pk,
        "cohort_name": cohort.name,
        "exam": cohort.exam.code,
        "title": assignment.title,
        "mode": assignment.mode,
        "count": assignment.count,
        "filters": assignment.filters,
        "timed": assignment.timed,
        "feedback": assignment.feedback,
        "opens_at": assignment.opens_at,
        "due_at": assignment.due_at,
        "max_attempts": assignment.max_attempts,
        "status": mine.status if mine else None,
        "attempts": [_attempt(a, assignment) for a in mine.attempts] if mine else None,
        "attempts_left": mine.attempts_left if mine else None,
        "open_attempt": mine.open_attempt.pk if mine and mine.open_attempt else None,
        "progress": progress,
    }
