"""Reads for cohorts: who may see a cohort (the access functions every cohort view goes through),
a learner's assignments, and the instructor's dashboard, heatmap and roster.

The dashboard is SQL aggregates over rows the grading task writes (attempts with their results,
the score-report rows, seen questions, mistakes): a fixed number of queries whatever the size of
the cohort, and no loop over answers.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import connection
from django.db.models import Count, Max, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from analytics.readiness import RECENT, readiness
from cohorts import rules
from cohorts.models import Assignment, AssignmentAttempt, Cohort, Membership
from exams.models import Attempt, AttemptResult, MasteryRow, Mistake, SeenQuestion
from exams.services import scale_spec
from mlaexam.errors import ApiError, NotFound
from questions.models import Domain, Question, TaskStatement

INSTRUCTORS_GROUP = "Instructors"
FULL_LENGTH = (Attempt.Mode.FULL, Attempt.Mode.FINAL)
MOST_MISSED = 10
WEAKEST = 3


class NotInstructor(ApiError):
    status_code = 403
    default_code = "not_instructor"


# --- Access ---------------------------------------------------------------------------------------


# Staff with this permission (superusers have every permission) oversee every cohort. Being staff
# alone is not enough: authors are staff so that they can use the admin, but their group grants the
# question bank only, and must not reach a class's roster or scores.
COHORT_STAFF_PERMISSION = "cohorts.change_cohort"


def user_is_cohort_staff(user: AbstractBaseUser) -> bool:
    return bool(user.is_staff and user.has_perm(COHORT_STAFF_PERMISSION))


def user_is_instructor(user: AbstractBaseUser) -> bool:
    """Instructors (the group staff grant in the admin) and cohort staff may create and run cohorts."""
    if user_is_cohort_staff(user):
        return True
    return user.groups.filter(name=INSTRUCTORS_GROUP).exists()


def _cohort_id(cohort_id: object) -> int:
    try:
        return int(str(cohort_id))
    except ValueError:
        raise NotFound("No such cohort.") from None


def cohort_role(*, cohort: Cohort, user: AbstractBaseUser) -> str | None:
    """ "instructor", "staff", "member" or None."""
    if cohort.instructors.filter(pk=user.pk).exists():
        return "instructor"
    if user_is_cohort_staff(user):
        return "staff"
    if cohort.memberships.filter(learner=user).exists():
        return "member"
    return None


def cohort_get_for_viewer(*, cohort_id: object, user: AbstractBaseUser) -> tuple[Cohort, str]:
    """A cohort the user teaches or belongs to (or any cohort, for staff), with the user's role.
    Anyone else gets a 404, so a cohort's existence is not revealed to outsiders."""
    cohort = Cohort.objects.select_related("exam").filter(pk=_cohort_id(cohort_id)).first()
    if cohort is None:
        raise NotFound("No such cohort.")
    role = cohort_role(cohort=cohort, user=user)
    if role is None:
        raise NotFound("No such cohort.")
    return cohort, role


def cohort_get_for_instructor(*, cohort_id: object, user: AbstractBaseUser, for_update: bool = False) -> Cohort:
    """A cohort the user teaches (or any, for staff). A member gets a 403 that says why; anyone
    else a 404."""
    cohort, role = cohort_get_for_viewer(cohort_id=cohort_id, user=user)
    if role == "member":
        raise NotInstructor("Only the cohort's instructors can do this.")
    if for_update:
        cohort = Cohort.objects.select_for_update().select_related("exam").get(pk=cohort.pk)
    return cohort


def assignment_get(*, cohort: Cohort, assignment_id: object) -> Assignment:
    try:
        pk = int(str(assignment_id))
    except ValueError:
        raise NotFound("No such assignment.") from None
    assignment = Assignment.objects.filter(pk=pk, cohort=cohort).first()
    if assignment is None:
        raise NotFound("No such assignment.")
    return assignment


def cohorts_for_user(*, user: AbstractBaseUser) -> QuerySet[Cohort]:
    """The cohorts the user teaches or belongs to, with their instructors and member counts."""
    return (
        Cohort.objects.filter(Q(instructors=user) | Q(memberships__learner=user))
        .distinct()
        .select_related("exam")
        .prefetch_related(Prefetch("instructors", queryset=get_user_model().objects.order_by("username")))
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("name", "id")
    )


def cohort_members(*, cohort: Cohort) -> list[Membership]:
    return list(cohort.memberships.select_related("learner").order_by("learner__username"))


# --- Assignments as a learner sees them --------------------------------------------------------------------


@dataclass
class LearnerAssignment:
    assignment: Assignment
    status: str
    attempts: list[Attempt]  # taken for it, newest first

    @property
    def attempts_left(self) -> int | None:
        limit = self.assignment.max_attempts
        return None if limit is None else max(0, limit - len(self.attempts))

    @property
    def open_attempt(self) -> Attempt | None:
        return next((a for a in self.attempts if a.status == Attempt.Status.IN_PROGRESS), None)


def assignments_for_learner(
    *, learner: AbstractBaseUser, cohort: Cohort | None = None, now: datetime | None = None
) -> list[LearnerAssignment]:
    """The learner's assignments (in one cohort, or in all their cohorts) with their status."""
    now = now or timezone.now()
    assignments = Assignment.objects.filter(cohort__memberships__learner=learner).select_related("cohort__exam")
    if cohort is not None:
        assignments = assignments.filter(cohort=cohort)
    assignments = list(assignments.order_by("due_at", "id"))
    taken: dict[int, list[Attempt]] = defaultdict(list)
    links = (
        AssignmentAttempt.objects.filter(learner=learner, assignment__in=[a.pk for a in assignments])
        .select_related("attempt__result", "attempt__exam")
        .order_by("-attempt__started_at")
    )
    for link in links:
        taken[link.assignment_id].append(link.attempt)
    return [
        LearnerAssignment(
            assignment=a,
            status=rules.assignment_status(
                now=now, opens_at=a.opens_at, due_at=a.due_at, attempt_statuses=[t.status for t in taken[a.pk]]
            ),
            attempts=taken[a.pk],
        )
        for a in assignments
    ]


def assignment_progress(*, cohort: Cohort, now: datetime | None = None) -> dict[int, dict[str, int]]:
    """Per assignment of the cohort: how many members are at each status (one query)."""
    now = now or timezone.now()
    members = cohort.memberships.count()
    rows = (
        AssignmentAttempt.objects.filter(assignment__cohort=cohort, learner_id__in=_member_ids(cohort))
        .values("assignment_id", "learner_id")
        .annotate(
            graded=Count("id", filter=Q(attempt__status=Attempt.Status.GRADED)),
            handed_in=Count("id", filter=Q(attempt__status__in=[Attempt.Status.SUBMITTED, Attempt.Status.EXPIRED])),
            open=Count("id", filter=Q(attempt__status=Attempt.Status.IN_PROGRESS)),
        )
    )
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        if row["graded"]:
            counts[row["assignment_id"]]["graded"] += 1
        elif row["handed_in"]:
            counts[row["assignment_id"]]["submitted"] += 1
        elif row["open"]:
            counts[row["assignment_id"]]["in_progress"] += 1
    out = {}
    for a in cohort.assignments.all():
        c = counts[a.pk]
        started = c["graded"] + c["submitted"] + c["in_progress"]
        out[a.pk] = {
            "members": members,
            "graded": c["graded"],
            "submitted": c["submitted"],
            "in_progress": c["in_progress"],
            "not_started": members - started,
        }
    return out


# --- The instructor's dashboard --------------------------------------------------------------------------


def _member_ids(cohort: Cohort) -> QuerySet:
    """The members' ids as a subquery, so aggregates start from the cohort, not from every learner."""
    return Membership.objects.filter(cohort=cohort).values("learner_id")


def _mastery_cells(*, cohort: Cohort, dimension: str) -> dict[int, dict[str, tuple[int, int]]]:
    """learner id -> key -> (correct, total): each member's mastery as grading stored it (MasteryRow,
    exams.mastery's definition), one row per member and key."""
    cells: dict[int, dict[str, tuple[int, int]]] = defaultdict(dict)
    rows = MasteryRow.objects.filter(
        exam_id=cohort.exam_id, dimension=dimension, learner_id__in=_member_ids(cohort)
    ).values_list("learner_id", "key", "correct", "total")
    for learner_id, key, correct, total in rows:
        cells[learner_id][key] = (correct, total)
    return cells


def _mastery(cell: tuple[int, int] | None) -> float | None:
    if not cell or not cell[1]:
        return None
    return round((cell[0] + 1) / (cell[1] + 2), 3)


def _roster(*, cohort: Cohort, now: datetime) -> tuple[list[dict], list[Domain], dict]:
    """One row per member: attempts, latest and best full-length score, pass, readiness, last
    activity, assignments done, mastery per domain. Also the domains and the raw domain cells."""
    exam = cohort.exam
    members = cohort_members(cohort=cohort)
    attempts = {
        row["learner_id"]: row
        for row in Attempt.objects.filter(exam=exam, learner_id__in=_member_ids(cohort))
        .values("learner_id")
        .annotate(
            graded=Count("id", filter=Q(status=Attempt.Status.GRADED)),
            started=Count("id"),
            last_activity=Max("updated_at"),
            best=Max("result__scaled_score", filter=Q(mode__in=FULL_LENGTH)),
        )
    }
    # Each member's RECENT latest full-length results, newest first (for readiness and "latest").
    recent: dict[int, list[tuple[int, int, int, bool]]] = defaultdict(list)
    results_table, attempts_table = AttemptResult._meta.db_table, Attempt._meta.db_table
    members_table = Membership._meta.db_table
    sql = f"""
        SELECT learner_id, correct, total, scaled_score, passed FROM (
            SELECT a.learner_id, r.correct, r.total, r.scaled_score, r.passed,
                   ROW_NUMBER() OVER (PARTITION BY a.learner_id ORDER BY a.graded_at DESC, a.id) AS recency
            FROM {results_table} r
            JOIN {attempts_table} a ON a.id = r.attempt_id
            JOIN {members_table} m ON m.learner_id = a.learner_id AND m.cohort_id = %s
            WHERE a.exam_id = %s AND a.mode IN (%s, %s)
        ) latest
        WHERE recency <= %s
        ORDER BY learner_id, recency
    """  # noqa: S608 - table names come from the models; every value is a parameter
    with connection.cursor() as cursor:
        cursor.execute(sql, [cohort.pk, exam.pk, *FULL_LENGTH, RECENT])
        for learner_id, correct, total, scaled, passed in cursor.fetchall():
            recent[learner_id].append((correct, total, scaled, bool(passed)))
    opened = [a.pk for a in cohort.assignments.all() if a.opens_at <= now]
    done = {
        row["learner"]: row["n"]
        for row in AssignmentAttempt.objects.filter(
            assignment_id__in=opened,
            attempt__status__in=[Attempt.Status.SUBMITTED, Attempt.Status.EXPIRED, Attempt.Status.GRADED],
        )
        .values("learner")
        .annotate(n=Count("assignment", distinct=True))
    }
    domains = list(exam.domains.order_by("number"))
    cells = _mastery_cells(cohort=cohort, dimension="domain")
    spec = scale_spec(exam)
    rows = []
    for membership in members:
        learner = membership.learner
        stats = attempts.get(learner.pk, {})
        latest = recent.get(learner.pk, [])
        ready = readiness([(c, n) for c, n, _, _ in latest], spec, exam.question_count)
        rows.append(
            {
                "id": learner.pk,
                "username": learner.username,
                "name": learner.get_full_name(),
                "joined_at": membership.joined_at,
                "attempts": stats.get("graded", 0),
                "attempts_started": stats.get("started", 0),
                "latest_score": latest[0][2] if latest else None,
                "best_score": stats.get("best"),
                "passed": latest[0][3] if latest else None,
                "readiness": (
                    {
                        "predicted_score": ready.predicted_score,
                        "low": ready.low,
                        "high": ready.high,
                        "pass_probability": ready.pass_probability,
                        "based_on": ready.based_on,
                    }
                    if ready
                    else None
                ),
                "last_activity": stats.get("last_activity"),
                "assignments_done": done.get(learner.pk, 0),
                "assignments_total": len(opened),
                "domains": [_mastery(cells.get(learner.pk, {}).get(str(d.number))) for d in domains],
            }
        )
    return rows, domains, cells


def _most_missed(*, cohort: Cohort) -> list[dict]:
    """The questions of the cohort's exam that the most members got wrong the last time they
    answered them, with the distractor the cohort chose most."""
    exam = cohort.exam
    in_exam = Question.objects.filter(
        Q(task_statement__domain__exam=exam) | Q(alt_task_statement__domain__exam=exam)
    ).values("id")
    rows = list(
        SeenQuestion.objects.filter(
            learner_id__in=_member_ids(cohort), question_id__in=in_exam, last_correct__isnull=False
        )
        .values("question_id")
        .annotate(
            answered_by=Count("id"),  # one row per learner and question
            missed_by=Count("id", filter=Q(last_correct=False)),
            misses=Sum("misses"),
        )
        .filter(missed_by__gt=0)
        .order_by("-missed_by", "-misses", "question_id")[:MOST_MISSED]
    )
    if not rows:
        return []
    ids = [r["question_id"] for r in rows]
    questions = {
        q.pk: q for q in Question.objects.filter(pk__in=ids).select_related("task_statement").only(
            "uid", "stem", "type", "task_statement__code", "task_statement__title"
        )
    }  # fmt: skip
    distractors: dict[int, tuple[str, int]] = {}
    for row in (
        Mistake.objects.filter(exam=exam, question_id__in=ids, learner_id__in=_member_ids(cohort))
        .values("question_id", "chosen_text")
        .annotate(n=Count("id"))
        .order_by("question_id", "-n", "chosen_text")
    ):
        distractors.setdefault(row["question_id"], (row["chosen_text"], row["n"]))
    out = []
    for r in rows:
        q = questions[r["question_id"]]
        distractor = distractors.get(q.pk)
        out.append(
            {
                "question_id": q.pk,
                "uid": q.uid,
                "stem": q.stem,
                "type": q.type,
                "task_statement": q.task_statement.code,
                "answered_by": r["answered_by"],
                "missed_by": r["missed_by"],
                "misses": r["misses"],
                "top_distractor": {"text": distractor[0], "chosen": distractor[1]} if distractor else None,
            }
        )
    return out


def _scores_over_time(*, cohort: Cohort) -> list[rules.Spread]:
    points = list(
        AttemptResult.objects.filter(
            attempt__exam=cohort.exam,
            attempt__mode__in=FULL_LENGTH,
            attempt__learner_id__in=_member_ids(cohort),
        ).values_list("attempt__graded_at", "attempt__learner_id", "scaled_score")
    )
    return rules.weekly_spread(points)


def cohort_dashboard(*, cohort: Cohort, now: datetime | None = None) -> dict:
    now = now or timezone.now()
    roster, domains, _ = _roster(cohort=cohort, now=now)
    task_cells = _mastery_cells(cohort=cohort, dimension="task")
    tasks = {t.code: t for t in TaskStatement.objects.filter(domain__exam=cohort.exam)}
    weakest = rules.weakest(rules.cohort_mastery(task_cells), WEAKEST)
    progress = assignment_progress(cohort=cohort, now=now)
    return {
        "cohort": {"id": cohort.pk, "name": cohort.name, "exam": cohort.exam.code, "members": len(roster)},
        "passing_score": cohort.exam.passing_score,
        "domains": [{"number": d.number, "name": d.name} for d in domains],
        "learners": roster,
        "weakest": [
            {
                "key": m.key,
                "label": tasks[m.key].title if m.key in tasks else m.key,
                "mastery": m.mean,
                "learners": m.learners,
                "correct": m.correct,
                "total": m.total,
            }
            for m in weakest
        ],
        "most_missed": _most_missed(cohort=cohort),
        "scores_over_time": [
            {
                "week": s.week,
                "attempts": s.attempts,
                "learners": s.learners,
                "min": s.minimum,
                "p25": s.p25,
                "median": s.median,
                "p75": s.p75,
                "max": s.maximum,
            }
            for s in _scores_over_time(cohort=cohort)
        ],
        "assignments": [
            {"id": a.pk, "title": a.title, "due_at": a.due_at, **progress[a.pk]}
            for a in cohort.assignments.order_by("due_at", "id")
        ],
    }


def cohort_heatmap(*, cohort: Cohort, domain_number: int) -> dict:
    """The drill-down: members × the task statements of one domain."""
    domain = cohort.exam.domains.filter(number=domain_number).prefetch_related("task_statements").first()
    if domain is None:
        raise ApiError(f"{cohort.exam.code} has no domain {domain_number}", code="unknown_domain", field="domain")
    tasks = list(domain.task_statements.order_by("code"))
    cells = _mastery_cells(cohort=cohort, dimension="task")
    members = cohort_members(cohort=cohort)
    return {
        "domain": {"number": domain.number, "name": domain.name},
        "task_statements": [{"code": t.code, "title": t.title} for t in tasks],
        "learners": [
            {
                "id": m.learner_id,
                "username": m.learner.username,
                "cells": [_mastery(cells.get(m.learner_id, {}).get(t.code)) for t in tasks],
            }
            for m in members
        ],
    }


def cohort_roster(*, cohort: Cohort, now: datetime | None = None) -> tuple[list[dict], list[Domain]]:
    """The rows of the CSV export."""
    roster, domains, _ = _roster(cohort=cohort, now=now or timezone.now())
    return roster, domains
