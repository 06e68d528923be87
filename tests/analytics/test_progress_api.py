"""Learner progress, weak-area practice and item statistics, through HTTP on PostgreSQL."""

from __future__ import annotations

import pytest
import time_machine
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone

from analytics.models import ExamStatistic, ItemStatistic
from analytics.services import item_statistics_recompute
from exams import services
from exams.models import Attempt, AttemptItem, MasteryRow, SeenQuestion
from questions.models import Exam, Option, Question
from tests.exams.conftest import correct_answer, make_bank, make_learner, wrong_answer

pytestmark = pytest.mark.django_db


def take(user, *, mode="full", count=20, right=lambda item: True):
    """Start, answer, submit and grade an attempt through the services."""
    exam = Exam.objects.get(code="MLA-C01")
    attempt, items = services.attempt_start(learner=user, exam=exam, mode=mode, count=count)
    for item in items:
        answer = correct_answer(item) if right(item) else wrong_answer(item)
        services.answer_save(attempt_id=attempt.pk, learner=user, position=item.position, answer=answer, flagged=False)
    services.attempt_submit(attempt_id=attempt.pk, learner=user)
    services.attempt_grade(attempt_id=attempt.pk)
    return attempt


@pytest.fixture
def big_bank(catalog):
    return make_bank({1: 40, 2: 38, 3: 32, 4: 36})


def test_progress_with_no_history(big_bank):
    _, client = make_learner("newbie")
    body = client.get("/api/me/progress/").json()
    assert body["attempts"] == [] and body["misconceptions"] == [] and body["weakest"] == []
    assert body["readiness"]["predicted_score"] is None
    assert body["readiness"]["message"] == "Take a full mock exam to get a readiness estimate."
    assert [d["mastery"] for d in body["mastery"]["domains"]] == [None, None, None, None]
    assert len(body["mastery"]["task_statements"]) == 12


def test_progress_reports_scores_mastery_weakest_readiness_and_misconceptions(big_bank):
    user, client = make_learner("improver")
    with time_machine.travel("2026-11-01 09:00:00Z", tick=False) as clock:
        take(user, right=lambda i: i.domain_number != 3)  # weak in domain 3
        clock.shift(86400)
        take(user, right=lambda i: i.domain_number != 3 and i.task_code != "4.2")
        clock.shift(86400)
        take(user, mode="practice", count=10)
        body = client.get("/api/me/progress/?exam=MLA-C01").json()
    assert [a["mode"] for a in body["attempts"]] == ["full", "full", "practice"]
    assert body["attempts"][0]["graded_at"] < body["attempts"][1]["graded_at"]
    domains = {d["key"]: d for d in body["mastery"]["domains"]}
    assert domains["3"]["mastery"] < 0.3 < 0.9 < domains["1"]["mastery"]
    assert domains["3"]["attempts"] >= 2
    weakest = [w["key"] for w in body["weakest"]]
    assert set(weakest) <= {"3.1", "3.2", "3.3", "4.2"} and len(weakest) == 3
    readiness = body["readiness"]
    assert readiness["based_on"] == 2
    assert readiness["low"] <= readiness["predicted_score"] <= readiness["high"]
    assert 0 <= readiness["pass_probability"] <= 1
    assert "Beta" in readiness["method"] and "(correct + 1) / (answered + 2)" in body["mastery"]["method"]
    # every question missed a day or more ago is due for review (exams.review)
    missed = set(
        AttemptItem.objects.filter(attempt__learner=user, is_correct=False).values_list("question_id", flat=True)
    )
    assert body["reviews_due"] == len(missed) > 0


def test_progress_query_count_does_not_grow_with_history(big_bank, django_assert_max_num_queries):
    counts = []
    for n in (2, 8):
        user, client = make_learner(f"history{n}")
        for k in range(n):
            take(user, mode="practice", count=10, right=lambda i, k=k: (i.position + k) % 3 != 0)
        with django_assert_max_num_queries(12) as captured:
            assert client.get("/api/me/progress/").status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_misconceptions_name_the_confusion_and_link_the_questions(catalog):
    from tests.factories import QuestionFactory, task

    for n in range(3):
        QuestionFactory(
            uid=f"drift-{n}",
            task_statement=task("MLA-C01 4.1"),
            options=[
                {"text": "Schedule SageMaker Model Monitor", "explanation": "right", "is_correct": True},
                {"text": "Alarm in Amazon CloudWatch on CPUUtilization", "explanation": "infra only"},
                {"text": "Read AWS CloudTrail", "explanation": "audit"},
                {"text": "Trace with AWS X-Ray", "explanation": "traces"},
            ],
        )
    user, client = make_learner("confuser")
    attempt = take(user, mode="practice", count=3, right=lambda item: False)  # a distractor each time
    body = client.get("/api/me/progress/").json()
    pairs = {(m["chosen"], m["expected"]): m for m in body["misconceptions"]}
    total = sum(m["count"] for m in body["misconceptions"])
    assert total == 3
    assert all(expected == "SageMaker Model Monitor" for _, expected in pairs)
    first = body["misconceptions"][0]
    assert first["summary"] == f"chose {first['chosen']} where SageMaker Model Monitor was right"
    assert {q["attempt"] for q in first["questions"]} == {str(attempt.pk)}


def test_weak_areas_serve_due_reviews_first_then_the_weakest_task_statements(big_bank):
    user, client = make_learner("weakling")
    with time_machine.travel("2026-11-01 09:00:00Z", tick=False) as clock:
        first = take(user, right=lambda i: i.task_code not in ("3.1", "3.2"))
        missed = set(first.items.filter(is_correct=False).values_list("question_id", flat=True))
        response = client.post("/api/attempts/", {"exam": "MLA-C01", "mode": "weak-areas"}, format="json")
        assert response.status_code == 201
        body = response.json()
        assert body["mode"] == "weak-areas" and body["question_count"] == 20
        served = set(Attempt.objects.get(pk=body["id"]).items.values_list("question_id", flat=True))
        assert not served & missed  # missed an hour ago: resting until tomorrow
        mastery = sorted(MasteryRow.objects.filter(learner=user, dimension="task").values_list("key", "correct"))
        assert body["filters"]["task_statements"][:2] in (["3.1", "3.2"], ["3.2", "3.1"]), mastery
        tasks = set(Attempt.objects.get(pk=body["id"]).items.values_list("task_code", flat=True))
        assert {"3.1", "3.2"} <= tasks, (body["filters"], mastery)
        services.attempt_submit(attempt_id=body["id"], learner=user)
        clock.shift(2 * 86400)  # two days later the missed questions are due
        due = SeenQuestion.objects.filter(learner=user, due_at__lte=timezone.now()).count()
        assert due == len(missed)
        body = client.post(
            "/api/attempts/", {"exam": "MLA-C01", "mode": "weak-areas", "count": min(5, len(missed))}, format="json"
        ).json()
        served = list(
            Attempt.objects.get(pk=body["id"]).items.order_by("position").values_list("question_id", flat=True)
        )
        assert set(served) <= missed and len(served) == min(5, len(missed))  # the due reviews come first
        assert body["filters"]["review"] == [len(served)]


def test_weak_areas_need_a_history(big_bank):
    _, client = make_learner("blank")
    response = client.post("/api/attempts/", {"exam": "MLA-C01", "mode": "weak-areas"}, format="json")
    assert response.status_code == 409 and response.json()["error"]["code"] == "no_history"
    response = client.post(
        "/api/attempts/", {"exam": "MLA-C01", "mode": "weak-areas", "filters": {"domain": 1}}, format="json"
    )
    assert response.status_code == 400 and "filters" in response.json()["error"]["fields"]


# --- Item statistics for authors -------------------------------------------------------------------------


@pytest.fixture
def graded_population(catalog):
    """Twelve learners of graded ability take the same 65 questions; question q-1-5 is 'reversed':
    only the weakest learners get it right."""
    make_bank({1: 18, 2: 17, 3: 14, 4: 16})
    learners = []
    reversed_question = Question.objects.get(uid="q-1-5")
    for k in range(12):
        user, _ = make_learner(f"pop{k}")
        ability = k / 11

        def right(item, ability=ability):
            if item.question_id == reversed_question.pk:
                return ability < 0.3
            return (item.position * 7919 % 100) / 100 < ability

        take(user, right=right)
        learners.append(user)
    return reversed_question


def test_item_statistics_flag_a_reversed_item(graded_population):
    assert item_statistics_recompute() > 0
    exam_stats = ExamStatistic.objects.get(exam__code="MLA-C01")
    assert exam_stats.attempts == 12 and 0 < exam_stats.alpha <= 1
    stat = ItemStatistic.objects.filter(question=graded_population, exam__code="MLA-C01").first()
    if stat is not None and stat.attempts >= 10:
        assert stat.discrimination_index < 0
        assert any("negative discrimination" in f for f in stat.flags)
    good = ItemStatistic.objects.filter(exam__code="MLA-C01", attempts__gte=10).exclude(question=graded_population)
    assert good.exists()
    for row in good.filter(question__type="multiple_choice")[:3]:
        assert len(row.options) == 4
        assert sum(o["rate"] for o in row.options) == pytest.approx(1.0, abs=0.01)


def test_question_stats_are_for_authors_only(graded_population, client):
    item_statistics_recompute()
    question = ItemStatistic.objects.filter(attempts__gte=1).first().question
    url = f"/api/questions/{question.pk}/stats/"
    assert client.get(url).status_code == 401
    _, learner = make_learner("nosy")
    response = learner.get(url)
    assert response.status_code == 403
    assert response.json()["error"]["message"] == "Only authors and staff see item statistics."
    author = User.objects.create_user("statsauthor", password="author-pass-2026!", is_staff=True)
    author.groups.add(Group.objects.get(name="Authors"))
    client.force_login(author)
    body = client.get(url).json()
    assert body["question"] == question.uid and body["statistics"][0]["exam"] == "MLA-C01"
    assert {"facility", "sd", "discrimination_index", "discriminative_efficiency", "effective_weight", "options",
            "flags"} <= set(body["statistics"][0])  # fmt: skip
    assert client.get("/api/questions/999999/stats/").status_code == 404
    # the admin shows a statistics column and a page per question
    page = client.get(reverse("admin:questions_question_changelist"))
    assert page.status_code == 200 and "statistics" in page.content.decode()
    stat = ItemStatistic.objects.filter(question=question).first()
    detail = client.get(reverse("admin:analytics_itemstatistic_change", args=[stat.pk]))
    assert detail.status_code == 200 and "top third" in detail.content.decode()


def test_statistics_use_only_full_length_attempts(big_bank):
    user, _ = make_learner("practiser")
    take(user, mode="practice", count=10)
    assert item_statistics_recompute() == 0
    assert not ItemStatistic.objects.exists()
    assert Option.objects.exists()
