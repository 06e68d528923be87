"""Shared test set-up. The suite runs on real PostgreSQL and Redis and refuses to run without them.

Missing services fail the run at once with a message that names the service; nothing is skipped.
"""

from __future__ import annotations

import os
import socket
from urllib.parse import urlparse

import pytest
from django.conf import settings

SERVICE_HINTS = {
    "PostgreSQL": "start it with `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` "
    "or point DATABASE_URL at a server (make test defaults to postgres://postgres@127.0.0.1:5432/mlaexam)",
    "Redis": "start it with `redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save '' "
    "--appendonly no` or point CELERY_BROKER_URL at a server (make test defaults to redis://127.0.0.1:6379/0)",
}


def _reachable(host: str, port: int) -> str | None:
    try:
        with socket.create_connection((host, port), timeout=3):
            return None
    except OSError as exc:
        return str(exc)


def required_services() -> list[str]:
    """Problems with the services the suite needs, each naming the service."""
    problems = []
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        problems.append(
            f"PostgreSQL is required but DATABASE_URL selects {db['ENGINE']}; run the suite with `make test` "
            f"or set DATABASE_URL=postgres://postgres@127.0.0.1:5432/mlaexam"
        )
    else:
        host, port = db.get("HOST") or "127.0.0.1", int(db.get("PORT") or 5432)
        error = _reachable(host, port)
        if error:
            problems.append(f"PostgreSQL is not reachable at {host}:{port} ({error}); {SERVICE_HINTS['PostgreSQL']}")
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not broker.startswith(("redis://", "rediss://")):
        problems.append(
            "Redis is required but CELERY_BROKER_URL is not a redis:// URL; run the suite with `make test` "
            "or set CELERY_BROKER_URL=redis://127.0.0.1:6379/0"
        )
    else:
        parsed = urlparse(broker)
        host, port = parsed.hostname or "127.0.0.1", parsed.port or 6379
        error = _reachable(host, port)
        if error:
            problems.append(f"Redis is not reachable at {host}:{port} ({error}); {SERVICE_HINTS['Redis']}")
    return problems


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The browser tests last: the fastest feedback first, and Playwright's event loop (which
    stays up for the rest of the session once started) never shares the process with the others."""
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)


def pytest_sessionstart(session: pytest.Session) -> None:
    problems = required_services()
    if problems:
        pytest.exit("Required service missing:\n  " + "\n  ".join(problems), returncode=3)


@pytest.fixture
def catalog(db):
    """The exam blueprints, pillars and services from questions/blueprints/, in the test database."""
    from questions.services import blueprints_load

    return blueprints_load()


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Each test starts with no requests counted against the rate limits (mlaexam/throttling.py)."""
    from django.core.cache import cache

    cache.clear()
