"""Readiness: how a learner would score on the real exam now (pure, no ORM).

Method. Take the learner's most recent full-length results (full mocks and finals, at most
``RECENT``), weight them by recency (the latest 1, the one before 0.7, then 0.49, ...), and pool
them: ``c`` weighted correct of ``n`` weighted questions. The learner's chance of answering a
question right is then Beta(1 + c, 1 + n - c) (a uniform prior updated by those answers). The score
on a new 65-question form follows the Beta-binomial distribution; from it come

* the predicted scaled score (of the expected number correct),
* an 80% band (the scaled scores of its 10th and 90th percentiles),
* the probability of passing (of reaching the pass fraction, 720).

Assumptions, said plainly: the mock questions are as hard as AWS's (they are written to the same
blueprint, not calibrated against it); the learner's knowledge is stable over the recent mocks
(recency weighting softens that); questions are interchangeable (no per-item difficulty model);
and AWS's scaling (equating across forms, 15 unscored questions) is replaced by our documented
mapping. With a single mock the band is wide, as it should be. Practice sets are left out: they are
filtered and shorter, so they say less about a full exam.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from exams.scoring import ScaleSpec, scaled_score

RECENT = 5
DECAY = 0.7


@dataclass(frozen=True)
class Readiness:
    predicted_score: int
    low: int
    high: int
    pass_probability: float
    based_on: int
    correct_rate: float


def _beta_binomial_pmf(n: int, a: float, b: float) -> list[float]:
    """P(k) for k = 0..n. The first term from log-gamma functions, each next one from the ratio
    P(k+1)/P(k) = (n-k)/(k+1) * (k+a)/(n-k-1+b): the same values as a log-gamma per term, without
    the eight lgamma calls per term that made it most of a 500-learner cohort dashboard's Python."""
    first = math.exp(math.lgamma(n + b) + math.lgamma(a + b) - math.lgamma(b) - math.lgamma(n + a + b))
    pmf = [first]
    p = first
    for k in range(n):
        p *= (n - k) / (k + 1) * (k + a) / (n - k - 1 + b)
        pmf.append(p)
    total = sum(pmf)
    return [p / total for p in pmf]


def _percentile(pmf: list[float], q: float) -> int:
    cumulative = 0.0
    for k, p in enumerate(pmf):
        cumulative += p
        if cumulative >= q:
            return k
    return len(pmf) - 1


def readiness(results: list[tuple[int, int]], spec: ScaleSpec, form_size: int = 65) -> Readiness | None:
    """``results``: (correct, total) of full-length attempts, most recent first."""
    recent = [(c, n) for c, n in results if n > 0][:RECENT]
    if not recent:
        return None
    weights = [DECAY**age for age in range(len(recent))]
    c = sum(w * correct for w, (correct, _) in zip(weights, recent, strict=True))
    n = sum(w * total for w, (_, total) in zip(weights, recent, strict=True))
    a, b = 1 + c, 1 + n - c
    pmf = _beta_binomial_pmf(form_size, a, b)
    need = math.ceil(spec.pass_fraction * form_size)
    expected = round(form_size * a / (a + b))
    return Readiness(
        predicted_score=scaled_score(expected, form_size, spec),
        low=scaled_score(_percentile(pmf, 0.10), form_size, spec),
        high=scaled_score(_percentile(pmf, 0.90), form_size, spec),
        pass_probability=round(sum(pmf[need:]), 3),
        based_on=len(recent),
        correct_rate=round(a / (a + b), 3),
    )
