"""Coalesced grading messages: at most one grading task waiting per queue.

A grading task grades its attempt and then every other attempt waiting (exams.services.grading.
attempts_grade_waiting), so a second message published while the first still waits in the queue
would find nothing to do - yet each costs a broker round trip, a hand-over to the pool process and
an acknowledgement, about as much as grading the attempt itself (bench/README.md). So a submission
publishes only when no grading task is waiting in its queue: a Redis key, set with ``SET NX`` and a
time to live, says one is. The task deletes the key as it starts, before it looks for attempts.

Nothing is left behind: a submission commits, then looks at the key. If the key is set, a task has
not started yet; it will, delete the key and only then read the waiting attempts, which include this
one. If the key outlives its message (the broker lost it, a purge), it expires after ``TTL`` seconds
and the minute sweep (``requeue_ungraded_attempts``) hands what was missed to a worker again.

The key lives on the broker's Redis, one per queue (tests and benchmarks route to queues of their
own). With no Redis broker (tasks in-process, or another broker) every submission publishes.
"""

from __future__ import annotations

import logging
from functools import cache

from django.conf import settings

logger = logging.getLogger("mlaexam.exams")

TTL = settings.EXAM_GRADE_COALESCE_SECONDS
PREFIX = "mlaexam:grading-waiting:"


@cache
def _redis(url: str):
    import redis

    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)


def _broker_redis():
    from mlaexam.celery import app

    url = app.conf.broker_write_url or app.conf.broker_url or ""  # where this process publishes
    if app.conf.task_always_eager or not url.startswith(("redis://", "rediss://")) or TTL <= 0:
        return None
    return _redis(url)


def queue_of(task) -> str:
    """The queue the task's messages are routed to by this process's configuration."""
    route = task.app.amqp.router.route({}, task.name)
    queue = route.get("queue")
    return getattr(queue, "name", None) or str(queue or task.app.conf.task_default_queue)


def claim(queue: str) -> str | None:
    """The key to pass to the task when this caller should publish, or None when a grading task is
    waiting in ``queue`` already (it will grade the caller's attempt). When the key cannot be set
    (Redis unreachable), publish anyway: a spare message is harmless, a missing one is not."""
    client = _broker_redis()
    if client is None:
        return ""
    key = PREFIX + queue
    try:
        return key if client.set(key, "1", nx=True, ex=TTL) else None
    except Exception:
        logger.warning("could not check for a waiting grading task; publishing", exc_info=True)
        return ""


def release(key: str) -> None:
    """Say no grading task is waiting any more (the task holding ``key`` has started, or its message
    could not be published)."""
    client = _broker_redis()
    if client is None or not key:
        return
    try:
        client.delete(key)
    except Exception:
        # The key expires by itself; meanwhile submissions rely on this task and the sweep.
        logger.warning("could not clear the waiting-grading key %s", key, exc_info=True)
