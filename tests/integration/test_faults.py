"""Faults a learner can run into mid-exam, end to end: a dropped database connection during an
autosave, two tabs (and the deadline sweep) racing a submit, a browser closed and reopened later,
and the broker going away while several learners save and submit. Each test restores what it broke.

(A worker killed mid-batch is in test_grading_worker.py; service-level races of many saves against
one submit are in tests/exams/test_concurrency.py.)
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import psycopg
import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.utils import timezone
from kombu import Exchange, Queue
from rest_framework.test import APIClient

from exams import tasks
from exams.models import Attempt, AttemptItem, AttemptResult, ResultRow
from exams.services import taking
from mlaexam.celery import app as celery_app
from tests.exams.conftest import correct_answer, make_bank, make_learner, wrong_answer
from tests.workers import database_url, declare, use_broker, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# --- Helpers ----------------------------------------------------------------------------------------


def start(client: APIClient, count: int) -> dict:
    response = client.post("/api/attempts/", {"exam": "MLA-C01", "mode": "practice", "count": count}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def items_of(attempt_id: str) -> list[AttemptItem]:
    return list(AttemptItem.objects.filter(attempt_id=attempt_id).select_related("version").order_by("position"))


def put(client: APIClient, attempt_id: str, position: int, answer: dict | None, **extra: object):
    return client.put(f"/api/attempts/{attempt_id}/items/{position}/", {"answer": answer, **extra}, format="json")


def stored(item: AttemptItem) -> tuple:
    """What an autosave writes to an item's row."""
    row = AttemptItem.objects.get(pk=item.pk)
    return row.answer, row.flagged, row.seconds_spent, row.answered_at


def backend_pid() -> int:
    connection.ensure_connection()
    return connection.connection.info.backend_pid


def when(value: str) -> datetime:
    return datetime.fromisoformat(value)


def queued(queue: str) -> int:
    """Messages waiting on the test's own queue (grading hand-offs no worker has taken yet)."""
    with celery_app.connection_for_write() as conn:
        return Queue(queue, Exchange(queue), routing_key=queue)(conn).queue_declare(passive=True).message_count


def in_threads(*targets: Callable[[], None]) -> None:
    """Run each target in a thread of its own (its own database connection, closed at the end),
    all released at once."""
    barrier = threading.Barrier(len(targets))
    errors: list[BaseException] = []

    def run(target: Callable[[], None]) -> None:
        try:
            barrier.wait(timeout=30)
            target()
        except BaseException as exc:  # noqa: BLE001 - reported to the test below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(t,)) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a thread is still running"
    assert not errors, errors


def one_grade_each(attempt_ids: list[str]) -> None:
    """One result and one set of score-report rows per attempt: nothing graded twice."""
    assert AttemptResult.objects.filter(attempt_id__in=attempt_ids).count() == len(attempt_ids)
    for attempt_id in attempt_ids:
        domains = set(AttemptItem.objects.filter(attempt_id=attempt_id).values_list("domain_number", flat=True))
        assert ResultRow.objects.filter(attempt_id=attempt_id, dimension="domain").count() == len(domains)


@pytest.fixture
def drop_connection() -> Iterator[Callable[[int], None]]:
    """Terminate one of this test's own PostgreSQL backends from a second connection, as a database
    restart or failover would; afterwards no broken connection is left for the next test."""

    def drop(pid: int) -> None:
        with psycopg.connect(database_url(), autocommit=True) as admin:
            row = admin.execute(
                "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
                "WHERE pid = %s AND datname = current_database()",
                [pid],
            ).fetchone()
        assert row == (True,), f"backend {pid} was not terminated"

    yield drop
    connection.close()


# --- 1. A dropped database connection during an autosave ---------------------------------------------


@pytest.mark.parametrize("moment", ["after the row lock", "after the answer's UPDATE"])
def test_a_connection_dropped_mid_save_is_a_503_that_stores_nothing_and_a_retry_saves(
    catalog, drop_connection, monkeypatch, moment
):
    make_bank({1: 5}, case_size=0)
    _, client = make_learner("dropped")
    attempt = start(client, 5)
    item = next(i for i in items_of(attempt["id"]) if i.version.content["type"] == "multiple_choice")
    first = put(client, attempt["id"], item.position, wrong_answer(item), flagged=False, seconds_spent=30)
    assert first.status_code == 200
    before = stored(item)

    dropped: list[int] = []

    def drop_here() -> None:
        if not dropped:  # only the first save; the retry goes through
            dropped.append(backend_pid())
            drop_connection(dropped[0])

    if moment == "after the row lock":
        validate = taking.validate_answer  # runs once the attempt is locked, before the item is written

        def validate_then_drop(*args, **kwargs):
            drop_here()
            return validate(*args, **kwargs)

        monkeypatch.setattr(taking, "validate_answer", validate_then_drop)
    else:
        update = taking.update_rows  # the save's one UPDATE

        def update_then_drop(*args, **kwargs):
            updated = update(*args, **kwargs)  # the UPDATE ran in the open transaction; the commit will fail
            drop_here()
            return updated

        monkeypatch.setattr(taking, "update_rows", update_then_drop)

    failed = put(client, attempt["id"], item.position, correct_answer(item), flagged=True, seconds_spent=95)
    assert dropped, "the save never reached the point where the connection drops"
    assert failed.status_code == 503
    assert failed["Retry-After"] == "2"
    error = failed.json()["error"]
    assert set(error) == {"code", "message"} and error["code"] == "unavailable"
    assert "nothing was saved" in error["message"] and "Try again in 2 seconds" in error["message"]
    assert backend_pid() != dropped[0]  # the broken connection was dropped, not handed out again
    assert stored(item) == before  # answer, flag, time spent and answered time all as they were

    retried = put(client, attempt["id"], item.position, correct_answer(item), flagged=True, seconds_spent=95)
    assert retried.status_code == 200
    assert retried.json()["item"]["answer"] == correct_answer(item) and retried.json()["item"]["flagged"] is True
    answer, flagged, seconds_spent, answered_at = stored(item)
    assert (answer, flagged, seconds_spent) == (correct_answer(item), True, 95)
    assert answered_at > before[3]
    assert client.get(f"/api/attempts/{attempt['id']}/").json()["items"][item.position - 1]["answer"] == answer


# --- 2. Races: two tabs saving and submitting; a submit against the deadline sweep -------------------


def test_two_tabs_saving_and_submitting_end_submitted_and_graded_once(catalog, worker_queue):
    make_bank({1: 10}, case_size=0)
    user, _ = make_learner("twotabs")
    tabs = {}
    for name in ("A", "B"):
        tabs[name] = APIClient()
        tabs[name].force_login(user)
    attempt = start(tabs["A"], 10)
    items = {i.position: i for i in items_of(attempt["id"])}
    # Each tab answers its own questions, submitting part-way through (A after 2 saves, B after 3).
    plans = {"A": (list(items)[0::2], 2), "B": (list(items)[1::2], 3)}
    saves: dict[str, list[tuple[int, int, dict]]] = {"A": [], "B": []}  # (position, status, body) in order
    submits: dict[str, tuple[int, dict]] = {}

    def tab(name: str) -> Callable[[], None]:
        def run() -> None:
            positions, submit_after = plans[name]
            for n, position in enumerate(positions):
                if n == submit_after:
                    response = tabs[name].post(f"/api/attempts/{attempt['id']}/submit/")
                    submits[name] = (response.status_code, response.json())
                response = put(tabs[name], attempt["id"], position, correct_answer(items[position]), flagged=True)
                saves[name].append((position, response.status_code, response.json()))

        return run

    in_threads(tab("A"), tab("B"))

    final = Attempt.objects.get(pk=attempt["id"])
    assert final.status == "submitted"
    for name in ("A", "B"):  # both submits answer 200 with the one submission
        status, body = submits[name]
        assert status == 200 and body["status"] == "submitted"
        assert when(body["submitted_at"]) == final.submitted_at
        # every save a tab sends after its own submit is refused, with a reason a person can read
        for position, status, body in saves[name][plans[name][1] :]:
            assert status == 409, (position, status, body)
    kept = set()
    for position, status, body in saves["A"] + saves["B"]:
        assert status in (200, 409), (position, status, body)  # never a 500
        if status == 200:
            kept.add(position)
        else:
            assert body == {
                "error": {
                    "code": "attempt_closed",
                    "message": "This attempt is submitted; answers can no longer change.",
                }
            }
    assert len(kept) >= 2  # a tab's saves before its own submit are kept
    for position, item in items.items():
        row = AttemptItem.objects.get(pk=item.pk)
        if position in kept:  # kept saves were written before the submission
            assert (row.answer, row.flagged) == (correct_answer(item), True)
            assert row.answered_at <= final.submitted_at
        else:  # refused saves left nothing behind
            assert (row.answer, row.flagged) == (None, False)
    for name in ("A", "B"):  # both tabs see the same final state
        shown = tabs[name].get(f"/api/attempts/{attempt['id']}/").json()
        assert shown["status"] == "submitted"
        assert {i["position"] for i in shown["items"] if i["answer"] is not None} == kept

    # The grading message delivered twice at once (a redelivery, the requeue sweep): one grade.
    scores: list[int] = []
    in_threads(*[lambda: scores.append(tasks.grade_attempt(attempt["id"]))] * 2)
    assert len(scores) == 2 and scores[0] == scores[1]
    one_grade_each([attempt["id"]])
    result = tabs["B"].get(f"/api/attempts/{attempt['id']}/result/")
    assert result.status_code == 200
    assert (result.json()["correct"], result.json()["total"], result.json()["scaled_score"]) == (
        len(kept),
        10,
        scores[0],
    )


def test_a_submit_racing_the_deadline_sweep_ends_expired_at_the_deadline_and_graded_once(
    catalog, worker_queue, start_worker
):
    make_bank({1: 10, 2: 10}, case_size=0)
    count, grace = 4, settings.EXAM_SAVE_GRACE_SECONDS
    limit = count * settings.PRACTICE_SECONDS_PER_QUESTION
    learners = [make_learner(f"deadline{n}") for n in range(3)]
    attempts = []
    # Started long enough ago that the deadline, and its grace for saves in flight, has just passed.
    with time_machine.travel(timezone.now() - timedelta(seconds=limit + grace + 1), tick=False) as clock:
        for _, client in learners:
            attempt = start(client, count)
            clock.shift(timedelta(seconds=limit - 60))
            for item in items_of(attempt["id"])[:2]:
                assert put(client, attempt["id"], item.position, correct_answer(item)).status_code == 200
            clock.shift(timedelta(seconds=-(limit - 60)))
            attempts.append(attempt)
    outcomes: dict[str, list] = {a["id"]: [] for a in attempts}
    swept: list[int] = []

    def submit(client: APIClient, attempt_id: str) -> Callable[[], None]:
        return lambda: outcomes[attempt_id].append(client.post(f"/api/attempts/{attempt_id}/submit/"))

    def reopen(client: APIClient, attempt_id: str) -> Callable[[], None]:
        return lambda: outcomes[attempt_id].append(client.get(f"/api/attempts/{attempt_id}/"))

    in_threads(
        lambda: swept.append(tasks.expire_overdue_attempts()),  # what beat has a worker run every 30 s
        *[submit(client, a["id"]) for (_, client), a in zip(learners, attempts, strict=True)],
        *[reopen(client, a["id"]) for (_, client), a in zip(learners, attempts, strict=True)],
    )

    assert 0 <= swept[0] <= len(attempts)
    for attempt in attempts:
        final = Attempt.objects.get(pk=attempt["id"])
        assert final.status == "expired" and final.submitted_at == when(attempt["deadline"])
        for response in outcomes[attempt["id"]]:  # the submit and the other tab agree with the database
            assert response.status_code == 200, response.content
            assert response.json()["status"] == "expired"
            assert when(response.json()["submitted_at"]) == final.submitted_at
    # Whoever closed them, the attempts were handed to grading together: the first close published
    # a message, the others found it waiting (exams.grading_queue). Graded once each, below.
    assert queued(worker_queue) == 1
    start_worker()
    ids = [a["id"] for a in attempts]
    wait_until(
        lambda: Attempt.objects.filter(pk__in=ids, status="graded").count() == len(ids),
        timeout=60,
        what="the worker to grade the expired attempts",
    )
    one_grade_each(ids)
    for (_, client), attempt in zip(learners, attempts, strict=True):
        result = client.get(f"/api/attempts/{attempt['id']}/result/").json()
        assert (result["correct"], result["total"], result["time_taken_seconds"]) == (2, count, limit)


# --- 3. A browser closed mid-exam and reopened later -------------------------------------------------


def answer_some(client: APIClient, attempt_id: str) -> dict[int, tuple]:
    """Answers and flags of every kind, as a learner leaves them; returns what the server stored."""
    items = items_of(attempt_id)
    sent = {
        items[0].position: (correct_answer(items[0]), True),  # answered and flagged
        items[1].position: (wrong_answer(items[1]), False),  # answered
        items[2].position: (None, True),  # flagged, not answered
        items[3].position: (correct_answer(items[3]), False),
    }
    kept = {}
    for position, (answer, flagged) in sent.items():
        response = put(client, attempt_id, position, answer, flagged=flagged, seconds_spent=40)
        assert response.status_code == 200
        kept[position] = (response.json()["item"]["answer"], response.json()["item"]["flagged"])
    cleared = put(client, attempt_id, items[3].position, None)  # answered, then cleared
    assert cleared.status_code == 200
    kept[items[3].position] = (None, False)
    return {i.position: kept.get(i.position, (None, False)) for i in items}


def as_shown(items: list[dict]) -> dict[int, tuple]:
    return {i["position"]: (i["answer"], i["flagged"]) for i in items}


@pytest.mark.django_db
def test_a_browser_reopened_before_the_deadline_gets_every_answer_and_the_server_clock(catalog):
    make_bank({1: 10}, case_size=0)
    user, tab = make_learner("reopen")
    with time_machine.travel("2026-11-26 09:00:00Z", tick=False) as clock:
        attempt = start(tab, 10)
        limit = attempt["time_limit_seconds"]
        kept = answer_some(tab, attempt["id"])
        clock.shift(timedelta(minutes=7))  # the browser is closed for a while
        reopened = APIClient()
        reopened.force_login(user)
        shown = reopened.get(f"/api/attempts/{attempt['id']}/").json()
        listed = next(a for a in reopened.get("/api/attempts/").json() if a["id"] == attempt["id"])

    assert shown["status"] == "in_progress"
    assert as_shown(shown["items"]) == kept
    assert when(shown["server_time"]) == when(attempt["server_time"]) + timedelta(minutes=7)
    assert shown["deadline"] == attempt["deadline"]
    assert shown["remaining_seconds"] == limit - 7 * 60  # counted on the server while the browser was away
    assert listed["status"] == "in_progress"
    assert (listed["answered_count"], listed["flagged_count"]) == (2, 2)
    assert listed["remaining_seconds"] == limit - 7 * 60


def test_a_browser_reopened_after_the_deadline_finds_the_attempt_graded_by_the_sweep(
    catalog, worker_queue, start_worker
):
    make_bank({1: 10}, case_size=0)
    user, tab = make_learner("late")
    count = 6
    limit = count * settings.PRACTICE_SECONDS_PER_QUESTION
    with time_machine.travel(timezone.now() - timedelta(seconds=limit + 120), tick=False):
        attempt = start(tab, count)
        kept = answer_some(tab, attempt["id"])
    # The browser stays closed past the deadline; nobody opens the attempt until beat's sweep runs.
    assert Attempt.objects.get(pk=attempt["id"]).status == "in_progress"
    start_worker()
    # Beat's sweep. It runs in this process: a test worker consumes only its own queue, and the
    # grading it hands off from here is routed there (tests/workers.py), as in production.
    sweep = celery_app.tasks[settings.CELERY_BEAT_SCHEDULE["expire-overdue-attempts"]["task"]]
    assert sweep.apply().get() == 1
    wait_until(
        lambda: Attempt.objects.get(pk=attempt["id"]).status == "graded",
        timeout=60,
        what="the sweep to expire the attempt and the worker to grade it",
    )

    reopened = APIClient()
    reopened.force_login(user)
    shown = reopened.get(f"/api/attempts/{attempt['id']}/").json()
    assert (shown["status"], shown["remaining_seconds"]) == ("graded", 0)
    assert when(shown["submitted_at"]) == when(attempt["deadline"])  # submitted at its deadline
    assert shown["scaled_score"] is not None
    assert as_shown(shown["items"]) == kept
    listed = next(a for a in reopened.get("/api/attempts/").json() if a["id"] == attempt["id"])
    assert (listed["status"], listed["scaled_score"]) == ("graded", shown["scaled_score"])
    result = reopened.get(f"/api/attempts/{attempt['id']}/result/")
    assert result.status_code == 200
    assert (result.json()["correct"], result.json()["total"], result.json()["scaled_score"]) == (
        1,
        count,
        shown["scaled_score"],
    )
    assert as_shown(result.json()["items"]) == kept


# --- 4. The broker stops while several learners save and submit --------------------------------------


def test_learners_save_and_submit_through_a_broker_outage_and_each_attempt_is_graded_once(
    catalog, own_redis, worker_queue, start_worker
):
    make_bank({1: 10}, case_size=0)
    use_broker(own_redis.url)
    declare(worker_queue)
    learners = {name: make_learner(name) for name in ("ana", "ben", "cem", "dia")}
    attempts = {name: start(client, 8) for name, (_, client) in learners.items()}
    items = {name: items_of(a["id"]) for name, a in attempts.items()}
    right = dict.fromkeys(learners, 0)

    def save(name: str, index: int) -> None:
        client = learners[name][1]
        response = put(client, attempts[name]["id"], items[name][index].position, correct_answer(items[name][index]))
        assert response.status_code == 200, (name, response.content)
        right[name] += 1

    def submit(name: str) -> None:
        response = learners[name][1].post(f"/api/attempts/{attempts[name]['id']}/submit/")
        assert response.status_code == 200 and response.json()["status"] == "submitted", response.content

    worker = start_worker(broker_url=own_redis.url)
    for name in learners:  # before the outage
        save(name, 0)
    submit("ana")
    wait_until(lambda: Attempt.objects.get(pk=attempts["ana"]["id"]).status == "graded", what="ana's grade")
    graded_before = Attempt.objects.get(pk=attempts["ana"]["id"]).graded_at

    own_redis.stop()  # the broker goes away; the worker stays up, trying to reconnect
    for name in ("ben", "cem", "dia"):
        save(name, 1)
        save(name, 2)
    submit("ben")
    submit("cem")
    assert Attempt.objects.filter(status="submitted").count() == 2  # kept: the database is the record

    own_redis.start()  # the broker is back, empty (it kept nothing on disk)
    use_broker(own_redis.url)
    declare(worker_queue)
    save("dia", 3)
    submit("dia")
    # A minute later beat runs the requeue sweep: the submissions the outage held back go to a worker.
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert tasks.requeue_ungraded_attempts() >= 2
    ids = [a["id"] for a in attempts.values()]
    wait_until(
        lambda: Attempt.objects.filter(pk__in=ids, status="graded").count() == len(ids),
        timeout=60,
        what=f"every attempt to be graded after the outage ({worker.log})",
    )
    one_grade_each(ids)
    assert Attempt.objects.get(pk=attempts["ana"]["id"]).graded_at == graded_before  # not graded again
    for name, (_, client) in learners.items():
        result = client.get(f"/api/attempts/{attempts[name]['id']}/result/").json()
        assert (result["correct"], result["total"]) == (right[name], 8), name
