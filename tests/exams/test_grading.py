"""Grading: the score report, idempotency, the sweeps, regrading a corrected key (in-process)."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from auditlog.models import LogEntry
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerDown

from exams import services
from exams.models import Attempt, AttemptItem, AttemptResult, MasteryRow, Mistake, Regrade, ResultRow, SeenQuestion
from exams.tasks import grade_attempt
from questions.models import Option, Pillar, Question
from questions.services import question_version_sync
from tests.exams.conftest import correct_answer, make_bank, make_learner, shown, wrong_answer
from tests.factories import task

pytestmark = pytest.mark.django_db


def items_of(attempt_id):
    return list(
        AttemptItem.objects.filter(attempt_id=attempt_id).select_related("version", "question").order_by("position")
    )


def answer_all(client, attempt_id, right=lambda item: True, seconds=None):
    for item in items_of(attempt_id):
        body = {"answer": correct_answer(item) if right(item) else wrong_answer(item)}
        if seconds is not None:
            body["seconds_spent"] = seconds
        client.put(f"/api/attempts/{attempt_id}/items/{item.position}/", body, format="json")


@pytest.fixture
def full_bank(catalog):
    return make_bank({1: 20, 2: 19, 3: 16, 4: 18})


def test_the_score_report_has_every_breakdown_with_its_classification(
    full_bank, eager_celery, django_capture_on_commit_callbacks
):
    _, client = make_learner("reporter")
    with time_machine.travel("2026-11-26 09:00:00Z", tick=False) as clock:
        attempt = client.post("/api/attempts/", {"exam": "MLA-C01", "mode": "full"}, format="json").json()
        # right in domains 1 and 2, wrong in 3 and 4
        answer_all(client, attempt["id"], right=lambda i: i.domain_number <= 2, seconds=42)
        clock.move_to("2026-11-26 10:15:30Z")
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"/api/attempts/{attempt['id']}/submit/")
        result = client.get(f"/api/attempts/{attempt['id']}/result/").json()
    assert (result["correct"], result["total"]) == (35, 65)
    assert result["time_taken_seconds"] == 75 * 60 + 30
    sections = result["sections"]
    assert [(r["key"], r["correct"], r["total"], r["classification"]) for r in sections["domain"]] == [
        ("1", 18, 18, "meets_competencies"),
        ("2", 17, 17, "meets_competencies"),
        ("3", 0, 14, "needs_improvement"),
        ("4", 0, 16, "needs_improvement"),
    ]
    assert result["domains"] == sections["domain"]
    assert sum(r["total"] for r in sections["task"]) == 65
    assert {r["key"] for r in sections["task"]} <= {f"{d}.{t}" for d in range(1, 5) for t in range(1, 4)}
    assert sum(r["total"] for r in sections["stage"]) == 65
    assert sum(r["total"] for r in sections["type"]) == 65
    assert {r["key"] for r in sections["type"]} == {"multiple_choice", "multiple_response", "ordering", "matching"}
    assert {r["key"] for r in sections["pillar"]} == {"security", "scalability", "cost-effectiveness"}
    assert [r["key"] for r in sections["service"]] == ["Amazon S3"]
    assert all(i["feedback"]["seconds_spent"] == 42 for i in result["items"])
    assert ResultRow.objects.filter(attempt_id=attempt["id"], dimension="domain").count() == 4


@pytest.mark.parametrize("qtype", ["multiple_choice", "multiple_response", "ordering", "matching"])
def test_each_type_is_credited_all_or_nothing(catalog, qtype, eager_celery, django_capture_on_commit_callbacks):
    make_bank({1: 20}, case_size=0)
    _, client = make_learner("typer")
    body = {"exam": "MLA-C01", "mode": "practice", "count": 8, "filters": {"type": qtype}}
    attempt = client.post("/api/attempts/", body, format="json").json()
    items = items_of(attempt["id"])
    right, partial = items[0], items[1]
    client.put(
        f"/api/attempts/{attempt['id']}/items/{right.position}/", {"answer": correct_answer(right)}, format="json"
    )
    key = correct_answer(partial)
    if qtype == "multiple_response":
        near = {"selected": key["selected"][:1]}  # one of two keys: no partial credit
    elif qtype == "ordering":
        near = {"order": key["order"][:-2] + key["order"][-2:][::-1]}  # all but the last two in place
    elif qtype == "matching":
        near = {"matches": dict(list(key["matches"].items())[:-1])}  # one prompt left unmatched
    else:
        near = wrong_answer(partial)
    client.put(f"/api/attempts/{attempt['id']}/items/{partial.position}/", {"answer": near}, format="json")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/api/attempts/{attempt['id']}/submit/")
    marks = dict(AttemptItem.objects.filter(attempt_id=attempt["id"]).values_list("position", "is_correct"))
    assert marks[right.position] is True
    assert marks[partial.position] is False
    assert sum(marks.values()) == 1  # unanswered items are wrong


def test_grading_twice_writes_one_result(full_bank):
    user, client = make_learner("twice")
    attempt = client.post("/api/attempts/", {"exam": "MLA-C01", "mode": "full"}, format="json").json()
    answer_all(client, attempt["id"], right=lambda i: i.position % 2 == 0)
    services.attempt_submit(attempt_id=attempt["id"], learner=user)
    first = grade_attempt.apply(args=[attempt["id"]]).get()
    second = grade_attempt.apply(args=[attempt["id"]]).get()  # a redelivered message
    assert first == second
    assert AttemptResult.objects.filter(attempt_id=attempt["id"]).count() == 1
    assert ResultRow.objects.filter(attempt_id=attempt["id"], dimension="domain").count() == 4
    misses = SeenQuestion.objects.filter(learner=user).values_list("misses", flat=True)
    assert set(misses) == {0, 1}  # counted once per question, not twice


def test_an_attempt_in_progress_is_not_graded(full_bank):
    _, client = make_learner("early")
    attempt = client.post("/api/attempts/", {"exam": "MLA-C01", "mode": "full"}, format="json").json()
    with pytest.raises(services.Conflict, match="submit it first"):
        services.attempt_grade(attempt_id=attempt["id"])
    assert not AttemptResult.objects.exists()


def test_a_broker_outage_at_submit_keeps_the_submission_and_the_sweep_grades_it(
    full_bank, eager_celery, django_capture_on_commit_callbacks
):
    _, client = make_learner("outage")
    with time_machine.travel("2026-11-26 09:00:00Z", tick=False) as clock:
        attempt = client.post("/api/attempts/", {"exam": "MLA-C01", "mode": "full"}, format="json").json()
        answer_all(client, attempt["id"])
        with (
            mock.patch.object(grade_attempt, "apply_async", side_effect=BrokerDown("Redis is down")),
            django_capture_on_commit_callbacks(execute=True),
        ):
            response = client.post(f"/api/attempts/{attempt['id']}/submit/")
        assert response.status_code == 200 and response.json()["status"] == "submitted"
        assert client.get(f"/api/attempts/{attempt['id']}/result/").status_code == 202
        assert services.attempts_requeue_ungraded() == 0  # under a minute: maybe still in flight
        clock.move_to("2026-11-26 09:01:30Z")
        assert services.attempts_requeue_ungraded() == 1  # the broker is back: graded in-process here
    assert Attempt.objects.get(pk=attempt["id"]).status == "graded"
    assert client.get(f"/api/attempts/{attempt['id']}/result/").json()["scaled_score"] == 1000


def test_mistakes_record_what_was_confused_with_what(catalog, eager_celery, django_capture_on_commit_callbacks):
    question = Question.objects.create(
        uid="drift-q", type="multiple_choice", stem="Drift? Which service?", explanation="Model Monitor watches data.",
        references=["https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor.html"], status="published",
        stage="monitoring_operations", task_statement=task("MLA-C01 4.1"),
    )  # fmt: skip
    question.pillars.set(Pillar.objects.filter(slug="scalability"))
    for i, (text, correct) in enumerate(
        [("Schedule SageMaker Model Monitor", True), ("Create Amazon CloudWatch alarms on CPUUtilization", False),
         ("Turn on AWS CloudTrail", False), ("Use AWS X-Ray", False)], start=1
    ):  # fmt: skip
        Option.objects.create(question=question, order=i, text=text, explanation="why", is_correct=correct)
    question_version_sync(question=question, source="admin")
    user, client = make_learner("confused")
    attempt = client.post("/api/attempts/", {"exam": "MLA-C01", "mode": "practice", "count": 1}, format="json").json()
    item = items_of(attempt["id"])[0]
    cloudwatch = next(o["id"] for o in shown(item)["options"] if "CloudWatch" in o["text"])
    client.put(f"/api/attempts/{attempt['id']}/items/1/", {"answer": {"selected": [cloudwatch]}}, format="json")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/api/attempts/{attempt['id']}/submit/")
    mistake = Mistake.objects.get(learner=user)
    assert (mistake.chosen, mistake.expected) == ("Amazon CloudWatch", "SageMaker Model Monitor")
    seen = SeenQuestion.objects.get(learner=user, question=question)
    assert seen.misses == 1 and seen.due_at is not None


# --- Regrading a corrected key ------------------------------------------------------------------------------


def correct_key_to(question: Question, text_fragment: str) -> None:
    """What an author does in the admin: move the key, which records a new version."""
    question.options.update(is_correct=False)
    question.options.filter(text__contains=text_fragment).update(is_correct=True)
    assert question_version_sync(question=question, source="admin")


def test_regrading_applies_a_corrected_key_and_records_old_and_new_scores(
    catalog, eager_celery, django_capture_on_commit_callbacks, client
):
    make_bank({1: 10}, case_size=0)
    question = Question.objects.filter(type="multiple_choice").order_by("uid").first()
    learners = [make_learner(f"regrade{i}") for i in range(2)]
    attempts = []
    for _, c in learners:
        attempt = c.post("/api/attempts/", {"exam": "MLA-C01", "mode": "practice", "count": 10}, format="json").json()
        item = next(i for i in items_of(attempt["id"]) if i.question_id == question.pk)
        # both pick "Choice 2", which the author will make the key
        choice2 = next(o["id"] for o in shown(item)["options"] if o["text"] == "Choice 2")
        c.put(
            f"/api/attempts/{attempt['id']}/items/{item.position}/", {"answer": {"selected": [choice2]}}, format="json"
        )
        with django_capture_on_commit_callbacks(execute=True):
            c.post(f"/api/attempts/{attempt['id']}/submit/")
        attempts.append(attempt["id"])
    before = {a: AttemptResult.objects.get(attempt_id=a).correct for a in attempts}
    assert all(v == 0 for v in before.values())

    correct_key_to(question, "Choice 2")
    author = User.objects.create_user("fixer", password="fixer-pass-2026!", is_staff=True)
    author.groups.add(Group.objects.get(name="Authors"))
    client.force_login(author)
    response = client.post(
        reverse("admin:questions_question_changelist"),
        {"action": "regrade_selected", "_selected_action": [question.pk]},
        follow=True,
    )
    assert any("regraded 2 attempt(s), 2 score(s) changed" in str(m) for m in response.context["messages"])
    for attempt_id in attempts:
        result = AttemptResult.objects.get(attempt_id=attempt_id)
        assert result.correct == 1 and result.regraded_at is not None
        regrade = Regrade.objects.get(attempt_id=attempt_id)
        assert (regrade.from_version, regrade.to_version, regrade.old_correct, regrade.new_correct) == (1, 2, 0, 1)
        assert regrade.old_scaled_score < regrade.new_scaled_score and regrade.by == author
        logged = LogEntry.objects.get_for_object(regrade).get()  # the audit log has it too, with who ran it
        assert logged.actor == author and logged.changes_dict["new_correct"] == ["None", "1"]
        assert ResultRow.objects.get(attempt_id=attempt_id, dimension="domain").correct == 1
    # the stored mastery that progress pages and dashboards read follows the regrade
    for learner, _ in learners:
        assert MasteryRow.objects.get(learner=learner, dimension="domain", key="1").correct == 1
    # the learner's result now shows the corrected key as the key
    _, c = learners[0]
    result = c.get(f"/api/attempts/{attempts[0]}/result/").json()
    fixed = next(i for i in result["items"] if i["feedback"]["correct"])
    assert [o["text"] for o in fixed["feedback"]["options"] if o["correct"]] == ["Choice 2"]
    # running it again changes nothing
    assert services.question_regrade(question=question).regraded == 0
    assert Regrade.objects.count() == 2


def test_an_incompatible_new_version_is_not_applied(catalog, eager_celery, django_capture_on_commit_callbacks):
    make_bank({1: 4}, case_size=0)
    question = Question.objects.filter(type="multiple_choice").first()
    _, c = make_learner("incompat")
    attempt = c.post("/api/attempts/", {"exam": "MLA-C01", "mode": "practice", "count": 4}, format="json").json()
    with django_capture_on_commit_callbacks(execute=True):
        c.post(f"/api/attempts/{attempt['id']}/submit/")
    Option.objects.create(question=question, order=9, text="A fifth option", explanation="why")
    question_version_sync(question=question, source="admin")
    report = services.question_regrade(question=question)
    assert report.regraded == 0 and len(report.skipped) == 1
    assert "does not line up" in report.skipped[0]


def test_a_key_corrected_while_an_attempt_runs_is_used_to_grade_it(
    catalog, eager_celery, django_capture_on_commit_callbacks
):
    make_bank({1: 4}, case_size=0)
    question = Question.objects.filter(type="multiple_choice").first()
    _, c = make_learner("midway")
    attempt = c.post("/api/attempts/", {"exam": "MLA-C01", "mode": "practice", "count": 4}, format="json").json()
    item = next(i for i in items_of(attempt["id"]) if i.question_id == question.pk)
    choice3 = next(o["id"] for o in shown(item)["options"] if o["text"] == "Choice 3")
    c.put(f"/api/attempts/{attempt['id']}/items/{item.position}/", {"answer": {"selected": [choice3]}}, format="json")
    correct_key_to(question, "Choice 3")
    with django_capture_on_commit_callbacks(execute=True):
        c.post(f"/api/attempts/{attempt['id']}/submit/")
    item.refresh_from_db()
    assert item.is_correct is True and item.graded_version.version == 2 and item.version.version == 1


def test_the_expiry_sweep_and_requeue_run_through_their_tasks(full_bank, eager_celery):
    from exams.tasks import expire_overdue_attempts, requeue_ungraded_attempts

    user, client = make_learner("sweeper")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.post("/api/attempts/", {"exam": "MLA-C01", "mode": "practice", "count": 3}, format="json")
        clock.shift(timedelta(minutes=10))
        assert expire_overdue_attempts.apply().get() == 1
        clock.shift(timedelta(minutes=2))
        assert requeue_ungraded_attempts.apply().get() == 1
    assert Attempt.objects.get(learner=user).status == "graded"


def test_one_task_grades_the_other_waiting_attempts_too(full_bank):
    learners = [make_learner(f"batch{i}") for i in range(3)]
    ids = []
    for user, client in learners:
        attempt = client.post(
            "/api/attempts/", {"exam": "MLA-C01", "mode": "practice", "count": 5}, format="json"
        ).json()
        services.attempt_submit(attempt_id=attempt["id"], learner=user)
        ids.append(attempt["id"])
    services.attempt_grade(attempt_id=ids[1])
    assert set(Attempt.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"graded"}
    assert AttemptResult.objects.filter(attempt_id__in=ids).count() == 3
    assert grade_attempt.apply(args=[ids[0]]).get() == AttemptResult.objects.get(attempt_id=ids[0]).scaled_score


def test_a_bad_attempt_in_a_batch_does_not_hold_the_others_back(full_bank):
    (good_user, good), (bad_user, bad) = make_learner("good"), make_learner("bad")
    good_id = good.post("/api/attempts/", {"exam": "MLA-C01", "mode": "practice", "count": 5}, format="json").json()[
        "id"
    ]
    bad_id = bad.post("/api/attempts/", {"exam": "MLA-C01", "mode": "practice", "count": 5}, format="json").json()["id"]
    services.attempt_submit(attempt_id=good_id, learner=good_user)
    services.attempt_submit(attempt_id=bad_id, learner=bad_user)
    AttemptItem.objects.filter(attempt_id=bad_id).update(layout={"o": [[99, "zz"]], "p": []})  # corrupt
    services.attempt_grade(attempt_id=good_id)  # the batch with the bad one fails; the good one alone passes
    assert Attempt.objects.get(pk=good_id).status == "graded"
    assert Attempt.objects.get(pk=bad_id).status == "submitted"


def test_practise_these_starts_a_set_from_the_wrong_or_flagged_questions(
    full_bank, eager_celery, django_capture_on_commit_callbacks
):
    _, client = make_learner("retrier")
    attempt = client.post("/api/attempts/", {"exam": "MLA-C01", "mode": "practice", "count": 10}, format="json").json()
    items = items_of(attempt["id"])
    for item in items:
        body = {
            "answer": correct_answer(item) if item.position <= 6 else wrong_answer(item),
            "flagged": item.position == 2,
        }
        client.put(f"/api/attempts/{attempt['id']}/items/{item.position}/", body, format="json")
    retry = {"exam": "MLA-C01", "mode": "practice", "retry": {"attempt": attempt["id"]}}
    response = client.post("/api/attempts/", retry, format="json")
    assert response.status_code == 409 and response.json()["error"]["code"] == "not_graded"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/api/attempts/{attempt['id']}/submit/")
    response = client.post("/api/attempts/", retry, format="json")
    assert response.status_code == 201
    wrong = [i.question_id for i in items if i.position > 6]
    served = list(
        AttemptItem.objects.filter(attempt_id=response.json()["id"])
        .order_by("position")
        .values_list("question_id", flat=True)
    )
    assert served == wrong
    assert response.json()["filters"] == {"retry_of": [attempt["id"]], "which": ["wrong"]}
    flagged = client.post(
        "/api/attempts/", {**retry, "retry": {"attempt": attempt["id"], "which": "flagged"}}, format="json"
    )
    assert flagged.json()["question_count"] == 1
    _, other = make_learner("stranger")
    response = other.post("/api/attempts/", retry, format="json")
    assert response.status_code == 404
    response = client.post("/api/attempts/", {**retry, "mode": "full"}, format="json")
    assert response.status_code == 400 and "retry" in response.json()["error"]["fields"]
    response = client.post("/api/attempts/", {**retry, "filters": {"domain": 1}}, format="json")
    assert response.status_code == 400 and "filters" in response.json()["error"]["fields"]
    response = client.post("/api/attempts/", {**retry, "exam": "MLA-C02"}, format="json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "wrong_exam"
    # A flawless attempt has nothing to practise again; nothing is created.
    before = Attempt.objects.count()
    flawless = client.post("/api/attempts/", {"exam": "MLA-C01", "mode": "practice", "count": 3}, format="json").json()
    for item in items_of(flawless["id"]):
        client.put(
            f"/api/attempts/{flawless['id']}/items/{item.position}/", {"answer": correct_answer(item)}, format="json"
        )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/api/attempts/{flawless['id']}/submit/")
    response = client.post("/api/attempts/", {**retry, "retry": {"attempt": flawless["id"]}}, format="json")
    assert response.status_code == 409
    assert response.json()["error"]["message"] == "There is nothing to practise again in that attempt."
    assert Attempt.objects.count() == before + 1


def test_mastery_kept_batch_by_batch_equals_a_recomputation_from_the_whole_history(full_bank):
    """Grading refreshes only the sections its batch touched, each from its five latest rows; the
    stored mastery must be what recomputing every section from the whole history gives."""
    user, client = make_learner("history")
    for k in range(7):  # domain 1 in every attempt (more than the window), the others in some only
        body = {"exam": "MLA-C01", "mode": "practice", "count": 6, "filters": {"domain": [1, 2 + k % 3]}}
        attempt = client.post("/api/attempts/", body, format="json").json()
        answer_all(client, attempt["id"], right=lambda item, k=k: (item.position + k) % 3 != 0)
        services.attempt_submit(attempt_id=attempt["id"], learner=user)
        with time_machine.travel(timezone.now() + timedelta(minutes=k + 1)):
            services.attempt_grade(attempt_id=attempt["id"])
    columns = ("dimension", "key", "label", "correct", "total", "attempts")
    kept = set(MasteryRow.objects.filter(learner=user).values_list(*columns))
    assert {row[0] for row in kept} == {"domain", "task"} and len(kept) > 4
    exam_id = Attempt.objects.filter(learner=user).values_list("exam_id", flat=True).first()
    MasteryRow.objects.filter(learner=user).delete()
    services.mastery_refresh(learner_exams={(user.pk, exam_id)})  # no keys: every section, whole history
    assert set(MasteryRow.objects.filter(learner=user).values_list(*columns)) == kept
    assert max(row[5] for row in kept) == 5  # the window, not the seven attempts


def test_grading_records_review_state_even_where_the_seen_row_is_missing(full_bank):
    """Older data may lack the row a start records per question: grading inserts it (seen at grading)."""
    user, client = make_learner("no-seen-rows")
    attempt = client.post("/api/attempts/", {"exam": "MLA-C01", "mode": "practice", "count": 4}, format="json").json()
    answer_all(client, attempt["id"], right=lambda item: item.position != 1)
    first = items_of(attempt["id"])[0]
    SeenQuestion.objects.filter(learner=user, question=first.question).delete()
    services.attempt_submit(attempt_id=attempt["id"], learner=user)
    services.attempt_grade(attempt_id=attempt["id"])
    missed = SeenQuestion.objects.get(learner=user, question=first.question)
    assert (missed.misses, missed.streak, missed.last_correct) == (1, 0, False)
    assert missed.due_at == missed.last_seen_at + timedelta(days=1)
    assert SeenQuestion.objects.filter(learner=user).count() == 4
    assert SeenQuestion.objects.filter(learner=user, last_correct=True).count() == 3


def test_deliveries_for_attempts_this_process_graded_make_no_query(
    full_bank, django_capture_on_commit_callbacks, django_assert_num_queries
):
    ids = []
    for i in range(3):
        user, client = make_learner(f"memo{i}")
        attempt = client.post("/api/attempts/", {"exam": "MLA-C01", "mode": "practice", "count": 5}, format="json")
        services.attempt_submit(attempt_id=attempt.json()["id"], learner=user)
        ids.append(attempt.json()["id"])
    with django_capture_on_commit_callbacks(execute=True):
        first = grade_attempt.apply(args=[ids[0]]).get()  # grades the three in one batch
    assert first == AttemptResult.objects.get(attempt_id=ids[0]).scaled_score
    with django_assert_num_queries(0):
        scores = [grade_attempt.apply(args=[attempt_id]).get() for attempt_id in ids[1:]]
    assert scores == [AttemptResult.objects.get(attempt_id=i).scaled_score for i in ids[1:]]
