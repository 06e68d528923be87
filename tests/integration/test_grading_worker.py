"""Grading on a real Celery worker against Redis: end to end, a killed worker, a broker outage."""

from __future__ import annotations

from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from exams import services
from exams.models import Attempt, AttemptItem, AttemptResult, ResultRow
from questions.models import Exam
from tests.exams.conftest import correct_answer, make_bank, make_learner
from tests.workers import declare, use_broker, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def submitted_attempts(user, how_many: int, *, count: int = 20) -> list[str]:
    """Attempts answered half right and submitted; submission enqueues grading on commit."""
    exam = Exam.objects.get(code="MLA-C01")
    ids = []
    for _ in range(how_many):
        attempt, items = services.attempt_start(learner=user, exam=exam, mode="practice", count=count)
        for item in items[::2]:
            services.answer_save(
                attempt_id=attempt.pk, learner=user, position=item.position, answer=correct_answer(item), flagged=False
            )
        services.attempt_submit(attempt_id=attempt.pk, learner=user)
        ids.append(str(attempt.pk))
    return ids


def graded(ids: list[str]) -> int:
    return Attempt.objects.filter(pk__in=ids, status="graded").count()


def test_a_worker_grades_a_submitted_attempt_end_to_end(catalog, start_worker):
    make_bank({1: 20, 2: 19, 3: 16, 4: 18})
    user, _ = make_learner("e2e")
    client = APIClient()
    client.force_login(user)
    start_worker()
    attempt = client.post("/api/attempts/", {"exam": "MLA-C01", "mode": "full"}, format="json").json()
    for item in AttemptItem.objects.filter(attempt_id=attempt["id"]).select_related("version"):
        client.put(
            f"/api/attempts/{attempt['id']}/items/{item.position}/", {"answer": correct_answer(item)}, format="json"
        )
    assert client.post(f"/api/attempts/{attempt['id']}/submit/").json()["status"] == "submitted"
    wait_until(lambda: graded([attempt["id"]]) == 1, timeout=60, what="the worker to grade the attempt")
    result = client.get(f"/api/attempts/{attempt['id']}/result/")
    assert result.status_code == 200
    assert (result.json()["scaled_score"], result.json()["passed"]) == (1000, True)


def test_submissions_waiting_for_a_worker_share_one_message_and_are_all_graded(catalog, start_worker):
    make_bank({1: 20, 2: 19, 3: 16, 4: 18})
    user, _ = make_learner("burst")
    ids = submitted_attempts(user, 30, count=10)  # each submission commits, then enqueues
    worker = start_worker()
    wait_until(lambda: graded(ids) == len(ids), timeout=60, what="every attempt to be graded")
    received = sum(
        "Task exams.grade_attempt[" in line and line.endswith("] received")
        for line in worker.log.read_text().splitlines()
    )
    assert received == 1, worker.log.read_text()  # the first submission's message; 29 saw it waiting
    assert AttemptResult.objects.filter(attempt_id__in=ids).count() == len(ids)
    # The task cleared the marker as it started: the next submission publishes a message of its own.
    later = submitted_attempts(user, 1, count=10)
    wait_until(lambda: graded(later) == 1, timeout=60, what="a later submission to be graded")


def test_a_grading_task_out_of_time_hands_the_rest_to_a_fresh_task_on_its_own_queue(catalog, start_worker):
    make_bank({1: 20, 2: 19, 3: 16, 4: 18})
    user, _ = make_learner("handoff")
    ids = submitted_attempts(user, 30, count=10)
    # One attempt per transaction and a 0.2 s budget: the drain runs out of time many times over.
    worker = start_worker(env={"EXAM_GRADE_BATCH": "1", "EXAM_GRADE_DRAIN_SECONDS": "0.2"})
    wait_until(lambda: graded(ids) == len(ids), timeout=90, what=f"every attempt to be graded ({worker.log})")
    received = sum(line.endswith("] received") for line in worker.log.read_text().splitlines())
    assert received > 1  # the first task handed on the rest, to this worker's queue (not the default one)


def test_a_worker_killed_mid_batch_grades_every_attempt_exactly_once(catalog, start_worker):
    make_bank({1: 20, 2: 19, 3: 16, 4: 18})
    user, _ = make_learner("batch")
    ids = submitted_attempts(user, 40)
    worker = start_worker(env={"EXAM_GRADE_BATCH": "1"})  # one attempt per transaction: slow enough to kill
    wait_until(lambda: graded(ids) >= 3, timeout=60, what="grading to be under way")
    worker.kill()  # SIGKILL while the batch is being graded
    done_at_kill = graded(ids)
    assert done_at_kill < len(ids), "the batch finished before the kill; make it bigger"
    start_worker()  # the default batches: the rest, and the killed worker's redelivered message
    wait_until(lambda: graded(ids) == len(ids), timeout=120, what="every attempt to be graded after the restart")
    assert AttemptResult.objects.filter(attempt_id__in=ids).count() == len(ids)
    for attempt_id in ids:  # one result and one set of report rows each: nothing graded twice
        assert ResultRow.objects.filter(attempt_id=attempt_id, dimension="domain").count() == len(
            set(AttemptItem.objects.filter(attempt_id=attempt_id).values_list("domain_number", flat=True))
        )
        result = AttemptResult.objects.get(attempt_id=attempt_id)
        assert result.correct == 10 and result.total == 20


def test_submissions_while_the_broker_is_down_are_kept_and_graded_when_it_returns(
    catalog, own_redis, start_worker, worker_queue
):
    make_bank({1: 20, 2: 19, 3: 16, 4: 18})
    user, _ = make_learner("outage")
    use_broker(own_redis.url)
    own_redis.stop()  # the broker goes away
    client = APIClient()
    client.force_login(user)
    attempt = client.post("/api/attempts/", {"exam": "MLA-C01", "mode": "practice", "count": 10}, format="json").json()
    item = AttemptItem.objects.filter(attempt_id=attempt["id"]).select_related("version").first()
    saved = client.put(
        f"/api/attempts/{attempt['id']}/items/{item.position}/", {"answer": correct_answer(item)}, format="json"
    )
    assert saved.status_code == 200  # autosave never needed the broker
    response = client.post(f"/api/attempts/{attempt['id']}/submit/")
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    assert Attempt.objects.get(pk=attempt["id"]).status == "submitted"  # kept: the database is the record
    own_redis.start()  # the broker is back (empty: it kept nothing on disk)
    use_broker(own_redis.url)
    declare(worker_queue)
    start_worker(broker_url=own_redis.url)
    # the periodic sweep (beat runs it every minute) hands it to the worker
    assert services.attempts_requeue_ungraded(older_than=timedelta(0)) == 1
    wait_until(lambda: graded([attempt["id"]]) == 1, timeout=60, what="the attempt to be graded after the outage")
    assert client.get(f"/api/attempts/{attempt['id']}/result/").json()["correct"] == 1
