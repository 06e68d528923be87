"""Sign-up, sign-in, sign-out, the current user, and API tokens."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def error(response):
    return response.json()["error"]


def test_sign_up_signs_in_and_creates_a_profile(client):
    body = {"username": "lin", "password": "a-long-passphrase-1", "email": "lin@example.com"}
    response = client.post("/api/auth/register/", body, content_type="application/json")
    assert response.status_code == 201
    assert response.json() == {
        "id": User.objects.get(username="lin").pk,
        "username": "lin",
        "email": "lin@example.com",
        "roles": ["learner"],
        "accommodation": {"time_multiplier": "1.00", "extra_minutes": 0},
    }
    assert client.get("/api/auth/me/").json()["username"] == "lin"
    assert User.objects.get(username="lin").check_password("a-long-passphrase-1")


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"username": "lin", "password": "short"}, "password", "This password is too short."),
        ({"username": "lin", "password": "12345678901"}, "password", "This password is entirely numeric."),
        ({"username": "lin", "password": "password123"}, "password", "This password is too common."),
        ({"username": "bad name!", "password": "a-long-passphrase-1"}, "username", "Enter a valid username."),
        ({"username": "lin", "password": "a-long-passphrase-1", "email": "nope"}, "email", "Enter a valid email"),
        ({"password": "a-long-passphrase-1"}, "username", "This field is required."),
        ({"username": "x" * 151, "password": "a-long-passphrase-1"}, "username", "no more than 150"),
    ],
)
def test_sign_up_refuses_bad_input_field_by_field(client, body, field, message):
    response = client.post("/api/auth/register/", body, content_type="application/json")
    assert response.status_code == 400
    assert error(response)["code"] == "validation_error"
    assert message in " ".join(error(response)["fields"][field])
    assert not User.objects.exists()


def test_sign_up_refuses_a_taken_username(client):
    User.objects.create_user("lin", password="whatever-pass-1")
    response = client.post(
        "/api/auth/register/", {"username": "lin", "password": "a-long-passphrase-1"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "already exists" in error(response)["fields"]["username"][0]
    assert User.objects.count() == 1


def test_sign_in_rotates_the_session_and_sign_out_ends_it(client):
    user = User.objects.create_user("ada", password="ada-pass-2026!")
    user.groups.add(Group.objects.get(name="Instructors"))
    client.get("/api/auth/csrf/")
    before = client.session.session_key
    response = client.post(
        "/api/auth/login/", {"username": "ada", "password": "wrong"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert error(response) == {"code": "invalid_credentials", "message": "Wrong username or password."}
    response = client.post(
        "/api/auth/login/", {"username": "ada", "password": "ada-pass-2026!"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["roles"] == ["learner", "instructor"]
    assert client.session.session_key != before
    assert client.post("/api/auth/logout/").status_code == 204
    assert client.get("/api/auth/me/").status_code == 401


def test_roles_say_who_runs_cohorts_an_author_is_staff_but_not_an_instructor():
    author = User.objects.create_user("auth0r", password="author-pass-2026!", is_staff=True)
    author.groups.add(Group.objects.get(name="Authors"))
    overseer = User.objects.create_user("overseer", password="overseer-pass-2026!", is_staff=True)
    overseer.user_permissions.add(Permission.objects.get(codename="change_cohort"))
    client = APIClient()
    client.force_authenticate(author)
    assert client.get("/api/auth/me/").json()["roles"] == ["learner", "author", "staff"]
    client.force_authenticate(User.objects.get(pk=overseer.pk))
    assert client.get("/api/auth/me/").json()["roles"] == ["learner", "instructor", "staff"]


def test_a_token_authenticates_scripts():
    User.objects.create_user("bot", password="bot-pass-2026!")
    anonymous = APIClient()
    response = anonymous.post("/api/auth/token/", {"username": "bot", "password": "nope"}, format="json")
    assert response.status_code == 400 and error(response)["code"] == "invalid_credentials"
    token = anonymous.post("/api/auth/token/", {"username": "bot", "password": "bot-pass-2026!"}, format="json").json()[
        "token"
    ]
    script = APIClient()
    script.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert script.get("/api/auth/me/").json()["username"] == "bot"
    script.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    response = script.get("/api/auth/me/")
    assert response.status_code == 401 and error(response)["code"] == "authentication_failed"


def test_a_token_stops_working_when_its_account_is_deactivated_or_the_token_deleted():
    """The token lookup (one raw query on PostgreSQL, mlaexam.authentication) keeps DRF's checks."""
    from rest_framework.authtoken.models import Token

    user = User.objects.create_user("leaver", password="leaver-pass-2026!")
    token = Token.objects.create(user=user)
    script = APIClient()
    script.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert script.get("/api/auth/me/").json()["username"] == "leaver"
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = script.get("/api/auth/me/")
    assert response.status_code == 401
    assert error(response) == {"code": "authentication_failed", "message": "User inactive or deleted."}
    User.objects.filter(pk=user.pk).update(is_active=True)
    assert script.get("/api/auth/me/").status_code == 200
    token.delete()
    response = script.get("/api/auth/me/")
    assert response.status_code == 401
    assert error(response) == {"code": "authentication_failed", "message": "Invalid token."}


def test_session_writes_need_the_csrf_token():
    User.objects.create_user("ada", password="ada-pass-2026!")
    browser = APIClient(enforce_csrf_checks=True)
    assert (
        browser.post("/api/auth/login/", {"username": "ada", "password": "ada-pass-2026!"}, format="json").status_code
        == 200
    )
    response = browser.patch("/api/auth/me/", {"extra_minutes": 30}, format="json")
    assert response.status_code == 403
    assert "CSRF" in error(response)["message"]
    token = browser.get("/api/auth/csrf/").json()["csrf_token"]
    response = browser.patch("/api/auth/me/", {"extra_minutes": 30}, format="json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200 and response.json()["accommodation"]["extra_minutes"] == 30


def test_passwords_are_hashed_with_argon2_and_older_hashes_upgrade_at_sign_in(client):
    from django.contrib.auth.hashers import make_password

    body = {"username": "nia", "password": "a-long-passphrase-1"}
    assert client.post("/api/auth/register/", body, content_type="application/json").status_code == 201
    assert User.objects.get(username="nia").password.startswith("argon2$")
    old = User.objects.create(username="old", password=make_password("old-pass-2026!", hasher="pbkdf2_sha256"))
    assert old.password.startswith("pbkdf2_sha256$")
    response = APIClient().post("/api/auth/login/", {"username": "old", "password": "old-pass-2026!"}, format="json")
    assert response.status_code == 200
    assert User.objects.get(username="old").password.startswith("argon2$")
