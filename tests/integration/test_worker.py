"""A real Celery worker process consumes tasks from Redis."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from mlaexam.celery import app, ping

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def worker():
    """A `celery worker` subprocess on a queue of its own, so no other worker takes the task."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "mlaexam",
            "worker",
            "--pool=solo",
            "--queues",
            queue,
            "--loglevel=warning",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield queue
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def test_the_app_is_configured_from_settings():
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.task_time_limit == 120 and app.conf.task_soft_time_limit == 100
    assert app.conf.broker_url.startswith("redis://")
    assert app.conf.task_always_eager is False


def test_a_real_worker_against_redis_runs_a_task(worker):
    result = ping.apply_async(queue=worker)
    assert result.get(timeout=60) == "pong"
