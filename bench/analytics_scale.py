"""Analytics at scale: item statistics (pure and from the database) and a learner's progress.

    .venv/bin/python bench/analytics_scale.py [--matrix 10000x65] [--history 50]

Targets (grading issue): item statistics for 10,000 attempts × 65 items under 2 s; GET
/api/me/progress/ under 50 ms median for a learner with 50 graded attempts, with a query count that
does not grow with the number of attempts.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from common import report, setup_django, summary, timed, vacuum_analyze


def graded_history(username: str, n: int) -> object:
    from django.contrib.auth.models import User
    from django.utils import timezone

    from exams import services, snapshot
    from exams.models import Attempt, AttemptItem
    from questions.models import Exam

    user, _ = User.objects.get_or_create(username=username)
    Attempt.objects.filter(learner=user).delete()
    exam = Exam.objects.get(code="MLA-C01")
    for k in range(n):
        mode = "full" if k % 2 == 0 else "practice"
        attempt, items = services.attempt_start(learner=user, exam=exam, mode=mode, count=20)
        for item in items:
            content = item.version.content
            shown = snapshot.public(content, item.layout)
            right = (item.position * 37 + k) % 10 < 7
            item.answer = snapshot.key(content, item.layout) if right else (
                {"selected": [shown["options"][0]["id"]]} if shown["type"] == "multiple_choice" else None
            )  # fmt: skip
        AttemptItem.objects.bulk_update(items, ["answer"])
        Attempt.objects.filter(pk=attempt.pk).update(status="submitted", submitted_at=timezone.now())
        services.attempt_grade(attempt_id=attempt.pk, batch=1)
    return user


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--matrix", default="10000x65")
    parser.add_argument("--history", type=int, default=50)
    args = parser.parse_args()
    setup_django()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient
    from seed import seed_bank

    from analytics.psychometrics import item_statistics
    from analytics.services import item_statistics_recompute
    from exams.models import Attempt

    rows = []
    attempts, items = (int(x) for x in args.matrix.split("x"))
    rng = np.random.default_rng(7)
    ability = rng.normal(size=(attempts, 1))
    marks = (rng.random((attempts, items)) < 1 / (1 + np.exp(-(ability - rng.normal(size=(1, items)))))).astype(float)
    samples = timed(lambda: item_statistics(marks, np.ones(items)), runs=5, warmup=1)
    rows.append(
        {"measure": f"item_statistics() on {attempts} x {items} (numpy)", **summary(samples), "target_ms": 2000}
    )
    bank_marks = marks.copy()
    bank_marks[rng.random(marks.shape) < 0.5] = np.nan
    samples = timed(lambda: item_statistics(bank_marks, np.ones(items)), runs=5, warmup=1)
    rows.append({"measure": "... with half the cells unseen (NaN)", **summary(samples), "target_ms": ""})

    seed_bank(1000)
    vacuum_analyze()
    graded = Attempt.objects.filter(status="graded", mode__in=["full", "final"]).count()
    start = time.perf_counter()
    item_statistics_recompute()
    rows.append({"measure": f"recompute item statistics from {graded} graded full mocks (DB)", "runs": 1,
                 "median_ms": round((time.perf_counter() - start) * 1000, 1), "target_ms": ""})  # fmt: skip

    for n in (args.history // 5, args.history):
        user = graded_history(f"bench-progress-{n}", n)
        vacuum_analyze()
        client = APIClient()
        client.force_login(user)
        assert client.get("/api/me/progress/").status_code == 200
        with CaptureQueriesContext(connection) as ctx:
            client.get("/api/me/progress/")
        queries = len(ctx.captured_queries)
        samples = timed(lambda client=client: client.get("/api/me/progress/"), runs=100)
        rows.append({"measure": f"GET /api/me/progress/, {n} graded attempts", **summary(samples),
                     "queries": queries, "target_ms": 50})  # fmt: skip
    report("analytics", rows, ["measure", "runs", "median_ms", "p95_ms", "queries", "target_ms"])


if __name__ == "__main__":
    main()
