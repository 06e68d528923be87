"""Spaced review as grading records it: a batch's answers applied at once, in SQL, match the rule
applied one answer at a time (exams.review)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection

from exams import review
from exams.models import SeenQuestion
from exams.review import ReviewState, after_answer, after_run, run_of
from exams.services import grading
from tests.exams.conftest import make_bank

T0 = datetime(2026, 11, 1, tzinfo=UTC)
AT = T0 + timedelta(days=30)

# Stored states a (learner, question) can be in: never answered, never missed, missed and climbing
# the boxes, retired, and a streak stored before streaks were counted only up to retirement.
STORED = [
    ReviewState(),
    ReviewState(0, 0, True, None),
    ReviewState(0, 3, True, None),
    ReviewState(0, 4, True, None),
    ReviewState(1, 0, False, T0 + timedelta(days=1)),
    ReviewState(1, 1, True, T0 + timedelta(days=3)),
    ReviewState(2, 2, True, T0 + timedelta(days=7)),
    ReviewState(2, 3, True, T0 + timedelta(days=21)),
    ReviewState(3, 4, True, None),
    ReviewState(1, 9, True, None),
]
RUNS = [list(run) for n in range(1, 7) for run in itertools.product([True, False], repeat=n)]


def one_at_a_time(state: ReviewState, answers: list[bool]) -> ReviewState:
    for correct in answers:
        state = after_answer(state, correct=correct, at=AT)
    return state


@pytest.mark.parametrize("stored", STORED, ids=str)
def test_a_run_of_answers_leads_where_answering_them_one_at_a_time_does(stored):
    for answers in RUNS:
        assert after_run(stored, run_of(answers), at=AT) == one_at_a_time(stored, answers), answers


def test_a_retired_question_answered_right_again_stays_as_it_is():
    retired = one_at_a_time(ReviewState(), [False, True, True, True, True])
    assert retired == ReviewState(1, review.RETIRED, True, None)
    assert after_answer(retired, correct=True, at=AT) == retired
    assert after_answer(retired, correct=False, at=AT) == ReviewState(2, 0, False, AT + timedelta(days=1))


@pytest.fixture
def questions(catalog):
    return make_bank({1: len(RUNS[:40])}, case_size=0)


@pytest.mark.django_db
def test_grading_applies_answers_to_the_stored_states_as_the_rule_does(questions):
    """Every stored state, answered with 40 different runs (one question each): the upsert leaves what
    exams.review gives one answer at a time, and inserts the state of a pair that had no row."""
    assert connection.vendor == "postgresql"
    runs = RUNS[:: len(RUNS) // 40][:40]
    learners = [User.objects.create(username=f"reviewer-{i}") for i in range(len(STORED) + 1)]
    for learner, state in zip(learners, STORED, strict=False):
        SeenQuestion.objects.bulk_create(
            SeenQuestion(learner=learner, question=q, last_seen_at=T0, misses=state.misses, streak=state.streak,
                         last_correct=state.last_correct, due_at=state.due_at)
            for q in questions
        )  # fmt: skip
    # The last learner has no rows at all (older data): grading inserts them, seen at grading.
    answers = {(learner.pk, q.pk): run for learner in learners for q, run in zip(questions, runs, strict=True)}

    grading.review_answers_record(answers=answers, at=AT)

    stored = {
        (s.learner_id, s.question_id): s
        for s in SeenQuestion.objects.filter(learner__in=learners)
    }  # fmt: skip
    assert len(stored) == len(learners) * len(questions)
    for learner, state in zip(learners, [*STORED, ReviewState()], strict=True):
        for q, run in zip(questions, runs, strict=True):
            s = stored[(learner.pk, q.pk)]
            expected = one_at_a_time(state, run)
            assert ReviewState(s.misses, s.streak, s.last_correct, s.due_at) == expected, (state, run)
            assert s.last_seen_at == (AT if learner == learners[-1] else T0)


@pytest.mark.django_db
def test_a_state_the_answers_leave_as_it_is_is_not_rewritten(questions):
    """A retired question answered right again: its row is not rewritten (no new tuple, no WAL: same ctid)."""
    learner = User.objects.create(username="retired")
    retired, climbing = questions[0], questions[1]
    SeenQuestion.objects.create(learner=learner, question=retired, last_seen_at=T0, misses=1, streak=4,
                                last_correct=True)  # fmt: skip
    SeenQuestion.objects.create(learner=learner, question=climbing, last_seen_at=T0, misses=1, streak=1,
                                last_correct=True, due_at=T0 + timedelta(days=3))  # fmt: skip

    def versions():
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT question_id, ctid::text FROM {SeenQuestion._meta.db_table} WHERE learner_id = %s",  # noqa: S608
                [learner.pk],
            )
            return dict(cursor.fetchall())

    before = versions()
    grading.review_answers_record(answers={(learner.pk, retired.pk): [True], (learner.pk, climbing.pk): [True]}, at=AT)
    after = versions()
    assert after[retired.pk] == before[retired.pk]
    assert after[climbing.pk] != before[climbing.pk]
    assert SeenQuestion.objects.get(learner=learner, question=climbing).due_at == AT + timedelta(days=7)
