"""The served app for load benchmarks: gunicorn and one Celery worker on the bench database.

    with serving(ServerConfig(workers=4, threads=1)) as base_url:
        ...  # http://127.0.0.1:<free port>

Production settings (``DEBUG=False``, plain HTTP on loopback, no rate limits), the broker on Redis
database 12 and the cache on 13 (both flushed at start: they are the benchmarks' own). Each server
runs in a process group of its own, stopped (SIGTERM, then SIGKILL) when the block exits, whatever
the reason: an error, Ctrl-C, or SIGTERM to the benchmark.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from common import BENCH_DATABASE_URL, RESULTS, ROOT

BROKER_URL = os.environ.get("BENCH_LOAD_BROKER_URL", "redis://127.0.0.1:6379/12")
CACHE_URL = os.environ.get("BENCH_LOAD_CACHE_URL", "redis://127.0.0.1:6379/13")
THROTTLES_OFF = "sign-in=off,sign-in-account=off,sign-up=off,token=off,autosave=off,join=off"


@dataclass(frozen=True)
class ServerConfig:
    """How gunicorn serves the app. The defaults did best on the 2-core machine (bench/README.md)."""

    workers: int = 4
    threads: int = 1
    worker_class: str = "sync"  # "gthread" when threads > 1
    conn_max_age: int = 60
    preload: bool = False
    worker_nice: int = 0  # the Celery worker's niceness: >0 yields the CPU to the web processes

    def label(self) -> str:
        kind = f"{self.worker_class} {self.workers}w" + (f"x{self.threads}t" if self.threads > 1 else "")
        return (
            f"{kind}, CONN_MAX_AGE={self.conn_max_age}"
            + (", preload" if self.preload else "")
            + (f", Celery worker at nice {self.worker_nice}" if self.worker_nice else "")
        )

    def as_dict(self) -> dict:
        return asdict(self)


def add_arguments(parser) -> None:
    """The gunicorn options every load benchmark takes."""
    default = ServerConfig()
    parser.add_argument("--workers", type=int, default=default.workers, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=default.threads, help="threads per worker (gthread)")
    parser.add_argument("--conn-max-age", type=int, default=default.conn_max_age, help="CONN_MAX_AGE seconds")
    parser.add_argument("--preload", action="store_true", help="gunicorn --preload")
    parser.add_argument(
        "--worker-nice", type=int, default=default.worker_nice, help="run the Celery worker under nice -n N"
    )


def config_from(args) -> ServerConfig:
    return ServerConfig(
        workers=args.workers,
        threads=args.threads,
        worker_class="gthread" if args.threads > 1 else "sync",
        conn_max_age=args.conn_max_age,
        preload=args.preload,
        worker_nice=args.worker_nice,
    )


def server_env(config: ServerConfig) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mlaexam.settings",
        "DATABASE_URL": BENCH_DATABASE_URL,
        "DEBUG": "False",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "benchmark-only-" + "x" * 40),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "False",
        "CACHE_URL": CACHE_URL,
        "CELERY_BROKER_URL": BROKER_URL,
        "THROTTLE_RATES": THROTTLES_OFF,
        "CONN_MAX_AGE": str(config.conn_max_age),
        "LOG_LEVEL": "WARNING",
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def _wait_http(url: str, process: subprocess.Popen, log: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}; see {log}")
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
            if response.status == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer {url} within {timeout} s; see {log}")


def _wait_worker(process: subprocess.Popen, log: str, timeout: float = 60) -> None:
    from mlaexam.celery import app  # configured from the bench settings: the same broker

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the Celery worker exited with {process.returncode}; see {log}")
        if app.control.ping(timeout=0.5):
            return
    raise RuntimeError(f"the Celery worker did not answer a ping within {timeout} s; see {log}")


def _terminate_on_sigterm() -> None:
    """SIGTERM and SIGINT unwind like Ctrl-C, so the servers are stopped (also when the benchmark was
    started in the background, where SIGINT is inherited as ignored)."""

    def handler(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


@contextlib.contextmanager
def serving(config: ServerConfig, *, name: str = "load") -> Iterator[str]:
    """Start gunicorn and one Celery worker (1 process); yield the base URL; always stop both."""
    import redis

    for url in (BROKER_URL, CACHE_URL):
        redis.Redis.from_url(url).flushdb()  # the benchmarks' own databases, never 0-7
    _terminate_on_sigterm()
    env = server_env(config)
    port = free_port()
    RESULTS.mkdir(parents=True, exist_ok=True)
    web_log, worker_log = RESULTS / f"{name}-gunicorn.log", RESULTS / f"{name}-celery.log"
    access_log = RESULTS / f"{name}-access.log"
    access_log.unlink(missing_ok=True)
    gunicorn = [
        str(ROOT / ".venv/bin/gunicorn"), "mlaexam.wsgi:application", "--bind", f"127.0.0.1:{port}",
        "--workers", str(config.workers), "--worker-class", config.worker_class, "--threads", str(config.threads),
        "--backlog", "2048", "--timeout", "120", "--graceful-timeout", "10", "--log-level", "warning",
        # Each request's time inside a worker (from the parsed request to the response written), for
        # server_times(): what the app costs, without the wait in the listen backlog or the load generator.
        "--access-logfile", str(access_log), "--access-logformat", ACCESS_FORMAT,
    ] + (["--preload"] if config.preload else [])  # fmt: skip
    celery = (["nice", "-n", str(config.worker_nice)] if config.worker_nice else []) + [
        sys.executable, "-m", "celery", "-A", "mlaexam", "worker", "--pool=prefork", "--concurrency=1",
        "--loglevel=warning", "--without-heartbeat", "--without-gossip", "--without-mingle",
    ]  # fmt: skip
    processes: list[subprocess.Popen] = []
    try:
        for command, log in ((gunicorn, web_log), (celery, worker_log)):
            processes.append(
                subprocess.Popen(
                    command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True
                )
            )
        _wait_http(f"http://127.0.0.1:{port}/api/health/", processes[0], str(web_log))
        _wait_worker(processes[1], str(worker_log))
        yield f"http://127.0.0.1:{port}"
    finally:
        for process in reversed(processes):
            stop(process)


ACCESS_FORMAT = "%(t)s %(m)s %(U)s %(s)s %(D)s"  # time, method, path, status, microseconds in the worker


def server_times(access_log: Path, start: float, end: float) -> dict[str, list[float]]:
    """Milliseconds each request spent in a gunicorn worker, by endpoint ("autosave", "all"), for
    requests that finished between ``start`` and ``end`` (epoch seconds; the log has whole seconds)."""
    times: dict[str, list[float]] = {"autosave": [], "all": []}
    if not access_log.exists():
        return times
    for line in access_log.read_text().splitlines():
        try:
            stamp, method, path, _, micros = line.rsplit(" ", 4)
            at = datetime.strptime(stamp, "[%d/%b/%Y:%H:%M:%S %z]").timestamp()
        except ValueError:
            continue
        if not start <= at <= end:
            continue
        ms = int(micros) / 1000
        times["all"].append(ms)
        if method == "PUT" and "/items/" in path:
            times["autosave"].append(ms)
    return times


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


LEARNER_PASSWORD = "bench-load-password"  # synthetic accounts on the bench database


def learners_ensure(count: int, *, prefix: str = "bench-load") -> list[dict]:
    """``count`` learner accounts with an API token and a profile, created in bulk when missing
    (one password hash shared by all), their earlier attempts deleted. Returns username and token."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User
    from rest_framework.authtoken.models import Token

    from accounts.models import LearnerProfile
    from exams.models import Attempt

    names = [f"{prefix}-{i:05d}" for i in range(count)]
    have = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    password = make_password(LEARNER_PASSWORD)
    User.objects.bulk_create([User(username=n, password=password) for n in names if n not in have], batch_size=1000)
    users = list(User.objects.filter(username__in=names).order_by("username"))
    with_token = set(Token.objects.filter(user__in=users).values_list("user_id", flat=True))
    Token.objects.bulk_create(
        [Token(key=Token.generate_key(), user=u) for u in users if u.pk not in with_token], batch_size=1000
    )
    with_profile = set(LearnerProfile.objects.filter(user__in=users).values_list("user_id", flat=True))
    LearnerProfile.objects.bulk_create(
        [LearnerProfile(user=u) for u in users if u.pk not in with_profile], batch_size=1000
    )
    Attempt.objects.filter(learner__in=users).delete()
    tokens = dict(Token.objects.filter(user__in=users).values_list("user_id", "key"))
    return [{"username": u.username, "token": tokens[u.pk]} for u in users]


def analyze() -> None:
    """Fresh planner statistics after seeding, as a database in service would have."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def answer_for(item: dict) -> dict:
    """A valid answer to a served question, from the option ids the start returned."""
    options = [o["id"] for o in item["options"]]
    if item["type"] == "multiple_choice":
        return {"selected": [random.choice(options)]}
    if item["type"] == "multiple_response":
        return {"selected": random.sample(options, item["choose"] or 1)}
    if item["type"] == "ordering":
        return {"order": random.sample(options, len(options))}
    prompts = [p["id"] for p in item["prompts"]]
    return {"matches": dict(zip(prompts, random.sample(options, len(prompts)), strict=False))}
