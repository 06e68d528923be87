"""Taking exams through HTTP on PostgreSQL: every mode, the timer, autosave, resume, submit, errors."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from exams import catalogue, contents, services
from exams.models import Attempt, AttemptItem
from questions.models import Question
from questions.services import question_version_sync
from tests.exams.conftest import FULL_BANK, correct_answer, make_bank, make_learner, shown, wrong_answer

pytestmark = pytest.mark.django_db

FULL = {"exam": "MLA-C01", "mode": "full"}


def start(client, **body):
    return client.post("/api/attempts/", body or FULL, format="json")


def error(response):
    return response.json()["error"]


def items_of(attempt_id):
    return list(
        AttemptItem.objects.filter(attempt_id=attempt_id).select_related("version", "question").order_by("position")
    )


# --- The exam list -------------------------------------------------------------------------------------


def test_exams_list_the_blueprint_modes_and_published_counts(bank, client):
    response = client.get("/api/exams/")
    assert response.status_code == 200
    exams = {e["code"]: e for e in response.json()}
    c01 = exams["MLA-C01"]
    assert (c01["question_count"], c01["minutes"], c01["passing_score"]) == (65, 130, 720)
    assert [(d["number"], d["weight"], d["form_questions"], d["published_questions"]) for d in c01["domains"]] == [
        (1, 28.0, 18, 20),
        (2, 26.0, 17, 19),
        (3, 22.0, 14, 16),
        (4, 24.0, 16, 18),
    ]
    assert [t["code"] for t in c01["domains"][0]["task_statements"]] == ["1.1", "1.2", "1.3"]
    assert {m["mode"]: m["available"] for m in c01["modes"]} == {"full": True, "final": True, "practice": True}
    c02 = exams["MLA-C02"]
    assert [d["form_questions"] for d in c02["domains"]] == [18, 16, 16, 15]
    assert {m["mode"]: m["available"] for m in c02["modes"]} == {"full": False, "final": False, "practice": False}


# --- Full mock ------------------------------------------------------------------------------------------


def test_full_mock_serves_the_blueprint_form(bank, learner):
    _, client = learner
    with time_machine.travel("2026-11-26 09:00:00Z", tick=False):
        response = start(client)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["mode"], body["status"], body["question_count"], body["timed"]) == ("full", "in_progress", 65, True)
    assert body["time_limit_seconds"] == 130 * 60
    assert body["started_at"] == "2026-11-26T09:00:00Z"
    assert body["deadline"] == "2026-11-26T11:10:00Z"
    assert body["remaining_seconds"] == 7800
    assert body["server_time"] == "2026-11-26T09:00:00Z"
    assert [i["position"] for i in body["items"]] == list(range(1, 66))
    items = items_of(body["id"])
    assert Counter(i.domain_number for i in items) == {1: 18, 2: 17, 3: 14, 4: 16}
    assert len({i.question_id for i in items}) == 65
    # the case study's three questions are served together and in order
    case_positions = [i.position for i in items if i.question.case_id]
    if case_positions:
        assert case_positions == list(range(case_positions[0], case_positions[0] + 3))
        assert [items[p - 1].question.case_order for p in case_positions] == [1, 2, 3]
        assert body["items"][case_positions[0] - 1]["case"] == {
            "title": "A retailer's data lake",
            "scenario": "Scenario text.",
        }
    # every item carries the type's controls
    for item in body["items"]:
        assert set(item) == {
            "position",
            "type",
            "stem",
            "case",
            "options",
            "prompts",
            "choose",
            "answer",
            "flagged",
            "locked",
            "feedback",
        }
        assert item["answer"] is None and item["feedback"] is None and item["locked"] is False
        if item["type"] == "multiple_response":
            assert item["choose"] == 2
        if item["type"] == "matching":
            assert len(item["prompts"]) == 3 and len(item["options"]) == 4


def test_full_mock_refuses_a_short_bank_with_what_is_missing(catalog, learner):
    make_bank({1: 20, 2: 10, 3: 14, 4: 2})
    _, client = learner
    response = start(client)
    assert response.status_code == 409
    assert error(response) == {
        "code": "bank_too_small",
        "message": "The question bank cannot fill a full MLA-C01 form of 65 questions: domain 2 is short by 7 "
        "(needs 17, has 10); domain 4 is short by 14 (needs 16, has 2). Ask an author to publish more "
        "questions in those domains, or start a practice set.",
    }
    assert not Attempt.objects.exists()


def test_drafts_and_retired_questions_are_never_served(bank, learner):
    Question.objects.filter(uid="q-4-0").update(status="retired")
    Question.objects.filter(uid="q-4-1").update(status="draft")
    _, client = learner
    response = start(client)
    assert response.status_code == 201
    served = set(AttemptItem.objects.values_list("question__uid", flat=True))
    assert not served & {"q-4-0", "q-4-1"}


def test_a_second_full_mock_prefers_questions_not_yet_seen(catalog, learner):
    make_bank({d: 2 * n for d, n in {1: 18, 2: 17, 3: 14, 4: 16}.items()}, case_size=0)
    _, client = learner
    first = start(client).json()
    second = start(client).json()
    first_ids = {i.question_id for i in items_of(first["id"])}
    second_ids = {i.question_id for i in items_of(second["id"])}
    assert not first_ids & second_ids


def test_final_draws_a_full_form_least_recently_seen_first(catalog, learner):
    make_bank({1: 19, 2: 17, 3: 14, 4: 16}, case_size=0)  # one spare question in domain 1
    _, client = learner
    with time_machine.travel("2026-11-01 09:00:00Z", tick=False):
        first = start(client).json()
    unseen = set(Question.objects.values_list("id", flat=True)) - {i.question_id for i in items_of(first["id"])}
    with time_machine.travel("2026-11-02 09:00:00Z", tick=False):
        response = start(client, exam="MLA-C01", mode="final")
    assert response.status_code == 201
    final_ids = {i.question_id for i in items_of(response.json()["id"])}
    assert unseen <= final_ids  # the one unseen question is in the final
    assert response.json()["mode"] == "final" and response.json()["time_limit_seconds"] == 7800


# --- Practice sets ----------------------------------------------------------------------------------------


def test_practice_defaults_to_twenty_timed_questions_with_feedback_at_the_end(bank, learner):
    _, client = learner
    response = start(client, exam="MLA-C01", mode="practice")
    assert response.status_code == 201
    body = response.json()
    assert (body["question_count"], body["timed"], body["feedback"]) == (20, True, "end")
    assert body["time_limit_seconds"] == 20 * 120


@pytest.mark.parametrize(
    ("filters", "check"),
    [
        ({"domain": 2}, lambda i: i.domain_number == 2),
        ({"domain": [3, 4]}, lambda i: i.domain_number in (3, 4)),
        ({"task_statement": "4.2"}, lambda i: i.task_code == "4.2"),
        ({"pillar": "security"}, lambda i: "security" in i.tags["pillars"]),
        ({"stage": "model_training"}, lambda i: i.tags["stage"] == "model_training"),
        ({"service": "Amazon S3"}, lambda i: "Amazon S3" in i.tags["services"]),
        ({"type": "ordering"}, lambda i: shown(i)["type"] == "ordering"),
        ({"difficulty": ["hard", "easy"]}, lambda i: i.tags["difficulty"] in ("hard", "easy")),
        (
            {"domain": 1, "type": "multiple_choice"},
            lambda i: i.domain_number == 1 and shown(i)["type"] == "multiple_choice",
        ),
    ],
)
def test_practice_filters(bank, learner, filters, check):
    _, client = learner
    response = start(client, exam="MLA-C01", mode="practice", count=65, filters=filters, timed=False)
    assert response.status_code == 201, response.json()
    items = items_of(response.json()["id"])
    assert items and all(check(i) for i in items)
    assert response.json()["deadline"] is None and response.json()["remaining_seconds"] is None


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"mode": "practice", "count": 0}, "count", "Ensure this value is greater than or equal to 1."),
        ({"mode": "practice", "count": 66}, "count", "Ensure this value is less than or equal to 65."),
        ({"mode": "practice", "count": "ten"}, "count", "A valid integer is required."),
        ({"mode": "sprint"}, "mode", '"sprint" is not a valid choice.'),
        ({"mode": "practice", "feedback": "sometimes"}, "feedback", '"sometimes" is not a valid choice.'),
        ({"mode": "full", "count": 10}, "count", "count applies to practice sets only"),
        ({"mode": "full", "filters": {"domain": 1}}, "filters", "filters applies to practice sets only"),
        ({"mode": "full", "timed": False}, "timed", "full-length exams are always timed"),
        ({"mode": "full", "feedback": "immediate"}, "feedback", "full-length exams give feedback at the end"),
        ({"mode": "practice", "filters": {"colour": "red"}}, "filters", "unknown filter"),
        ({"mode": "practice", "filters": {"domain": 7}}, "filters", "MLA-C01 has no domain 7 (1 to 4)"),
        ({"mode": "practice", "filters": {"task_statement": "9.9"}}, "filters", "MLA-C01 has no task statement '9.9'"),
        ({"mode": "practice", "filters": {"pillar": "speed"}}, "filters", '"speed" is not a valid choice.'),
        ({"mode": "practice", "filters": {"service": "Amazon Watchtower"}}, "filters", "unknown AWS service"),
        ({"mode": "practice", "filters": "domain 1"}, "filters", "Invalid data. Expected a dictionary"),
        ({"exam": "MLA-C99", "mode": "practice"}, "exam", "unknown exam 'MLA-C99'"),
    ],
)
def test_bad_attempt_requests_are_refused_field_by_field(bank, learner, body, field, message):
    _, client = learner
    response = client.post("/api/attempts/", {"exam": "MLA-C01", **body}, format="json")
    assert response.status_code == 400
    err = error(response)
    assert err["code"] in ("validation_error", "unknown_exam")
    assert field in err["fields"]
    assert message in str(err["fields"][field])
    assert not Attempt.objects.exists()


def test_practice_with_no_matching_question_is_a_conflict(bank, learner):
    _, client = learner
    Question.objects.filter(type="ordering").update(status="draft")
    response = start(client, exam="MLA-C01", mode="practice", filters={"type": "ordering"})
    assert response.status_code == 409
    assert error(response)["code"] == "no_questions"


def test_practice_serves_fewer_when_fewer_match(bank, learner):
    _, client = learner
    response = start(client, exam="MLA-C01", mode="practice", count=50, filters={"domain": 3})
    assert response.status_code == 201
    assert response.json()["question_count"] == 16


# --- Accommodation ------------------------------------------------------------------------------------------


def test_accommodation_applies_to_every_timed_attempt(bank, learner):
    _, client = learner
    assert client.patch("/api/auth/me/", {"extra_minutes": 30}, format="json").status_code == 200
    assert start(client).json()["time_limit_seconds"] == 160 * 60
    practice = start(client, exam="MLA-C01", mode="practice", count=13).json()
    assert practice["time_limit_seconds"] == 13 * 120 + 6 * 60  # +30 min on 65 questions is +6 on 13
    client.patch("/api/auth/me/", {"time_multiplier": "1.50", "extra_minutes": 0}, format="json")
    assert start(client).json()["time_limit_seconds"] == 195 * 60
    untimed = start(client, exam="MLA-C01", mode="practice", timed=False).json()
    assert untimed["time_limit_seconds"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"extra_minutes": 241}, "extra_minutes"),
        ({"time_multiplier": "0.5"}, "time_multiplier"),
        ({"time_multiplier": "3.5"}, "time_multiplier"),
        ({"extra_minutes": -5}, "extra_minutes"),
    ],
)
def test_accommodation_limits(learner, body, field):
    _, client = learner
    response = client.patch("/api/auth/me/", body, format="json")
    assert response.status_code == 400
    assert field in error(response)["fields"]
    me = client.get("/api/auth/me/").json()
    assert me["accommodation"] == {"time_multiplier": "1.00", "extra_minutes": 0}


# --- Autosave -------------------------------------------------------------------------------------------------


def test_saving_an_answer_of_each_type_is_stored_and_idempotent(bank, learner):
    _, client = learner
    attempt = start(client).json()
    items = items_of(attempt["id"])
    seen_types = set()
    for item in items:
        if shown(item)["type"] in seen_types:
            continue
        seen_types.add(shown(item)["type"])
        answer = correct_answer(item)
        url = f"/api/attempts/{attempt['id']}/items/{item.position}/"
        for _ in range(2):  # idempotent
            response = client.put(url, {"answer": answer, "flagged": True}, format="json")
            assert response.status_code == 200, response.json()
            body = response.json()
            assert body["item"]["answer"] == answer and body["item"]["flagged"] is True
            assert body["status"] == "in_progress"
            assert set(body) == {"status", "item", "server_time", "deadline", "remaining_seconds"}
        item.refresh_from_db()
        assert item.answer == answer and item.flagged is True and item.answered_at is not None
    assert seen_types == {"multiple_choice", "multiple_response", "ordering", "matching"}
    # clearing an answer
    first = items[0]
    response = client.put(f"/api/attempts/{attempt['id']}/items/{first.position}/", {"answer": None}, format="json")
    assert response.status_code == 200
    first.refresh_from_db()
    assert first.answer is None and first.flagged is False


def test_invalid_answers_are_refused_and_change_nothing(bank, learner):
    _, client = learner
    attempt = start(client).json()
    by_type = {}
    for item in items_of(attempt["id"]):
        by_type.setdefault(shown(item)["type"], item)
    mc, mr, order, match = (by_type[t] for t in ("multiple_choice", "multiple_response", "ordering", "matching"))
    cases = [
        (mc, {"answer": {"selected": ["nope"]}}, "answer", "unknown option id(s) ['nope']"),
        (mc, {"answer": {"selected": [o["id"] for o in shown(mc)["options"][:2]]}}, "answer", "choose exactly one"),
        (mr, {"answer": {"selected": [o["id"] for o in shown(mr)["options"][:3]]}}, "answer", "choose at most 2"),
        (mr, {"answer": {"selected": [shown(mr)["options"][0]["id"]] * 2}}, "answer", "same option more than once"),
        (mr, {"answer": {"selected": ["x"] * 10_000}}, "answer", "has 10000 entries"),
        (order, {"answer": {"order": [o["id"] for o in shown(order)["options"][:2]]}}, "answer", "exactly once"),
        (match, {"answer": {"matches": {"nope": shown(match)["options"][0]["id"]}}}, "answer", "unknown prompt id"),
        (mc, {"answer": "B"}, "answer", "an answer is an object"),
        (
            mc,
            {"answer": {"selected": [shown(mc)["options"][0]["id"]]}, "flagged": "maybe"},
            "flagged",
            "Must be a valid boolean.",
        ),
        (mc, {}, "answer", "This field is required."),
    ]
    for item, body, field, message in cases:
        response = client.put(f"/api/attempts/{attempt['id']}/items/{item.position}/", body, format="json")
        assert response.status_code == 400, (body, response.json())
        assert message in str(error(response)["fields"][field]), (body, response.json())
    assert not AttemptItem.objects.filter(attempt_id=attempt["id"]).exclude(answer=None).exists()
    assert not AttemptItem.objects.filter(attempt_id=attempt["id"], flagged=True).exists()


@pytest.mark.parametrize("position", [0, 66, 1000, 40000])
def test_a_position_outside_the_attempt_is_a_field_error(bank, learner, position):
    _, client = learner
    attempt = start(client).json()
    response = client.put(f"/api/attempts/{attempt['id']}/items/{position}/", {"answer": None}, format="json")
    assert response.status_code == 400
    assert error(response)["fields"] == {"position": [f"position {position} is outside this attempt (1 to 65)"]}


def test_saves_are_refused_after_submission(bank, learner):
    _, client = learner
    attempt = start(client).json()
    client.post(f"/api/attempts/{attempt['id']}/submit/")
    item = items_of(attempt["id"])[0]
    response = client.put(f"/api/attempts/{attempt['id']}/items/1/", {"answer": correct_answer(item)}, format="json")
    assert response.status_code == 409
    assert error(response)["code"] == "attempt_closed"
    item.refresh_from_db()
    assert item.answer is None


def test_the_deadline_with_its_grace_and_expiry_on_the_next_access(bank, learner):
    _, client = learner
    with time_machine.travel("2026-11-26 09:00:00Z", tick=False) as clock:
        attempt = start(client).json()
        items = items_of(attempt["id"])
        url = f"/api/attempts/{attempt['id']}/items/"
        clock.move_to("2026-11-26 11:09:59Z")
        response = client.put(url + "1/", {"answer": correct_answer(items[0])}, format="json")
        assert response.status_code == 200 and response.json()["remaining_seconds"] == 1
        clock.move_to("2026-11-26 11:10:04Z")  # in the grace for saves in flight
        response = client.put(url + "2/", {"answer": correct_answer(items[1])}, format="json")
        assert response.status_code == 200 and response.json()["remaining_seconds"] == 0
        clock.move_to("2026-11-26 11:10:06Z")  # after the grace
        response = client.put(url + "3/", {"answer": correct_answer(items[2])}, format="json")
        assert response.status_code == 409
        assert error(response) == {
            "code": "time_up",
            "message": "Time is up: the deadline for this attempt has passed.",
        }
        stored = Attempt.objects.get(pk=attempt["id"])
        assert stored.status == "expired"
        assert stored.submitted_at.isoformat() == "2026-11-26T11:10:00+00:00"  # submitted at the deadline
        assert [i.answer is not None for i in items_of(attempt["id"])][:3] == [True, True, False]


def test_an_overdue_attempt_expires_when_it_is_read_and_by_the_sweep(bank, learner):
    _, client = learner
    with time_machine.travel("2026-11-26 09:00:00Z", tick=False) as clock:
        first = start(client, exam="MLA-C01", mode="practice", count=5).json()  # 10 minutes
        second = start(client, exam="MLA-C01", mode="practice", count=5).json()
        untimed = start(client, exam="MLA-C01", mode="practice", count=5, timed=False).json()
        clock.move_to("2026-11-26 09:30:00Z")
        body = client.get(f"/api/attempts/{first['id']}/").json()
        assert body["status"] == "expired" and body["remaining_seconds"] == 0
        assert services.attempts_expire_overdue() == 1  # the second one
        assert Attempt.objects.get(pk=second["id"]).status == "expired"
        assert Attempt.objects.get(pk=untimed["id"]).status == "in_progress"


# --- Resume -------------------------------------------------------------------------------------------------


def test_resume_returns_answers_flags_and_the_time_left(bank, learner):
    _, client = learner
    with time_machine.travel("2026-11-26 09:00:00Z", tick=False) as clock:
        attempt = start(client).json()
        items = items_of(attempt["id"])
        client.put(
            f"/api/attempts/{attempt['id']}/items/5/",
            {"answer": correct_answer(items[4]), "flagged": True},
            format="json",
        )
        client.put(f"/api/attempts/{attempt['id']}/items/9/", {"answer": None, "flagged": True}, format="json")
        clock.move_to("2026-11-26 10:00:00Z")
        resumed = client.get(f"/api/attempts/{attempt['id']}/").json()
    assert resumed["remaining_seconds"] == 70 * 60
    assert resumed["answered_count"] == 1 and resumed["flagged_count"] == 2
    assert resumed["items"][4]["answer"] == correct_answer(items[4]) and resumed["items"][4]["flagged"] is True
    assert resumed["items"][8]["answer"] is None and resumed["items"][8]["flagged"] is True
    # the same questions, options and option order as when it started
    assert [(i["stem"], i["options"]) for i in resumed["items"]] == [
        (i["stem"], i["options"]) for i in attempt["items"]
    ]
    listed = client.get("/api/attempts/").json()
    assert [(a["id"], a["answered_count"], a["flagged_count"]) for a in listed] == [(attempt["id"], 1, 2)]


def test_editing_or_retiring_a_question_never_changes_an_attempt(bank, learner):
    _, client = learner
    attempt = start(client).json()
    item = items_of(attempt["id"])[0]
    question = item.question
    question.stem = "Rewritten stem"
    question.save()
    question.options.update(text="Rewritten option")
    assert question_version_sync(question=question, source="admin")  # an author's edit: version 2
    question.status = "retired"
    question.save()
    body = client.get(f"/api/attempts/{attempt['id']}/").json()
    assert body["items"][0]["stem"] == attempt["items"][0]["stem"] != "Rewritten stem"
    assert body["items"][0]["options"] == attempt["items"][0]["options"]
    assert "Rewritten option" not in str(body)
    item.refresh_from_db()
    assert (item.version.version, question.version) == (1, 2)


# --- Submit and result -------------------------------------------------------------------------------------


def test_submit_is_idempotent_and_the_result_follows_grading(bank, learner, django_capture_on_commit_callbacks):
    _, client = learner
    attempt = start(client).json()
    items = items_of(attempt["id"])
    for item in items[:40]:
        client.put(
            f"/api/attempts/{attempt['id']}/items/{item.position}/", {"answer": correct_answer(item)}, format="json"
        )
    for item in items[40:50]:
        client.put(
            f"/api/attempts/{attempt['id']}/items/{item.position}/", {"answer": wrong_answer(item)}, format="json"
        )
    assert client.get(f"/api/attempts/{attempt['id']}/result/").status_code == 409  # not submitted yet
    with django_capture_on_commit_callbacks() as callbacks:
        first = client.post(f"/api/attempts/{attempt['id']}/submit/")
        second = client.post(f"/api/attempts/{attempt['id']}/submit/")
    assert first.status_code == second.status_code == 200
    assert first.json()["status"] == "submitted"
    assert first.json()["submitted_at"] == second.json()["submitted_at"]
    assert len(callbacks) == 1  # one submission, one grading task
    pending = client.get(f"/api/attempts/{attempt['id']}/result/")
    assert pending.status_code == 202
    assert pending.json() == {"status": "submitted", "message": "Grading: the result will be ready in a moment."}

    services.attempt_grade(attempt_id=attempt["id"])
    services.attempt_grade(attempt_id=attempt["id"])  # a second delivery changes nothing
    response = client.get(f"/api/attempts/{attempt['id']}/result/")
    assert response.status_code == 200
    result = response.json()
    assert (result["correct"], result["total"], result["percent"]) == (40, 65, 61.5)
    assert result["scaled_score"] == 629 and result["passed"] is False and result["passing_score"] == 720
    assert result["section_pass_percent"] == 72.0
    assert sum(d["total"] for d in result["domains"]) == 65
    assert [d["key"] for d in result["domains"]] == ["1", "2", "3", "4"]
    assert result["attempt"]["status"] == "graded" and result["attempt"]["scaled_score"] == 629
    by_position = {i["position"]: i for i in result["items"]}
    for item in items:
        got = by_position[item.position]
        assert got["feedback"]["correct"] is (item.position <= 40)
        assert got["feedback"]["explanation"] == item.version.content["explanation"]
        assert got["feedback"]["key"] == correct_answer(item)
        assert all(o["explanation"] for o in got["feedback"]["options"])
        assert got["feedback"]["references"] == item.version.content["references"]


def test_grading_runs_after_submit_in_process(bank, learner, eager_celery, django_capture_on_commit_callbacks):
    _, client = learner
    attempt = start(client).json()
    for item in items_of(attempt["id"]):
        client.put(
            f"/api/attempts/{attempt['id']}/items/{item.position}/", {"answer": correct_answer(item)}, format="json"
        )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/api/attempts/{attempt['id']}/submit/")
    result = client.get(f"/api/attempts/{attempt['id']}/result/").json()
    assert (result["scaled_score"], result["passed"], result["correct"]) == (1000, True, 65)


def test_a_submitted_empty_attempt_scores_the_minimum(bank, learner, eager_celery, django_capture_on_commit_callbacks):
    _, client = learner
    attempt = start(client, exam="MLA-C01", mode="practice", count=10).json()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/api/attempts/{attempt['id']}/submit/")
    result = client.get(f"/api/attempts/{attempt['id']}/result/").json()
    assert (result["correct"], result["scaled_score"], result["passed"]) == (0, 100, False)


# --- Immediate feedback ---------------------------------------------------------------------------------------


def test_immediate_feedback_locks_an_answer_and_returns_its_key(bank, learner):
    _, client = learner
    attempt = start(client, exam="MLA-C01", mode="practice", count=5, feedback="immediate").json()
    items = items_of(attempt["id"])
    base = f"/api/attempts/{attempt['id']}/items/"
    response = client.post(base + "1/lock/")
    assert response.status_code == 400 and error(response)["code"] == "unanswered"
    client.put(base + "1/", {"answer": wrong_answer(items[0])}, format="json")
    response = client.post(base + "1/lock/")
    assert response.status_code == 200
    item = response.json()["item"]
    assert item["locked"] is True
    assert item["feedback"]["correct"] is False
    assert item["feedback"]["key"] == correct_answer(items[0])
    assert item["feedback"]["explanation"] == items[0].version.content["explanation"]
    assert client.post(base + "1/lock/").status_code == 200  # locking twice is one lock
    response = client.put(base + "1/", {"answer": correct_answer(items[0])}, format="json")
    assert response.status_code == 409 and error(response)["code"] == "item_locked"
    # resume shows the locked item's feedback and nothing for the others
    resumed = client.get(f"/api/attempts/{attempt['id']}/").json()
    assert resumed["items"][0]["feedback"]["correct"] is False
    assert all(i["feedback"] is None for i in resumed["items"][1:])


def test_locking_is_refused_when_feedback_comes_at_the_end(bank, learner):
    _, client = learner
    attempt = start(client).json()
    items = items_of(attempt["id"])
    client.put(f"/api/attempts/{attempt['id']}/items/1/", {"answer": correct_answer(items[0])}, format="json")
    response = client.post(f"/api/attempts/{attempt['id']}/items/1/lock/")
    assert response.status_code == 409 and error(response)["code"] == "feedback_at_end"
    assert items_of(attempt["id"])[0].locked_at is None


# --- Access ---------------------------------------------------------------------------------------------------


def test_another_learner_sees_and_changes_nothing_of_mine(bank, learner, other_learner):
    _, mine = learner
    _, theirs = other_learner
    attempt = start(mine).json()
    item = items_of(attempt["id"])[0]
    base = f"/api/attempts/{attempt['id']}/"
    for method, url, body in [
        ("get", base, None),
        ("put", base + "items/1/", {"answer": correct_answer(item)}),
        ("post", base + "items/1/lock/", None),
        ("post", base + "submit/", None),
        ("get", base + "result/", None),
    ]:
        response = getattr(theirs, method)(url, body, format="json")
        assert response.status_code == 404, url
        assert error(response) == {"code": "not_found", "message": "No such attempt."}
    assert theirs.get("/api/attempts/").json() == []
    stored = Attempt.objects.get(pk=attempt["id"])
    assert stored.status == "in_progress" and items_of(attempt["id"])[0].answer is None


@pytest.mark.parametrize("attempt_id", ["not-a-uuid", "00000000-0000-0000-0000-000000000000", "1"])
def test_unknown_attempts_are_404(learner, attempt_id):
    _, client = learner
    response = client.get(f"/api/attempts/{attempt_id}/")
    assert response.status_code == 404 and error(response)["code"] == "not_found"


def test_anonymous_requests_are_refused(bank, client):
    for method, url in [("get", "/api/attempts/"), ("post", "/api/attempts/"), ("get", "/api/auth/me/")]:
        response = getattr(client, method)(url)
        assert response.status_code == 401
        assert error(response)["code"] == "not_authenticated"


# --- Query counts do not grow with the number of questions ---------------------------------------------------


def test_query_counts_are_pinned(catalog, django_assert_num_queries):
    """Start, resume, save and submit cost the same number of queries for 5 or 60 questions."""
    make_bank({d: 2 * n for d, n in FULL_BANK.items()})
    for label, body, cold, warm in [
        ("five", {"exam": "MLA-C01", "mode": "practice", "count": 5}, 16, 12),
        ("sixty", {"exam": "MLA-C01", "mode": "practice", "count": 60}, 16, 12),
        ("full", FULL, 17, 13),  # + the blueprint's domains
    ]:
        _, client = make_learner(f"user-{label}")
        client.get("/api/auth/me/")  # the profile exists before we count
        # A cold process: the exam's catalogue is built (the fingerprint, then four reads) and one
        # query reads the served versions' contents.
        catalogue.catalogue_clear()
        contents._CONTENTS.clear()
        with django_assert_num_queries(cold):
            start(client, **body)
        # A warm one: the catalogue's fingerprint is checked, the contents are cached.
        with django_assert_num_queries(warm):
            attempt = start(client, **body).json()
        item = items_of(attempt["id"])[0]
        with django_assert_num_queries(4):
            client.get(f"/api/attempts/{attempt['id']}/")
        with django_assert_num_queries(6):  # the attempt and the item under their locks in one query
            client.put(f"/api/attempts/{attempt['id']}/items/1/", {"answer": correct_answer(item)}, format="json")
        with django_assert_num_queries(7):
            client.post(f"/api/attempts/{attempt['id']}/submit/")


# --- One error shape, no HTML under /api/ -----------------------------------------------------------------------


def test_errors_share_one_json_shape(learner):
    _, client = learner
    response = client.get("/api/no-such-thing/")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert error(response)["code"] == "not_found"
    response = client.delete("/api/attempts/")
    assert response.status_code == 405 and error(response)["code"] == "method_not_allowed"
    response = client.post("/api/attempts/", "exam=MLA-C01", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415 and error(response)["code"] == "unsupported_media_type"
    response = client.post("/api/attempts/", "{not json", content_type="application/json")
    assert response.status_code == 400 and error(response)["code"] == "parse_error"
    response = client.post("/api/attempts/", "[1, 2]", content_type="application/json")
    assert response.status_code == 400 and error(response)["code"] == "validation_error"


def test_attempt_timestamps_are_consistent(bank, learner):
    _, client = learner
    before = timezone.now()
    body = start(client).json()
    attempt = Attempt.objects.get(pk=body["id"])
    assert before <= attempt.started_at <= timezone.now()
    assert attempt.deadline - attempt.started_at == timedelta(minutes=130)
