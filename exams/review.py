"""Spaced review of missed questions (pure, no ORM): a small Leitner scheme.

A question the learner gets wrong (or leaves unanswered) is due again 1 day after that attempt was
graded. Each later correct answer moves it to the next box: due 3, 7, then 21 days after that
answer; a fourth correct answer in a row retires it from review. Another miss starts over at 1 day.
Weak-area practice serves due questions first (most overdue first), so a question missed recently
comes back after an interval instead of immediately, and a question mastered stops coming back.
Questions never missed are never in review.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

INTERVALS = (timedelta(days=1), timedelta(days=3), timedelta(days=7), timedelta(days=21))


@dataclass(frozen=True)
class ReviewState:
    misses: int = 0
    streak: int = 0
    last_correct: bool | None = None
    due_at: datetime | None = None


def after_answer(state: ReviewState, *, correct: bool, at: datetime) -> ReviewState:
    if not correct:
        return ReviewState(misses=state.misses + 1, streak=0, last_correct=False, due_at=at + INTERVALS[0])
    streak = state.streak + 1
    if state.misses == 0 or streak >= len(INTERVALS):
        return ReviewState(misses=state.misses, streak=streak, last_correct=True, due_at=None)
    return ReviewState(misses=state.misses, streak=streak, last_correct=True, due_at=at + INTERVALS[streak])
