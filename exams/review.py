"""Spaced review of missed questions (pure, no ORM): a small Leitner scheme.

A question the learner gets wrong (or leaves unanswered) is due again 1 day after that attempt was
graded. Each later correct answer moves it to the next box: due 3, 7, then 21 days after that
answer; a fourth correct answer in a row retires it from review. Another miss starts over at 1 day.
Weak-area practice serves due questions first (most overdue first), so a question missed recently
comes back after an interval instead of immediately, and a question mastered stops coming back.
Questions never missed are never in review. The streak is counted up to 4 (where a question
retires), so once a question is retired, or was never missed and got four right, another right
answer changes nothing and grading need not write its row.

Grading applies a batch's answers to a (learner, question) at once: ``run_of`` sums them up
(``Run``), and ``after_run`` gives the state they lead to - the same as ``after_answer`` one answer
at a time (tested), but in a shape PostgreSQL can apply to the stored row in one upsert
(exams.services.grading): the state a run leads to from no history, plus how to combine it with
the stored state (``combine``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

INTERVALS = (timedelta(days=1), timedelta(days=3), timedelta(days=7), timedelta(days=21))
RETIRED = len(INTERVALS)  # a streak this long retires a question; streaks are not counted further


@dataclass(frozen=True)
class ReviewState:
    misses: int = 0
    streak: int = 0
    last_correct: bool | None = None
    due_at: datetime | None = None


def after_answer(state: ReviewState, *, correct: bool, at: datetime) -> ReviewState:
    if not correct:
        return ReviewState(misses=state.misses + 1, streak=0, last_correct=False, due_at=at + INTERVALS[0])
    streak = min(state.streak + 1, RETIRED)
    if state.misses == 0 or streak >= RETIRED:
        return ReviewState(misses=state.misses, streak=streak, last_correct=True, due_at=None)
    return ReviewState(misses=state.misses, streak=streak, last_correct=True, due_at=at + INTERVALS[streak])


@dataclass(frozen=True)
class Run:
    """Answers to one question in order, summed up: how many were wrong, and how many right ones
    came after the last wrong one (all of them when none was wrong), counted up to RETIRED."""

    misses: int = 0
    trailing: int = 0


def run_of(answers: list[bool]) -> Run:
    misses = trailing = 0
    for correct in answers:
        if correct:
            trailing = min(trailing + 1, RETIRED)
        else:
            misses, trailing = misses + 1, 0
    return Run(misses, trailing)


def after_run(state: ReviewState, run: Run, *, at: datetime) -> ReviewState:
    """The state after answering the run (at least one answer), all at ``at``."""
    return combine(state, after_run_fresh(run, at=at), at=at)


def after_run_fresh(run: Run, *, at: datetime) -> ReviewState:
    """The state a run leads to for a question with no review history."""
    if run.misses:
        return ReviewState(misses=run.misses, streak=run.trailing, last_correct=run.trailing > 0,
                           due_at=_due(run.trailing, at))  # fmt: skip
    return ReviewState(misses=0, streak=run.trailing, last_correct=True, due_at=None)


def combine(stored: ReviewState, fresh: ReviewState, *, at: datetime) -> ReviewState:
    """The stored state moved along by a run whose state from no history is ``fresh``. Mirrored in
    SQL by exams.services.grading (keep the two in step; tests compare them)."""
    if fresh.misses:  # a miss in the run: what came before it only adds to the misses
        return ReviewState(stored.misses + fresh.misses, fresh.streak, fresh.last_correct, fresh.due_at)
    streak = min(stored.streak + fresh.streak, RETIRED)
    due = None if stored.misses == 0 else _due(streak, at)
    return ReviewState(stored.misses, streak, True, due)


def _due(streak: int, at: datetime) -> datetime | None:
    return None if streak >= RETIRED else at + INTERVALS[streak]
