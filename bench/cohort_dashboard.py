"""The cohort dashboard and CSV export at scale.

    .venv/bin/python bench/cohort_dashboard.py [--learners 500] [--attempts 10] [--runs 20]

Target (cohort issue): dashboard and CSV export for a cohort of 500 learners with 10 graded
attempts each under 300 ms median, with a query count that does not grow with the number of
learners (compared with a 50-learner cohort drawn from the same learners).

The seed goes through the real services (start a full mock, answer, grade in batches), with the
attempts spread over ten weeks; it takes several minutes once and is reused while it matches.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import timedelta

from common import report, setup_django, summary, timed


def seed(learners: int, attempts: int) -> tuple[object, object]:
    from django.contrib.auth.models import Group, User
    from django.db import transaction
    from django.utils import timezone

    from cohorts import services as cohort_services
    from cohorts.models import AssignmentAttempt, Cohort, Membership
    from exams import services, snapshot
    from exams.models import Attempt, AttemptItem, AttemptResult, Mistake, ResultRow
    from questions.models import Exam

    exam = Exam.objects.get(code="MLA-C01")
    teacher, _ = User.objects.get_or_create(username="bench-instructor")
    teacher.groups.add(Group.objects.get(name="Instructors"))
    name = f"bench cohort {learners}x{attempts}"
    cohort = Cohort.objects.filter(name=name).first()
    prefix = f"bench-c{learners}x{attempts}-"
    if cohort is not None:
        graded = Attempt.objects.filter(learner__username__startswith=prefix, status="graded").count()
        if graded == learners * attempts and cohort.memberships.count() == learners:
            return cohort, teacher
        cohort.delete()
    User.objects.filter(username__startswith=prefix).delete()
    cohort = cohort_services.cohort_create(creator=teacher, name=name, exam=exam)
    now = timezone.now()
    work = [
        cohort_services.assignment_create(
            cohort=cohort, creator=teacher, title=f"Mock {k + 1}", mode="full",
            opens_at=now - timedelta(weeks=attempts), due_at=now + timedelta(days=7),
        )
        for k in range(3)
    ]  # fmt: skip
    users = User.objects.bulk_create(User(username=f"{prefix}{i:04d}") for i in range(learners))
    Membership.objects.bulk_create(Membership(cohort=cohort, learner=u, joined_at=now) for u in users)
    rng = random.Random(7)
    started = time.perf_counter()
    for n, user in enumerate(users):
        ability = rng.uniform(0.45, 0.95)
        for k in range(attempts):
            with transaction.atomic():
                attempt, items = services.attempt_start(learner=user, exam=exam, mode="full")
                for item in items:
                    content = item.version.content
                    shown = snapshot.public(content, item.layout)
                    if rng.random() < ability + 0.02 * k:
                        item.answer = snapshot.key(content, item.layout)
                    elif shown["type"] in ("multiple_choice", "multiple_response"):
                        item.answer = {"selected": [shown["options"][0]["id"]]}
                AttemptItem.objects.bulk_update(items, ["answer"])
                Attempt.objects.filter(pk=attempt.pk).update(status="submitted", submitted_at=timezone.now())
                if k < len(work):
                    AssignmentAttempt.objects.create(assignment=work[k], attempt=attempt, learner=user)
        if n % 50 == 49:
            print(f"  started {(n + 1) * attempts} attempts ({time.perf_counter() - started:.0f} s)", flush=True)
    while True:
        waiting = list(Attempt.objects.filter(status="submitted").values_list("pk", flat=True)[:50])
        if not waiting:
            break
        services.attempt_grade(attempt_id=waiting[0], batch=50)
    print(f"  graded ({time.perf_counter() - started:.0f} s)", flush=True)
    # Spread the attempts over the weeks: the k-th attempt of everyone k weeks before the last.
    ids = list(
        Attempt.objects.filter(learner__username__startswith=prefix)
        .order_by("learner_id", "started_at")
        .values_list("pk", "learner_id")
    )
    by_learner: dict[int, list] = {}
    for pk, learner_id in ids:
        by_learner.setdefault(learner_id, []).append(pk)
    for k in range(attempts):
        when = now - timedelta(weeks=attempts - 1 - k)
        chosen = [pks[k] for pks in by_learner.values() if len(pks) > k]
        Attempt.objects.filter(pk__in=chosen).update(graded_at=when, updated_at=when)
        ResultRow.objects.filter(attempt_id__in=chosen).update(graded_at=when)
        Mistake.objects.filter(attempt_id__in=chosen).update(graded_at=when)
    assert AttemptResult.objects.filter(attempt__learner__username__startswith=prefix).count() == learners * attempts
    return cohort, teacher


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=500)
    parser.add_argument("--attempts", type=int, default=10)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    setup_django()
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from rest_framework.test import APIClient
    from seed import seed_bank

    from cohorts.models import Cohort, Membership

    seed_bank(1000)
    cohort, teacher = seed(args.learners, args.attempts)
    small_size = max(1, args.learners // 10)
    small = Cohort.objects.filter(name=f"bench subset {small_size}").first()
    if small is None or small.memberships.count() != small_size:
        if small is not None:
            small.delete()
        from cohorts import services as cohort_services

        small = cohort_services.cohort_create(creator=teacher, name=f"bench subset {small_size}", exam=cohort.exam)
        members = Membership.objects.filter(cohort=cohort).order_by("learner_id")[:small_size]
        Membership.objects.bulk_create(
            Membership(cohort=small, learner_id=m.learner_id, joined_at=timezone.now()) for m in members
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics after the seed, as autovacuum would give
    client = APIClient()
    client.force_login(teacher)
    rows = []
    for target, size in ((small, small_size), (cohort, args.learners)):
        for label, path in (
            ("GET dashboard", f"/api/cohorts/{target.pk}/dashboard/"),
            ("GET export.csv", f"/api/cohorts/{target.pk}/export.csv"),
            ("GET heatmap ?domain=2", f"/api/cohorts/{target.pk}/heatmap/?domain=2"),
        ):
            response = client.get(path)
            assert response.status_code == 200, response.content[:300]
            reset_queries()  # each request resets the log; start the count from zero
            with CaptureQueriesContext(connection) as ctx:
                client.get(path)
            queries = len(ctx.captured_queries)  # now: the next requests clear the log
            samples = timed(lambda path=path: client.get(path), runs=args.runs, warmup=2)
            rows.append(
                {
                    "measure": f"{label}, {size} learners x {args.attempts} attempts",
                    **summary(samples),
                    "queries": queries,
                    "bytes": len(response.content),
                    "target_ms": 300 if size == args.learners and "heatmap" not in label else "",
                }
            )
    report(
        "cohort_dashboard", rows, ["measure", "runs", "median_ms", "p95_ms", "max_ms", "queries", "bytes", "target_ms"]
    )


if __name__ == "__main__":
    main()
