"""Readiness, mastery and the spaced-review schedule on constructed histories (pure)."""

from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pytest

from analytics.readiness import readiness
from exams.mastery import Mastery, pool, weakest
from exams.review import ReviewState, after_answer
from exams.scoring import ScaleSpec

SPEC = ScaleSpec(100, 1000, 720, Fraction(72, 100))


def test_no_full_length_result_gives_no_estimate():
    assert readiness([], SPEC) is None


def test_a_strong_steady_learner_is_predicted_to_pass():
    r = readiness([(58, 65), (57, 65), (59, 65)], SPEC)
    assert r.based_on == 3
    assert r.correct_rate == pytest.approx((1 + 58 + 0.7 * 57 + 0.49 * 59) / (2 + 65 * 2.19), abs=1e-3)
    assert r.predicted_score >= 850
    assert r.low < r.predicted_score < r.high
    assert r.pass_probability > 0.99


def test_a_learner_at_the_line_has_about_even_odds_and_a_wide_band():
    r = readiness([(47, 65)], SPEC)  # 72.3%
    assert 0.4 < r.pass_probability < 0.65
    assert r.low < 720 < r.high
    assert r.high - r.low > 100  # one mock says little


def test_more_mocks_narrow_the_band():
    one = readiness([(45, 65)], SPEC)
    five = readiness([(45, 65)] * 5, SPEC)
    assert five.high - five.low < one.high - one.low


def test_recent_results_weigh_more():
    improving = readiness([(60, 65), (30, 65), (30, 65)], SPEC)  # most recent first
    declining = readiness([(30, 65), (30, 65), (60, 65)], SPEC)
    assert improving.predicted_score > declining.predicted_score
    assert improving.pass_probability > declining.pass_probability


def test_only_the_five_most_recent_count():
    assert readiness([(60, 65)] * 5 + [(0, 65)] * 10, SPEC) == readiness([(60, 65)] * 5, SPEC)


def test_mastery_is_smoothed_and_pooled_per_key():
    rows = [(("task", "1.1"), "Ingest", 2, 2), (("task", "1.1"), "Ingest", 1, 3), (("domain", "1"), "Data", 3, 5)]
    by_key = {group: Mastery(*group, *pooled) for group, pooled in pool(rows).items()}
    assert (by_key[("task", "1.1")].correct, by_key[("task", "1.1")].total, by_key[("task", "1.1")].attempts) == (
        3,
        5,
        2,
    )
    assert by_key[("task", "1.1")].value == pytest.approx(4 / 7)
    assert Mastery("task", "x", "x", 2, 2, 1).value == pytest.approx(0.75)  # not 100% on two answers
    assert Mastery("task", "x", "x", 0, 0, 0).value == 0.5


def test_weakest_prefers_low_mastery_then_more_evidence():
    rows = [
        Mastery("task", "1.1", "", 1, 10, 2),
        Mastery("task", "2.1", "", 0, 1, 1),
        Mastery("task", "3.1", "", 9, 10, 2),
        Mastery("task", "4.1", "", 2, 20, 3),
    ]
    assert [m.key for m in weakest(rows, 3)] == ["4.1", "1.1", "2.1"]


T0 = datetime(2026, 11, 1, tzinfo=UTC)


def test_a_miss_comes_back_after_a_day_and_climbs_the_boxes_when_answered_right():
    s = after_answer(ReviewState(), correct=False, at=T0)
    assert (s.misses, s.streak, s.due_at) == (1, 0, T0 + timedelta(days=1))
    s = after_answer(s, correct=True, at=T0 + timedelta(days=2))
    assert s.due_at == T0 + timedelta(days=5)  # 3 days after the right answer
    s = after_answer(s, correct=True, at=T0 + timedelta(days=6))
    assert s.due_at == T0 + timedelta(days=13)  # 7 days
    s = after_answer(s, correct=True, at=T0 + timedelta(days=14))
    assert s.due_at == T0 + timedelta(days=35)  # 21 days
    s = after_answer(s, correct=True, at=T0 + timedelta(days=36))
    assert s.due_at is None and s.streak == 4  # retired from review
    s = after_answer(s, correct=False, at=T0 + timedelta(days=40))
    assert (s.misses, s.streak, s.due_at) == (2, 0, T0 + timedelta(days=41))  # starts over


def test_a_question_never_missed_is_never_in_review():
    s = after_answer(ReviewState(), correct=True, at=T0)
    assert s.due_at is None and s.misses == 0
