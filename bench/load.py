"""Concurrent learners against the served app: gunicorn, one Celery worker, PostgreSQL and Redis.

    .venv/bin/python bench/load.py [--users 50 200 500] [--duration 60]

One command does everything: migrates and seeds the bench database (a 1,000-question bank, learner
accounts with API tokens, in bulk), starts gunicorn (production settings, no rate limits) and one
Celery worker (bench/servers.py), runs locust headless (bench/locustfile.py) for each scenario, stops
the servers whatever happens, prints a table and writes JSON to bench/results/load-<time>.json.

Scenarios, one after another against the same servers:

* ``ceiling``: ``GET /api/auth/me/`` by ``--max-users`` users with no think time: the throughput of
  a trivial token-authenticated DRF endpoint (token lookup, the profile and groups: 3 queries).
* ``autosave-max``: autosaves by ``--max-users`` users with no think time, each on its own full mock
  (token lookup, the attempt under its row lock, the item, the update: 5 queries). Reported as a
  ratio of the ceiling, so like is compared with like.
* ``learners N`` for each ``--users``: the whole flow with 2-5 s think time (bench/locustfile.py):
  sign in once (the password check), start a full mock, autosave answers (one in five flagged),
  resume once, submit, poll the result until graded, start over.

Measurement starts ``--settle`` seconds after every user has signed in (the ramp is reported apart:
its sign-ins cost ~0.5 s of CPU each, PBKDF2 at Django's 1,000,000 iterations) and lasts
``--duration`` seconds. Targets (benchmarks issue): 500 concurrent learners with autosave p99 under
100 ms and no errors; autosave at maximum throughput at least 50% of the ceiling.

The load generator runs on the same machine as the servers, and takes CPU from them. So each
scenario also reports, from gunicorn's access log, the time its requests spent inside a gunicorn
worker ("autosave (in worker)", "all (in worker)"): what the app itself costs, without the wait for
a free worker and the generator's own delays.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import tempfile
import time
from pathlib import Path

import servers
from common import RESULTS, ROOT, report, setup_django, vacuum_analyze

TARGET_P99_MS = 100
TARGET_USERS = 500
TARGET_RATIO = 0.5
ENDPOINT_ORDER = ["sign-in", "start", "autosave", "resume", "submit", "result", "me", "start (set-up)"]


def percentile(ordered: list[float], fraction: float) -> float:
    """Nearest rank."""
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)] if ordered else float("nan")


def stats(samples: list[list], seconds: float) -> dict:
    ordered = sorted(s[2] for s in samples)
    return {
        "requests": len(ordered),
        "req_per_s": round(len(ordered) / seconds, 1) if seconds else 0.0,
        "p50_ms": round(percentile(ordered, 0.50), 1),
        "p95_ms": round(percentile(ordered, 0.95), 1),
        "p99_ms": round(percentile(ordered, 0.99), 1),
        "max_ms": round(ordered[-1], 1) if ordered else float("nan"),
        "errors": sum(1 for s in samples if not s[3]),
    }


def run_locust(
    *, base_url: str, user_class: str, users: int, spawn_rate: float, duration: float, settle: float, args, tag: str
) -> dict:
    """One headless locust run; returns the window and every request made."""
    out = Path(tempfile.mkstemp(prefix=f"locust-{tag}-", suffix=".json", dir=RESULTS)[1])
    out.unlink()  # the locustfile writes it once
    env = {
        **os.environ,
        "BENCH_ACCOUNTS": str(args.accounts_file),
        "BENCH_PASSWORD": "" if args.no_sign_in else servers.LEARNER_PASSWORD,
        "BENCH_TARGET_USERS": str(users),
        "BENCH_SETTLE": str(settle),
        "BENCH_DURATION": str(duration),
        "BENCH_ANSWERS": str(args.answers),
        "BENCH_THINK": ",".join(str(t) for t in args.think),
        "BENCH_OUT": str(out),
    }
    if args.no_sign_in:
        env["BENCH_NO_SIGN_IN"] = "1"
    safety = int(300 + settle + duration + users / spawn_rate)
    command = [
        str(ROOT / ".venv/bin/locust"), "-f", str(ROOT / "bench/locustfile.py"), "--headless", "--host", base_url,
        "-u", str(users), "-r", str(spawn_rate), "-t", f"{safety}s", "--only-summary", "--loglevel", "WARNING",
        "--stop-timeout", "2", user_class,
    ]  # fmt: skip
    log = RESULTS / f"load-locust-{tag}.log"
    print(f"  locust {user_class} -u {users} -r {spawn_rate} ...", flush=True)
    started = time.monotonic()
    with log.open("w") as handle:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT,
                                   start_new_session=True)  # fmt: skip
        try:
            process.wait(timeout=safety + 60)
        finally:
            servers.stop(process)
    if not out.exists():
        raise RuntimeError(f"locust wrote no samples; see {log}")
    data = json.loads(out.read_text())
    if not os.environ.get("BENCH_KEEP_SAMPLES"):  # keep every request (name, start, ms, ok, status) to study
        out.unlink()
    data["wall_s"] = round(time.monotonic() - started, 1)
    return data


def rows_for(scenario: str, users: int, data: dict) -> list[dict]:
    window = data["window"]
    start, end = window["start"], window["end"]
    seconds = end - start
    groups: dict[str, list[list]] = {}
    ramp: dict[str, list[list]] = {}
    for sample in data["samples"]:
        endpoint = sample[0].split(" ", 1)[0] if not sample[0].startswith("start (") else "start (set-up)"
        target = groups if start <= sample[1] <= end else ramp
        target.setdefault(endpoint, []).append(sample)
    rows = []
    for endpoint in ENDPOINT_ORDER:
        if endpoint in groups:
            row = {"scenario": scenario, "users": users, "endpoint": endpoint, **stats(groups[endpoint], seconds)}
            if endpoint == "result":
                row["note"] = f"{sum(1 for s in groups[endpoint] if s[4] == 202)} x 202 (grading)"
            rows.append(row)
    everything = [s for group in groups.values() for s in group]
    rows.append({"scenario": scenario, "users": users, "endpoint": "all", **stats(everything, seconds)})
    # The same window as gunicorn saw it: time inside a worker only (whole-second timestamps).
    for endpoint, times in servers.server_times(RESULTS / "load-access.log", start, end).items():
        if times:
            row = stats([[endpoint, 0, ms, True] for ms in times], seconds)
            rows.append({"scenario": scenario, "users": users, "endpoint": f"{endpoint} (in worker)", **row,
                         "note": "gunicorn access log"})  # fmt: skip
    # The load generator's own stalls in the window: a late event loop delays every response it
    # times, so a slow second here with fast "in worker" times is the generator, not the server.
    lag = sorted(ms for t, ms in data.get("lag", []) if start <= t <= end)
    if lag:
        pauses = [p for p in data.get("gc", []) if start <= p[0] <= end]
        longest = max((p[1] for p in pauses), default=0.0)
        rows.append({"scenario": scenario, "users": users, "endpoint": "generator loop late", "requests": len(lag),
                     "req_per_s": 20.0, "p50_ms": round(percentile(lag, 0.5), 1),
                     "p95_ms": round(percentile(lag, 0.95), 1), "p99_ms": round(percentile(lag, 0.99), 1),
                     "max_ms": round(lag[-1], 1), "errors": 0,
                     "note": f"{len(pauses)} GCs, longest {longest:.1f} ms"})  # fmt: skip
    for endpoint in ("sign-in", "start", "start (set-up)"):
        if endpoint in ramp:  # the ramp's own figures: every sign-in, the first starts
            ramp_s = (window["ready_at"] or start) - min(s[1] for s in ramp[endpoint])
            rows.append(
                {"scenario": scenario, "users": users, "endpoint": f"{endpoint} (ramp)",
                 **stats(ramp[endpoint], max(ramp_s, 0.001)), "note": f"ramp {ramp_s:.0f} s"}
            )  # fmt: skip
    if window["ready"] < users:
        rows[-1]["note"] = f"only {window['ready']} of {users} users ready"
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, nargs="+", default=[50, 200, 500], help="concurrent learners")
    parser.add_argument("--duration", type=float, default=60, help="seconds measured per scenario")
    parser.add_argument("--settle", type=float, default=5, help="seconds after the ramp before measuring")
    parser.add_argument("--spawn-rate", type=float, default=10, help="learners started per second")
    parser.add_argument("--max-users", type=int, default=24, help="users without think time (ceiling, autosave)")
    parser.add_argument("--answers", type=int, default=20, help="answers per mock, on average, before submitting")
    parser.add_argument("--think", type=float, nargs=2, default=[2, 5], metavar=("MIN", "MAX"),
                        help="seconds a learner waits between requests (default 2 5)")  # fmt: skip
    parser.add_argument("--bank", type=int, default=1000)
    parser.add_argument("--no-max", action="store_true", help="skip the ceiling and autosave-max scenarios")
    parser.add_argument("--no-sign-in", action="store_true", help="use the issued tokens, skip the password check")
    servers.add_arguments(parser)
    args = parser.parse_args()
    config = servers.config_from(args)

    setup_django(broker_url=servers.BROKER_URL)
    from seed import seed_bank

    print(f"bank of {args.bank} questions, {max([*args.users, args.max_users])} learner accounts ...", flush=True)
    seed_bank(args.bank)
    accounts = servers.learners_ensure(max([*args.users, args.max_users]))
    vacuum_analyze()  # as autovacuum would leave the database (it is off on the development machine)
    servers.analyze()
    with tempfile.NamedTemporaryFile("w", suffix=".json", dir=RESULTS, delete=False) as handle:
        json.dump(accounts, handle)
    args.accounts_file = Path(handle.name)

    rows: list[dict] = []
    load_before = servers.load_average()
    try:
        print(f"serving with gunicorn {config.label()}; load average {load_before}", flush=True)
        with servers.serving(config) as base_url:
            if not args.no_max:
                for scenario, user_class in (("ceiling", "Ceiling"), ("autosave-max", "AutosaveMax")):
                    data = run_locust(
                        base_url=base_url, user_class=user_class, users=args.max_users, spawn_rate=args.max_users,
                        duration=args.duration, settle=args.settle, args=args, tag=scenario,
                    )  # fmt: skip
                    rows += rows_for(scenario, args.max_users, data)
            for users in args.users:
                data = run_locust(
                    base_url=base_url, user_class="Learner", users=users, spawn_rate=args.spawn_rate,
                    duration=args.duration, settle=args.settle, args=args, tag=f"learners-{users}",
                )  # fmt: skip
                rows += rows_for("learners", users, data)
    finally:
        args.accounts_file.unlink(missing_ok=True)

    print(f"\ngunicorn {config.label()}; one Celery worker (1 process); {args.duration:.0f} s measured per "
          f"scenario; load average before {load_before}, after {servers.load_average()}\n")  # fmt: skip
    columns = ["scenario", "users", "endpoint", "requests", "req_per_s", "p50_ms", "p95_ms", "p99_ms", "max_ms",
               "errors", "note"]  # fmt: skip
    path = report("load", rows, columns)
    summary = targets(rows)
    data = json.loads(path.read_text())
    data.update({"targets": summary, "load_average_before": load_before, "settings": vars(args) | {
        "accounts_file": None, "server": config.as_dict()}})  # fmt: skip
    path.write_text(json.dumps(data, indent=2, default=str))


def targets(rows: list[dict]) -> dict:
    """Print the targets against what was measured."""

    def find(scenario: str, endpoint: str, users: int | None = None) -> dict | None:
        return next(
            (r for r in rows if r["scenario"] == scenario and r["endpoint"] == endpoint
             and (users is None or r["users"] == users)), None,
        )  # fmt: skip

    summary: dict = {}
    print("\ntargets:")
    ceiling, autosave = find("ceiling", "me"), find("autosave-max", "autosave")
    if ceiling and autosave:
        ratio = autosave["req_per_s"] / ceiling["req_per_s"] if ceiling["req_per_s"] else 0.0
        summary["ceiling_req_per_s"] = ceiling["req_per_s"]
        summary["autosave_max_req_per_s"] = autosave["req_per_s"]
        summary["autosave_to_ceiling"] = round(ratio, 2)
        verdict = "met" if ratio >= TARGET_RATIO else "NOT met"
        print(f"  ceiling GET /api/auth/me/ {ceiling['req_per_s']} req/s; autosave at max {autosave['req_per_s']} "
              f"req/s = {ratio:.0%} of it (target >= {TARGET_RATIO:.0%}): {verdict}")  # fmt: skip
    for users in sorted({r["users"] for r in rows if r["scenario"] == "learners"}):
        save, total = find("learners", "autosave", users), find("learners", "all", users)
        if not save or not total:
            continue
        ramp = [r for r in rows if r["scenario"] == "learners" and r["users"] == users and "(ramp)" in r["endpoint"]]
        ramp_errors = sum(r["errors"] for r in ramp)
        ok = save["p99_ms"] < TARGET_P99_MS and total["errors"] == 0 and ramp_errors == 0
        summary[f"learners_{users}"] = {
            "autosave_p99_ms": save["p99_ms"], "errors": total["errors"], "ramp_errors": ramp_errors, "met": ok
        }  # fmt: skip
        label = f"target at {TARGET_USERS}: p99 < {TARGET_P99_MS} ms, no errors"
        print(f"  {users} learners: autosave p99 {save['p99_ms']} ms, {total['errors']} errors measured, "
              f"{ramp_errors} in the ramp ({label}): {'met' if ok else 'NOT met'}")  # fmt: skip
    print()
    return summary


if __name__ == "__main__":
    main()
