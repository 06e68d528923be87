"""A learner in a real browser: sign up, take a full mock, lose the connection, submit, read the
result; practise with immediate feedback; answer every question type by keyboard alone."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from exams.models import Attempt, AttemptItem
from tests.e2e.conftest import (
    PASSWORD,
    answer_with_the_mouse,
    go_to,
    one_of_each_type,
    saved,
    seen_all_but,
    shoot,
    sign_up,
)

pytestmark = pytest.mark.e2e

ITEM_SAVE = re.compile(r"/api/attempts/[^/]+/items/\d+/$")


def start_full_mock(page: Page, username: str) -> tuple[Attempt, dict[str, int], list[int]]:
    """Start a full mock from Home; return the attempt, the position of one question of each type
    and the positions of one case study's questions."""
    chosen, case = one_of_each_type()
    seen_all_but(username, [*chosen.values(), *case])
    page.get_by_role("button", name="Start a full mock exam").click()
    expect(page.get_by_role("heading", name="Question 1 of 65")).to_be_visible()
    attempt = Attempt.objects.get(learner__username=username, mode="full")
    at = dict(AttemptItem.objects.filter(attempt=attempt).values_list("question_id", "position"))
    return attempt, {qtype: at[qid] for qtype, qid in chosen.items()}, sorted(at[qid] for qid in case)


def stored(attempt: Attempt, position: int) -> AttemptItem:
    return AttemptItem.objects.get(attempt=attempt, position=position)


def remaining_on_screen(page: Page) -> int:
    text = re.search(r"[\d:]+$", page.get_by_role("timer").inner_text().strip()).group(0)
    parts = [int(p) for p in text.split(":")]
    while len(parts) < 3:
        parts.insert(0, 0)
    return parts[0] * 3600 + parts[1] * 60 + parts[2]


def test_a_new_learner_takes_a_full_mock_and_reads_the_result(app: str, page: Page, context: BrowserContext):
    sign_up(page, app, "newcomer")
    shoot(page, "01-home")
    attempt, positions, case = start_full_mock(page, "newcomer")
    expect(page.get_by_role("timer")).to_have_accessible_name(re.compile(r"^2 hours( 9| 10)? minutes? left$"))

    # Every type, answered with the mouse; each answer reaches the server.
    for qtype in ("multiple_choice", "multiple_response", "ordering", "matching"):
        go_to(page, positions[qtype])
        answer_with_the_mouse(page, qtype)
        saved(page)
        shoot(page, f"02-exam-{qtype}", full_page=False)
        assert stored(attempt, positions[qtype]).answer is not None, qtype
    assert stored(attempt, positions["multiple_response"]).answer["selected"].__len__() >= 2
    go_to(page, positions["ordering"])
    page.get_by_role("button", name="⚐ Flag for review").click()
    saved(page)
    assert stored(attempt, positions["ordering"]).flagged

    # A case study's scenario is shown beside its questions.
    go_to(page, case[0])
    expect(page.get_by_role("complementary", name="Case study")).to_contain_text("Case study:")
    shoot(page, "03-exam-case-study", full_page=False)

    # A reload keeps answers, flags and time.
    before = remaining_on_screen(page)
    answers_before = {p: stored(attempt, p).answer for p in positions.values()}
    page.reload()
    expect(page.get_by_role("heading", name=f"Question {case[0]} of 65")).to_be_visible()
    after = remaining_on_screen(page)
    assert before - 15 <= after <= before, (before, after)
    palette = page.get_by_role("navigation", name="All questions")
    for qtype, position in positions.items():
        state = "answered, flagged" if qtype == "ordering" else "answered"
        expect(palette.get_by_role("button", name=f"Question {position}, {state}", exact=True)).to_be_visible()
    go_to(page, positions["multiple_choice"])
    expected = answers_before[positions["multiple_choice"]]["selected"][0]
    expect(page.locator(f"main input[type=radio][value='{expected}']")).to_be_checked()
    go_to(page, positions["ordering"])
    expect(page.get_by_role("button", name="⚑ Flagged for review")).to_have_attribute("aria-pressed", "true")

    # Offline: the answer stays in the browser, and reaches the server when the connection returns.
    go_to(page, case[0])
    context.set_offline(True)
    answer_with_the_mouse(page, stored(attempt, case[0]).version.question.type)
    expect(page.locator(".save-state")).to_contain_text("Offline")
    assert stored(attempt, case[0]).answer is None
    shoot(page, "04-exam-offline", full_page=False)
    context.set_offline(False)
    saved(page)
    assert stored(attempt, case[0]).answer is not None

    # A save that never got through survives a reload too: it is queued in the browser.
    target = case[1]
    page.route(ITEM_SAVE, lambda route: route.abort() if route.request.method == "PUT" else route.fallback())
    go_to(page, target)
    answer_with_the_mouse(page, stored(attempt, target).version.question.type)
    expect(page.locator(".save-state")).to_contain_text("Offline")
    page.unroute(ITEM_SAVE)
    page.reload()
    saved(page)
    assert stored(attempt, target).answer is not None

    # Review, confirm, submit; the worker grades; the result explains every question.
    page.get_by_role("button", name="Review all and submit").click()
    expect(page.get_by_role("heading", name="Review before you submit")).to_be_visible()
    expect(page.get_by_text("6 of 65 questions answered; 1 flagged for review.")).to_be_visible()
    expect(page.get_by_role("heading", name="Unanswered or incomplete (59)")).to_be_visible()
    shoot(page, "05-review")
    page.get_by_role("button", name="Submit exam").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("59 question(s) are unanswered or incomplete")
    dialog.get_by_role("button", name="Yes, submit").click()
    expect(page).to_have_url(re.compile(rf"/attempts/{attempt.id}/result$"))
    score = page.locator(".score .big")
    expect(score).to_be_visible(timeout=60_000)
    attempt.refresh_from_db()
    assert attempt.status == "graded"
    expect(score).to_have_text(str(attempt.result.scaled_score))
    expect(page.locator(".score-card .verdict")).to_have_text(
        f"{'Pass' if attempt.result.passed else 'Fail'}: the pass mark is 720."
    )
    chart = page.locator(".result .chart")
    for domain in (1, 2, 3, 4):  # one bar per domain
        expect(chart.locator("svg text", has_text=f"Domain {domain}")).to_be_visible()
    expect(page.locator(".review-items > li")).to_have_count(65)
    first = page.locator(".review-items > li").first
    expect(first.locator(".explanations > li").first).to_be_visible()
    expect(first.get_by_text("The answer:")).to_be_visible()
    expect(page.locator(".references a").first).to_have_attribute("href", re.compile(r"^https://"))
    shoot(page, "06-result", full_page=False)
    first.scroll_into_view_if_needed()
    shoot(page, "06-result-question", full_page=False)
    wrong = 65 - attempt.result.correct
    page.get_by_role("button", name=f"Wrong ({wrong})").click()
    expect(page.locator(".review-items > li")).to_have_count(wrong)
    page.get_by_role("button", name="Flagged (1)").click()
    expect(page.locator(".review-items > li")).to_have_count(1)

    # Progress: the score over time against the 720 line.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Progress").click()
    expect(page.get_by_role("heading", name="Scores over time")).to_be_visible()
    line = page.locator(".chart svg")
    expect(line).to_be_visible()
    expect(line.locator("text", has_text="pass 720")).to_be_visible()
    shoot(page, "07-progress")

    # "Practise these": a practice set of the wrong ones, with immediate feedback.
    page.go_back()
    page.get_by_role("button", name="Practise these (the wrong ones)").click()
    expect(page.get_by_role("heading", name="Practice set · MLA-C01")).to_be_visible()
    retry = Attempt.objects.get(learner__username="newcomer", mode="practice")
    assert retry.feedback == "immediate"
    assert retry.question_count == min(wrong, 65)


def test_a_practice_set_gives_immediate_feedback(app: str, page: Page):
    sign_up(page, app, "practiser")
    page.get_by_label("Questions", exact=True).fill("3")
    page.get_by_label("Feedback").select_option("immediate")
    page.get_by_label("Question types").select_option("multiple_choice")
    page.get_by_role("button", name="Start practice set").click()
    expect(page.get_by_role("heading", name="Question 1 of 3")).to_be_visible()
    attempt = Attempt.objects.get(learner__username="practiser")
    assert (attempt.mode, attempt.feedback, attempt.question_count) == ("practice", "immediate", 3)

    check = page.get_by_role("button", name="Check answer")
    expect(check).to_be_disabled()  # nothing to check yet
    page.locator("main").get_by_role("radio").first.check()
    saved(page)
    check.click()
    feedback = page.get_by_role("region", name="Feedback")
    expect(feedback.locator(".verdict")).to_have_text(re.compile(r"^(Correct|Not correct)\.$"))
    options = page.locator("main fieldset").get_by_role("radio")
    expect(feedback.locator(".explanations > li")).to_have_count(options.count())
    expect(feedback.locator(".key-tag")).to_have_count(1)
    for i in range(options.count()):
        expect(options.nth(i)).to_be_disabled()  # locked: the answer is final
    item = stored(attempt, 1)
    assert item.locked_at is not None
    assert item.is_correct == (feedback.locator(".verdict").inner_text() == "Correct.")
    shoot(page, "08-practice-feedback")


def tab_to(page: Page, selector: str, limit: int = 120) -> None:
    """Press Tab until the focused element matches ``selector``: the keyboard path, step by step."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement?.matches(s) ?? false", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def focus_is_visible(page: Page) -> bool:
    return page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement); "
        "return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0; }"
    )


def test_every_question_type_by_keyboard_alone(app: str, page: Page):
    sign_up(page, app, "keyboarder")
    attempt, positions, _ = start_full_mock(page, "keyboarder")

    def open_question(position: int) -> None:
        tab_to(page, f'.palette button[aria-label^="Question {position},"]')
        assert focus_is_visible(page)
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name=f"Question {position} of 65")).to_be_focused()

    # Multiple choice: arrow keys move through the radio group.
    open_question(positions["multiple_choice"])
    tab_to(page, "main input[type=radio]")
    page.keyboard.press("ArrowDown")
    second = page.locator("main input[type=radio]").nth(1)
    expect(second).to_be_checked()
    saved(page)
    assert stored(attempt, positions["multiple_choice"]).answer == {"selected": [second.get_attribute("value")]}

    # Multiple response: Space ticks the focused box.
    open_question(positions["multiple_response"])
    tab_to(page, "main input[type=checkbox]")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    saved(page)
    assert len(stored(attempt, positions["multiple_response"]).answer["selected"]) == 2

    # Ordering: dnd-kit's keyboard drag (Space, arrow, Space) moves the first step down one place.
    open_question(positions["ordering"])
    rows = page.locator("main .order-text")
    first, second = rows.nth(0).inner_text(), rows.nth(1).inner_text()
    tab_to(page, "main .order-row .handle")
    handle = page.locator("main .order-row .handle").first
    announced = page.locator("[id^=DndLiveRegion]")  # what a screen reader hears
    page.keyboard.press("Space")  # pick up
    expect(handle).to_have_attribute("aria-pressed", "true")
    expect(announced).to_contain_text(f"step 1 of {rows.count()}")
    page.keyboard.press("ArrowDown")  # move over the next step
    expect(announced).to_have_text(f'"{first}" is over step 2 of {rows.count()}.')
    page.keyboard.press("Space")  # drop
    expect(announced).to_have_text(f'"{first}" dropped at step 2 of {rows.count()}.')
    expect(rows.nth(0)).to_have_text(second)
    expect(rows.nth(1)).to_have_text(first)
    saved(page)
    order = stored(attempt, positions["ordering"]).answer["order"]
    assert len(order) == rows.count()

    # Matching: each select takes an answer from the keyboard.
    open_question(positions["matching"])
    prompts = page.locator("main select").count()
    tab_to(page, "main select")
    for i in range(prompts):
        page.keyboard.press("ArrowDown")
        if i < prompts - 1:
            page.keyboard.press("Tab")
    saved(page)
    assert len(stored(attempt, positions["matching"]).answer["matches"]) == prompts

    # Flag, then review and submit, all by keyboard.
    tab_to(page, "main button[aria-pressed]")
    page.keyboard.press("Enter")
    saved(page)
    assert stored(attempt, positions["matching"]).flagged
    tab_to(page, ".exam-side > button")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Review before you submit")).to_be_focused()
    tab_to(page, "main .review button.primary")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Yes, submit")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".score .big")).to_be_visible(timeout=60_000)


def test_the_clock_warns_and_ends_the_exam_at_zero(app: str, page: Page):
    sign_up(page, app, "latecomer")
    attempt, positions, _ = start_full_mock(page, "latecomer")
    go_to(page, positions["multiple_choice"])
    answer_with_the_mouse(page, "multiple_choice")
    saved(page)

    # The server's clock is the clock: with 10 minutes and 2 seconds left, a reload warns in 2 s.
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + timedelta(seconds=602))
    page.reload()
    expect(page.get_by_role("alert").filter(has_text="10 minutes left.")).to_be_visible(timeout=10_000)
    shoot(page, "09-exam-warning", full_page=False)

    # Regaining focus re-syncs the clock: 4 seconds left, then time is up.
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + timedelta(seconds=4))
    page.evaluate("() => window.dispatchEvent(new Event('focus'))")
    expect(page.get_by_role("alert").filter(has_text="5 minutes left.")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/attempts/{attempt.id}/result$"), timeout=20_000)
    expect(page.locator(".score .big")).to_be_visible(timeout=60_000)
    attempt.refresh_from_db()
    assert attempt.status == "graded"
    assert attempt.result.correct in (0, 1)  # the one answer counted


def test_the_exam_room_fits_a_phone(app: str, page: Page):
    sign_up(page, app, "commuter")
    page.set_viewport_size({"width": 390, "height": 844})
    _, positions, case = start_full_mock(page, "commuter")
    for position in (positions["matching"], case[0]):
        go_to(page, position)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"question {position} scrolls sideways by {overflow}px at phone width"
    shoot(page, "10-exam-phone")


def test_sign_out_and_back_in(app: str, page: Page):
    sign_up(page, app, "returner")
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/signin$"))
    page.get_by_label("Username").fill("returner")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text(re.compile(r"\S"))
    expect(page).to_have_url(re.compile(r"/signin$"))
    shoot(page, "00-sign-in-error", full_page=False)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=re.compile("Prepare for AWS Certified"))).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("returner")
