"""Who sees what: every cohort endpoint × anonymous, member, other member, non-member, the cohort's
instructor, another cohort's instructor and staff, with the exact status, and no other learner's data
where it does not belong. Each cell runs in a transaction that is rolled back, so cells do not
disturb each other. The endpoint list is checked against the URL conf: a new cohort endpoint
without a row fails here."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import get_resolver
from django.utils import timezone
from rest_framework.test import APIClient

from cohorts import urls as cohort_urls
from tests.cohorts.conftest import assign, create_cohort, join, make_instructor, make_staff
from tests.exams.conftest import make_learner

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "member", "other_member", "non_member", "instructor", "other_instructor", "staff"]


def cells(*statuses: int) -> dict[str, int]:
    assert len(statuses) == len(ROLES)
    return dict(zip(ROLES, statuses, strict=True))


# (url name, method, path template, body, expected statuses by role)
MATRIX = [
    ("cohort-list", "get", "/api/cohorts/", None, cells(401, 200, 200, 200, 200, 200, 200)),
    ("cohort-list", "post", "/api/cohorts/", {"name": "New"}, cells(401, 403, 403, 403, 201, 201, 201)),
    ("cohort-join", "post", "/api/cohorts/join/", {"code": "{code}"}, cells(401, 200, 200, 201, 409, 201, 201)),
    ("cohort-detail", "get", "/api/cohorts/{cid}/", None, cells(401, 200, 200, 404, 200, 404, 200)),
    ("cohort-detail", "patch", "/api/cohorts/{cid}/", {"name": "Renamed"}, cells(401, 403, 403, 404, 200, 404, 200)),
    ("cohort-detail", "delete", "/api/cohorts/{cid}/", None, cells(401, 403, 403, 404, 204, 404, 204)),
    ("cohort-rotate-code", "post", "/api/cohorts/{cid}/rotate-code/", None, cells(401, 403, 403, 404, 200, 404, 200)),
    ("cohort-leave", "post", "/api/cohorts/{cid}/leave/", None, cells(401, 204, 204, 404, 404, 404, 404)),
    ("cohort-members", "get", "/api/cohorts/{cid}/members/", None, cells(401, 403, 403, 404, 200, 404, 200)),
    (
        "cohort-member", "delete", "/api/cohorts/{cid}/members/{other_member}/", None,
        cells(401, 403, 403, 404, 204, 404, 204),
    ),
    (
        "cohort-instructors", "post", "/api/cohorts/{cid}/instructors/", {"username": "rival"},
        cells(401, 403, 403, 404, 201, 404, 201),
    ),
    (
        "cohort-instructor", "delete", "/api/cohorts/{cid}/instructors/{co_teacher}/", None,
        cells(401, 403, 403, 404, 204, 404, 204),
    ),
    ("cohort-dashboard", "get", "/api/cohorts/{cid}/dashboard/", None, cells(401, 403, 403, 404, 200, 404, 200)),
    ("cohort-heatmap", "get", "/api/cohorts/{cid}/heatmap/?domain=1", None, cells(401, 403, 403, 404, 200, 404, 200)),
    ("cohort-export", "get", "/api/cohorts/{cid}/export.csv", None, cells(401, 403, 403, 404, 200, 404, 200)),
    ("cohort-assignments", "get", "/api/cohorts/{cid}/assignments/", None, cells(401, 200, 200, 404, 200, 404, 200)),
    (
        "cohort-assignments", "post", "/api/cohorts/{cid}/assignments/", "assignment",
        cells(401, 403, 403, 404, 201, 404, 201),
    ),
    (
        "cohort-assignment", "get", "/api/cohorts/{cid}/assignments/{aid}/", None,
        cells(401, 200, 200, 404, 200, 404, 200),
    ),
    (
        "cohort-assignment", "patch", "/api/cohorts/{cid}/assignments/{aid}/", {"title": "Retitled"},
        cells(401, 403, 403, 404, 200, 404, 200),
    ),
    (
        "cohort-assignment", "delete", "/api/cohorts/{cid}/assignments/{aid}/", None,
        cells(401, 403, 403, 404, 204, 404, 204),
    ),
    (
        "cohort-assignment-start", "post", "/api/cohorts/{cid}/assignments/{aid}/start/", None,
        cells(401, 201, 201, 404, 404, 404, 404),
    ),
    ("me-assignments", "get", "/api/me/assignments/", None, cells(401, 200, 200, 200, 200, 200, 200)),
]  # fmt: skip


@pytest.fixture
def world(bank):
    _teacher, tc = make_instructor("teacher")
    co_teacher, _cc = make_instructor("coteacher")
    _, rival_client = make_instructor("rival")
    _, staff_client = make_staff("staff")
    member, mc = make_learner("member")
    other, oc = make_learner("other")
    _, nc = make_learner("stranger")
    cohort = create_cohort(tc, "Cohort A")
    assert (
        tc.post(f"/api/cohorts/{cohort['id']}/instructors/", {"username": "coteacher"}, format="json").status_code
        == 201
    )
    create_cohort(rival_client, "Cohort B")
    join(mc, cohort["join_code"])
    join(oc, cohort["join_code"])
    work = assign(tc, cohort["id"], title="Drill", mode="practice", count=3)
    # The other member has a graded result, so there is data that must not leak to the member.
    oc_attempt = oc.post(f"/api/cohorts/{cohort['id']}/assignments/{work['id']}/start/").json()["id"]
    assert oc.post(f"/api/attempts/{oc_attempt}/submit/").status_code == 200
    clients = {
        "anonymous": APIClient(),
        "member": mc,
        "other_member": oc,
        "non_member": nc,
        "instructor": tc,
        "other_instructor": rival_client,
        "staff": staff_client,
    }
    values = {
        "cid": cohort["id"],
        "code": cohort["join_code"],
        "aid": work["id"],
        "other_member": other.pk,
        "co_teacher": co_teacher.pk,
    }
    return clients, values, member, other


def fill(value: object, values: dict) -> object:
    if value == "assignment":
        return {"title": "New", "mode": "full", "due_at": (timezone.now() + timedelta(days=3)).isoformat()}
    if isinstance(value, dict):
        return {k: fill(v, values) for k, v in value.items()}
    if isinstance(value, str):
        return value.format(**values)
    return value


def test_every_cohort_endpoint_is_in_the_matrix():
    resolver = get_resolver(cohort_urls)
    expected = set()
    for pattern in resolver.url_patterns:
        view = pattern.callback.view_class
        for method in ("get", "post", "patch", "put", "delete"):
            if hasattr(view, method):
                expected.add((pattern.name, method))
    assert expected == {(name, method) for name, method, *_ in MATRIX}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_its_status_on_every_cohort_endpoint(world, role):
    clients, values, _member, _other = world
    client = clients[role]
    failures = []
    for _name, method, path, body, expected in MATRIX:
        url = fill(path, values)
        with transaction.atomic():
            response = getattr(client, method)(url, fill(body, values), format="json")
            content = response.content.decode()
            transaction.set_rollback(True)
        if response.status_code != expected[role]:
            failures.append(
                f"{method.upper()} {url}: {response.status_code}, expected {expected[role]}: {content[:200]}"
            )
            continue
        if response.status_code >= 400 and not url.endswith(".csv"):
            assert set(response.json()) == {"error"}, url  # the one error shape
        # Members see the cohort, its instructors and their own work: never another member's data.
        if role == "member" and response.status_code < 300:
            assert '"other"' not in content, f"{method} {url} leaks the other member"
        if role in ("non_member", "other_instructor") and method == "get" and response.status_code == 200:
            assert "Cohort A" not in content and '"member"' not in content, f"{method} {url} leaks cohort A"
    assert not failures, "\n".join(failures)
