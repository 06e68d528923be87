"""An instructor and a learner in two browsers: the instructor creates a cohort and an assignment,
the learner joins by the code's link and takes the assigned exam, and the instructor sees the
learner's score and heatmap row."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import Browser, Page, expect

from exams.models import Attempt, AttemptItem
from tests.e2e.conftest import PASSWORD, answer_with_the_mouse, go_to, saved, shoot, sign_up, watch

pytestmark = pytest.mark.e2e


def sign_in(page: Page, base_url: str, username: str) -> None:
    page.goto(base_url + "/signin")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=re.compile("Prepare for AWS Certified"))).to_be_visible()


def test_an_instructor_assigns_a_mock_and_sees_the_learner_in_the_dashboard(
    app: str, page: Page, browser: Browser, browser_context_args: dict
):
    teacher = User.objects.create_user("teacher", password=PASSWORD)
    # get_or_create: a transactional test before this one flushed the groups the migrations made
    teacher.groups.add(Group.objects.get_or_create(name="Instructors")[0])

    # The instructor creates a cohort and a full mock assignment.
    sign_in(page, app, "teacher")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cohorts").click()
    page.get_by_label("New cohort name").fill("Evening class")
    page.get_by_role("button", name="Create cohort").click()
    expect(page.get_by_role("heading", name=re.compile("^Evening class"))).to_be_visible()
    code = page.locator(".join-code").inner_text()
    link = page.get_by_label("Join link").input_value()
    assert link.endswith(f"/join/{code}")
    page.get_by_label("Title").fill("Week 1 mock")
    page.get_by_label("What").select_option("full")
    page.get_by_label("Attempts allowed").fill("2")
    page.get_by_role("button", name="Assign").click()
    expect(page.locator(".assignment").filter(has_text="Week 1 mock")).to_contain_text("0 graded")
    shoot(page, "20-cohort-instructor-empty")

    # The learner, in a browser of their own, follows the join link and takes the exam.
    learner_context = browser.new_context(**browser_context_args)
    learner = learner_context.new_page()
    learner_problems: list[str] = []
    watch(learner, learner_problems)
    try:
        learner.set_default_timeout(15_000)
        sign_up(learner, app, "student")
        learner.goto(link)
        expect(learner.get_by_role("status").filter(has_text="Welcome to Evening class.")).to_be_visible()
        assignment = learner.locator(".assignment").filter(has_text="Week 1 mock")
        expect(assignment).to_contain_text("Not started")
        expect(assignment).to_contain_text("2 attempts left")
        shoot(learner, "21-cohort-member")
        assignment.get_by_role("button", name=re.compile("^Start")).click()
        expect(learner.get_by_role("heading", name="Question 1 of 65")).to_be_visible()
        attempt = Attempt.objects.get(learner__username="student")
        for position in (1, 2, 3):
            go_to(learner, position)
            qtype = AttemptItem.objects.get(attempt=attempt, position=position).version.question.type
            answer_with_the_mouse(learner, qtype)
            saved(learner)
        learner.get_by_role("button", name="Review all and submit").click()
        learner.get_by_role("button", name="Submit exam").click()
        learner.get_by_role("button", name="Yes, submit").click()
        expect(learner.locator(".score .big")).to_be_visible(timeout=60_000)
        attempt.refresh_from_db()
        score = attempt.result.scaled_score
        learner.get_by_role("navigation", name="Main").get_by_role("link", name="Home").click()
        mine = learner.locator(".assignment").filter(has_text="Week 1 mock")
        expect(mine).to_contain_text("Graded")
        expect(mine).to_contain_text(f"Result: {score}")

        # The instructor sees the score, the heatmap row and the drill-down.
        page.reload()
        row = page.locator("table.roster tr").filter(has_text="student")
        expect(row).to_contain_text(f"{score} fail" if not attempt.result.passed else f"{score} pass")
        expect(row.locator("td").nth(4)).to_have_text("1 / 1")
        heat = page.locator("table.heatmap tr").filter(has_text="student")
        expect(heat.locator("td.heat")).to_have_count(4)
        for cell in heat.locator("td.heat").all():
            expect(cell).to_have_text(re.compile(r"^(\d+%|—)$"))
        assert any(c.inner_text().endswith("%") for c in heat.locator("td.heat").all())
        expect(page.locator(".assignment").filter(has_text="Week 1 mock")).to_contain_text("1 graded")
        shoot(page, "22-cohort-dashboard")
        page.get_by_role("button", name="Domain 1").click()
        expect(page.locator("table.heatmap caption")).to_contain_text("Mastery by task statement: domain 1")
        expect(page.locator("table.heatmap thead th")).to_have_text(["Learner", "1.1", "1.2", "1.3"])
        shoot(page, "23-cohort-drilldown", full_page=False)
        with page.expect_download() as download:
            page.get_by_role("link", name="Download the roster as CSV").click()
        csv_text = Path(download.value.path()).read_text(encoding="utf-8")
        assert "student" in csv_text and str(score) in csv_text
        learner_context.close()
    except BaseException:
        shoot(learner, "failed-cohort-learner", full_page=False)
        print("The learner's browser errors and failed requests:\n  " + "\n  ".join(learner_problems or ["none"]))
        raise
