"""Where a grading batch's database time goes: every statement's total time, in-process.

    .venv/bin/python bench/grading_statements.py [--attempts 300] [--pipeline]

Creates N submitted 65-question attempts on the bench database (as bench/grading.py does), then
grades them in this process as a worker's task does (``exams.services.attempts_grade_waiting``,
batches of ``EXAM_GRADE_BATCH``), timing each SQL statement with ``connection.execute_wrapper``.
Prints the attempts per second and the statements by total time; no broker, no worker, so the
figures are the grading code and PostgreSQL alone. A batch's writes are pipelined in production
(exams.services.grading.PIPELINE); here they are not, so that each statement's time is its own,
unless ``--pipeline`` (then a pipelined statement shows only the time to send it).
"""

from __future__ import annotations

import argparse
import collections
import time

from common import setup_django, vacuum_analyze


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--attempts", type=int, default=300)
    parser.add_argument("--pipeline", action="store_true", help="pipeline the writes, as production does")
    args = parser.parse_args()
    setup_django()
    from django.db import connection
    from grading import make_submitted
    from seed import seed_bank

    from exams import services
    from exams.services import grading

    grading.PIPELINE = args.pipeline

    seed_bank(1000)
    ids = make_submitted(args.attempts)
    vacuum_analyze()
    stats: dict[str, list] = collections.defaultdict(lambda: [0, 0.0])

    def timed(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            entry = stats[" ".join(sql.split())[:100]]
            entry[0] += 1
            entry[1] += time.perf_counter() - start

    start = time.perf_counter()
    with connection.execute_wrapper(timed):
        graded, _ = services.attempts_grade_waiting(seconds=3600)
    elapsed = time.perf_counter() - start
    assert graded == len(ids), f"graded {graded} of {len(ids)}"
    total_sql = sum(s for _, s in stats.values())
    print(f"{len(ids)} attempts in {elapsed:.2f} s = {len(ids) / elapsed:.1f}/s; "
          f"SQL {1000 * total_sql / len(ids):.2f} ms per attempt")  # fmt: skip
    print(" seconds  calls  statement")
    for sql, (calls, seconds) in sorted(stats.items(), key=lambda kv: -kv[1][1])[:15]:
        print(f"{seconds:8.3f} {calls:6d}  {sql}")


if __name__ == "__main__":
    main()
