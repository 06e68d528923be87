"""Item statistics with Moodle's quiz-statistics definitions (pure numpy, no ORM).

``item_statistics(marks, max_marks)`` takes ``marks``, an attempts × items array of marks (fractions
allowed, NaN where an attempt did not see the item), and ``max_marks``, each item's maximum mark.
For a complete matrix every figure equals Moodle's quiz statistics report on the same marks
(``question/classes/statistics/questions/calculator.php`` and ``mod/quiz/report/statistics``);
Moodle shows them multiplied by 100, we return fractions.

Per item *i*, over the ``s_i`` attempts that saw it, with ``x`` the item's mark, ``X`` the attempt's
total mark (the sum of the marks of the items it saw) and ``R = X - x`` the mark on the rest of the
test; variances and covariances are sample ones (divided by ``s_i - 1``):

* ``facility`` = mean(x) / max — the average mark as a fraction of the maximum;
* ``sd`` = SD(x) / max;
* ``discrimination_index`` = Cov(x, R) / sqrt(Var(x) · Var(R)) — the correlation of the item with
  the rest of the test (Moodle's "DI");
* ``discriminative_efficiency`` = Cov(x, R) / Cov_max(x, R), where Cov_max pairs the sorted marks with
  the sorted rest-of-test marks: how close the item comes to the best discrimination its facility
  allows (Moodle's "DE");
* ``effective_weight`` = sqrt(Cov(x, X)) / Σ_j sqrt(Cov(x_j, X)) over items with Cov ≥ 0 — the share
  of the spread of total marks the item is responsible for; NaN when Cov(x, X) < 0.

Test level, over the ``n`` attempts, with ``p`` items per attempt and ``k2`` = Var(X):

* ``alpha`` (Cronbach's alpha, Moodle's "coefficient of internal consistency")
  = p / (p - 1) · (1 - Σ_i Var(x_i) / k2);
* ``error_ratio`` = sqrt(1 - alpha);
* ``standard_error`` = error_ratio · SD(X), in marks.

Where attempts saw different items (NaN, as with forms drawn from a bank), ``p`` is the mean number of
items an attempt saw and each item's variance counts in proportion to the attempts that saw it
(Σ_i Var(x_i) · s_i / n): the expected sum of item variances on one attempt. With no NaN this is
Moodle's formula exactly. A figure that cannot be computed (fewer than 2 attempts, zero variance)
is NaN.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike


@dataclass
class ItemStatistics:
    attempts: np.ndarray  # per item: how many attempts saw it
    facility: np.ndarray
    sd: np.ndarray
    discrimination_index: np.ndarray
    discriminative_efficiency: np.ndarray
    effective_weight: np.ndarray
    alpha: float
    error_ratio: float
    standard_error: float


def _nan_sample_var(a: np.ndarray, mask: np.ndarray, counts: np.ndarray) -> np.ndarray:
    mean = np.where(mask, a, 0).sum(axis=0) / np.maximum(counts, 1)
    dev = np.where(mask, a - mean, 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 1, (dev**2).sum(axis=0) / (counts - 1), np.nan)


def item_statistics(marks: ArrayLike, max_marks: ArrayLike) -> ItemStatistics:
    x = np.asarray(marks, dtype=float)
    if x.ndim != 2:
        raise ValueError("marks must be a 2-D array: attempts × items")
    maxes = np.broadcast_to(np.asarray(max_marks, dtype=float), (x.shape[1],))
    seen = ~np.isnan(x)
    n_items_seen = seen.sum(axis=1)
    keep = n_items_seen > 0
    x, seen = x[keep], seen[keep]
    n = x.shape[0]
    s = seen.sum(axis=0)  # attempts per item
    total = np.where(seen, x, 0).sum(axis=1)  # X per attempt
    xz = np.where(seen, x, 0.0)
    rest = np.where(seen, total[:, None] - xz, np.nan)  # R per attempt and item

    with np.errstate(invalid="ignore", divide="ignore"):
        mean_x = xz.sum(axis=0) / np.maximum(s, 1)
        mean_r = np.where(seen, rest, 0).sum(axis=0) / np.maximum(s, 1)
        mean_t = np.where(seen, total[:, None], 0).sum(axis=0) / np.maximum(s, 1)  # X over the item's attempts
        dx = np.where(seen, x - mean_x, 0)
        dr = np.where(seen, rest - mean_r, 0)
        dt = np.where(seen, total[:, None] - mean_t, 0)
        denom = np.where(s > 1, s - 1, np.nan)
        var_x = (dx**2).sum(axis=0) / denom
        var_r = (dr**2).sum(axis=0) / denom
        cov_xr = (dx * dr).sum(axis=0) / denom
        cov_xt = (dx * dt).sum(axis=0) / denom
        # Cov_max: both sorted ascending, over the attempts that saw the item.
        cov_max = np.full(x.shape[1], np.nan)
        for j in range(x.shape[1]):
            if s[j] > 1:
                xs = np.sort(x[seen[:, j], j])
                rs = np.sort(rest[seen[:, j], j])
                cov_max[j] = ((xs - xs.mean()) * (rs - rs.mean())).sum() / (s[j] - 1)

        facility = np.where(s > 0, mean_x / maxes, np.nan)
        sd = np.sqrt(var_x) / maxes
        product = var_x * var_r
        discrimination = np.where(product > 0, cov_xr / np.sqrt(product), np.nan)
        efficiency = np.where(cov_max != 0, cov_xr / cov_max, np.nan)
        positive = np.where(cov_xt >= 0, np.sqrt(np.where(cov_xt >= 0, cov_xt, 0)), np.nan)
        weight_sum = np.nansum(positive)
        effective = positive / weight_sum if weight_sum else np.full(x.shape[1], np.nan)

    alpha = error_ratio = standard_error = float("nan")
    if n > 1:
        k2 = total.var(ddof=1)
        p = n_items_seen[keep].mean()
        sum_var = np.nansum(var_x * s / n)
        if k2 > 0 and p > 1:
            alpha = float(p / (p - 1) * (1 - sum_var / k2))
            if alpha <= 1:
                error_ratio = float(np.sqrt(1 - alpha))
                standard_error = float(error_ratio * np.sqrt(k2))
    return ItemStatistics(
        attempts=s,
        facility=facility,
        sd=sd,
        discrimination_index=discrimination,
        discriminative_efficiency=efficiency,
        effective_weight=effective,
        alpha=alpha,
        error_ratio=error_ratio,
        standard_error=standard_error,
    )
