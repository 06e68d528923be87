"""Start a 65-question full mock from a 1,000-question bank, and save an answer, in-process on PostgreSQL.

    .venv/bin/python bench/exam_flow.py [--bank 1000] [--runs 50]

Targets (issue: timed mock exams): start under 50 ms, save under 10 ms (median and p95). Measured
two ways: calling the services directly, and through the whole Django/DRF stack with the test
client (session auth, serializers, JSON), both in this process.
"""

from __future__ import annotations

import argparse
import itertools

from common import report, setup_django, summary, timed, vacuum_analyze


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bank", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    setup_django()

    from django.contrib.auth.models import User
    from django.db import connection
    from rest_framework.test import APIClient
    from seed import seed_bank

    from exams import services, snapshot
    from exams.models import Attempt
    from questions.models import Exam

    seed_bank(args.bank)
    exam = Exam.objects.get(code="MLA-C01")
    user, _ = User.objects.get_or_create(username="bench-learner")
    Attempt.objects.filter(learner=user).delete()
    vacuum_analyze()  # as autovacuum would leave the database (it is off on the development machine)
    client = APIClient()
    client.force_login(user)

    rows = []
    start_service = timed(lambda: services.attempt_start(learner=user, exam=exam, mode="full"), args.runs)
    rows.append({"operation": "start full mock (service)", **summary(start_service), "target_ms": 50})
    start_http = timed(
        lambda: client.post("/api/attempts/", {"exam": "MLA-C01", "mode": "full"}, format="json"), args.runs
    )
    rows.append({"operation": "POST /api/attempts/ (full stack)", **summary(start_http), "target_ms": 50})

    attempt, items = services.attempt_start(learner=user, exam=exam, mode="full")
    shown = [(i.position, snapshot.public(i.version.content, i.layout)) for i in items]
    choices = itertools.cycle(
        [(position, {"selected": [c["options"][0]["id"]]}) for position, c in shown if c["type"] == "multiple_choice"]
    )

    def save_service():
        position, answer = next(choices)
        services.answer_save(attempt_id=attempt.pk, learner=user, position=position, answer=answer, flagged=False)

    def save_http():
        position, answer = next(choices)
        client.put(f"/api/attempts/{attempt.pk}/items/{position}/", {"answer": answer, "flagged": True}, format="json")

    rows.append(
        {"operation": "save an answer (service)", **summary(timed(save_service, args.runs * 10)), "target_ms": 10}
    )
    rows.append(
        {"operation": "PUT .../items/{n}/ (full stack)", **summary(timed(save_http, args.runs * 10)), "target_ms": 10}
    )
    resume = timed(lambda: client.get(f"/api/attempts/{attempt.pk}/"), args.runs)
    rows.append({"operation": "GET /api/attempts/{id}/ (resume, 65 items)", **summary(resume), "target_ms": ""})
    for row in rows:
        row["bank"] = args.bank
    print(f"PostgreSQL {connection.pg_version}, bank of {args.bank} published questions\n")
    report("exam_flow", rows, ["operation", "runs", "median_ms", "p95_ms", "max_ms", "target_ms", "bank"])


if __name__ == "__main__":
    main()
