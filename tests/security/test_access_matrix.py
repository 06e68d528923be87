"""Who may do what: every API endpoint × seven actors, with the exact status each one gets.

The endpoints come from the URL conf, not from a list kept by hand: an endpoint under /api/ with no
row in MATRIX fails ``test_every_api_endpoint_has_a_row``, and so does a row whose endpoint is gone.

One world is built per module: a small bank; a learner with an attempt in progress (immediate
feedback, question 1 answered) and a graded one; cohort "Alpha class" taught by the instructor and a
co-instructor, with the learner as its member and an assignment; cohort "Bravo class" taught by the
other instructor, with the other learner as its member. Every request runs in a savepoint that is
rolled back, so a DELETE in one case never changes what another case sees. Each actor
authenticates with their API token (session and token authentication reach the same permission
checks). Each (endpoint, actor) is one test case, so a failure names both. Path parameters name the
learner's and the instructor's real objects, and every write sends a minimal valid body, so a status
says who asked, not what was sent.

The actors:

- anonymous: not signed in.
- learner: owns the attempts in the path; member of Alpha.
- other_learner: another learner, member of Bravo only.
- author: as the demo ``author`` (seeddemo): the Authors group and ``is_staff`` (the admin needs it).
  Being staff is not enough to oversee cohorts (cohorts.selectors): to a cohort an author is a stranger.
- instructor: the Instructors group; teaches Alpha.
- other_instructor: the Instructors group; teaches Bravo only.
- staff: ``is_staff`` with the ``cohorts.change_cohort`` permission (as a superuser has), no group.

The rules the table pins (README "Cohorts", exams/selectors.py, cohorts/selectors.py, analytics/api.py):

- Not signed in: 401, except sign-up, sign-in, sign-out, token, CSRF, the exam list, health, the
  schema and its docs, which are open.
- An attempt is its learner's alone: anyone else, staff included, gets 404, so its existence is not
  revealed (staff see attempts in the admin, not through this API).
- A cohort: its instructors and staff may do everything; a member reads it and its assignments and
  gets 403 (which says why) on what only instructors may do; anyone else, another cohort's instructor
  included, gets 404 (the cohort's existence is not revealed).
- Item statistics: authors and staff; anyone else signed in gets 403.

Rows where a status other than 2xx is the right answer for a signed-in actor with a valid body:

- POST /api/cohorts/join/ as the instructor: 409, instructors of a cohort are not its members.
- POST .../leave/ and .../assignments/{assignment_id}/start/ as the instructor or staff: 404, they
  may see the cohort but are not members of it (the service says "not a member").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.db import transaction
from django.http import HttpResponse
from django.test import override_settings
from django.urls import URLResolver, get_resolver
from django.utils import timezone
from drf_spectacular.generators import EndpointEnumerator
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cohorts import services as cohort_services
from exams import services as exam_services
from exams.models import Attempt, AttemptItem
from questions.models import Exam
from questions.services import blueprints_load
from tests.exams.conftest import correct_answer, make_bank, wrong_answer

ACTORS = ("anonymous", "learner", "other_learner", "author", "instructor", "other_instructor", "staff")

# --- The table ------------------------------------------------------------------------------------


def expect(
    anonymous: int, learner: int, other_learner: int, author: int, instructor: int, other_instructor: int, staff: int
) -> dict[str, int]:
    statuses = (anonymous, learner, other_learner, author, instructor, other_instructor, staff)
    return dict(zip(ACTORS, statuses, strict=True))


def everyone(status: int) -> dict[str, int]:
    """Open to all, signed in or not."""
    return expect(status, status, status, status, status, status, status)


def signed_in(status: int) -> dict[str, int]:
    """Anyone signed in, about themselves."""
    return expect(401, status, status, status, status, status, status)


def owner(status: int) -> dict[str, int]:
    """The learner's attempt: theirs alone; anyone else gets 404, staff too."""
    return expect(401, status, 404, 404, 404, 404, 404)


def cohort_read(status: int) -> dict[str, int]:
    """Alpha's members, instructors and staff read; outsiders (the author included) get 404."""
    return expect(401, status, 404, 404, status, 404, status)


def cohort_teach(status: int) -> dict[str, int]:
    """Alpha's instructors and staff; a member gets 403; outsiders (the author included) 404."""
    return expect(401, 403, 404, 404, status, 404, status)


def member_only(status: int) -> dict[str, int]:
    """What only a member does (leave, start an assignment): 404 for everyone else, who may see the
    cohort (instructor, staff) or not (the others)."""
    return expect(401, status, 404, 404, 404, 404, 404)


Body = Callable[["MatrixWorld", str], object]


def credentials(world: MatrixWorld, actor: str) -> dict:
    """The actor's own username and password (the learner's for anonymous)."""
    who = "learner" if actor == "anonymous" else actor
    return {"username": world.users[who].username, "password": world.passwords[who]}


@dataclass(frozen=True)
class Row:
    expected: dict[str, int]
    body: Body | None = None
    params: dict[str, str] = field(default_factory=dict)  # path parameter -> key of MatrixWorld.values
    query: str = ""
    # Actors to whom the response rightly shows what is otherwise private to them: Alpha to whoever
    # holds its join code, the learner's account to whoever holds the learner's password.
    discloses_to: tuple[str, ...] = ()


def _const(body: dict) -> Body:
    return lambda world, actor: body


def _due() -> str:
    return (timezone.now() + timedelta(days=3)).isoformat()


# (method, path pattern as drf-spectacular writes it) -> expected status per actor, and the request.
MATRIX: dict[tuple[str, str], Row] = {
    # Open: the process, the schema, the exams.
    ("GET", "/api/health/"): Row(everyone(200)),
    ("GET", "/api/schema/"): Row(everyone(200)),
    ("GET", "/api/docs/"): Row(everyone(200)),
    ("GET", "/api/exams/"): Row(everyone(200)),
    # Accounts: signing up, in and out is open; "me" needs a session or a token.
    ("POST", "/api/auth/register/"): Row(
        everyone(201), _const({"username": "matrix-newcomer", "password": "correct-Horse-battery-9"})
    ),
    ("POST", "/api/auth/login/"): Row(everyone(200), credentials, discloses_to=("anonymous",)),
    ("POST", "/api/auth/logout/"): Row(everyone(204)),
    ("POST", "/api/auth/token/"): Row(everyone(200), credentials, discloses_to=("anonymous",)),
    ("GET", "/api/auth/csrf/"): Row(everyone(200)),
    ("GET", "/api/auth/me/"): Row(signed_in(200)),
    ("PATCH", "/api/auth/me/"): Row(signed_in(200), _const({"extra_minutes": 30})),
    # Attempts: the list and a new one are anyone's own; a given attempt is its learner's alone.
    ("GET", "/api/attempts/"): Row(signed_in(200)),
    ("POST", "/api/attempts/"): Row(
        signed_in(201), _const({"exam": "MLA-C01", "mode": "practice", "count": 2, "timed": False})
    ),
    ("GET", "/api/attempts/{attempt_id}/"): Row(owner(200)),
    ("PUT", "/api/attempts/{attempt_id}/items/{position}/"): Row(
        owner(200), lambda world, actor: {"answer": world.values["answer"], "flagged": True}
    ),
    ("POST", "/api/attempts/{attempt_id}/items/{position}/lock/"): Row(owner(200)),
    ("POST", "/api/attempts/{attempt_id}/submit/"): Row(owner(200)),
    ("GET", "/api/attempts/{attempt_id}/result/"): Row(owner(200), params={"attempt_id": "graded_attempt_id"}),
    # Analytics.
    ("GET", "/api/me/progress/"): Row(signed_in(200)),
    ("GET", "/api/me/assignments/"): Row(signed_in(200)),
    ("GET", "/api/questions/{question_id}/stats/"): Row(expect(401, 403, 403, 200, 403, 403, 200)),
    # Cohorts: the list is anyone's own; creating one takes the instructor role (or staff).
    ("GET", "/api/cohorts/"): Row(signed_in(200)),
    ("POST", "/api/cohorts/"): Row(expect(401, 403, 403, 403, 201, 201, 201), _const({"name": "New class"})),
    # Anyone holding the code joins (the learner is a member already: 200); Alpha's instructor: 409.
    ("POST", "/api/cohorts/join/"): Row(
        expect(401, 200, 201, 201, 409, 201, 201),
        lambda world, actor: {"code": world.values["join_code"]},
        discloses_to=("other_learner", "other_instructor"),
    ),
    ("GET", "/api/cohorts/{cohort_id}/"): Row(cohort_read(200)),
    ("PATCH", "/api/cohorts/{cohort_id}/"): Row(cohort_teach(200), _const({"name": "Renamed class"})),
    ("DELETE", "/api/cohorts/{cohort_id}/"): Row(cohort_teach(204)),
    ("POST", "/api/cohorts/{cohort_id}/rotate-code/"): Row(cohort_teach(200)),
    ("POST", "/api/cohorts/{cohort_id}/leave/"): Row(member_only(204)),
    ("GET", "/api/cohorts/{cohort_id}/members/"): Row(cohort_teach(200)),
    ("DELETE", "/api/cohorts/{cohort_id}/members/{user_id}/"): Row(cohort_teach(204), params={"user_id": "member_id"}),
    ("POST", "/api/cohorts/{cohort_id}/instructors/"): Row(
        cohort_teach(201), _const({"username": "matrix-spare-instructor"})
    ),
    ("DELETE", "/api/cohorts/{cohort_id}/instructors/{user_id}/"): Row(
        cohort_teach(204), params={"user_id": "co_instructor_id"}
    ),
    ("GET", "/api/cohorts/{cohort_id}/dashboard/"): Row(cohort_teach(200)),
    ("GET", "/api/cohorts/{cohort_id}/heatmap/"): Row(cohort_teach(200), query="domain=1"),
    ("GET", "/api/cohorts/{cohort_id}/export.csv"): Row(cohort_teach(200)),
    ("GET", "/api/cohorts/{cohort_id}/assignments/"): Row(cohort_read(200)),
    ("POST", "/api/cohorts/{cohort_id}/assignments/"): Row(
        cohort_teach(201),
        lambda world, actor: {"title": "New drill", "mode": "practice", "count": 2, "due_at": _due()},
    ),
    ("GET", "/api/cohorts/{cohort_id}/assignments/{assignment_id}/"): Row(cohort_read(200)),
    ("PATCH", "/api/cohorts/{cohort_id}/assignments/{assignment_id}/"): Row(
        cohort_teach(200), _const({"title": "Retitled drill"})
    ),
    ("DELETE", "/api/cohorts/{cohort_id}/assignments/{assignment_id}/"): Row(cohort_teach(204)),
    ("POST", "/api/cohorts/{cohort_id}/assignments/{assignment_id}/start/"): Row(member_only(201)),
}

# --- The endpoints, from the URL conf ---------------------------------------------------------------

PARAMETER = re.compile(r"<(?:[^>:]+:)?([^>]+)>")
NOT_ENDPOINT_METHODS = {"options", "head", "trace"}


def _routes(patterns: list, prefix: str = "") -> Iterator[tuple[str, Callable]]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        else:
            yield route, pattern.callback


def api_endpoints() -> set[tuple[str, str]]:
    """Every (method, path pattern) the URL conf serves under /api/, DRF's or not."""
    found = set()
    for route, callback in _routes(get_resolver().url_patterns):
        if not route.startswith("api/"):
            continue
        path = "/" + PARAMETER.sub(r"{\1}", route)
        view = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
        if view is None:
            found.add(("GET", path))  # a plain function view answers GET at least
            continue
        for method in view.http_method_names:
            if method not in NOT_ENDPOINT_METHODS and hasattr(view, method):
                found.add((method.upper(), path))
    return found


def test_every_api_endpoint_has_a_row():
    endpoints = api_endpoints()
    # The walk finds at least what drf-spectacular documents.
    documented = {(method, path) for path, _, method, _ in EndpointEnumerator().get_api_endpoints()}
    assert documented <= endpoints, f"the URL walk missed {sorted(documented - endpoints)}"
    missing = sorted(endpoints - set(MATRIX))
    assert not missing, f"endpoints with no row in MATRIX (add one per method): {missing}"
    gone = sorted(set(MATRIX) - endpoints)
    assert not gone, f"rows for endpoints that no longer exist: {gone}"
    assert all(status < 500 for row in MATRIX.values() for status in row.expected.values())


# --- The world ----------------------------------------------------------------------------------------

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class MatrixWorld:
    users: dict[str, User]
    passwords: dict[str, str]
    tokens: dict[str, str]
    values: dict[str, object]  # path parameters and body values, by name
    private: dict[str, list[str]]  # texts that must not reach a given actor


def _graded_attempt(learner: User, exam: Exam) -> Attempt:
    """A practice set with question 1 wrong and the rest right, submitted and graded here."""
    attempt, _ = exam_services.attempt_start(learner=learner, exam=exam, mode="practice", count=3, timed=False)
    for item in AttemptItem.objects.filter(attempt=attempt).select_related("version").order_by("position"):
        answer = wrong_answer(item) if item.position == 1 else correct_answer(item)
        exam_services.answer_save(
            attempt_id=attempt.pk, learner=learner, position=item.position, answer=answer, flagged=False
        )
    exam_services.attempt_submit(attempt_id=attempt.pk, learner=learner)
    exam_services.attempt_grade(attempt_id=attempt.pk, batch=1)
    return attempt


def _build_world() -> MatrixWorld:
    blueprints_load()
    questions = make_bank({1: 4, 2: 2, 3: 2, 4: 2}, case_size=0, prefix="matrix")
    exam = Exam.objects.get(code="MLA-C01")
    instructors, authors = Group.objects.get(name="Instructors"), Group.objects.get(name="Authors")
    passwords: dict[str, str] = {}

    def person(name: str, *, groups: tuple[Group, ...] = (), staff: bool = False) -> User:
        passwords[name] = f"{name}-pw-2026!"
        user = User.objects.create_user(f"matrix-{name.replace('_', '-')}", password=passwords[name], is_staff=staff)
        user.groups.add(*groups)
        return user

    users = {
        "learner": person("learner"),
        "other_learner": person("other_learner"),
        "author": person("author", groups=(authors,), staff=True),
        "instructor": person("instructor", groups=(instructors,)),
        "other_instructor": person("other_instructor", groups=(instructors,)),
        "staff": person("staff", staff=True),
    }
    users["staff"].user_permissions.add(
        Permission.objects.get(content_type__app_label="cohorts", codename="change_cohort")
    )
    co_instructor = person("co_instructor", groups=(instructors,))
    person("spare_instructor", groups=(instructors,))
    learner, other = users["learner"], users["other_learner"]

    alpha = cohort_services.cohort_create(creator=users["instructor"], name="Alpha class", exam=exam)
    cohort_services.instructor_add(cohort=alpha, username=co_instructor.username)
    cohort_services.cohort_join(learner=learner, code=alpha.join_code)
    bravo = cohort_services.cohort_create(creator=users["other_instructor"], name="Bravo class", exam=exam)
    cohort_services.cohort_join(learner=other, code=bravo.join_code)
    now = timezone.now()
    window = {"mode": "practice", "count": 2, "opens_at": now - timedelta(hours=1), "due_at": now + timedelta(days=7)}
    drill = cohort_services.assignment_create(cohort=alpha, creator=users["instructor"], title="Alpha drill", **window)
    bravo_drill = cohort_services.assignment_create(
        cohort=bravo, creator=users["other_instructor"], title="Bravo drill", **window
    )

    graded = _graded_attempt(learner, exam)
    other_graded = _graded_attempt(other, exam)
    running, _ = exam_services.attempt_start(
        learner=learner, exam=exam, mode="practice", count=3, timed=False, feedback=Attempt.Feedback.IMMEDIATE
    )
    first = AttemptItem.objects.select_related("version").get(attempt=running, position=1)
    answer = correct_answer(first)
    exam_services.answer_save(attempt_id=running.pk, learner=learner, position=1, answer=answer, flagged=False)

    values = {
        "attempt_id": str(running.pk),
        "graded_attempt_id": str(graded.pk),
        "position": 1,
        "question_id": questions[0].pk,
        "cohort_id": alpha.pk,
        "assignment_id": drill.pk,
        "member_id": learner.pk,
        "co_instructor_id": co_instructor.pk,
        "join_code": alpha.join_code,
        "answer": answer,
        "bravo_assignment_id": bravo_drill.pk,
        "other_learner_id": other.pk,
        "other_instructor_id": users["other_instructor"].pk,
    }
    learners_own = [learner.username, str(running.pk), str(graded.pk)]
    alphas_own = ["Alpha class", "Alpha drill", alpha.join_code]
    others_own = [other.username, str(other_graded.pk)]
    private = {
        "anonymous": learners_own + alphas_own + others_own,
        "other_learner": learners_own + alphas_own,
        "other_instructor": learners_own + alphas_own,
        "learner": [alpha.join_code, *others_own],  # a member never sees the join code
        "instructor": others_own,  # Bravo's member is no business of Alpha's instructor
    }
    tokens = {actor: Token.objects.create(user=user).key for actor, user in users.items()}
    return MatrixWorld(users=users, passwords=passwords, tokens=tokens, values=values, private=private)


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction that is rolled back at its end; each test then
    runs in a savepoint of it (pytest-django's ``db``), and each request in one more."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


# --- Requests -------------------------------------------------------------------------------------------


def url_of(
    pattern: str,
    world: MatrixWorld,
    *,
    params: dict[str, str] | None = None,
    query: str = "",
    overrides: dict[str, object] | None = None,
) -> str:
    """The pattern with each {parameter} filled: from ``overrides``, else the world's value named by
    ``params`` (or by the parameter's own name)."""

    def value(match: re.Match) -> str:
        name = match.group(1)
        if overrides and name in overrides:
            return str(overrides[name])
        return str(world.values[(params or {}).get(name, name)])

    url = re.sub(r"\{(\w+)\}", value, pattern)
    return f"{url}?{query}" if query else url


def row_url(pattern: str, row: Row, world: MatrixWorld, overrides: dict[str, object] | None = None) -> str:
    return url_of(pattern, world, params=row.params, query=row.query, overrides=overrides)


def send(
    world: MatrixWorld, actor: str, method: str, url: str, body: object = None, content_type: str | None = None
) -> HttpResponse:
    """One request as the actor, in a savepoint that is rolled back. The actor signs in with their
    API token, so a request that signs in or out as someone else changes nothing for the next one."""
    client = APIClient(raise_request_exception=False)  # a server error is a 500 to look at, not a raise
    if actor != "anonymous":
        client.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[actor]}")
    with transaction.atomic():
        if method == "GET":
            response = client.get(url)
        elif content_type is not None:
            response = client.generic(method, url, body, content_type=content_type)
        else:
            response = getattr(client, method.lower())(url, body, format="json")
        transaction.set_rollback(True)
    return response


def describe(response: HttpResponse) -> str:
    if response.status_code >= 500 and getattr(response, "exc_info", None):
        exc = response.exc_info[1]
        return f"{type(exc).__name__}: {exc}"
    return response.content.decode(errors="replace")[:300]


CASES = [
    pytest.param(endpoint, actor, id=f"{endpoint[0]} {endpoint[1]} as {actor}")
    for endpoint in MATRIX
    for actor in ACTORS
]


@pytest.mark.django_db
@pytest.mark.parametrize(("endpoint", "actor"), CASES)
def test_access(matrix_world, endpoint, actor):
    method, pattern = endpoint
    row = MATRIX[endpoint]
    url = row_url(pattern, row, matrix_world)
    body = row.body(matrix_world, actor) if row.body else None
    response = send(matrix_world, actor, method, url, body)
    expected = row.expected[actor]
    assert response.status_code == expected, (
        f"{method} {url} as {actor}: {response.status_code}, expected {expected}: {describe(response)}"
    )
    if response.status_code >= 400:
        assert set(response.json()) == {"error"}, f"{method} {url}: not the one error shape"
    elif actor not in row.discloses_to:
        text = response.content.decode(errors="replace")
        leaked = [secret for secret in matrix_world.private.get(actor, []) if secret in text]
        assert not leaked, f"{method} {url} shows {actor} {leaked}"


# --- Objects named across boundaries --------------------------------------------------------------------


def _retry_of_graded(world: MatrixWorld, actor: str) -> dict:
    """'Practise these': a practice set of the wrong questions of the learner's graded attempt."""
    attempt = world.values["graded_attempt_id"]
    return {"exam": "MLA-C01", "mode": "practice", "retry": {"attempt": attempt, "which": "wrong"}}


BRAVO_DRILL = "/api/cohorts/{cohort_id}/assignments/{bravo_assignment_id}/"

# Alpha's ids in the path with another cohort's object after them, or another learner's in the body.
CROSS = [
    ("instructor", "GET", BRAVO_DRILL, None, 404),
    ("instructor", "PATCH", BRAVO_DRILL, _const({"title": "Mine"}), 404),
    ("instructor", "DELETE", BRAVO_DRILL, None, 404),
    ("learner", "POST", BRAVO_DRILL + "start/", None, 404),
    ("instructor", "DELETE", "/api/cohorts/{cohort_id}/members/{other_learner_id}/", None, 404),
    ("instructor", "DELETE", "/api/cohorts/{cohort_id}/instructors/{other_instructor_id}/", None, 404),
    # Only a user with the instructor role can be made a co-instructor: not a learner.
    ("instructor", "POST", "/api/cohorts/{cohort_id}/instructors/", _const({"username": "matrix-learner"}), 400),
    ("other_learner", "POST", "/api/attempts/", _retry_of_graded, 404),
    ("learner", "POST", "/api/attempts/", _retry_of_graded, 201),
]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("actor", "method", "pattern", "body", "expected"),
    [pytest.param(*case, id=f"{case[1]} {case[2]} as {case[0]}-{i}") for i, case in enumerate(CROSS)],
)
def test_objects_of_another_cohort_or_learner(matrix_world, actor, method, pattern, body, expected):
    url = url_of(pattern, matrix_world)
    response = send(matrix_world, actor, method, url, body(matrix_world, actor) if body else None)
    assert response.status_code == expected, f"{method} {url} as {actor}: {describe(response)}"


# --- No 5xx, whatever is sent ---------------------------------------------------------------------------

JUNK = {
    "answer": {"matches": {"x": ["y"]}},
    "flagged": "maybe",
    "seconds_spent": -5,
    "exam": ["MLA-C01"],
    "mode": {},
    "count": "many",
    "filters": [1],
    "retry": {"attempt": "not-a-uuid"},
    "code": None,
    "name": "x" * 500,
    "title": "",
    "username": {"a": 1},
    "password": ["p"],
    "time_multiplier": "NaN",
    "extra_minutes": -1,
    "due_at": "tomorrow",
    "opens_at": 12,
    "max_attempts": 0,
}
HUGE = "9" * 20  # past any PostgreSQL integer


def variants(method: str, pattern: str, row: Row, world: MatrixWorld, actor: str) -> Iterator[tuple]:
    """(label, url, body, content type) of malformed requests: ids that name nothing or overflow,
    junk in the query, bodies that are empty, mistyped, not an object or not JSON."""
    url = row_url(pattern, row, world)
    names = re.findall(r"\{(\w+)\}", pattern)
    if names:
        yield "huge ids", row_url(pattern, row, world, dict.fromkeys(names, HUGE)), None, None
        alien = {n: (0 if n in ("position", "user_id", "question_id") else "x'%20or%201=1") for n in names}
        yield "alien ids", row_url(pattern, row, world, alien), None, None
    if method == "GET":
        base = url_of(pattern, world, params=row.params)  # the row's own query replaced
        yield "NUL in the query", f"{base}?exam=%00&domain=%00", None, None
        yield "huge numbers in the query", f"{base}?exam={HUGE * 2}&domain={HUGE}", None, None
    elif method != "DELETE":
        yield "empty object", url, {}, None
        yield "wrong types", url, JUNK, None
        yield "a JSON list", url, [], None
        yield "not JSON", url, "answer=1", "text/plain"


@pytest.mark.django_db
@pytest.mark.parametrize(("endpoint", "actor"), CASES)
def test_no_server_error(matrix_world, endpoint, actor):
    """Malformed requests get a 4xx, never a 5xx. (The valid request of each cell is test_access's,
    which pins its exact status; the table expects no 5xx anywhere.)"""
    method, pattern = endpoint
    row = MATRIX[endpoint]
    failures = []
    for label, url, body, content_type in variants(method, pattern, row, matrix_world, actor):
        response = send(matrix_world, actor, method, url, body, content_type)
        if response.status_code >= 500:
            failures.append(f"{label}: {method} {url} -> {response.status_code} {describe(response)}")
    assert not failures, "\n".join(failures)
