"""Scoring, as pure functions (no ORM), per the exam guide (EXAM.md).

* Every question is credited all-or-nothing: multiple choice when the one key is selected;
  multiple response when exactly the keys are selected; ordering when every item is in its
  position; matching when every prompt has its answer. Unanswered is wrong; no penalty for guessing.
* The scaled score maps the fraction correct ``f`` onto the exam's range (100-1000) with a
  piecewise-linear, monotonic mapping whose knee is the pass line. The exam publishes only the
  scaled pass mark (720); the raw fraction it corresponds to is our assumption, kept in the
  blueprint file as ``pass_fraction`` (0.72 for MLA-C01, the commonly reported cut):

      f <= p:  score = min + (pass - min) * f / p          (rounded down)
      f >= p:  score = pass + (max - pass) * (f - p) / (1 - p)  (rounded down)

  so 0% -> 100, p -> 720, 100% -> 1000; a learner passes exactly when f >= p, and any f < p
  scores 719 or less. Rounding down keeps a near miss from showing 720. A mock counts all its
  questions: AWS's 15 unscored questions are not identified, so no mock can leave them out.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache


def item_correct(qtype: str, answer: dict | None, key: dict) -> bool:
    """``key`` is the correct answer in the shape of an answer (see exams.snapshot.key)."""
    if not answer:
        return False
    if qtype in ("multiple_choice", "multiple_response"):
        selected = answer.get("selected") or []
        return len(selected) == len(set(selected)) and set(selected) == set(key["selected"])
    if qtype == "ordering":
        return list(answer.get("order") or []) == list(key["order"])
    if qtype == "matching":
        return dict(answer.get("matches") or {}) == dict(key["matches"])
    raise ValueError(f"unknown question type {qtype!r}")


@dataclass(frozen=True)
class ScaleSpec:
    score_min: int
    score_max: int
    passing_score: int
    pass_fraction: Fraction


def passed(correct: int, total: int, spec: ScaleSpec) -> bool:
    return total > 0 and Fraction(correct, total) >= spec.pass_fraction


@lru_cache(maxsize=8192)  # pure, and called with few distinct arguments (a dashboard: 1,500 calls a request)
def scaled_score(correct: int, total: int, spec: ScaleSpec) -> int:
    if total <= 0 or not 0 <= correct <= total:
        raise ValueError("need 0 <= correct <= total and total > 0")
    f, p = Fraction(correct, total), spec.pass_fraction
    if f < p:
        return math.floor(spec.score_min + (spec.passing_score - spec.score_min) * f / p)
    if p == 1:
        return spec.score_max
    return math.floor(spec.passing_score + (spec.score_max - spec.passing_score) * (f - p) / (1 - p))


@dataclass
class Tally:
    correct: int = 0
    total: int = 0

    @property
    def percent(self) -> float:
        return round(100 * self.correct / self.total, 1) if self.total else 0.0


def tally(marks: Iterable[tuple[object, bool]]) -> dict[object, Tally]:
    """Correct/total per group from (group, correct) pairs, groups in first-seen order."""
    result: dict[object, Tally] = {}
    for group, correct in marks:
        t = result.setdefault(group, Tally())
        t.total += 1
        t.correct += int(correct)
    return result
