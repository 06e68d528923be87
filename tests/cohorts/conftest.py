"""Fixtures for cohorts: instructors, members and graded attempts through the API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.utils import timezone
from rest_framework.test import APIClient

from exams.models import AttemptItem
from tests.exams.conftest import correct_answer, eager_celery, make_bank, make_learner, wrong_answer

__all__ = ["eager_celery"]


def make_instructor(username: str, *, staff: bool = False) -> tuple[User, APIClient]:
    user, client = make_learner(username)
    user.groups.add(Group.objects.get(name="Instructors"))
    if staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return user, client


def make_staff(username: str) -> tuple[User, APIClient]:
    """Staff who oversee cohorts: is_staff with the cohort permission (cohorts.selectors)."""
    user, client = make_learner(username)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.add(Permission.objects.get(content_type__app_label="cohorts", codename="change_cohort"))
    return user, client


def create_cohort(client: APIClient, name: str = "Spring cohort") -> dict:
    response = client.post("/api/cohorts/", {"name": name}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def join(client: APIClient, code: str) -> None:
    response = client.post("/api/cohorts/join/", {"code": code}, format="json")
    assert response.status_code in (200, 201), response.content


def assign(client: APIClient, cohort_id: int, **fields) -> dict:
    body = {"title": "Full mock 1", "mode": "full", "due_at": (timezone.now() + timedelta(days=7)).isoformat()}
    body.update(fields)
    response = client.post(f"/api/cohorts/{cohort_id}/assignments/", body, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def take(client: APIClient, attempt_id: str, right) -> None:
    """Answer every question (right when ``right(item)``), then submit."""
    items = AttemptItem.objects.filter(attempt_id=attempt_id).select_related("version").order_by("position")
    for item in items:
        answer = correct_answer(item) if right(item) else wrong_answer(item)
        response = client.put(f"/api/attempts/{attempt_id}/items/{item.position}/", {"answer": answer}, format="json")
        assert response.status_code == 200, response.content
    assert client.post(f"/api/attempts/{attempt_id}/submit/").status_code == 200


@pytest.fixture
def bank(catalog):
    return make_bank({1: 20, 2: 19, 3: 16, 4: 18})
