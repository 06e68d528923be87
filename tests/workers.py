"""Real Celery workers (subprocesses) against Redis and the test database, for the integration
and end-to-end tests (their conftest files import the fixtures from here).

Each worker consumes a queue of its own, and the test process routes the exam tasks to it, so no
other worker on the same Redis can take them. Tests that need data the worker can see use
``transactional_db`` (committed rows).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import connection
from kombu import Exchange, Queue

from mlaexam.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[1]


def wait_until(condition: Callable[[], bool], timeout: float = 60, interval: float = 0.2, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what or condition}")


def database_url() -> str:
    settings = connection.settings_dict
    host, port = settings.get("HOST") or "127.0.0.1", settings.get("PORT") or 5432
    user = settings.get("USER") or "postgres"
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"


class Worker:
    """A `celery worker` subprocess on its own queue, logging to a file the test can read."""

    def __init__(
        self, queue: str, broker_url: str, tmp_path: Path, concurrency: int = 1, env: dict | None = None
    ) -> None:
        self.queue, self.broker_url, self.concurrency, self.extra_env = queue, broker_url, concurrency, env or {}
        self.log = tmp_path / f"worker-{uuid.uuid4().hex[:6]}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> Worker:
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": self.broker_url,
            # A killed worker's message comes back within seconds, not minutes.
            "CELERY_VISIBILITY_TIMEOUT": "5",
            "CELERY_UNACKED_RESTORE_INTERVAL": "1",
            "CELERY_UNACKED_RESTORE_THROTTLE": "1",
            "CONN_MAX_AGE": "0",
            **self.extra_env,
        }
        self.log.write_text("")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "mlaexam", "worker", "--pool=prefork",
             f"--concurrency={self.concurrency}", "--queues", self.queue, "--hostname", f"{self.queue}@%h",
             "--loglevel=info", "--without-heartbeat", "--without-gossip", "--without-mingle"],
            cwd=ROOT, env=env, stdout=self.log.open("a"), stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        wait_until(lambda: "ready." in self.log.read_text(), timeout=60, what=f"the worker to start ({self.log})")
        return self

    def kill(self) -> None:
        """SIGKILL the worker and its pool processes, as an OOM killer or a lost node would."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


def use_broker(url: str) -> None:
    """Point this process's Celery app at another broker (its connection pools are rebuilt)."""
    celery_app.conf.broker_url = url
    celery_app.conf.broker_write_url = url  # filled in from broker_url when the app was configured
    celery_app.conf.broker_read_url = url
    celery_app._pool = None
    if "amqp" in celery_app.__dict__:
        celery_app.amqp._producer_pool = None


def declare(queue: str) -> Queue:
    """Declare the queue on the current broker, so messages sent before a worker starts are kept
    (on Redis, a message for an exchange with no bound queue is dropped)."""
    kombu_queue = Queue(queue, Exchange(queue), routing_key=queue)
    with celery_app.connection_for_write() as conn:
        kombu_queue(conn).declare()
    return kombu_queue


@pytest.fixture
def worker_queue() -> Iterator[str]:
    """Route the exam tasks of this process to a queue of the test's own."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    previous = celery_app.conf.task_routes
    celery_app.conf.task_routes = {"exams.*": {"queue": queue}, "analytics.*": {"queue": queue}}
    celery_app.amqp.flush_routes()  # the routing table is cached; rebuild it, then the router
    celery_app.amqp.router = celery_app.amqp.Router()
    declared = declare(queue)
    yield queue
    celery_app.conf.task_routes = previous
    celery_app.amqp.flush_routes()
    celery_app.amqp.router = celery_app.amqp.Router()
    with contextlib.suppress(Exception), celery_app.connection_for_write() as conn:
        declared(conn).delete()  # the broker may be a throwaway one that is gone already


@pytest.fixture
def start_worker(worker_queue: str, tmp_path: Path) -> Iterator[Callable[..., Worker]]:
    workers: list[Worker] = []

    def start(broker_url: str | None = None, concurrency: int = 1, env: dict | None = None) -> Worker:
        worker = Worker(worker_queue, broker_url or celery_app.conf.broker_url, tmp_path, concurrency, env).start()
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    """A throwaway redis-server of the test's own, so stopping it disturbs nothing else."""

    def __init__(self, tmp_path: Path) -> None:
        self.port = free_port()
        self.dir = tmp_path
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("redis-server is not installed; the broker-outage test starts one of its own")
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.dir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip

        def answers() -> bool:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return True
            except OSError:
                return False

        wait_until(answers, timeout=20, what="redis-server to accept connections")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    server.start()
    previous = celery_app.conf.broker_url
    yield server
    use_broker(previous)
    server.stop()
