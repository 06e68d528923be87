"""Apportioning a form of N questions to domains by weight (pure, no ORM).

Largest-remainder (Hamilton) rounding: every domain first gets the whole part of its exact
quota ``N * weight / total_weight``; the seats left over go to the largest fractional
remainders, and equal remainders are broken in domain order (the first domain listed wins).
Exact rational arithmetic, so 0.6 and 0.6 really are equal.

>>> apportion(65, [28, 26, 22, 24])   # MLA-C01
[18, 17, 14, 16]
>>> apportion(65, [28, 24, 24, 24])   # MLA-C02: a three-way tie on .6, broken in domain order
[18, 16, 16, 15]
"""

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction


def apportion(total: int, weights: Sequence[int | float | Decimal | Fraction | str]) -> list[int]:
    if total < 0:
        raise ValueError("the number of questions cannot be negative")
    if not weights:
        raise ValueError("at least one weight is needed")
    exact = [Fraction(str(w)) if not isinstance(w, Fraction) else w for w in weights]
    if any(w < 0 for w in exact):
        raise ValueError("weights cannot be negative")
    weight_sum = sum(exact)
    if weight_sum == 0:
        raise ValueError("the weights add up to zero")
    quotas = [total * w / weight_sum for w in exact]
    seats = [int(q) for q in quotas]  # floor: quotas are non-negative
    left = total - sum(seats)
    # Sort by remainder, largest first; Python's sort is stable, so ties keep domain order.
    by_remainder = sorted(range(len(quotas)), key=lambda i: quotas[i] - seats[i], reverse=True)
    for i in by_remainder[:left]:
        seats[i] += 1
    return seats
