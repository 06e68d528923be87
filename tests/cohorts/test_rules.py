"""The pure cohort rules: join codes, assignment status, weekly spread, cohort mastery, CSV cells."""

from datetime import UTC, date, datetime, timedelta

from cohorts import rules

NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)
OPEN, DUE = NOW - timedelta(days=1), NOW + timedelta(days=1)


def status(*statuses: str, now: datetime = NOW) -> str:
    return rules.assignment_status(now=now, opens_at=OPEN, due_at=DUE, attempt_statuses=list(statuses))


def test_assignment_status_from_the_attempts_taken():
    assert status() == "not_started"
    assert status(now=OPEN - timedelta(hours=1)) == "upcoming"
    assert status("in_progress") == "in_progress"
    assert status("expired") == "submitted"
    assert status("submitted", "in_progress") == "submitted"
    assert status("graded", "in_progress") == "graded"
    late = DUE + timedelta(hours=1)
    assert status(now=late) == "overdue"
    assert status("in_progress", now=late) == "overdue"  # nothing handed in by the due date
    assert status("graded", now=late) == "graded"


def test_join_codes_are_unambiguous_and_forgiving():
    codes = {rules.join_code_new() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(c) == 8 and not set(c) & set("01OIL") for c in codes)
    assert rules.join_code_normalise(" abcd-2345 ") == "ABCD2345"
    assert rules.join_code_normalise("--") == ""


def test_weekly_spread_gives_median_and_quartiles_per_week():
    monday = datetime(2026, 11, 23, 9, tzinfo=UTC)
    points = [(monday, 1, 500), (monday + timedelta(days=2), 2, 700), (monday + timedelta(days=6), 1, 900)]
    points += [(monday + timedelta(days=7), 3, 640)]
    first, second = rules.weekly_spread(points)
    assert (first.week, first.attempts, first.learners) == (date(2026, 11, 23), 3, 2)
    assert (first.minimum, first.p25, first.median, first.p75, first.maximum) == (500, 600.0, 700.0, 800.0, 900)
    assert (second.week, second.median, second.p25, second.p75) == (date(2026, 11, 30), 640.0, 640.0, 640.0)
    assert rules.weekly_spread([]) == []


def test_cohort_mastery_weighs_each_learner_once():
    cells = {1: {"2.1": (40, 40)}, 2: {"2.1": (0, 2), "3.1": (1, 2)}, 3: {"3.1": (0, 0)}}
    m = rules.cohort_mastery(cells)
    # learner 1: 41/42, learner 2: 1/4 -> mean 0.613 (pooling the answers would say 40/42 = 0.95)
    assert m["2.1"].mean == round((41 / 42 + 1 / 4) / 2, 3)
    assert (m["2.1"].learners, m["2.1"].correct, m["2.1"].total) == (2, 40, 42)
    assert m["3.1"].learners == 1  # no answers is not evidence
    assert [w.key for w in rules.weakest(m, 1)] == ["3.1"]
    assert rules.weakest(m, 3, min_learners=2) == [m["2.1"]]


def test_csv_cells_that_a_spreadsheet_would_run_are_quoted():
    assert [rules.csv_cell(v) for v in ["=1+1", "+x", "-2", "@SUM(A1)", "\tx", "ada", 5, None]] == [
        "'=1+1", "'+x", "'-2", "'@SUM(A1)", "'\tx", "ada", 5, None,
    ]  # fmt: skip
