"""Item statistics against hand-computed values and a plain re-implementation of Moodle's walkers."""

import math

import numpy as np
import pytest

from analytics.psychometrics import item_statistics

NAN = float("nan")

# 4 attempts × 3 items; item 3 is worth 2 marks and has a half-mark answer.
MARKS = [
    [1, 1, 2],
    [1, 0, 1],
    [0, 1, 0.5],
    [0, 0, 0],
]
MAX = [1, 1, 2]


def test_item_one_by_hand():
    # x = [1,1,0,0]; totals X = [4,2,1.5,0]; rest R = X - x = [3,1,1.5,0]
    # Cov(x,R) = 1.25/3; Var(x) = 1/3; Var(R) = 4.6875/3; sorted covariance = 1.75/3
    stats = item_statistics(MARKS, MAX)
    assert stats.facility[0] == pytest.approx(0.5)
    assert stats.sd[0] == pytest.approx(math.sqrt(1 / 3))
    assert stats.discrimination_index[0] == pytest.approx((1.25 / 3) / math.sqrt((1 / 3) * (4.6875 / 3)))  # 0.5774
    assert stats.discrimination_index[0] == pytest.approx(0.57735, abs=1e-5)
    assert stats.discriminative_efficiency[0] == pytest.approx(1.25 / 1.75)  # 0.7143
    assert list(stats.attempts) == [4, 4, 4]


def test_item_three_with_fractional_marks_by_hand():
    # x = [2,1,0.5,0] of max 2: facility = 0.875/2; SD = sqrt(2.1875/3)/2
    stats = item_statistics(MARKS, MAX)
    assert stats.facility[2] == pytest.approx(0.4375)
    assert stats.sd[2] == pytest.approx(math.sqrt(2.1875 / 3) / 2)


def test_test_level_by_hand():
    # totals X = [4,2,1.5,0]: Var = 8.1875/3; item variances 1/3, 1/3, 2.1875/3
    stats = item_statistics(MARKS, MAX)
    alpha = 3 / 2 * (1 - (1 / 3 + 1 / 3 + 2.1875 / 3) / (8.1875 / 3))
    assert stats.alpha == pytest.approx(alpha)  # 0.7328
    assert stats.error_ratio == pytest.approx(math.sqrt(1 - alpha))
    assert stats.standard_error == pytest.approx(math.sqrt(1 - alpha) * math.sqrt(8.1875 / 3))


def moodle_reference(marks, max_marks):
    """Moodle's calculator walkers, transcribed loop for loop (question/classes/statistics)."""
    n_items = len(max_marks)
    out = []
    cov_overall = []
    for j in range(n_items):
        steps = [(row[j], sum(v for v in row if not math.isnan(v))) for row in marks if not math.isnan(row[j])]
        s = len(steps)
        mark_avg = sum(m for m, _ in steps) / s
        other_avg = sum(t - m for m, t in steps) / s
        sum_avg = sum(t for _, t in steps) / s
        marks_sorted = sorted(m for m, _ in steps)
        others_sorted = sorted(t - m for m, t in steps)
        mv = ov = cv = cmax = cwo = 0.0
        for k, (m, t) in enumerate(steps):
            md, od, td = m - mark_avg, (t - m) - other_avg, t - sum_avg
            mv += md * md
            ov += od * od
            cv += md * od
            cmax += (marks_sorted[k] - mark_avg) * (others_sorted[k] - other_avg)
            cwo += md * td
        mv, ov, cv, cmax, cwo = (v / (s - 1) for v in (mv, ov, cv, cmax, cwo))
        out.append(
            {
                "facility": mark_avg / max_marks[j],
                "sd": math.sqrt(mv) / max_marks[j],
                "di": cv / math.sqrt(mv * ov) if mv * ov else NAN,
                "de": cv / cmax if cmax else NAN,
            }
        )
        cov_overall.append(cwo)
    total_weight = sum(math.sqrt(c) for c in cov_overall if c >= 0)
    for j, c in enumerate(cov_overall):
        out[j]["ew"] = math.sqrt(c) / total_weight if c >= 0 else NAN
    return out


def matrix(seed, attempts, items, nan_share):
    rng = np.random.default_rng(seed)
    ability = rng.normal(size=(attempts, 1))
    difficulty = rng.normal(size=(1, items))
    p = 1 / (1 + np.exp(-(ability - difficulty)))
    marks = (rng.random((attempts, items)) < p).astype(float)
    marks[:, 0] = np.round(marks[:, 0] * rng.random(attempts), 2)  # a partially-credited item
    marks[rng.random((attempts, items)) < nan_share] = np.nan
    return marks


@pytest.mark.parametrize(("seed", "nan_share"), [(1, 0.0), (2, 0.0), (3, 0.3)])
def test_agrees_with_moodle_loop_for_loop(seed, nan_share):
    marks = matrix(seed, attempts=60, items=8, nan_share=nan_share)
    stats = item_statistics(marks, np.ones(8))
    reference = moodle_reference(marks.tolist(), [1.0] * 8)
    for j, ref in enumerate(reference):
        assert stats.facility[j] == pytest.approx(ref["facility"])
        assert stats.sd[j] == pytest.approx(ref["sd"])
        assert stats.discrimination_index[j] == pytest.approx(ref["di"], nan_ok=True)
        assert stats.discriminative_efficiency[j] == pytest.approx(ref["de"], nan_ok=True)
        assert stats.effective_weight[j] == pytest.approx(ref["ew"], nan_ok=True)


def test_nan_items_are_left_out_per_item():
    marks = [[1, NAN], [0, 1], [1, 0], [NAN, 1]]
    stats = item_statistics(marks, [1, 1])
    assert list(stats.attempts) == [3, 3]
    assert stats.facility[0] == pytest.approx(2 / 3)
    assert stats.facility[1] == pytest.approx(2 / 3)
    # every attempt totals 1 mark: no spread of totals, so alpha is undefined
    assert np.isnan(stats.alpha)


def test_degenerate_inputs_give_nan_not_errors():
    one = item_statistics([[1, 0, 1]], [1, 1, 1])
    assert np.isnan(one.discrimination_index).all() and np.isnan(one.alpha)
    flat = item_statistics([[1, 1], [1, 1], [1, 1]], [1, 1])
    assert list(flat.facility) == [1.0, 1.0]
    assert np.isnan(flat.discrimination_index).all()
    with pytest.raises(ValueError, match="2-D"):
        item_statistics([1, 0, 1], [1])


def test_a_reversed_item_has_negative_discrimination():
    good = [[1, 1, 1, 0], [1, 1, 0, 0], [1, 0, 0, 1], [0, 0, 0, 1], [0, 0, 0, 1]]
    stats = item_statistics(good, [1, 1, 1, 1])
    assert stats.discrimination_index[3] < 0
    assert np.isnan(stats.effective_weight[3])  # negative covariance with the total: no weight (Moodle)
    assert np.nansum(stats.effective_weight) == pytest.approx(1.0)
