"""The suite never skips for a missing service: it fails at once and names the service."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_suite(**env_overrides):
    env = {**os.environ, **env_overrides}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/questions/test_apportion.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"DATABASE_URL": "postgres://postgres@127.0.0.1:1/mlaexam"}, "PostgreSQL is not reachable at 127.0.0.1:1"),
        ({"DATABASE_URL": "sqlite:////tmp/x.sqlite3"}, "PostgreSQL is required but DATABASE_URL selects"),
        ({"CELERY_BROKER_URL": "redis://127.0.0.1:1/0"}, "Redis is not reachable at 127.0.0.1:1"),
        ({"CELERY_BROKER_URL": ""}, "Redis is required but CELERY_BROKER_URL is not a redis:// URL"),
    ],
)
def test_a_missing_service_fails_the_run_and_names_it(overrides, message):
    result = run_suite(**overrides)
    assert result.returncode == 3
    assert message in result.stdout + result.stderr
    assert "passed" not in result.stdout and "skipped" not in result.stdout
