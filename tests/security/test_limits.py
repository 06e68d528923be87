"""Hostile and malformed input on the main write endpoints.

Each refusal is a 4xx in the one error shape with a message that says what was wrong, and stores
nothing: the rows a request could have written are compared before and after.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cohorts.models import Assignment, Cohort, Membership
from exams.models import Attempt, AttemptItem
from mlaexam.errors import exception_handler
from tests.exams.conftest import correct_answer, make_bank, shown

LIMIT = 1024 * 1024  # settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def stored() -> dict:
    """Every row a write endpoint here could add or change."""
    return {
        "users": list(User.objects.order_by("pk").values_list("pk", "username", "email", "password")),
        "tokens": list(Token.objects.order_by("key").values_list("key", flat=True)),
        "sessions": Session.objects.count(),
        "attempts": list(Attempt.objects.order_by("pk").values_list("pk", "status", "submitted_at")),
        "items": list(
            AttemptItem.objects.order_by("pk").values_list("pk", "answer", "flagged", "locked_at", "seconds_spent")
        ),
        "cohorts": list(Cohort.objects.order_by("pk").values_list("pk", "name", "join_code")),
        "memberships": list(Membership.objects.order_by("pk").values_list("cohort_id", "learner_id")),
        "assignments": list(Assignment.objects.order_by("pk").values_list("pk", "title", "due_at")),
    }


class World:
    """A learner with an attempt in progress (question 1 answered, so it could be locked), an
    instructor with a cohort, and a second learner who has not joined it yet."""

    def __init__(self) -> None:
        cache.clear()  # rate-limit counters
        make_bank({1: 3, 2: 2, 3: 2, 4: 2}, case_size=0)
        self.anon = APIClient()
        self.learner = self._client("ada")
        self.newcomer = self._client("grace")
        teacher = self._user("turing")
        teacher.groups.add(Group.objects.get(name="Instructors"))
        self.instructor = self._login(teacher)
        response = self.learner.post(
            "/api/attempts/",
            {"exam": "MLA-C01", "mode": "practice", "count": 3, "feedback": "immediate"},
            format="json",
        )
        assert response.status_code == 201, response.content
        self.attempt = response.json()["id"]
        item = AttemptItem.objects.get(attempt_id=self.attempt, position=1)
        self.item = item
        answered = self.learner.put(self.item_url, {"answer": correct_answer(item)}, format="json")
        assert answered.status_code == 200, answered.content
        cohort = self.instructor.post("/api/cohorts/", {"name": "Spring cohort"}, format="json").json()
        self.cohort, self.code = cohort["id"], cohort["join_code"]

    @staticmethod
    def _user(username: str) -> User:
        return User.objects.create_user(username, password=f"{username}-pw-2026!")

    @staticmethod
    def _login(user: User) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
        return client

    def _client(self, username: str) -> APIClient:
        return self._login(self._user(username))

    @property
    def item_url(self) -> str:
        return f"/api/attempts/{self.attempt}/items/1/"

    def endpoints(self) -> dict[str, tuple[APIClient, str, str, dict]]:
        """name: (client, method, url, a valid body)."""
        due = (timezone.now() + timedelta(days=7)).isoformat()
        return {
            "sign-up": (self.anon, "post", "/api/auth/register/", {"username": "new1", "password": "a-Long-pw-2026!"}),
            "sign-in": (self.anon, "post", "/api/auth/login/", {"username": "ada", "password": "ada-pw-2026!"}),
            "token": (self.anon, "post", "/api/auth/token/", {"username": "ada", "password": "ada-pw-2026!"}),
            "start attempt": (self.learner, "post", "/api/attempts/", {"exam": "MLA-C01", "mode": "practice"}),
            "autosave": (self.learner, "put", self.item_url, {"answer": correct_answer(self.item), "flagged": True}),
            "lock": (self.learner, "post", f"{self.item_url}lock/", {}),
            "submit": (self.learner, "post", f"/api/attempts/{self.attempt}/submit/", {}),
            "cohort create": (self.instructor, "post", "/api/cohorts/", {"name": "Autumn cohort"}),
            "cohort join": (self.newcomer, "post", "/api/cohorts/join/", {"code": self.code}),
            "assignment create": (
                self.instructor,
                "post",
                f"/api/cohorts/{self.cohort}/assignments/",
                {"title": "Mock 1", "mode": "full", "due_at": due},
            ),
        }


@pytest.fixture
def world(catalog, settings) -> World:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return World()


def send(client: APIClient, method: str, url: str, body: bytes | str, content_type: str = "application/json"):
    return client.generic(method.upper(), url, body, content_type=content_type)


def assert_refused(response, status: int, code: str, message: str, where: str) -> None:
    assert response.status_code == status, f"{where}: {response.status_code} {response.content[:300]!r}"
    assert response["Content-Type"] == "application/json", where
    error = response.json()["error"]
    assert error["code"] == code, f"{where}: {error}"
    assert message in error["message"], f"{where}: {error['message']!r}"


def refused_everywhere(world: World, body: bytes | str, status: int, code: str, message: str, **kwargs) -> None:
    """``body`` sent to every write endpoint is refused the same way, and nothing is stored."""
    before = stored()
    for name, (client, method, url, _) in world.endpoints().items():
        assert_refused(send(client, method, url, body, **kwargs), status, code, message, name)
    assert stored() == before


def test_the_valid_requests_work(world):
    """The refusals below are about the input: the same endpoints accept a valid body."""
    for name, (client, method, url, body) in world.endpoints().items():
        response = getattr(client, method)(url, body, format="json")
        assert response.status_code in (200, 201), f"{name}: {response.content[:300]!r}"


def test_a_body_over_the_limit_is_413(world):
    huge = json.dumps({"username": "x" * LIMIT, "name": "x", "title": "x"})
    refused_everywhere(world, huge, 413, "payload_too_large", "larger than 1,048,576 bytes")
    # Just under the limit is read, and refused for what it says, not for its size.
    near = json.dumps({"name": "x" * (LIMIT - 100)})
    response = send(world.instructor, "post", "/api/cohorts/", near)
    assert_refused(response, 400, "validation_error", "name: Ensure this field has no more than 120", "near")


def test_a_form_body_over_djangos_limit_is_refused_in_the_error_shape(world):
    """With the session cookie the CSRF check looks for its token in a form body, read through the
    API's parsers: a JSON 415, not Django's HTML 400 page for RequestDataTooBig. Should Django itself
    raise RequestDataTooBig, the handler answers 413 in the same shape."""
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(User.objects.get(username="ada"))
    client.get("/api/auth/csrf/")  # the cookie; the token would be looked for in the form body
    before = stored()
    body = "exam=" + "x" * LIMIT
    response = send(client, "post", "/api/attempts/", body, content_type="application/x-www-form-urlencoded")
    assert_refused(response, 415, "unsupported_media_type", "application/x-www-form-urlencoded", "form")
    assert stored() == before
    response = exception_handler(RequestDataTooBig("too big"), {})
    assert response.status_code == 413
    assert response.data == {
        "error": {"code": "payload_too_large", "message": "The request body is larger than 1,048,576 bytes, "
                  "the most this API accepts."}
    }  # fmt: skip


def test_field_lengths(world):
    before = stored()
    long_name = "ü" * 121
    cases = {
        "sign-up username": ("/api/auth/register/", world.anon, {"username": "a" * 151, "password": "Pw-2026-long!"}),
        "sign-up password": ("/api/auth/register/", world.anon, {"username": "bob", "password": "p" * 129}),
        "sign-up email": ("/api/auth/register/", world.anon, {"username": "bob", "password": "Pw-2026-long!",
                                                              "email": "a" * 250 + "@b.io"}),
        "sign-in username": ("/api/auth/login/", world.anon, {"username": "a" * 151, "password": "x"}),
        "token password": ("/api/auth/token/", world.anon, {"username": "ada", "password": "p" * 129}),
        "start exam code": ("/api/attempts/", world.learner, {"exam": "M" * 21, "mode": "practice"}),
        "cohort name": ("/api/cohorts/", world.instructor, {"name": long_name}),
        "join code": ("/api/cohorts/join/", world.newcomer, {"code": "A" * 41}),
        "assignment title": (f"/api/cohorts/{world.cohort}/assignments/", world.instructor,
                             {"title": long_name, "mode": "full", "due_at": "2099-01-01T00:00:00Z"}),
    }  # fmt: skip
    for name, (url, client, body) in cases.items():
        field = name.split()[-1].replace("code", "exam" if "exam" in name else "code")
        response = client.post(url, body, format="json")
        assert_refused(response, 400, "validation_error", "no more than", name)
        assert field in response.json()["error"]["fields"], name
    # A very long single line: 500,000 characters without a break, under the body limit.
    response = world.instructor.post("/api/cohorts/", {"name": "ab" * 250_000}, format="json")
    assert_refused(response, 400, "validation_error", "name: Ensure this field has no more than 120", "long line")
    assert stored() == before


def test_list_lengths(world):
    before = stored()
    ids = [f"o{i}" for i in range(10_000)]
    for key, value in {
        "selected": ids,
        "order": ids,
        "matches": {f"p{i}": f"o{i}" for i in range(10_000)},
    }.items():
        response = world.learner.put(world.item_url, {"answer": {key: value}}, format="json")
        assert response.status_code == 400, key
        error = response.json()["error"]
        assert error["fields"] == {"answer": [error["message"]]}, key
        assert "10000 entries" in error["message"] or "takes only" in error["message"], error
    # The served question's own key, repeated 10,000 times, is refused by its length, not its content.
    item = world.item
    key, value = next(iter(correct_answer(item).items()))
    many = (value * 10_000) if isinstance(value, list) else None
    if many is not None:
        response = world.learner.put(world.item_url, {"answer": {key: many}}, format="json")
        assert_refused(response, 400, "invalid_answer", f"has {len(many)} entries", "repeated key")
    filters = {"domain": [1] * 10_000}
    response = world.learner.post("/api/attempts/", {"exam": "MLA-C01", "mode": "practice", "filters": filters},
                                  format="json")  # fmt: skip
    assert_refused(response, 400, "validation_error", "no more than 50", "filters")
    assert stored() == before


def test_nul_and_lone_surrogates_are_refused(world):
    """PostgreSQL text cannot hold NUL; a lone surrogate cannot even be encoded as UTF-8."""
    for char, message in [("\\u0000", "NUL character"), ("\\ud800", "unpaired UTF-16 surrogate")]:
        bodies = [
            '{"username": "ada§", "password": "x§", "name": "n§", "code": "c§", "title": "t§", "exam": "e§"}',
            '{"answer": {"selected": ["§"]}, "mode": "practice"}',
            '{"§": 1}',
        ]
        bodies = [body.replace("§", char) for body in bodies]
        for body in bodies:
            refused_everywhere(world, body, 400, "parse_error", message)


def test_names_keep_every_script_but_refuse_invisible_characters(world):
    before = stored()
    for name in ["Grupo Ñandú 🚀👩‍💻", "مجموعة الربيع", "e\u0301te\u0301 cohort", "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇"]:
        response = world.instructor.post("/api/cohorts/", {"name": name}, format="json")
        assert response.status_code == 201, response.content
        assert Cohort.objects.get(pk=response.json()["id"]).name == name  # stored exactly as typed
    after_good = stored()
    for name, shown_as in [
        ("evil\u202ecod.exe", "U+202E (right-to-left override)"),
        ("a\u200bb", "U+200B (zero width space)"),
        ("two\nlines", "U+000A"),
        ("tab\there", "U+0009"),
        ("\u2066isolated\u2069", "U+2066 (left-to-right isolate)"),
    ]:
        for url, field in [("/api/cohorts/", "name"), (f"/api/cohorts/{world.cohort}/assignments/", "title")]:
            body = {field: name, "mode": "full", "due_at": "2099-01-01T00:00:00Z"}
            response = world.instructor.post(url, body, format="json")
            assert_refused(response, 400, "validation_error", f"{field}: contains {shown_as}", f"{url} {name!r}")
        response = world.instructor.patch(f"/api/cohorts/{world.cohort}/", {"name": name}, format="json")
        assert_refused(response, 400, "validation_error", f"name: contains {shown_as}", f"rename {name!r}")
    # Usernames are Django's: letters, digits and @.+-_ only (emoji, zero-width and RTL marks are not).
    for username in ["ada🚀", "a\u200bda", "\u202eada"]:
        response = world.anon.post("/api/auth/register/", {"username": username, "password": "Pw-2026-long!"},
                                   format="json")  # fmt: skip
        assert_refused(response, 400, "validation_error", "username: Enter a valid username", repr(username))
    assert stored() == after_good != before


def test_duplicate_keys_are_refused(world):
    body = '{"username": "ada", "username": "eve", "name": "a", "code": "b", "title": "c", "exam": "MLA-C01"}'
    refused_everywhere(world, body, 400, "parse_error", "the key 'username' appears more than once")
    nested = '{"answer": {"selected": ["a"], "selected": ["b"]}}'
    refused_everywhere(world, nested, 400, "parse_error", "the key 'selected' appears more than once")


def test_deep_nesting_is_refused_without_a_crash(world):
    refused_everywhere(world, "[" * 100_000 + "]" * 100_000, 400, "parse_error", "nested more than 20 levels")
    refused_everywhere(world, '{"a":' * 50_000 + "1" + "}" * 50_000, 400, "parse_error", "nested more than 20")
    deep_answer = '{"answer": {"selected": ' + "[" * 30 + "]" * 30 + "}}"
    refused_everywhere(world, deep_answer, 400, "parse_error", "nested more than 20 levels")


def test_invalid_json_and_utf8_are_refused(world):
    refused_everywhere(world, b'{"username": "\xff\xfe"}', 400, "parse_error", "not valid UTF-8")
    refused_everywhere(world, b'{"username": "ada",', 400, "parse_error", "JSON parse error")
    refused_everywhere(world, b'{"count": NaN, "seconds_spent": Infinity}', 400, "parse_error", "is not a JSON number")


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=BoUnDaRy", "application/xml"],
)
def test_wrong_content_types_are_415(world, content_type):
    body = '--BoUnDaRy\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--BoUnDaRy--\r\n'
    media = content_type.split(";")[0]
    message = f'Unsupported media type "{media}'
    refused_everywhere(world, body, 415, "unsupported_media_type", message, content_type=content_type)


@pytest.mark.parametrize(("body", "kind"), [("[]", "list"), ("[1, 2]", "list"), ("42", "int"), ('"text"', "str")])
def test_bodies_that_are_not_objects_are_refused(world, body, kind):
    before = stored()
    endpoints = world.endpoints()
    for name in ["sign-up", "sign-in", "token", "start attempt", "autosave", "cohort create", "cohort join",
                 "assignment create"]:  # fmt: skip
        client, method, url, _ = endpoints[name]
        response = send(client, method, url, body)
        assert_refused(response, 400, "validation_error", f"Expected a dictionary, but got {kind}", name)
    assert stored() == before


def test_a_null_body_is_refused(world):
    before = stored()
    endpoints = world.endpoints()
    for name in ["sign-up", "sign-in", "token", "start attempt", "autosave", "cohort create", "cohort join",
                 "assignment create"]:  # fmt: skip
        client, method, url, _ = endpoints[name]
        response = send(client, method, url, "null")
        assert response.status_code == 400, f"{name}: {response.content[:200]!r}"
        assert response.json()["error"]["code"] == "validation_error", name
    assert stored() == before


def test_hostile_path_and_query_values_are_4xx(world):
    before = stored()
    for url in [
        "/api/attempts/%00/",
        "/api/attempts/%ED%A0%80/",
        f"/api/attempts/{world.attempt}/items/99999999999999999999/",
        "/api/cohorts/%00/",
        "/api/cohorts/99999999999999999999/",
        f"/api/cohorts/{world.cohort}/assignments/%00/",
    ]:
        response = world.learner.get(url)
        assert response.status_code in (404, 405), f"{url}: {response.status_code}"
        assert response.json()["error"]["code"] in ("not_found", "method_not_allowed"), url
    response = world.learner.get("/api/me/progress/", {"exam": "\x00"})
    assert_refused(response, 400, "unknown_exam", "unknown exam", "progress")
    assert stored() == before


def test_shown_item_ids_are_opaque_strings(world):
    """Sanity for the cases above: option ids are short strings, far from any limit."""
    ids = [o["id"] for o in shown(world.item)["options"]]
    assert all(isinstance(i, str) and len(i) < 64 for i in ids)
