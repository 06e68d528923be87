"""A cohort starting the same full mock at once: N learners within a few seconds, against the served app.

    .venv/bin/python bench/start_spike.py [--learners 300] [--window 10]

The same gunicorn and Celery worker set-up as bench/load.py (bench/servers.py). Each learner has an
API token (created in bulk) and sends one ``POST /api/attempts/ {"exam": "MLA-C01", "mode": "full"}``
at its own moment, spread evenly over ``--window`` seconds (open arrivals: a slow response does not
hold back the next learner, as in a room where everyone clicks "start" at the instructor's word).
Every response must be a 201 with 65 questions. Reports p50/p95/p99 of the start time and the
errors. Target (benchmarks issue): p99 under 500 ms, no errors.
"""

from __future__ import annotations

import argparse
import math
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests
import servers
from common import report, setup_django, vacuum_analyze

TARGET_P99_MS = 500


def start_one(base_url: str, token: str, at: float, barrier: threading.Event) -> tuple[float, str]:
    """Wait for the learner's moment, start the mock; (milliseconds, error or "")."""
    barrier.wait()
    delay = at - time.monotonic()
    if delay > 0:
        time.sleep(delay)
    began = time.perf_counter()
    try:
        response = requests.post(
            f"{base_url}/api/attempts/",
            json={"exam": "MLA-C01", "mode": "full"},
            headers={"Authorization": f"Token {token}"},
            timeout=60,
        )
        elapsed = (time.perf_counter() - began) * 1000
        if response.status_code != 201:
            return elapsed, f"{response.status_code} {response.text[:120]}"
        if len(response.json()["items"]) != 65:
            return elapsed, "not 65 items"
        return elapsed, ""
    except requests.RequestException as exc:
        return (time.perf_counter() - began) * 1000, type(exc).__name__


def percentile(ordered: list[float], fraction: float) -> float:
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def spike(base_url: str, tokens: list[str], window: float) -> dict:
    barrier = threading.Event()
    with ThreadPoolExecutor(max_workers=len(tokens)) as pool:
        zero = time.monotonic() + 1.0  # every thread is waiting on the barrier by then
        futures = [
            pool.submit(start_one, base_url, token, zero + window * i / len(tokens), barrier)
            for i, token in enumerate(tokens)
        ]
        barrier.set()
        results = [f.result() for f in futures]
    span = time.monotonic() - zero
    ordered = sorted(ms for ms, _ in results)
    errors = [e for _, e in results if e]
    return {
        "learners": len(tokens),
        "window_s": window,
        "arrivals_per_s": round(len(tokens) / window, 1),
        "p50_ms": round(percentile(ordered, 0.50), 1),
        "p95_ms": round(percentile(ordered, 0.95), 1),
        "p99_ms": round(percentile(ordered, 0.99), 1),
        "max_ms": round(ordered[-1], 1),
        "errors": len(errors),
        "all_done_s": round(span, 1),
        "target_p99_ms": TARGET_P99_MS,
        "error_kinds": sorted(set(errors))[:5],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=300)
    parser.add_argument("--window", type=float, default=10, help="seconds over which the learners start")
    parser.add_argument("--bank", type=int, default=1000)
    servers.add_arguments(parser)
    args = parser.parse_args()
    config = servers.config_from(args)

    setup_django(broker_url=servers.BROKER_URL)
    from seed import seed_bank

    seed_bank(args.bank)
    accounts = servers.learners_ensure(args.learners, prefix="bench-spike")  # their earlier attempts deleted
    vacuum_analyze()  # as autovacuum would leave the database (it is off on the development machine)
    servers.analyze()
    load_before = servers.load_average()
    with servers.serving(config, name="spike") as base_url:
        # Warm every gunicorn worker (imports, the first connection) with a few cheap requests.
        warm = [accounts[0]["token"]] * (config.workers * config.threads * 4)
        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(lambda t: requests.get(f"{base_url}/api/auth/me/", headers={"Authorization": f"Token {t}"},
                                                 timeout=30), warm))  # fmt: skip
        print(f"{args.learners} learners start a full mock within {args.window:.0f} s; gunicorn {config.label()}; "
              f"load average {load_before}", flush=True)  # fmt: skip
        row = spike(base_url, [a["token"] for a in accounts], args.window)
    row["server"] = config.label()
    row["load_average_before"] = load_before
    verdict = "met" if row["p99_ms"] < TARGET_P99_MS and not row["errors"] else "NOT met"
    report(
        "start_spike",
        [row],
        ["learners", "window_s", "arrivals_per_s", "p50_ms", "p95_ms", "p99_ms", "max_ms", "errors", "all_done_s",
         "target_p99_ms"],
    )  # fmt: skip
    print(f"target: p99 < {TARGET_P99_MS} ms and no errors: {verdict}")
    if row["error_kinds"]:
        print("errors:", "; ".join(row["error_kinds"]))


if __name__ == "__main__":
    main()
