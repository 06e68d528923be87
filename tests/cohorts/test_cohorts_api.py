"""Cohorts through the HTTP API: create, join, rotate, leave, remove, co-instructors, assignments."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from cohorts.models import Assignment, AssignmentAttempt, Cohort, Membership
from exams.models import Attempt
from tests.cohorts.conftest import assign, create_cohort, join, make_instructor, take
from tests.exams.conftest import make_learner

pytestmark = pytest.mark.django_db


def error(response) -> tuple[int, str, str]:
    body = response.json()["error"]
    return response.status_code, body["code"], body["message"]


def test_an_instructor_creates_a_cohort_and_learners_join_by_code(catalog):
    teacher, tc = make_instructor("teacher")
    _ada, ac = make_learner("ada")

    # Only instructors create cohorts; a learner is told why.
    response = ac.post("/api/cohorts/", {"name": "Mine"}, format="json")
    assert error(response) == (
        403,
        "not_instructor",
        "Only instructors can create cohorts; staff grant the role in the admin.",
    )
    response = tc.post("/api/cohorts/", {"name": "  "}, format="json")
    assert response.status_code == 400 and "name" in response.json()["error"]["fields"]
    response = tc.post("/api/cohorts/", {"name": "Spring", "exam": "NOPE"}, format="json")
    assert error(response)[:2] == (400, "unknown_exam")
    assert Cohort.objects.count() == 0

    created = create_cohort(tc, "Spring 2027")
    assert set(created) == {"id", "name", "join_code"}
    code = created["join_code"]
    assert len(code) == 8 and code.isalnum() and code.isupper()
    cohort = Cohort.objects.get()
    assert list(cohort.instructors.all()) == [teacher]

    # Codes are forgiving about case, spaces and dashes; joining twice is harmless.
    response = ac.post("/api/cohorts/join/", {"code": f" {code[:4].lower()}-{code[4:]} "}, format="json")
    assert response.status_code == 201
    assert response.json()["joined"] is True
    assert response.json()["cohort"]["join_code"] is None  # members do not get the code
    response = ac.post("/api/cohorts/join/", {"code": code}, format="json")
    assert response.status_code == 200 and response.json()["joined"] is False
    assert Membership.objects.filter(cohort=cohort).count() == 1
    response = ac.post("/api/cohorts/join/", {"code": "ZZZZZZZZ"}, format="json")
    assert error(response) == (404, "unknown_code", "No cohort has that join code. Check it with your instructor.")
    response = tc.post("/api/cohorts/join/", {"code": code}, format="json")
    assert error(response)[:2] == (409, "instructor_cannot_join")

    # The instructor's view has the code, the link and the members; the member's view has neither.
    detail = tc.get(f"/api/cohorts/{cohort.pk}/").json()
    assert detail["join_code"] == code
    assert detail["join_url"] == f"http://testserver/join/{code}"
    assert [m["username"] for m in detail["members"]] == ["ada"]
    assert detail["member_count"] == 1
    mine = ac.get(f"/api/cohorts/{cohort.pk}/").json()
    assert mine["role"] == "member" and mine["members"] is None and mine["join_code"] is None
    assert [i["username"] for i in mine["instructors"]] == ["teacher"]
    listed = ac.get("/api/cohorts/").json()
    assert [(c["name"], c["role"]) for c in listed] == [("Spring 2027", "member")]
    assert tc.get("/api/cohorts/").json()[0]["role"] == "instructor"

    # Rotating the code: the old one stops working, members stay.
    rotated = tc.post(f"/api/cohorts/{cohort.pk}/rotate-code/").json()
    assert rotated["join_code"] != code
    _, grace = make_learner("grace")
    assert error(grace.post("/api/cohorts/join/", {"code": code}, format="json"))[0] == 404
    join(grace, rotated["join_code"])
    assert set(cohort.memberships.values_list("learner__username", flat=True)) == {"ada", "grace"}

    # Rename; a member cannot.
    response = tc.patch(f"/api/cohorts/{cohort.pk}/", {"name": "Spring 2027 (MLA)"}, format="json")
    assert response.status_code == 200 and response.json()["name"] == "Spring 2027 (MLA)"
    response = ac.patch(f"/api/cohorts/{cohort.pk}/", {"name": "Hijacked"}, format="json")
    assert error(response) == (403, "not_instructor", "Only the cohort's instructors can do this.")
    assert Cohort.objects.get().name == "Spring 2027 (MLA)"

    # A learner leaves; an instructor removes a member.
    assert ac.post(f"/api/cohorts/{cohort.pk}/leave/").status_code == 204
    assert ac.get(f"/api/cohorts/{cohort.pk}/").status_code == 404
    assert ac.get("/api/cohorts/").json() == []
    grace_id = cohort.memberships.get().learner_id
    assert tc.delete(f"/api/cohorts/{cohort.pk}/members/{grace_id}/").status_code == 204
    response = tc.delete(f"/api/cohorts/{cohort.pk}/members/{grace_id}/")
    assert error(response) == (404, "not_member", "No such member in this cohort.")
    assert not Membership.objects.exists()


def test_co_instructors_must_hold_the_role_and_one_always_stays(catalog):
    teacher, tc = make_instructor("teacher")
    helper, hc = make_instructor("helper")
    make_learner("ada")
    cohort = create_cohort(tc)
    url = f"/api/cohorts/{cohort['id']}/instructors/"
    response = tc.post(url, {"username": "ada"}, format="json")
    assert error(response) == (400, "not_instructor", "ada is not an instructor; staff grant the role in the admin.")
    assert response.json()["error"]["fields"] == {"username": [response.json()["error"]["message"]]}
    assert error(tc.post(url, {"username": "nobody"}, format="json"))[:2] == (400, "unknown_user")
    assert tc.post(url, {"username": "helper"}, format="json").status_code == 201
    assert hc.get(f"/api/cohorts/{cohort['id']}/dashboard/").status_code == 200  # the co-instructor sees it
    assert tc.delete(f"{url}{teacher.pk}/").status_code == 204
    response = hc.delete(f"{url}{helper.pk}/")
    assert error(response) == (409, "last_instructor", "A cohort keeps at least one instructor; add another first.")
    assert list(Cohort.objects.get().instructors.all()) == [helper]
    assert tc.get(f"/api/cohorts/{cohort['id']}/").status_code == 404  # no longer hers


def test_assignments_are_checked_and_nothing_bad_is_stored(bank):
    _, tc = make_instructor("teacher")
    cohort = create_cohort(tc)
    url = f"/api/cohorts/{cohort['id']}/assignments/"
    soon = (timezone.now() + timedelta(days=3)).isoformat()
    past = (timezone.now() - timedelta(days=1)).isoformat()
    cases = [
        ({"mode": "full", "due_at": soon}, "title"),
        ({"title": "x", "mode": "weak-areas", "due_at": soon}, "mode"),
        ({"title": "x", "mode": "full", "due_at": past}, "due_at"),
        ({"title": "x", "mode": "full", "due_at": soon, "opens_at": soon}, "due_at"),
        ({"title": "x", "mode": "full", "due_at": soon, "count": 10}, "count"),
        ({"title": "x", "mode": "full", "due_at": soon, "feedback": "immediate"}, "feedback"),
        ({"title": "x", "mode": "full", "due_at": soon, "timed": False}, "timed"),
        ({"title": "x", "mode": "practice", "due_at": soon, "filters": {"domain": 9}}, "filters"),
        ({"title": "x", "mode": "practice", "due_at": soon, "filters": {"colour": "red"}}, "filters"),
        ({"title": "x", "mode": "practice", "due_at": soon, "count": 500}, "count"),
        ({"title": "x", "mode": "full", "due_at": soon, "max_attempts": 0}, "max_attempts"),
    ]
    for body, field in cases:
        response = tc.post(url, body, format="json")
        assert response.status_code == 400, (body, response.content)
        assert field in response.json()["error"]["fields"], (body, response.json())
    assert not Assignment.objects.exists()

    practice = assign(
        tc, cohort["id"], title="Domain 4 drill", mode="practice", count=5, filters={"domain": 4}, feedback="immediate"
    )
    assert (practice["mode"], practice["count"], practice["filters"]) == ("practice", 5, {"domain": [4]})
    assert practice["progress"] == {"members": 0, "graded": 0, "submitted": 0, "in_progress": 0, "not_started": 0}
    # What is taken cannot change once set; the window and the limit can.
    one = f"{url}{practice['id']}/"
    response = tc.patch(one, {"mode": "full"}, format="json")
    assert response.status_code == 400 and "mode" in response.json()["error"]["fields"]
    response = tc.patch(one, {"due_at": (timezone.now() - timedelta(days=5)).isoformat()}, format="json")
    assert response.status_code == 400 and "due_at" in response.json()["error"]["fields"]
    response = tc.patch(one, {"max_attempts": 2, "title": "Domain 4 drill (2 tries)"}, format="json")
    assert response.status_code == 200
    assert (response.json()["max_attempts"], response.json()["title"]) == (2, "Domain 4 drill (2 tries)")
    assert tc.delete(one).status_code == 204
    assert tc.get(one).status_code == 404


def test_a_member_takes_an_assignment_within_its_window_and_limit(
    bank, eager_celery, django_capture_on_commit_callbacks
):
    _, tc = make_instructor("teacher")
    ada, ac = make_learner("ada")
    cohort = create_cohort(tc)
    join(ac, cohort["join_code"])
    work = assign(tc, cohort["id"], title="Mock 1", max_attempts=1)
    later = assign(
        tc,
        cohort["id"],
        title="Mock 2",
        opens_at=(timezone.now() + timedelta(days=2)).isoformat(),
        due_at=(timezone.now() + timedelta(days=9)).isoformat(),
    )
    mine = {a["title"]: a for a in ac.get("/api/me/assignments/").json()}
    assert mine["Mock 1"]["status"] == "not_started" and mine["Mock 1"]["attempts_left"] == 1
    assert mine["Mock 2"]["status"] == "upcoming"
    assert mine["Mock 1"]["progress"] is None  # members do not see the others' progress

    start = f"/api/cohorts/{cohort['id']}/assignments/{work['id']}/start/"
    response = ac.post(start)
    assert response.status_code == 201
    attempt = response.json()
    assert (attempt["mode"], attempt["question_count"]) == ("full", 65)
    # Starting again resumes the same attempt.
    again = ac.post(start)
    assert again.status_code == 200 and again.json()["id"] == attempt["id"]
    assert AssignmentAttempt.objects.count() == 1
    assert ac.get("/api/me/assignments/").json()[0]["status"] == "in_progress"
    assert ac.get("/api/me/assignments/").json()[0]["open_attempt"] == attempt["id"]

    with django_capture_on_commit_callbacks(execute=True):
        take(ac, attempt["id"], right=lambda item: item.position % 2 == 0)
    first = ac.get("/api/me/assignments/").json()[0]
    assert first["status"] == "graded" and first["attempts_left"] == 0
    assert first["attempts"][0]["scaled_score"] == Attempt.objects.get(pk=attempt["id"]).result.scaled_score
    assert first["attempts"][0]["late"] is False
    response = ac.post(start)
    assert error(response) == (409, "attempt_limit", "You have used all 1 attempt(s) this assignment allows.")
    response = ac.post(f"/api/cohorts/{cohort['id']}/assignments/{later['id']}/start/")
    assert error(response)[:2] == (409, "not_open_yet")
    assert Attempt.objects.filter(learner=ada).count() == 1

    # The instructor sees the progress; overdue once the due date passes with nothing handed in.
    progress = tc.get(f"/api/cohorts/{cohort['id']}/assignments/").json()
    assert [(a["title"], a["progress"]["graded"], a["progress"]["not_started"]) for a in progress] == [
        ("Mock 1", 1, 0),
        ("Mock 2", 0, 1),
    ]
    with time_machine.travel(timezone.now() + timedelta(days=10)):
        assert {a["title"]: a["status"] for a in ac.get("/api/me/assignments/").json()} == {
            "Mock 1": "graded",
            "Mock 2": "overdue",
        }


def test_a_learner_who_is_not_a_member_cannot_start_an_assignment(bank):
    _, tc = make_instructor("teacher")
    _, outsider = make_learner("mallory")
    cohort = create_cohort(tc)
    work = assign(tc, cohort["id"])
    response = outsider.post(f"/api/cohorts/{cohort['id']}/assignments/{work['id']}/start/")
    assert error(response) == (404, "not_found", "No such cohort.")
    assert not Attempt.objects.exists()
