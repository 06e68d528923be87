"""Cohort logic that needs no database (pure): join codes, assignment status, score spread over
time, the cohort's weakest task statements, and CSV cells that a spreadsheet will not execute."""

from __future__ import annotations

import secrets
import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

# No 0/O, 1/I/L: a code read aloud in class or copied from a slide is typed right.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def join_code_new() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def join_code_normalise(text: str) -> str:
    """What a learner types ("abcd-2345 ", "ABCD 2345") as the stored code ("ABCD2345")."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


# --- Assignment status for one learner ------------------------------------------------------------

UPCOMING, NOT_STARTED, IN_PROGRESS, SUBMITTED, GRADED, OVERDUE = (
    "upcoming",
    "not_started",
    "in_progress",
    "submitted",
    "graded",
    "overdue",
)
DONE = {"submitted", "expired", "graded"}


def assignment_status(*, now: datetime, opens_at: datetime, due_at: datetime, attempt_statuses: list[str]) -> str:
    """The learner's status on an assignment from the statuses of the attempts taken for it.

    Graded beats submitted beats in progress; with nothing handed in, an assignment past its due
    date is overdue (even with an attempt still open); before it opens it is upcoming."""
    statuses = set(attempt_statuses)
    if "graded" in statuses:
        return GRADED
    if statuses & {"submitted", "expired"}:
        return SUBMITTED
    if now > due_at:
        return OVERDUE
    if "in_progress" in statuses:
        return IN_PROGRESS
    if now < opens_at:
        return UPCOMING
    return NOT_STARTED


# --- Scores over time -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spread:
    week: date  # the Monday that starts the week (UTC)
    attempts: int
    learners: int
    minimum: int
    p25: float
    median: float
    p75: float
    maximum: int


def week_of(moment: datetime) -> date:
    day = moment.date()
    return day - timedelta(days=day.weekday())


def weekly_spread(points: list[tuple[datetime, int, int]]) -> list[Spread]:
    """(graded_at, learner id, scaled score) points -> the median and spread per week, oldest first."""
    weeks: dict[date, list[tuple[int, int]]] = defaultdict(list)
    for moment, learner, score in points:
        weeks[week_of(moment)].append((learner, score))
    spreads = []
    for week in sorted(weeks):
        scores = sorted(score for _, score in weeks[week])
        if len(scores) > 1:
            p25, median, p75 = statistics.quantiles(scores, n=4, method="inclusive")
        else:
            p25 = median = p75 = float(scores[0])
        spreads.append(
            Spread(
                week=week,
                attempts=len(scores),
                learners=len({learner for learner, _ in weeks[week]}),
                minimum=scores[0],
                p25=round(p25, 1),
                median=round(median, 1),
                p75=round(p75, 1),
                maximum=scores[-1],
            )
        )
    return spreads


# --- The cohort's weakest task statements --------------------------------------------------------------


@dataclass(frozen=True)
class CohortMastery:
    key: str
    mean: float  # mean of the learners' mastery, each learner counting once
    learners: int  # learners with answers here
    correct: int
    total: int


def cohort_mastery(cells: dict[int, dict[str, tuple[int, int]]]) -> dict[str, CohortMastery]:
    """Per key, the mean over learners of (correct + 1) / (total + 2), from each learner's pooled
    recent answers, so one very active learner does not stand for the whole cohort."""
    values: dict[str, list[float]] = defaultdict(list)
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for per_key in cells.values():
        for key, (correct, total) in per_key.items():
            if total:
                values[key].append((correct + 1) / (total + 2))
                sums[key][0] += correct
                sums[key][1] += total
    return {
        key: CohortMastery(key, round(sum(v) / len(v), 3), len(v), sums[key][0], sums[key][1])
        for key, v in values.items()
    }


def weakest(masteries: dict[str, CohortMastery], how_many: int = 3, min_learners: int = 1) -> list[CohortMastery]:
    eligible = [m for m in masteries.values() if m.learners >= min_learners]
    return sorted(eligible, key=lambda m: (m.mean, -m.learners, m.key))[:how_many]


# --- CSV -----------------------------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A value for a CSV cell; text that a spreadsheet would run as a formula is quoted with '."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
