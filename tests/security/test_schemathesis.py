"""Property-based tests of the whole API against its own OpenAPI schema (Schemathesis).

Every operation in ``/api/schema/`` is called in-process through the WSGI app, as a signed-in
learner (``Authorization: Token``), with requests generated from the schema: valid ones and
deliberately invalid ones (wrong types, missing fields, out-of-range values, odd strings). Each
response must not be a 5xx, must have a documented status code and content type, and its body must
match the documented schema (errors included: the one error shape of ``mlaexam.errors``).

Bounded for CI: a fixed seed and derandomized generation, so a run is repeatable; at most
``MAX_EXAMPLES`` generated requests per operation in the fuzzing phase, plus the schema's own
examples and the coverage phase's boundary values; no shrinking (a failure is reported as found)
and no example database. Each request runs in a savepoint that is rolled back, so every request
sees the same seeded world: a question bank, the learner's attempt in progress and a cohort with an
assignment. Path parameters are replaced by those real ids for one call in ``REAL_ID_EVERY``, so the
operations do real work rather than answering only 404.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import schemathesis
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from cohorts import services as cohort_services
from exams import services as exam_services
from exams.models import Attempt
from mlaexam.wsgi import application
from questions.models import Exam
from questions.services import blueprints_load
from tests.exams.conftest import make_bank

MAX_EXAMPLES = 50
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
CONFIG = {
    "seed": 20260514,
    "generation": {
        "max-examples": MAX_EXAMPLES,
        "deterministic": True,
        "no-shrink": True,
        "database": "none",
        # The token is sent by the test; generated credentials would only test 401.
        "with-security-parameters": False,
    },
    "phases": {"stateful": {"enabled": False}},
}
FAST = {
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],  # sign-in is fuzzed hundreds of times
    "API_THROTTLE_RATES": {},  # rate limits have tests of their own; here they would only answer 429
}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """A bank, a learner with a token and an attempt in progress, and a cohort they belong to.

    Built once for the module (in a transaction rolled back at its end), not once per operation.
    """
    with django_db_blocker.unblock(), override_settings(**FAST), transaction.atomic():
        yield _seed()
        transaction.set_rollback(True)


def _seed() -> dict:
    blueprints_load()
    make_bank({1: 6, 2: 6, 3: 5, 4: 5}, case_size=2)
    exam = Exam.objects.get(code="MLA-C01")
    learner = User.objects.create_user("fuzz-learner", password="fuzz-learner-pw-2026!")
    token = Token.objects.create(user=learner)
    attempt, _ = exam_services.attempt_start(
        learner=learner, exam=exam, mode=Attempt.Mode.PRACTICE, count=5, feedback=Attempt.Feedback.IMMEDIATE
    )
    teacher = User.objects.create_user("fuzz-teacher", password="fuzz-teacher-pw-2026!")
    teacher.groups.add(Group.objects.get(name="Instructors"))
    cohort = cohort_services.cohort_create(creator=teacher, name="Fuzzed cohort", exam=exam)
    cohort_services.cohort_join(learner=learner, code=cohort.join_code)
    assignment = cohort_services.assignment_create(
        cohort=cohort,
        creator=teacher,
        title="Practice 1",
        mode="practice",
        count=5,
        timed=False,
        opens_at=timezone.now(),
        due_at=timezone.now() + timedelta(days=7),
    )
    return {
        "headers": {"Authorization": f"Token {token.key}"},
        "ids": {
            "attempt_id": str(attempt.pk),
            "position": 1,
            "cohort_id": str(cohort.pk),
            "assignment_id": str(assignment.pk),
            "user_id": learner.pk,
            "question_id": attempt.items.first().question_id,
        },
    }


@pytest.fixture
def wsgi_requests(world, db):
    """As Django's test client does: the WSGI handler would otherwise close the test's connection
    (and with it the test's transaction) at the end of every request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    with override_settings(**FAST):
        yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# Loading the schema touches no database (it is public and nobody is signed in).
schema = schemathesis.openapi.from_wsgi("/api/schema/", application, config=schemathesis.Config.from_dict(CONFIG))

REAL_ID_EVERY = 2
_calls = {"n": 0}


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case, world, wsgi_requests):
    if case.path_parameters:
        _calls["n"] += 1
        if _calls["n"] % REAL_ID_EVERY == 0:
            real = {k: world["ids"][k] for k in case.path_parameters if k in world["ids"]}
            case.path_parameters = {**case.path_parameters, **real}
    with transaction.atomic():
        try:
            case.call_and_validate(headers=world["headers"], checks=CHECKS)
        finally:
            transaction.set_rollback(True)
            cache.clear()
