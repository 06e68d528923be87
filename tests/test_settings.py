"""Settings from the environment: embedded defaults, production refusing to start without a secret."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG_VARS = ("DATABASE_URL", "CELERY_BROKER_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "CELERY_RESULT_BACKEND")


def manage(*args, **env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in CONFIG_VARS}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_with_nothing_set_it_runs_on_sqlite_and_in_process_tasks_and_says_so():
    result = manage("check")
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    db = [line for line in lines if "Database: DATABASE_URL is not set, using the SQLite file" in line]
    tasks = [line for line in lines if "Celery: CELERY_BROKER_URL is not set, tasks run in-process (eager)" in line]
    assert len(db) == 1 and db[0].endswith(str(ROOT / "var" / "db.sqlite3"))
    assert len(tasks) == 1


def test_with_services_set_it_says_nothing_about_defaults():
    result = manage(
        "check", DATABASE_URL="postgres://postgres@127.0.0.1:5432/mlaexam", CELERY_BROKER_URL="redis://127.0.0.1:6379/0"
    )
    assert result.returncode == 0, result.stderr
    assert "is not set" not in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DEBUG="False", ALLOWED_HOSTS="mlaexam.example.com")
    assert result.returncode != 0
    assert "SECRET_KEY is not set. With DEBUG=False (production) mlaexam refuses to start" in result.stderr
    result = manage("check", DEBUG="False", SECRET_KEY="  ", ALLOWED_HOSTS="mlaexam.example.com")
    assert result.returncode != 0
    assert "SECRET_KEY is empty" in result.stderr


def test_production_settings_pass_check_deploy():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="False",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="mlaexam.example.com",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/mlaexam",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_development_defaults_fail_check_deploy_loudly():
    """The insecure development defaults must never pass for production."""
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "security.W018" in result.stderr + result.stdout  # DEBUG on


def test_production_sets_secure_cookies_hsts_and_django_password_validators():
    script = (
        "from django.conf import settings as s; import json; print(json.dumps({"
        "'session_secure': s.SESSION_COOKIE_SECURE, 'csrf_secure': s.CSRF_COOKIE_SECURE,"
        "'session_httponly': s.SESSION_COOKIE_HTTPONLY, 'hsts': s.SECURE_HSTS_SECONDS,"
        "'hsts_subdomains': s.SECURE_HSTS_INCLUDE_SUBDOMAINS, 'ssl_redirect': s.SECURE_SSL_REDIRECT,"
        "'validators': [v['NAME'].rsplit('.', 1)[-1] for v in s.AUTH_PASSWORD_VALIDATORS]}))"
    )
    result = manage(
        "shell", "-c", script, DEBUG="False", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="mlaexam.example.com"
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["session_secure"] and values["csrf_secure"] and values["session_httponly"]
    assert values["hsts"] >= 31_536_000 and values["hsts_subdomains"] and values["ssl_redirect"]
    assert values["validators"] == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]
