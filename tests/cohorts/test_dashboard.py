"""The instructor's dashboard, its drill-down and the CSV export, from real graded attempts."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from exams.models import Attempt, AttemptItem, Mistake, ResultRow
from tests.cohorts.conftest import assign, create_cohort, join, make_instructor, take
from tests.exams.conftest import make_learner

pytestmark = pytest.mark.django_db


def full_mock(client, right, capture) -> Attempt:
    response = client.post("/api/attempts/", {"exam": "MLA-C01", "mode": "full"}, format="json")
    assert response.status_code == 201, response.content
    with capture(execute=True):
        take(client, response.json()["id"], right)
    return Attempt.objects.get(pk=response.json()["id"])


def test_the_dashboard_shows_each_member_and_where_the_cohort_stands(
    bank, eager_celery, django_capture_on_commit_callbacks
):
    _, tc = make_instructor("teacher")
    cohort = create_cohort(tc, "Evening class")
    cid = cohort["id"]
    _strong_user, strong = make_learner("strong")
    weak_user, weak = make_learner("weak")
    _idle_user, idle = make_learner("idle")
    _outsider_user, outsider = make_learner("outsider")
    for client in (strong, weak, idle):
        join(client, cohort["join_code"])
    work = assign(tc, cid, title="Mock 1")

    # strong: all right, twice (once for the assignment); weak: domain 1 right, the rest wrong.
    attempt_id = strong.post(f"/api/cohorts/{cid}/assignments/{work['id']}/start/").json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        take(strong, attempt_id, right=lambda item: True)
    full_mock(strong, lambda item: True, django_capture_on_commit_callbacks)
    weak_attempt = full_mock(weak, lambda item: item.domain_number == 1, django_capture_on_commit_callbacks)
    full_mock(outsider, lambda item: False, django_capture_on_commit_callbacks)  # not in the cohort

    response = tc.get(f"/api/cohorts/{cid}/dashboard/")
    assert response.status_code == 200
    board = response.json()
    assert board["cohort"] == {"id": cid, "name": "Evening class", "exam": "MLA-C01", "members": 3}
    assert [d["number"] for d in board["domains"]] == [1, 2, 3, 4]
    rows = {r["username"]: r for r in board["learners"]}
    assert set(rows) == {"strong", "weak", "idle"}  # the outsider never appears
    assert "outsider" not in response.content.decode()

    s, w, i = rows["strong"], rows["weak"], rows["idle"]
    assert (s["attempts"], s["latest_score"], s["best_score"], s["passed"]) == (2, 1000, 1000, True)
    assert s["readiness"]["predicted_score"] >= 900 and s["readiness"]["based_on"] == 2
    assert (s["assignments_done"], s["assignments_total"]) == (1, 1)
    assert w["latest_score"] == weak_attempt.result.scaled_score and w["passed"] is False
    assert (w["assignments_done"], w["assignments_total"]) == (0, 1)
    assert (i["attempts"], i["latest_score"], i["readiness"], i["last_activity"]) == (0, None, None, None)
    assert i["domains"] == [None, None, None, None]
    # Mastery per domain is (correct + 1) / (answered + 2) over the recent attempts.
    d1 = ResultRow.objects.get(attempt=weak_attempt, dimension="domain", key="1")
    assert w["domains"][0] == round((d1.correct + 1) / (d1.total + 2), 3)
    d2 = ResultRow.objects.get(attempt=weak_attempt, dimension="domain", key="2")
    assert w["domains"][1] == round((0 + 1) / (d2.total + 2), 3)
    assert s["domains"][0] > 0.9

    # The weakest task statements are outside domain 1 (the only one anybody got right... partly).
    assert len(board["weakest"]) == 3
    assert all(not t["key"].startswith("1.") for t in board["weakest"])
    # Most missed: what weak got wrong, with the distractor chosen.
    missed = board["most_missed"]
    assert missed and all(q["missed_by"] == 1 and q["answered_by"] == 2 for q in missed)
    wrong_ids = set(
        AttemptItem.objects.filter(attempt=weak_attempt, is_correct=False).values_list("question_id", flat=True)
    )
    assert {q["question_id"] for q in missed} <= wrong_ids
    with_distractor = [q for q in missed if q["top_distractor"]]
    assert with_distractor
    first = with_distractor[0]
    assert Mistake.objects.filter(
        learner=weak_user, question_id=first["question_id"], chosen_text=first["top_distractor"]["text"]
    ).exists()
    # Scores over time: this week's three full-length results.
    (week,) = board["scores_over_time"]
    assert (week["attempts"], week["learners"], week["max"]) == (3, 2, 1000)
    assert week["min"] == weak_attempt.result.scaled_score
    assert week["median"] == 1000.0
    assert board["assignments"] == [
        {
            "id": work["id"],
            "title": "Mock 1",
            "due_at": work["due_at"],
            "members": 3,
            "graded": 1,
            "submitted": 0,
            "in_progress": 0,
            "not_started": 2,
        }
    ]

    # Drill-down: domain 2's task statements for every member.
    heat = tc.get(f"/api/cohorts/{cid}/heatmap/?domain=2").json()
    assert [t["code"] for t in heat["task_statements"]] == ["2.1", "2.2", "2.3"]
    cells = {r["username"]: r["cells"] for r in heat["learners"]}
    assert cells["idle"] == [None, None, None]
    assert all(c is not None and c > 0.8 for c in cells["strong"])
    assert all(c is not None and c < 0.5 for c in cells["weak"])
    response = tc.get(f"/api/cohorts/{cid}/heatmap/?domain=9")
    assert response.status_code == 400 and response.json()["error"]["message"] == "MLA-C01 has no domain 9"
    response = tc.get(f"/api/cohorts/{cid}/heatmap/")
    assert response.status_code == 400 and response.json()["error"]["code"] == "bad_domain"

    # The CSV export: one row per member with the same figures.
    response = tc.get(f"/api/cohorts/{cid}/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="evening-class-')
    table = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["username"] for r in table] == ["idle", "strong", "weak"]
    by_name = {r["username"]: r for r in table}
    assert by_name["strong"]["latest full-length score"] == "1000"
    assert by_name["strong"]["passed latest"] == "yes"
    assert by_name["weak"]["domain 1 mastery % (Data Preparation for Machine Learning (ML))"] == str(
        round(w["domains"][0] * 100)
    )
    assert by_name["idle"]["latest full-length score"] == ""
    assert by_name["idle"]["assignments done"] == "0"


def test_a_name_that_looks_like_a_formula_is_not_run_by_a_spreadsheet(bank):
    _, tc = make_instructor("teacher")
    cohort = create_cohort(tc)
    evil, client = make_learner("=HYPERLINK(1)")
    evil.first_name = "+cmd"
    evil.save()
    join(client, cohort["join_code"])
    table = list(csv.reader(io.StringIO(tc.get(f"/api/cohorts/{cohort['id']}/export.csv").content.decode())))
    assert table[1][:2] == ["'=HYPERLINK(1)", "'+cmd"]


def dashboard_queries(client, cohort_id) -> tuple[int, int]:
    counts = []
    for path in ("dashboard/", "export.csv"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/api/cohorts/{cohort_id}/{path}").status_code == 200
        counts.append(len(queries))
    return counts[0], counts[1]


def test_the_dashboard_query_count_does_not_grow_with_the_cohort(
    bank, eager_celery, django_capture_on_commit_callbacks
):
    _, tc = make_instructor("teacher")
    cohort = create_cohort(tc)
    assign(tc, cohort["id"])

    def add_member(name: str) -> None:
        _, client = make_learner(name)
        join(client, cohort["join_code"])
        full_mock(client, lambda item: item.position % 3 == 0, django_capture_on_commit_callbacks)

    add_member("one")
    small = dashboard_queries(tc, cohort["id"])
    for name in ("two", "three", "four", "five"):
        add_member(name)
    large = dashboard_queries(tc, cohort["id"])
    assert large == small, (small, large)
    assert small[0] <= 22 and small[1] <= 14, small  # with the session's and the access check's own
