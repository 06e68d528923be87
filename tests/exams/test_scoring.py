"""The pure scoring, selection and answer-validation modules."""

import random
from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pytest

from exams.answers import AnswerError, validate_answer
from exams.scoring import ScaleSpec, item_correct, passed, scaled_score, tally
from exams.selection import Candidate, FormShortage, draw_form, draw_practice

SPEC = ScaleSpec(score_min=100, score_max=1000, passing_score=720, pass_fraction=Fraction(72, 100))

# --- item_correct: all or nothing ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("qtype", "answer", "key", "expected"),
    [
        ("multiple_choice", {"selected": ["a"]}, {"selected": ["a"]}, True),
        ("multiple_choice", {"selected": ["b"]}, {"selected": ["a"]}, False),
        ("multiple_choice", None, {"selected": ["a"]}, False),
        ("multiple_response", {"selected": ["b", "a"]}, {"selected": ["a", "b"]}, True),
        ("multiple_response", {"selected": ["a"]}, {"selected": ["a", "b"]}, False),  # no partial credit
        ("multiple_response", {"selected": ["a", "b", "c"]}, {"selected": ["a", "b"]}, False),
        ("multiple_response", {"selected": ["a", "a"]}, {"selected": ["a"]}, False),
        ("ordering", {"order": ["x", "y", "z"]}, {"order": ["x", "y", "z"]}, True),
        ("ordering", {"order": ["x", "z", "y"]}, {"order": ["x", "y", "z"]}, False),
        ("matching", {"matches": {"p1": "a", "p2": "b"}}, {"matches": {"p2": "b", "p1": "a"}}, True),
        ("matching", {"matches": {"p1": "a"}}, {"matches": {"p1": "a", "p2": "b"}}, False),  # every pair
        ("matching", {"matches": {"p1": "b", "p2": "a"}}, {"matches": {"p1": "a", "p2": "b"}}, False),
        ("matching", {}, {"matches": {"p1": "a"}}, False),
    ],
)
def test_item_correct_is_all_or_nothing(qtype, answer, key, expected):
    assert item_correct(qtype, answer, key) is expected


# --- the scaled score ---------------------------------------------------------------------------------


def test_scaled_score_anchors():
    assert scaled_score(0, 65, SPEC) == 100
    assert scaled_score(65, 65, SPEC) == 1000
    assert scaled_score(18, 25, SPEC) == 720  # exactly 72%
    assert scaled_score(36, 50, SPEC) == 720


def test_scaled_score_is_monotonic_and_the_pass_line_is_720():
    for total in (1, 10, 20, 50, 65):
        scores = [scaled_score(c, total, SPEC) for c in range(total + 1)]
        assert scores == sorted(scores)
        for correct, score in enumerate(scores):
            assert 100 <= score <= 1000
            assert (score >= 720) == passed(correct, total, SPEC), (correct, total, score)


def test_a_near_miss_never_shows_720():
    # 46/65 = 70.8% fails: 100 + 620 * 0.7077 / 0.72 = 709.4; 47/65 = 72.3% passes: 720 + 280 * 0.0031 / 0.28 = 723.1
    assert scaled_score(46, 65, SPEC) == 709
    assert not passed(46, 65, SPEC)
    assert scaled_score(47, 65, SPEC) == 723
    assert passed(47, 65, SPEC)


@pytest.mark.parametrize(("correct", "total"), [(-1, 10), (11, 10), (0, 0)])
def test_scaled_score_rejects_impossible_counts(correct, total):
    with pytest.raises(ValueError):
        scaled_score(correct, total, SPEC)


def test_tally_keeps_first_seen_order():
    result = tally([(2, True), (1, False), (2, False), (1, True), (1, True)])
    assert [(k, t.correct, t.total, t.percent) for k, t in result.items()] == [(2, 1, 2, 50.0), (1, 2, 3, 66.7)]


# --- drawing a form -------------------------------------------------------------------------------------


def pool(per_domain, start=0, seen=None):
    seen = seen or {}
    ids = iter(range(start, start + 10_000))
    return [
        Candidate(qid, d, seen_at=seen.get(qid)) for d, n in per_domain.items() for qid in [next(ids) for _ in range(n)]
    ]


def test_draw_form_meets_every_quota_without_repeats():
    candidates = pool({1: 30, 2: 30, 3: 30, 4: 30})
    ids = draw_form(candidates, {1: 18, 2: 17, 3: 14, 4: 16}, random.Random(1))
    assert len(ids) == len(set(ids)) == 65
    domain = {c.id: c.domain for c in candidates}
    assert [sum(1 for i in ids if domain[i] == d) for d in (1, 2, 3, 4)] == [18, 17, 14, 16]


def test_draw_form_keeps_a_case_together_and_in_order():
    case = [Candidate(100 + i, 1, case_id=7, case_order=3 - i) for i in range(3)]  # listed out of order
    for seed in range(20):
        ids = draw_form(pool({1: 10}) + case, {1: 6}, random.Random(seed))
        if 100 in ids:
            start = ids.index(102)
            assert ids[start : start + 3] == [102, 101, 100]  # case_order 1, 2, 3
            break
    else:
        pytest.fail("the case was never drawn")


def test_a_case_that_does_not_fit_is_skipped():
    case = [Candidate(100 + i, 1, case_id=7, case_order=i) for i in range(4)]
    ids = draw_form(case + pool({1: 3}), {1: 3}, random.Random(0))
    assert not set(ids) & {100, 101, 102, 103}


def test_draw_form_prefers_unseen_questions():
    long_ago = datetime(2026, 1, 1, tzinfo=UTC)
    seen = dict.fromkeys(range(10), long_ago)
    candidates = pool({1: 20}, seen=seen)
    for seed in range(10):
        ids = draw_form(candidates, {1: 10}, random.Random(seed))
        assert set(ids) == set(range(10, 20))


def test_final_takes_the_least_recently_seen_after_the_unseen():
    base = datetime(2026, 1, 1, tzinfo=UTC)
    seen = {i: base + timedelta(days=i) for i in range(10)}  # question 0 seen longest ago
    candidates = pool({1: 12}, seen=seen)  # 10 and 11 never seen
    ids = draw_form(candidates, {1: 5}, random.Random(3), oldest_first=True)
    assert set(ids) == {10, 11, 0, 1, 2}


def test_a_short_bank_reports_what_is_missing_per_domain():
    with pytest.raises(FormShortage) as err:
        draw_form(pool({1: 20, 2: 10, 3: 14, 4: 2}), {1: 18, 2: 17, 3: 14, 4: 16}, random.Random(0))
    assert err.value.missing == {2: 7, 4: 14}
    assert err.value.have == {1: 20, 2: 10, 3: 14, 4: 2}


def test_draw_practice_returns_up_to_count_unseen_first():
    seen = {i: datetime(2026, 1, 1, tzinfo=UTC) for i in range(5)}
    candidates = pool({1: 8}, seen=seen)
    ids = draw_practice(candidates, 3, random.Random(0))
    assert len(ids) == 3 and set(ids) <= {5, 6, 7}
    assert len(draw_practice(candidates, 50, random.Random(0))) == 8


# --- validating answers ------------------------------------------------------------------------------------

MC = {"type": "multiple_choice", "options": [{"id": i} for i in "abcd"], "prompts": [], "choose": None}
MR = {"type": "multiple_response", "options": [{"id": i} for i in "abcde"], "prompts": [], "choose": 2}
ORD = {"type": "ordering", "options": [{"id": i} for i in "abc"], "prompts": [], "choose": None}
MAT = {"type": "matching", "options": [{"id": i} for i in "abcd"], "prompts": [{"id": p} for p in ("p", "q", "r")],
       "choose": None}  # fmt: skip


@pytest.mark.parametrize(
    ("content", "answer", "expected"),
    [
        (MC, {"selected": ["b"]}, {"selected": ["b"]}),
        (MC, None, None),
        (MC, {"selected": []}, None),
        (MR, {"selected": ["a"]}, {"selected": ["a"]}),  # partial: kept
        (MR, {"selected": ["a", "e"]}, {"selected": ["a", "e"]}),
        (ORD, {"order": ["c", "a", "b"]}, {"order": ["c", "a", "b"]}),
        (MAT, {"matches": {"p": "a"}}, {"matches": {"p": "a"}}),
        (MAT, {"matches": {}}, None),
    ],
)
def test_valid_answers_are_normalised(content, answer, expected):
    assert validate_answer(content, answer) == expected


@pytest.mark.parametrize(
    ("content", "answer", "message"),
    [
        (MC, "b", "an answer is an object"),
        (MC, {"selected": ["z"]}, "unknown option id(s) ['z']"),
        (MC, {"selected": ["a", "b"]}, "choose exactly one option (got 2)"),
        (MC, {"selected": "a"}, "'selected' must be a list of option ids"),
        (MC, {"selected": [1]}, "must contain option ids (strings)"),
        (MC, {"order": ["a"]}, "takes only 'selected'"),
        (MC, {}, "needs 'selected'"),
        (MR, {"selected": ["a", "b", "c"]}, "choose at most 2 options (got 3)"),
        (MR, {"selected": ["a", "a"]}, "lists the same option more than once"),
        (MR, {"selected": ["a"] * 10_000}, "has 10000 entries"),
        (ORD, {"order": ["a", "b"]}, "must list each of the 3 option ids exactly once"),
        (ORD, {"order": ["a", "b", "z"]}, "must list each of the 3 option ids exactly once"),
        (MAT, {"matches": {"x": "a"}}, "unknown prompt id 'x'"),
        (MAT, {"matches": {"p": "z"}}, "unknown option id 'z' for prompt 'p'"),
        (MAT, {"matches": {"p": "a", "q": "a"}}, "each answer can be matched to one prompt only"),
        (MAT, {"matches": ["a"]}, "'matches' must be an object"),
    ],
)
def test_impossible_answers_are_refused_with_a_message(content, answer, message):
    with pytest.raises(AnswerError) as err:
        validate_answer(content, answer)
    assert message in err.value.message


def test_a_case_is_taken_when_single_questions_alone_cannot_fill_the_domain():
    case = [Candidate(100 + i, 1, case_id=7, case_order=i) for i in range(3)]
    singles = pool({1: 17})  # 17 singles + a case of 3; a domain quota of 18 needs the case
    for seed in range(30):
        ids = draw_form(singles + case, {1: 18}, random.Random(seed))
        assert {100, 101, 102} <= set(ids) and len(ids) == 18
