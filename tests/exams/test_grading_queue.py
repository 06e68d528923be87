"""Coalesced grading: a submission publishes a grading message only when none is waiting, and the
task that runs grades every waiting attempt (exams.grading_queue, attempts_grade_waiting).

These run against the suite's real Redis broker; the real worker's side is in
tests/integration/test_grading_worker.py."""

from __future__ import annotations

import uuid
from unittest import mock

import pytest
from django.db import IntegrityError
from kombu.exceptions import OperationalError as BrokerDown

from exams import grading_queue, services
from exams.models import Attempt, AttemptItem, AttemptResult, MasteryRow, ResultRow, SeenQuestion
from exams.tasks import grade_attempt
from mlaexam.celery import app as celery_app
from tests.exams.conftest import make_learner

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_queue():
    """Route the exam tasks to a queue of this test's own (no message is consumed; the marker key
    is per queue, so other tests' markers cannot interfere), and remove its marker afterwards."""
    queue = f"test-coalesce-{uuid.uuid4().hex[:8]}"
    previous = celery_app.conf.task_routes
    celery_app.conf.task_routes = {"exams.*": {"queue": queue}}
    celery_app.amqp.flush_routes()
    celery_app.amqp.router = celery_app.amqp.Router()
    yield queue
    grading_queue.release(grading_queue.PREFIX + queue)
    celery_app.conf.task_routes = previous
    celery_app.amqp.flush_routes()
    celery_app.amqp.router = celery_app.amqp.Router()


def submitted(how_many: int, *, prefix: str = "q") -> list[str]:
    ids = []
    for i in range(how_many):
        user, client = make_learner(f"{prefix}{i}")
        attempt = client.post("/api/attempts/", {"exam": "MLA-C01", "mode": "practice", "count": 5}, format="json")
        assert attempt.status_code == 201, attempt.content
        services.attempt_submit(attempt_id=attempt.json()["id"], learner=user)
        ids.append(attempt.json()["id"])
    return ids


def statuses(ids) -> list[str]:
    return sorted(Attempt.objects.filter(pk__in=ids).values_list("status", flat=True))


def test_a_submission_publishes_only_when_no_grading_task_is_waiting(own_queue):
    with mock.patch.object(grade_attempt, "apply_async") as publish:
        assert services.enqueue_grading("a") is True
        assert services.enqueue_grading("b") is False  # the waiting task will grade b too
        assert services.enqueue_grading("c") is False
    assert publish.call_count == 1
    key = grading_queue.PREFIX + own_queue
    assert publish.call_args.kwargs == {"args": ["a"], "kwargs": {"waiting_key": key}}
    ttl = grading_queue._broker_redis().ttl(key)
    assert 0 < ttl <= grading_queue.TTL  # a lost message cannot silence submissions for long


def test_the_task_clears_the_marker_as_it_starts_so_the_next_submission_publishes(own_queue, bank):
    [attempt_id] = submitted(1)
    with mock.patch.object(grade_attempt, "apply_async") as publish:
        assert services.enqueue_grading(attempt_id) is True
        assert services.enqueue_grading("later") is False
        # the worker runs the message it was handed
        grade_attempt.apply(**publish.call_args.kwargs).get()
        assert services.enqueue_grading("after-start") is True
    assert publish.call_count == 2
    assert Attempt.objects.get(pk=attempt_id).status == "graded"


def test_a_message_that_cannot_be_published_clears_the_marker(own_queue):
    with mock.patch.object(grade_attempt, "apply_async", side_effect=BrokerDown("Redis is down")):
        assert services.enqueue_grading("lost") is False
    with mock.patch.object(grade_attempt, "apply_async") as publish:
        assert services.enqueue_grading("next") is True  # not silenced by a marker with no message
    assert publish.call_count == 1


def test_in_process_tasks_always_publish(own_queue, eager_celery):
    with mock.patch.object(grade_attempt, "apply_async") as publish:
        assert services.enqueue_grading("a") is True
        assert services.enqueue_grading("b") is True
    assert publish.call_count == 2
    assert [c.kwargs["kwargs"] for c in publish.call_args_list] == [None, None]


def test_grading_the_waiting_attempts_takes_every_one_in_batches(bank):
    ids = submitted(5)
    assert services.attempts_grade_waiting(seconds=60, batch=2) == (5, False)
    assert statuses(ids) == ["graded"] * 5
    assert AttemptResult.objects.filter(attempt_id__in=ids).count() == 5
    assert services.attempts_grade_waiting(seconds=60) == (0, False)  # nothing waits: one query, no work


def test_grading_the_waiting_attempts_stops_when_its_time_is_up_and_says_more_wait(bank):
    ids = submitted(3)
    assert services.attempts_grade_waiting(seconds=0) == (0, True)
    assert statuses(ids) == ["submitted"] * 3


def test_an_attempt_that_cannot_be_graded_is_left_to_the_sweep_and_the_rest_are_graded(bank, caplog):
    bad, *good = submitted(4)
    AttemptItem.objects.filter(attempt_id=bad).update(layout={"o": [[99, "zz"]], "p": []})  # corrupt
    assert services.attempts_grade_waiting(seconds=60) == (3, False)
    assert statuses(good) == ["graded"] * 3
    assert Attempt.objects.get(pk=bad).status == "submitted"
    assert f"attempt {bad} cannot be graded; left to the sweep" in caplog.text


def test_an_in_progress_attempt_is_not_taken_by_the_drain(bank):
    _, client = make_learner("still-writing")
    open_attempt = client.post("/api/attempts/", {"exam": "MLA-C01", "mode": "practice", "count": 5}, format="json")
    ids = submitted(2)
    assert services.attempts_grade_waiting(seconds=60) == (2, False)
    assert Attempt.objects.get(pk=open_attempt.json()["id"]).status == "in_progress"
    assert statuses(ids) == ["graded"] * 2


def test_a_task_for_an_attempt_that_cannot_be_graded_still_grades_the_others_and_fails(bank, caplog):
    # The sweep's one message may be for the bad attempt (the oldest stuck): the others must not wait on it.
    bad, *good = submitted(3)
    AttemptItem.objects.filter(attempt_id=bad).update(layout={"o": [[99, "zz"]], "p": []})  # corrupt
    with pytest.raises(IndexError):  # the corrupt layout, raised by the task so it shows as failed
        grade_attempt(bad)  # as a worker runs it (not in-process)
    assert statuses(good) == ["graded"] * 2
    assert Attempt.objects.get(pk=bad).status == "submitted"


def test_a_task_on_a_worker_grades_every_waiting_attempt(bank):
    ids = submitted(4)
    score = grade_attempt(ids[2])  # as a worker runs it
    assert statuses(ids) == ["graded"] * 4
    assert score == AttemptResult.objects.get(attempt_id=ids[2]).scaled_score


def test_a_write_that_fails_in_a_batch_rolls_the_whole_batch_back_as_a_database_error(bank):
    """A batch's writes are pipelined (sent without waiting for each result): one that fails still
    fails the batch as Django's database error, and nothing of the batch is kept."""
    ids = submitted(3)
    # Bad data: a result already stored for a submitted attempt makes the batch's result insert fail.
    AttemptResult.objects.create(attempt_id=ids[1], correct=0, total=5, percent=0, scaled_score=100, passed=False)
    review_before = sorted(SeenQuestion.objects.values_list("learner_id", "question_id", "misses", "last_correct"))
    with pytest.raises(IntegrityError, match="exams_attemptresult"):
        services.attempt_grade(attempt_id=ids[0], batch=3)
    assert statuses(ids) == ["submitted"] * 3
    assert not ResultRow.objects.filter(attempt_id__in=ids).exists()
    assert not MasteryRow.objects.exists()
    assert AttemptItem.objects.filter(attempt_id__in=ids, is_correct__isnull=False).count() == 0
    assert sorted(SeenQuestion.objects.values_list("learner_id", "question_id", "misses", "last_correct")) == (
        review_before
    )
    assert services.attempt_grade(attempt_id=ids[0], batch=1).total == 5  # alone, it grades
