"""Project wiring: the shipped bank, the schema, the compose file, demo accounts, health."""

import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command

from questions.bankcheck import coverage_items
from questions.blueprint import read_catalog
from questions.models import Case, Question
from questions.services import bank_read

ROOT = Path(settings.BASE_DIR)


def test_the_shipped_bank_has_no_problems_and_meets_the_foundation_minimums():
    catalog = read_catalog(settings.BLUEPRINT_DIR)
    files = bank_read(bank_dir=settings.BANK_DIR, catalog=catalog)
    assert [str(p) for f in files for p in f.problems] == []
    published = [q for f in files for q in f.questions if q.status == "published"]
    assert len(published) >= 40
    tasks = {q.task for q in published}
    assert {t.split()[1][0] for t in tasks} == {"1", "2", "3", "4"}  # every domain
    assert len(tasks) >= 8
    assert {q.type for q in published} == {"multiple_choice", "multiple_response", "ordering", "matching"}
    assert any(f.cases for f in files)
    items = coverage_items(files, catalog)
    assert len(items) == len(published)


@pytest.mark.django_db
def test_the_shipped_bank_loads_and_a_second_load_changes_nothing():
    out = StringIO()
    call_command("loadbank", stdout=out)
    published = Question.objects.filter(status="published").count()
    assert published >= 40
    assert "updated 0, unchanged 0, retired 0" in out.getvalue()
    assert Case.objects.exists()
    out = StringIO()
    call_command("loadbank", stdout=out)
    assert f"created 0, updated 0, unchanged {Question.objects.count()}, retired 0" in out.getvalue()


def test_checkbank_prints_the_coverage_table_for_both_exams():
    out = StringIO()
    call_command("checkbank", stdout=out)
    text = out.getvalue()
    assert "MLA-C01 AWS Certified Machine Learning Engineer - Associate:" in text
    assert "by domain 18/17/14/16" in text
    assert "by domain 18/16/16/15" in text
    assert "OK:" in text


def test_the_openapi_schema_validates(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert "openapi: 3" in out.read_text()


@pytest.fixture(scope="session")
def docker_compose():
    """Debian's docker-compose validates the file (no engine is needed); installed when missing."""
    path = shutil.which("docker-compose")
    if path is None:
        subprocess.run(["apt-get", "update", "-qq"], capture_output=True, timeout=600, check=False)
        install = subprocess.run(
            ["apt-get", "install", "-y", "-qq", "docker-compose"], capture_output=True, text=True, timeout=600
        )
        path = shutil.which("docker-compose")
        if path is None:
            pytest.fail(f"docker-compose is missing and could not be installed: {install.stderr[-500:]}")
    return path


def test_docker_compose_file_is_valid_and_has_the_topology(docker_compose):
    env = {"SECRET_KEY": "compose-validation-only", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [docker_compose, "config", "-q"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    services = subprocess.run(
        [docker_compose, "config", "--services"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    ).stdout.split()
    assert sorted(services) == ["beat", "postgres", "redis", "web", "worker"]
    config = subprocess.run(
        [docker_compose, "config"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    ).stdout
    assert config.count("healthcheck:") == 5
    for variable in ("DATABASE_URL", "CELERY_BROKER_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"):
        assert config.count(f"{variable}:") == 3, variable  # web, worker and beat share them


def test_compose_refuses_to_start_without_a_secret(docker_compose):
    result = subprocess.run(
        [docker_compose, "config", "-q"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "set SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_seeddemo_creates_the_three_accounts_and_prints_passwords(client, catalog):
    out = StringIO()
    call_command("seeddemo", stdout=out)
    call_command("seeddemo", stdout=StringIO())  # twice is fine
    text = out.getvalue()
    for username in ("learner", "instructor", "author"):
        assert f"{username:<11} password: {username}-mlaexam" in text
        assert client.login(username=username, password=f"{username}-mlaexam")
    assert User.objects.filter(username__in=["learner", "instructor", "author"]).count() == 3
    author = User.objects.get(username="author")
    assert author.is_staff and list(author.groups.values_list("name", flat=True)) == ["Authors"]
    instructor = User.objects.get(username="instructor")
    assert not instructor.is_staff and list(instructor.groups.values_list("name", flat=True)) == ["Instructors"]
    assert not User.objects.get(username="learner").is_staff


@pytest.mark.django_db
def test_health_reports_the_database(client):
    response = client.get("/api/health/")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "tasks": "broker"}


@pytest.mark.django_db
def test_the_api_docs_are_served(client):
    assert client.get("/api/docs/").status_code == 200
    assert client.get("/api/schema/").status_code == 200
