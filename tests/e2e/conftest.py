"""End-to-end: the built browser app in real headless Chromium (Debian's ``chromium``, driven by
Playwright) against a live Django server on the test PostgreSQL database, with a real Celery
worker grading the attempts.

``make test`` builds the app (``frontend/dist``) before pytest runs. Screenshots of the main
screens go to ``tests/artifacts/e2e/``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.workers import start_worker, worker_queue

__all__ = ["start_worker", "worker_queue"]

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(settings.BASE_DIR) / "tests" / "artifacts" / "e2e"
PASSWORD = "a-long-passphrase-42"


@pytest.fixture(scope="session", autouse=True)
def _orm_beside_playwright() -> Iterator[None]:
    """Playwright's sync API keeps an event loop running in this thread for the rest of the
    session; the tests' own ORM calls are still synchronous, one at a time, so Django's guard
    against ORM use inside a loop does not apply. The e2e tests run last (tests/conftest.py), so
    no other test runs with the guard off."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: `apt-get install -y chromium` (.ci/run does it)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "viewport": {"width": 1280, "height": 720}}


@pytest.fixture(scope="session", autouse=True)
def _built_app() -> None:
    index = Path(settings.FRONTEND_DIST) / "index.html"
    if not index.exists():
        pytest.fail(f"The browser app is not built ({index} is missing): run `make test`, which builds it")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if report.when == "call":
        item.stash[FAILED] = report.failed
    return report


FAILED = pytest.StashKey[bool]()


def content_types_restore() -> None:
    """A test with ``serialized_rollback`` before this one flushes the database without recreating
    the content types (it reloads them in its own set-up), while this process still caches their
    old ids. The audit log (mlaexam/audit.py) writes content type ids, so make them exist again."""
    from django.apps import apps
    from django.contrib.contenttypes.management import create_contenttypes
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    for app_config in apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0)


@pytest.fixture
def app(request: pytest.FixtureRequest, live_server, start_worker, page: Page) -> Iterator[str]:
    """The live server with the shipped bank and a grading worker; yields its URL. A failing
    test leaves a screenshot of where it stopped in tests/artifacts/e2e/failed-<test>.png."""
    content_types_restore()
    call_command("loadbank", verbosity=0)
    start_worker()
    page.set_default_timeout(15_000)
    expect.set_options(timeout=15_000)
    problems: list[str] = []
    watch(page, problems)
    page.context.on("page", lambda other: watch(other, problems))
    yield live_server.url
    if request.node.stash.get(FAILED, False):
        shoot(page, f"failed-{request.node.originalname}", full_page=False)
        print("Browser errors and failed requests:\n  " + "\n  ".join(problems or ["none"]))


def watch(page: Page, problems: list[str]) -> None:
    """Collect what the browser saw go wrong, printed when a test fails."""
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("console", lambda msg: problems.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None)
    page.on("requestfailed", lambda req: problems.append(f"request failed: {req.method} {req.url} {req.failure}"))


def shoot(page: Page, name: str, full_page: bool = True) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def sign_up(page: Page, base_url: str, username: str) -> None:
    page.goto(base_url + "/")
    expect(page).to_have_url(re.compile(r"/signin$"))
    page.get_by_role("link", name="Create an account").click()
    expect(page.get_by_role("heading", name="Create your account")).to_be_visible()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name=re.compile("Prepare for AWS Certified"))).to_be_visible()


def seen_all_but(username: str, keep: list[int]) -> None:
    """Mark every question but ``keep`` as seen by the learner, so a draw serves ``keep`` first
    (unseen questions come first): the form is random, but these questions are sure to be on it."""
    from django.contrib.auth.models import User

    from exams.models import SeenQuestion
    from questions.models import Question

    learner = User.objects.get(username=username)
    now = timezone.now()
    SeenQuestion.objects.bulk_create(
        SeenQuestion(learner=learner, question_id=qid, last_seen_at=now)
        for qid in Question.objects.exclude(id__in=keep).values_list("id", flat=True)
    )


def one_of_each_type(exam: str = "MLA-C01") -> tuple[dict[str, int], list[int]]:
    """A published single question of each type, and the questions of one case study."""
    from questions.models import Question

    published = Question.objects.filter(status="published", task_statement__domain__exam__code=exam).order_by("uid")
    singles = published.filter(case__isnull=True)
    chosen = {
        qtype: singles.filter(type=qtype).values_list("id", flat=True)[0]
        for qtype in ("multiple_choice", "multiple_response", "ordering", "matching")
    }
    case_id = published.filter(case__isnull=False).values_list("case_id", flat=True)[0]
    return chosen, list(published.filter(case_id=case_id).values_list("id", flat=True))


def go_to(page: Page, position: int) -> None:
    page.get_by_role("navigation", name="All questions").get_by_role(
        "button", name=re.compile(rf"^Question {position}, ")
    ).click()
    expect(page.get_by_role("heading", name=re.compile(rf"^Question {position} of "))).to_be_visible()


def answer_with_the_mouse(page: Page, qtype: str) -> None:
    main = page.locator("main")
    if qtype == "multiple_choice":
        main.get_by_role("radio").nth(1).check()
    elif qtype == "multiple_response":
        choose = int(re.search(r"Choose (\d+)", main.locator(".choose").inner_text()).group(1))
        boxes = main.get_by_role("checkbox")
        for i in range(choose):
            boxes.nth(i).check()
        # Choose N stops at N: the remaining boxes cannot be ticked.
        expect(boxes.nth(choose)).to_be_disabled()
    elif qtype == "ordering":
        main.get_by_role("button", name=re.compile(r'^Move ".*" down$')).first.click()
    else:
        selects = main.get_by_role("combobox")
        for i in range(selects.count()):
            selects.nth(i).select_option(index=i + 1)


def saved(page: Page) -> None:
    expect(page.locator(".save-state")).to_have_text("All answers saved")
