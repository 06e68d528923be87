"""The exam catalogue (exams.catalogue): cached per process, and never stale - any edit to the bank,
however it is written, shows in the next attempt started."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from exams import catalogue
from exams.models import AttemptItem
from questions.models import Pillar, Question, TaskStatement
from tests.exams.conftest import FULL_BANK, make_bank


def start(client, **filters):
    body = {"exam": "MLA-C01", "mode": "practice", "count": 65, "filters": filters}
    return client.post("/api/attempts/", body, format="json")


def served_uids(response) -> set[str]:
    assert response.status_code == 201, response.content
    return set(AttemptItem.objects.filter(attempt_id=response.json()["id"]).values_list("tags__uid", flat=True))


def test_an_unchanged_bank_is_read_once_then_checked_with_one_query(bank):
    from questions.models import Exam

    exam = Exam.objects.get(code="MLA-C01")
    first = catalogue.exam_catalogue(exam)
    assert len(first) == sum(FULL_BANK.values())
    with CaptureQueriesContext(connection) as queries:
        again = catalogue.exam_catalogue(exam)
    assert again is first
    assert len(queries) == 1  # the fingerprint, nothing else


def test_a_question_retired_behind_the_models_back_is_not_served_next_time(bank, learner):
    _, client = learner
    # Domain 2 only: all 19 of its questions fit in one practice set, so q-2-0 is always served
    # (a full form would draw 17 of the 19 at random).
    assert "q-2-0" in served_uids(start(client, domain=[2]))
    # A queryset update: no save(), no signal; the fingerprint still sees the new row version.
    Question.objects.filter(uid="q-2-0").update(status="retired")
    assert "q-2-0" not in served_uids(start(client, domain=[2]))


def test_a_newly_published_question_is_served_next_time(bank, learner):
    _, client = learner
    served_uids(start(client))
    make_bank({2: 1}, case_size=0, prefix="new")
    practice = start(client, domain=[2])
    assert "new-2-0" in served_uids(practice)


def test_retagged_and_renamed_taxonomy_reaches_the_next_attempt_only(bank, learner):
    _, client = learner
    before = start(client, domain=[3])
    question = Question.objects.get(uid="q-3-0")
    question.pillars.set([Pillar.objects.get(slug="security"), Pillar.objects.get(slug="scalability")])
    TaskStatement.objects.filter(pk=question.task_statement_id).update(title="A renamed task statement")
    after = start(client, domain=[3])
    assert after.status_code == 201

    def tags(response):
        return AttemptItem.objects.get(attempt_id=response.json()["id"], question=question).tags

    assert tags(after)["pillars"] == ["scalability", "security"]
    assert tags(after)["task_title"] == "A renamed task statement"
    # The earlier attempt keeps the taxonomy it was served with.
    assert tags(before)["task_title"] != "A renamed task statement"


def test_practice_filters_match_the_catalogue(bank, learner):
    _, client = learner
    response = start(client, pillar=["security"], type=["multiple_choice"], service=["Amazon S3"])
    assert response.status_code == 201
    items = AttemptItem.objects.filter(attempt_id=response.json()["id"])
    expected = Question.objects.filter(
        status="published", type="multiple_choice", pillars__slug="security", services__name="Amazon S3"
    ).distinct()
    assert {i.question_id for i in items} == set(expected.values_list("pk", flat=True))
