from decimal import Decimal

import pytest

from questions.apportion import apportion

MLA_C01 = [28, 26, 22, 24]
MLA_C02 = [28, 24, 24, 24]


@pytest.mark.parametrize(
    ("total", "weights", "expected"),
    [
        (65, MLA_C01, [18, 17, 14, 16]),  # EXAM.md
        (65, MLA_C02, [18, 16, 16, 15]),  # EXAM.md: a tie on .6 broken in domain order
        (50, MLA_C01, [14, 13, 11, 12]),  # the scored questions alone: exact quotas
        (20, MLA_C01, [6, 5, 4, 5]),  # 5.6/5.2/4.4/4.8 -> floors 5/5/4/4, two seats to .8 and .6
        (10, MLA_C01, [3, 3, 2, 2]),  # 2.8/2.6/2.2/2.4 -> floors 2/2/2/2, seats to .8 and .6
        (1, MLA_C01, [1, 0, 0, 0]),
        (0, MLA_C01, [0, 0, 0, 0]),
        (4, [25, 25, 25, 25], [1, 1, 1, 1]),
        (3, [25, 25, 25, 25], [1, 1, 1, 0]),  # equal remainders: first domains win
        (65, [Decimal("28.00"), Decimal("26.00"), Decimal("22.00"), Decimal("24.00")], [18, 17, 14, 16]),
    ],
)
def test_apportion_largest_remainder(total, weights, expected):
    seats = apportion(total, weights)
    assert seats == expected
    assert sum(seats) == total


@pytest.mark.parametrize("total", range(0, 131))
def test_apportion_always_sums_and_stays_within_one_of_quota(total):
    seats = apportion(total, MLA_C01)
    assert sum(seats) == total
    for seat, weight in zip(seats, MLA_C01, strict=True):
        assert abs(seat - total * weight / 100) < 1


@pytest.mark.parametrize(
    ("total", "weights", "message"),
    [(-1, MLA_C01, "negative"), (5, [], "at least one"), (5, [0, 0], "zero"), (5, [-1, 2], "negative")],
)
def test_apportion_rejects_bad_input(total, weights, message):
    with pytest.raises(ValueError, match=message):
        apportion(total, weights)
