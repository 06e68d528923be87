"""mlaexam.db: set-based inserts and updates from a JSON payload (PostgreSQL), and the bulk_create
fallback other databases take - both must store exactly what they are given."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import User
from django.db import connection

from exams.models import SeenQuestion
from mlaexam.db import insert_rows, update_rows
from tests.factories import QuestionFactory

COLUMNS = ("learner", "question", "last_seen_at", "misses", "streak", "last_correct", "due_at")


@pytest.fixture(params=["postgresql", "fallback"])
def path(request, monkeypatch):
    if request.param == "fallback":  # what SQLite (make run) takes: instances and bulk_create
        monkeypatch.setattr(connection, "vendor", "sqlite")
    return request.param


@pytest.mark.django_db
def test_rows_are_inserted_upserted_and_updated_as_given(catalog, path):
    learner = User.objects.create_user("db-rows")
    first, second = QuestionFactory(), QuestionFactory()
    seen = datetime(2026, 11, 1, 9, 30, 15, 123456, tzinfo=UTC)
    due = datetime(2026, 11, 3, tzinfo=UTC)

    returned = insert_rows(
        SeenQuestion,
        COLUMNS,
        [(learner.pk, first.pk, seen, 1, 0, False, due), (learner.pk, second.pk, seen, 0, 2, None, None)],
        returning=("question",),
    )
    assert sorted(returned) == sorted([(first.pk,), (second.pk,)])
    rows = {s.question_id: s for s in SeenQuestion.objects.filter(learner=learner)}
    assert (rows[first.pk].last_seen_at, rows[first.pk].misses, rows[first.pk].last_correct) == (seen, 1, False)
    assert rows[first.pk].due_at == due
    assert (rows[second.pk].streak, rows[second.pk].last_correct, rows[second.pk].due_at) == (2, None, None)

    later = datetime(2026, 11, 5, tzinfo=UTC)
    insert_rows(
        SeenQuestion,
        COLUMNS,
        [(learner.pk, first.pk, later, 9, 9, True, None)],
        conflict=("learner", "question"),
        update=("last_seen_at",),
    )
    again = SeenQuestion.objects.get(learner=learner, question=first)
    assert (again.last_seen_at, again.misses, again.due_at) == (later, 1, due)  # only last_seen_at changed
    assert SeenQuestion.objects.filter(learner=learner).count() == 2

    updated = update_rows(
        SeenQuestion,
        ("learner", "question"),
        ("misses", "due_at"),
        [(learner.pk, first.pk, 3, None), (learner.pk, 10**9, 7, None)],  # the second finds no row
    )
    assert updated == 1
    assert SeenQuestion.objects.get(learner=learner, question=first).misses == 3
    assert SeenQuestion.objects.get(learner=learner, question=first).due_at is None
    assert SeenQuestion.objects.get(learner=learner, question=second).misses == 0


@pytest.mark.django_db
def test_nothing_to_write_makes_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert insert_rows(SeenQuestion, COLUMNS, []) == []
        assert update_rows(SeenQuestion, ("learner", "question"), ("misses",), []) == 0


@pytest.mark.django_db
def test_a_value_json_cannot_carry_is_refused_before_any_write(catalog):
    learner = User.objects.create_user("db-refused")
    question = QuestionFactory()
    with pytest.raises(TypeError, match="not JSON serializable: object"):
        insert_rows(SeenQuestion, COLUMNS, [(learner.pk, question.pk, object(), 0, 0, None, None)])
    assert not SeenQuestion.objects.filter(learner=learner).exists()
