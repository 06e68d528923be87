"""Rate limits: sign-in, sign-up, tokens, autosave and cohort joins answer 429 with Retry-After."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.contrib.auth.models import User
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cohorts.models import Cohort, Membership
from exams.models import AttemptItem
from tests.cohorts.conftest import create_cohort, make_instructor
from tests.exams.conftest import correct_answer, make_bank, make_learner

pytestmark = pytest.mark.django_db


def assert_throttled(response, *, at_most: int):
    assert response.status_code == 429, response.content
    error = response.json()["error"]
    assert error["code"] == "throttled"
    assert error["message"].startswith("Too many requests. Try again in ")
    wait = int(response["Retry-After"])
    assert 0 < wait <= at_most
    assert error["message"] in (
        f"Too many requests. Try again in {wait} seconds.",
        f"Too many requests. Try again in {wait + 1} seconds.",
    )


def sign_in(client, username, password="wrong-password", ip="203.0.113.7"):  # noqa: S107
    return client.post("/api/auth/login/", {"username": username, "password": password}, format="json", REMOTE_ADDR=ip)


def test_sign_in_from_one_address_is_limited_and_says_when_to_retry(settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "sign-in": "3/min", "sign-in-account": None}
    User.objects.create_user("amal", password="a-long-passphrase-1")
    client = APIClient()
    for name in ("amal", "bea", "cy"):
        assert sign_in(client, name).status_code == 400  # wrong password: counted
    blocked = sign_in(client, "amal", "a-long-passphrase-1")
    assert_throttled(blocked, at_most=60)
    assert "sessionid" not in blocked.cookies  # the right password does not get through either
    assert sign_in(client, "amal", "a-long-passphrase-1", ip="198.51.100.1").status_code == 200  # another address


def test_guessing_one_accounts_password_from_many_addresses_is_limited(settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "sign-in": None, "sign-in-account": "3/min"}
    User.objects.create_user("amal", password="a-long-passphrase-1")
    client = APIClient()
    for n in range(3):
        assert sign_in(client, "Amal", ip=f"203.0.113.{n}").status_code == 400
    assert_throttled(sign_in(client, "AMAL ", "a-long-passphrase-1", ip="203.0.113.99"), at_most=60)
    assert sign_in(client, "bea", ip="203.0.113.99").status_code == 400  # other accounts are not locked out


def test_sign_up_is_limited_per_address_and_creates_nothing_when_refused(settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "sign-up": "2/hour"}
    client = APIClient()
    for name in ("one", "two"):
        body = {"username": name, "password": "a-long-passphrase-1"}
        assert client.post("/api/auth/register/", body, format="json").status_code == 201
        client.post("/api/auth/logout/")
    refused = client.post(
        "/api/auth/register/", {"username": "three", "password": "a-long-passphrase-1"}, format="json"
    )
    assert_throttled(refused, at_most=3600)
    assert not User.objects.filter(username="three").exists()


def test_token_creation_is_limited(settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "token": "2/min"}
    User.objects.create_user("scripter", password="a-long-passphrase-1")
    client = APIClient()
    body = {"username": "scripter", "password": "a-long-passphrase-1"}
    assert client.post("/api/auth/token/", body, format="json").status_code == 200
    assert client.post("/api/auth/token/", {**body, "password": "nope"}, format="json").status_code == 400
    assert_throttled(client.post("/api/auth/token/", body, format="json"), at_most=60)
    assert Token.objects.filter(user__username="scripter").count() == 1


def test_autosave_is_generous_but_limited_and_a_refused_save_changes_nothing(catalog, settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "autosave": "5/min"}
    make_bank({1: 4}, case_size=0)
    _, client = make_learner("saver")
    attempt = client.post("/api/attempts/", {"exam": "MLA-C01", "mode": "practice", "count": 4}, format="json").json()
    items = list(AttemptItem.objects.filter(attempt_id=attempt["id"]).select_related("version").order_by("position"))
    url = f"/api/attempts/{attempt['id']}/items/1/"
    for _ in range(5):
        assert client.put(url, {"answer": None, "flagged": True}, format="json").status_code == 200
    refused = client.put(url, {"answer": correct_answer(items[0]), "flagged": False}, format="json")
    assert_throttled(refused, at_most=60)
    stored = AttemptItem.objects.get(pk=items[0].pk)
    assert (stored.answer, stored.flagged) == (None, True)
    assert client.get(f"/api/attempts/{attempt['id']}/").status_code == 200  # reading is not limited
    _, other = make_learner("other-saver")  # counted per learner
    theirs = other.post("/api/attempts/", {"exam": "MLA-C01", "mode": "practice", "count": 1}, format="json").json()
    assert other.put(f"/api/attempts/{theirs['id']}/items/1/", {"answer": None}, format="json").status_code == 200


def test_the_default_autosave_limit_allows_a_save_every_second_for_a_whole_exam(settings):
    count, period = settings.API_THROTTLE_RATES["autosave"].split("/")
    assert period == "min" and int(count) >= 60


def test_guessing_join_codes_is_limited(catalog, settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "join": "3/hour"}
    _, teacher = make_instructor("teacher")
    cohort = Cohort.objects.get(pk=create_cohort(teacher)["id"])
    _, client = make_learner("guesser")
    for guess in ("AAAA2222", "BBBB3333", "CCCC4444"):
        assert client.post("/api/cohorts/join/", {"code": guess}, format="json").status_code == 404
    refused = client.post("/api/cohorts/join/", {"code": cohort.join_code}, format="json")
    assert_throttled(refused, at_most=3600)
    assert not Membership.objects.filter(cohort=cohort, learner__username="guesser").exists()


def test_rates_come_from_the_environment():
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.API_THROTTLE_RATES['sign-in'], settings.API_THROTTLE_RATES['join'])"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "mlaexam.settings", "THROTTLE_RATES": "sign-in=100/min,join=off"}
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["100/min", "None"]
