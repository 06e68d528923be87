"""Two tabs saving and submitting at once end in one consistent state (the attempt's row lock)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from exams import services
from exams.models import Attempt, AttemptItem
from mlaexam.errors import Conflict
from questions.models import Exam
from tests.exams.conftest import correct_answer, make_bank, make_learner, wrong_answer


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_saves_racing_a_submit_are_either_kept_or_refused(catalog):
    make_bank({1: 20, 2: 19, 3: 16, 4: 18})
    user, _ = make_learner("racer")
    attempt, items = services.attempt_start(learner=user, exam=Exam.objects.get(code="MLA-C01"), mode="full")
    outcomes: dict[int, str] = {}
    barrier = threading.Barrier(21)

    def save(item: AttemptItem) -> None:
        try:
            barrier.wait()
            services.answer_save(
                attempt_id=attempt.pk, learner=user, position=item.position, answer=correct_answer(item), flagged=True
            )
            outcomes[item.position] = "saved"
        except Conflict as exc:
            outcomes[item.position] = exc.error_code
        finally:
            connection.close()

    def submit() -> None:
        try:
            barrier.wait()
            services.attempt_submit(attempt_id=attempt.pk, learner=user)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(item,)) for item in items[:20]] + [threading.Thread(target=submit)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    stored = {i.position: i for i in AttemptItem.objects.filter(attempt=attempt)}
    assert Attempt.objects.get(pk=attempt.pk).status == "submitted"
    assert len(outcomes) == 20
    for position, outcome in outcomes.items():
        assert outcome in ("saved", "attempt_closed")
        # a save that answered 200 is in the database; a refused one left nothing behind
        assert (stored[position].answer is not None) == (outcome == "saved")
        assert stored[position].flagged == (outcome == "saved")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_tabs_saving_the_same_question_leave_one_of_their_answers(catalog):
    make_bank({1: 5}, case_size=0)
    user, _ = make_learner("twotabs")
    attempt, items = services.attempt_start(
        learner=user, exam=Exam.objects.get(code="MLA-C01"), mode="practice", count=5
    )
    item = next(i for i in items if i.version.content["type"] == "multiple_choice")
    answers = [correct_answer(item), wrong_answer(item)]
    barrier = threading.Barrier(2)

    def save(answer: dict) -> None:
        try:
            barrier.wait()
            for _ in range(20):
                services.answer_save(
                    attempt_id=attempt.pk, learner=user, position=item.position, answer=answer, flagged=False
                )
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(a,)) for a in answers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert AttemptItem.objects.get(pk=item.pk).answer in answers


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_save_waiting_behind_an_immediate_feedback_lock_is_refused(catalog):
    """The save waits for the attempt's row lock, then reads the item: it sees the lock committed
    while it waited and changes nothing (reading the item in the attempt's locking query without
    locking the item too would return it as it was when the query began)."""
    from django.db import transaction

    make_bank({1: 5}, case_size=0)
    user, _ = make_learner("lockrace")
    attempt, items = services.attempt_start(
        learner=user, exam=Exam.objects.get(code="MLA-C01"), mode="practice", count=5, feedback="immediate"
    )
    item = next(i for i in items if i.version.content["type"] == "multiple_choice")
    services.answer_save(attempt_id=attempt.pk, learner=user, position=item.position, answer=correct_answer(item),
                         flagged=False)  # fmt: skip
    locked, release = threading.Event(), threading.Event()
    outcome: dict[str, str] = {}

    def lock() -> None:
        try:
            with transaction.atomic():
                services.item_lock(attempt_id=attempt.pk, learner=user, position=item.position)
                locked.set()
                release.wait(timeout=30)  # hold the attempt's row lock until the save is waiting for it
        finally:
            connection.close()

    def save() -> None:
        try:
            services.answer_save(
                attempt_id=attempt.pk, learner=user, position=item.position, answer=wrong_answer(item), flagged=False
            )
            outcome["save"] = "saved"
        except Conflict as exc:
            outcome["save"] = exc.error_code
        finally:
            connection.close()

    locker = threading.Thread(target=lock)
    locker.start()
    assert locked.wait(timeout=30)
    saver = threading.Thread(target=save)
    saver.start()
    with connection.cursor() as cursor:  # wait until the save is blocked on the lock
        for _ in range(300):
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
            if cursor.fetchone()[0]:
                break
            threading.Event().wait(0.05)
        else:
            pytest.fail("the save never waited for the attempt's row lock")
    release.set()
    locker.join(timeout=30)
    saver.join(timeout=30)
    assert outcome == {"save": "item_locked"}
    stored = AttemptItem.objects.get(pk=item.pk)
    assert stored.locked_at is not None and stored.answer == correct_answer(item)
