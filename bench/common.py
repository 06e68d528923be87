"""Shared set-up for benchmarks: a database of their own on the PostgreSQL server, and a table printer.

Benchmarks are not tests: they print a table, write JSON to bench/results/, and never gate CI.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
BENCH_DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mlaexam_bench")


def setup_django(*, broker_url: str = "") -> None:
    """Point Django at the bench database (created if missing) and migrate it."""
    os.environ["DATABASE_URL"] = BENCH_DATABASE_URL
    os.environ["CELERY_BROKER_URL"] = broker_url
    # Production settings (no query log, no debug overhead), reachable from the in-process test client.
    os.environ.setdefault("DEBUG", "False")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-" + "x" * 40)
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "False")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mlaexam.settings")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    # Benchmarks measure the app, not the rate limits (mlaexam/throttling.py).
    os.environ.setdefault(
        "THROTTLE_RATES", "sign-in=off,sign-in-account=off,sign-up=off,token=off,autosave=off,join=off"
    )
    sys.path.insert(0, str(ROOT))
    import psycopg

    base = BENCH_DATABASE_URL.rsplit("/", 1)
    with psycopg.connect(f"{base[0]}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (base[1],)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{base[1]}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    import gc

    gc.freeze()  # as mlaexam/wsgi.py does in the serving processes


def vacuum_analyze() -> None:
    """Fresh statistics and no dead rows after seeding, as autovacuum would leave them (it is off on
    the development machine's PostgreSQL; a production server has it on)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def timed(fn: Callable[[], object], runs: int, warmup: int = 3) -> list[float]:
    """Milliseconds per call."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def summary(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {
        "runs": len(samples),
        "median_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 2),
        "max_ms": round(ordered[-1], 2),
    }


def commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        return "unknown"


def report(name: str, rows: list[dict], columns: list[str]) -> Path:
    widths = {c: max(len(c), *(len(str(r.get(c, ""))) for r in rows)) for c in columns}
    print(" | ".join(c.ljust(widths[c]) for c in columns))
    print("-|-".join("-" * widths[c] for c in columns))
    for row in rows:
        print(" | ".join(str(row.get(c, "")).ljust(widths[c]) for c in columns))
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC)
    path = RESULTS / f"{name}-{stamp:%Y%m%dT%H%M%SZ}.json"
    path.write_text(
        json.dumps(
            {
                "benchmark": name,
                "date": stamp.isoformat(),
                "commit": commit(),
                "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
                "rows": rows,
            },
            indent=2,
        )
    )
    print(f"\nwrote {path.relative_to(ROOT)}")
    return path
