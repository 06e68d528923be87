"""Fixtures for taking exams through the API."""

from __future__ import annotations

import itertools

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from exams import snapshot
from exams.models import AttemptItem
from mlaexam.celery import app as celery_app
from questions.models import Case, Question, Service
from tests.factories import QuestionFactory, task

TYPES = ["multiple_choice", "multiple_choice", "multiple_response", "ordering", "matching"]
PILLARS = ["security", "scalability", "cost-effectiveness"]
STAGES = ["data_preparation", "model_training", "model_deployment", "monitoring_operations"]
DIFFICULTIES = ["easy", "medium", "medium", "hard"]


def make_bank(
    per_domain: dict[int, int], *, exam: str = "MLA-C01", case_size: int = 3, prefix: str = "q"
) -> list[Question]:
    """Published questions spread over every task statement, type, pillar, stage and difficulty.

    Domain 1 gets one case study of ``case_size`` questions (counted in its number).
    """
    s3 = Service.objects.get(name="Amazon S3")
    questions = []
    counter = itertools.count()
    for domain, n in per_domain.items():
        case = None
        if domain == 1 and case_size:
            case = Case.objects.create(
                uid=f"{prefix}-case-{domain}", title="A retailer's data lake", scenario="Scenario text."
            )
        for i in range(n):
            k = next(counter)
            in_case = case is not None and i < case_size
            question = QuestionFactory(
                uid=f"{prefix}-{domain}-{i}",
                type="multiple_choice" if in_case else TYPES[k % len(TYPES)],
                task_statement=task(f"{exam} {domain}.{i % 3 + 1}"),
                pillars=[PILLARS[k % 3]],
                stage=STAGES[domain - 1],
                difficulty=DIFFICULTIES[k % 4],
                case=case if in_case else None,
                case_order=i + 1 if in_case else None,
                explanation=f"Overall explanation {prefix}-{domain}-{i}.",
            )
            if k % 2 == 0:
                question.services.add(s3)
            questions.append(question)
    return questions


FULL_BANK = {1: 20, 2: 19, 3: 16, 4: 18}  # enough for one MLA-C01 form (18/17/14/16) and a few spare


@pytest.fixture
def bank(catalog):
    return make_bank(FULL_BANK)


def make_learner(username: str) -> tuple[User, APIClient]:
    user = User.objects.create_user(username, password=f"{username}-pw-2026!")
    client = APIClient()
    client.force_login(user)
    return user, client


@pytest.fixture
def learner(db):
    return make_learner("ada")


@pytest.fixture
def other_learner(db):
    return make_learner("grace")


def shown(item: AttemptItem) -> dict:
    """The item as the learner sees it."""
    return snapshot.public(item.version.content, item.layout)


def correct_answer(item: AttemptItem) -> dict:
    """The right answer, read from the server-side version and layout (tests only)."""
    return snapshot.key(item.version.content, item.layout)


def wrong_answer(item: AttemptItem) -> dict:
    key = correct_answer(item)
    ids = [o["id"] for o in shown(item)["options"]]
    qtype = shown(item)["type"]
    if qtype == "multiple_choice":
        return {"selected": [next(i for i in ids if i not in key["selected"])]}
    if qtype == "multiple_response":
        return {"selected": [i for i in ids if i not in key["selected"]][:1]}
    if qtype == "ordering":
        return {"order": list(reversed(key["order"]))}
    prompts = list(key["matches"])
    wrong = dict(key["matches"])
    wrong[prompts[0]], wrong[prompts[1]] = wrong[prompts[1]], wrong[prompts[0]]
    return {"matches": wrong}


@pytest.fixture
def eager_celery():
    """Run tasks in-process for API tests that need a result; the real worker has its own tests."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous
