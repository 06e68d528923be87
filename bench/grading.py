"""Grading throughput: N submitted 65-question attempts drained by real Celery workers on Redis.

    .venv/bin/python bench/grading.py [--attempts 1000] [--concurrency 1 2] [--publish submit|each]

For each concurrency (pool processes of one worker), the benchmark starts a worker on a queue of
its own, waits until it is ready, enqueues each attempt as its submission does
(``exams.services.enqueue_grading``: a message only when no grading task is waiting; ``--publish
each`` publishes one message per attempt, as before), and times from the first publish to the last
attempt graded (polling PostgreSQL). Target (grading issue): 200 attempts/s for
one worker. Redis database 14 is used and flushed.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import uuid

from common import BENCH_DATABASE_URL, RESULTS, ROOT, report, setup_django, vacuum_analyze

BROKER = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/14")


COLUMNS = ["concurrency", "batch", "attempts", "messages", "seconds", "attempts_per_s", "scaling", "publish_s",
           "target_per_s"]  # fmt: skip


def make_submitted(n: int, learners: int = 20) -> list[str]:
    from django.contrib.auth.models import User
    from django.utils import timezone

    from exams import services, snapshot
    from exams.models import Attempt, AttemptItem
    from questions.models import Exam

    exam = Exam.objects.get(code="MLA-C01")
    people = [User.objects.get_or_create(username=f"bench-grader-{i}")[0] for i in range(learners)]
    Attempt.objects.filter(learner__username__startswith="bench-grader-").delete()
    ids = []
    for k in range(n):
        attempt, items = services.attempt_start(learner=people[k % learners], exam=exam, mode="full")
        for item in items:
            if (item.position + k) % 3:  # two in three right
                item.answer = snapshot.key(item.version.content, item.layout)
        AttemptItem.objects.bulk_update(items, ["answer"])
        Attempt.objects.filter(pk=attempt.pk).update(status="submitted", submitted_at=timezone.now())
        ids.append(str(attempt.pk))
    return ids


def drain(ids: list[str], concurrency: int, pool: str, publish: str) -> dict:
    from django.conf import settings

    from exams.models import Attempt, AttemptResult, ResultRow
    from exams.tasks import grade_attempt

    AttemptResult.objects.filter(attempt_id__in=ids).delete()
    ResultRow.objects.filter(attempt_id__in=ids).delete()
    Attempt.objects.filter(pk__in=ids).update(status="submitted", graded_at=None)
    vacuum_analyze()  # the previous drain's rows are dead now
    queue = f"bench-{uuid.uuid4().hex[:6]}"
    log = RESULTS / f"{queue}.log"
    env = {**os.environ, "DATABASE_URL": BENCH_DATABASE_URL, "CELERY_BROKER_URL": BROKER, "LOG_LEVEL": "WARNING"}
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "mlaexam", "worker", f"--pool={pool}", f"--concurrency={concurrency}",
         "--queues", queue, "--loglevel=warning", "--without-heartbeat", "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    time.sleep(1)
    from mlaexam.celery import app

    deadline = time.monotonic() + 60
    while not app.control.ping(timeout=0.5) and time.monotonic() < deadline:
        pass
    spy = None
    if os.environ.get("BENCH_PYSPY"):
        # --subprocesses: the grading runs in the prefork pool's child, not in the process started here.
        spy = subprocess.Popen([str(ROOT / ".venv/bin/py-spy"), "record", "--subprocesses", "-p", str(worker.pid),
                                "-d", "8", "-f", "raw", "-o", os.environ["BENCH_PYSPY"], "-r", "100"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    from exams import services

    app.conf.task_routes = {"exams.*": {"queue": queue}}  # as submissions route them, to this worker
    app.amqp.flush_routes()
    app.amqp.router = app.amqp.Router()
    # Poll cheaply: counting 5,000 ids in an IN list ten times a second took a third of a core from
    # the worker and PostgreSQL. The attempts are their learners' only ungraded ones.
    learners = list(Attempt.objects.filter(pk__in=ids).values_list("learner_id", flat=True).distinct())
    waiting = Attempt.objects.filter(learner_id__in=learners, status__in=["submitted", "expired"])
    start = time.perf_counter()
    if publish == "each":  # one message per attempt, as before messages were coalesced
        for attempt_id in ids:
            grade_attempt.apply_async(args=[attempt_id], queue=queue)
        messages = len(ids)
    else:  # what a submission does: publish unless a grading task is waiting already
        messages = sum(services.enqueue_grading(attempt_id) for attempt_id in ids)
    published = time.perf_counter() - start
    while waiting.exists():
        time.sleep(0.1)
    elapsed = time.perf_counter() - start
    if spy:
        spy.wait()
    os.killpg(worker.pid, signal.SIGTERM)
    worker.wait(timeout=60)
    return {
        "pool": pool,
        "concurrency": concurrency,
        "batch": int(os.environ.get("EXAM_GRADE_BATCH") or settings.EXAM_GRADE_BATCH),
        "attempts": len(ids),
        "seconds": round(elapsed, 2),
        "attempts_per_s": round(len(ids) / elapsed, 1),
        "publish_s": round(published, 2),
        "messages": messages,
        "target_per_s": 200 if concurrency == 1 else "",
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--attempts", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--learners", type=int, default=20, help="the attempts are spread over this many learners")
    parser.add_argument("--batch", type=int, help="EXAM_GRADE_BATCH for the workers (default: the setting's)")
    parser.add_argument("--pool", default="prefork", choices=["prefork", "solo"])
    parser.add_argument(
        "--publish", default="submit", choices=["submit", "each"],
        help="submit: enqueue as a submission does (coalesced); each: one message per attempt",
    )  # fmt: skip
    args = parser.parse_args()
    os.environ["CELERY_BROKER_URL"] = BROKER
    setup_django(broker_url=BROKER)
    import redis

    redis.Redis.from_url(BROKER).flushdb()
    from seed import seed_bank

    seed_bank(1000)
    print(f"creating {args.attempts} submitted 65-question attempts ...", flush=True)
    ids = make_submitted(args.attempts, args.learners)
    if args.batch:
        os.environ["EXAM_GRADE_BATCH"] = str(args.batch)
    rows = [drain(ids, c, args.pool, args.publish) for c in args.concurrency]
    if len(rows) > 1:
        base = rows[0]["attempts_per_s"]
        for row in rows:
            row["scaling"] = round(row["attempts_per_s"] / base, 2)
    report(
        "grading",
        rows,
        COLUMNS,
    )


if __name__ == "__main__":
    main()
