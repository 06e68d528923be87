"""Writes for cohorts: create and run a cohort, join and leave it, set assignments, and start an
assigned exam. The access decision (who may call these) is made by the selectors' access functions
before a view calls a service."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from cohorts import rules
from cohorts.models import Assignment, AssignmentAttempt, Cohort, Membership
from cohorts.selectors import user_is_instructor
from exams import services as exam_services
from exams.models import Attempt, AttemptItem
from exams.selectors import practice_filters_resolve
from mlaexam.errors import ApiError, Conflict, NotFound
from questions.models import Exam

CODE_TRIES = 10


def join_code_unique() -> str:
    for _ in range(CODE_TRIES):
        code = rules.join_code_new()
        if not Cohort.objects.filter(join_code=code).exists():
            return code
    raise Conflict("Could not make a unique join code; try again.", code="join_code_exhausted")


@transaction.atomic
def cohort_create(*, creator: AbstractBaseUser, name: str, exam: Exam) -> Cohort:
    cohort = Cohort(name=name.strip(), exam=exam, join_code=join_code_unique(), created_by=creator)
    cohort.full_clean(exclude=["created_by"])
    cohort.save()
    cohort.instructors.add(creator)
    return cohort


@transaction.atomic
def cohort_update(*, cohort: Cohort, name: str) -> Cohort:
    cohort.name = name.strip()
    cohort.full_clean(exclude=["created_by", "join_code", "exam"])
    cohort.save(update_fields=["name"])
    return cohort


@transaction.atomic
def cohort_delete(*, cohort: Cohort) -> None:
    """Delete the cohort, its memberships and assignments. The attempts stay the learners' own."""
    cohort.delete()


@transaction.atomic
def cohort_rotate_code(*, cohort: Cohort) -> Cohort:
    """A new join code; the old code and link stop working at once. Members stay members."""
    cohort.join_code = join_code_unique()
    cohort.save(update_fields=["join_code"])
    return cohort


@transaction.atomic
def cohort_join(*, learner: AbstractBaseUser, code: str) -> tuple[Cohort, bool]:
    """Join by code (case, spaces and dashes ignored). Joining twice is harmless: (cohort, False)."""
    normalised = rules.join_code_normalise(code)
    cohort = Cohort.objects.select_related("exam").filter(join_code=normalised).first() if normalised else None
    if cohort is None:
        raise NotFound("No cohort has that join code. Check it with your instructor.", code="unknown_code")
    if cohort.instructors.filter(pk=learner.pk).exists():
        raise Conflict("You teach this cohort; instructors are not members.", code="instructor_cannot_join")
    try:
        with transaction.atomic():
            _, created = Membership.objects.get_or_create(
                cohort=cohort, learner=learner, defaults={"joined_at": timezone.now()}
            )
    except IntegrityError:  # two joins at once: the other one made the membership
        created = False
    return cohort, created


@transaction.atomic
def cohort_leave(*, cohort: Cohort, learner: AbstractBaseUser) -> None:
    deleted, _ = Membership.objects.filter(cohort=cohort, learner=learner).delete()
    if not deleted:
        raise NotFound("You are not a member of this cohort.", code="not_member")


@transaction.atomic
def membership_remove(*, cohort: Cohort, learner_id: int) -> None:
    """An instructor removes a member. Their attempts stay theirs; the dashboard no longer shows them."""
    deleted, _ = Membership.objects.filter(cohort=cohort, learner_id=learner_id).delete()
    if not deleted:
        raise NotFound("No such member in this cohort.", code="not_member")


@transaction.atomic
def instructor_add(*, cohort: Cohort, username: str) -> AbstractBaseUser:
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise ApiError(f"No user is called {username!r}.", code="unknown_user", field="username")
    if not user_is_instructor(user):
        raise ApiError(
            f"{username} is not an instructor; staff grant the role in the admin.",
            code="not_instructor",
            field="username",
        )
    Membership.objects.filter(cohort=cohort, learner=user).delete()  # a co-instructor is no longer a member
    cohort.instructors.add(user)
    return user


@transaction.atomic
def instructor_remove(*, cohort: Cohort, user_id: int) -> None:
    locked = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if not locked.instructors.filter(pk=user_id).exists():
        raise NotFound("No such instructor in this cohort.", code="not_instructor")
    if locked.instructors.count() == 1:
        raise Conflict("A cohort keeps at least one instructor; add another first.", code="last_instructor")
    locked.instructors.remove(user_id)


# --- Assignments ----------------------------------------------------------------------------------


def _assignment_check(assignment: Assignment) -> None:
    errors: dict[str, list[str]] = {}
    if assignment.due_at <= assignment.opens_at:
        errors.setdefault("due_at", []).append("the due date must be after the opening time")
    if assignment.mode != Assignment.Mode.PRACTICE:
        if assignment.count is not None:
            errors.setdefault("count", []).append(
                "only practice sets take a count; full-length forms follow the blueprint"
            )
        if assignment.filters:
            errors.setdefault("filters", []).append("only practice sets take filters")
        if assignment.feedback != Attempt.Feedback.END:
            errors.setdefault("feedback", []).append("full-length exams give feedback at the end")
        if not assignment.timed:
            errors.setdefault("timed", []).append("full-length exams are always timed")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def assignment_create(
    *,
    cohort: Cohort,
    creator: AbstractBaseUser,
    title: str,
    mode: str,
    opens_at: datetime,
    due_at: datetime,
    count: int | None = None,
    filters: dict | None = None,
    timed: bool = True,
    feedback: str = Attempt.Feedback.END,
    max_attempts: int | None = None,
) -> Assignment:
    if filters:
        practice_filters_resolve(exam=cohort.exam, filters=filters)  # raises a validation error naming the value
    assignment = Assignment(
        cohort=cohort,
        created_by=creator,
        title=title.strip(),
        mode=mode,
        opens_at=opens_at,
        due_at=due_at,
        count=count,
        filters=filters or {},
        timed=timed,
        feedback=feedback,
        max_attempts=max_attempts,
    )
    _assignment_check(assignment)
    assignment.full_clean(exclude=["created_by", "cohort"])
    assignment.save()
    return assignment


EDITABLE = ("title", "opens_at", "due_at", "max_attempts")


@transaction.atomic
def assignment_update(*, assignment: Assignment, **changes: object) -> Assignment:
    """Change the title, the window or the attempt limit. What is taken (mode, filters) stays fixed
    once set, so attempts already taken for it stay comparable."""
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise ApiError(
            f"these cannot change once an assignment is set: {', '.join(unknown)}; delete it and set a new one",
            code="not_editable",
            field=unknown[0],
        )
    for field, value in changes.items():
        setattr(assignment, field, value.strip() if isinstance(value, str) else value)
    _assignment_check(assignment)
    assignment.full_clean(exclude=["created_by", "cohort"])
    assignment.save(update_fields=list(changes))
    return assignment


@transaction.atomic
def assignment_delete(*, assignment: Assignment) -> None:
    """Delete it; attempts taken for it stay the learners' own."""
    assignment.delete()


@transaction.atomic
def assignment_start(
    *, assignment: Assignment, learner: AbstractBaseUser, now: datetime | None = None
) -> tuple[Attempt, list[AttemptItem] | None, bool]:
    """Start the assigned exam, or return the attempt already open for it: (attempt, items, created).

    The membership row is locked, so two tabs starting at once cannot exceed the attempt limit."""
    now = now or timezone.now()
    membership = Membership.objects.select_for_update().filter(cohort_id=assignment.cohort_id, learner=learner).first()
    if membership is None:
        raise NotFound("You are not a member of this cohort.", code="not_member")
    if now < assignment.opens_at:
        raise Conflict(f"This assignment opens at {assignment.opens_at:%Y-%m-%d %H:%M} UTC.", code="not_open_yet")
    taken = list(
        AssignmentAttempt.objects.filter(assignment=assignment, learner=learner).select_related("attempt__exam")
    )
    open_attempt = next((t.attempt for t in taken if t.attempt.status == Attempt.Status.IN_PROGRESS), None)
    if open_attempt is not None:
        open_attempt = exam_services.attempt_expire_if_due(attempt=open_attempt)
        if open_attempt.status == Attempt.Status.IN_PROGRESS:
            return open_attempt, None, False
    if assignment.max_attempts is not None and len(taken) >= assignment.max_attempts:
        raise Conflict(
            f"You have used all {assignment.max_attempts} attempt(s) this assignment allows.",
            code="attempt_limit",
        )
    exam = assignment.cohort.exam
    filters = practice_filters_resolve(exam=exam, filters=assignment.filters) if assignment.filters else {}
    attempt, items = exam_services.attempt_start(
        learner=learner,
        exam=exam,
        mode=assignment.mode,
        count=assignment.count,
        filters=filters,
        timed=assignment.timed,
        feedback=assignment.feedback,
    )
    AssignmentAttempt.objects.create(assignment=assignment, attempt=attempt, learner=learner)
    return attempt, items, True
