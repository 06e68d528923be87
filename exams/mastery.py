"""Mastery of a domain or task statement (pure, no ORM).

For each domain and task statement, take the learner's ``WINDOW`` most recent graded attempts that
included it and pool their answers: ``c`` correct of ``n``. Mastery is (c + 1) / (n + 2), the mean
of the Beta(1 + c, 1 + n - c) posterior from a uniform prior: two right out of two reads as 75%, not
100%, and no answers read as 50% ("unknown"), so a lucky streak on few questions does not look like
mastery. Only recent attempts count, so improvement shows within a few attempts.
"""

from __future__ import annotations

from dataclasses import dataclass

WINDOW = 5


@dataclass(frozen=True)
class Mastery:
    dimension: str
    key: str
    label: str
    correct: int
    total: int
    attempts: int

    @property
    def value(self) -> float:
        return (self.correct + 1) / (self.total + 2)


def pool(rows: list[tuple[str, str, str, int, int]]) -> list[Mastery]:
    """(dimension, key, label, correct, total) rows, already limited to the window, pooled per key."""
    pooled: dict[tuple[str, str], list] = {}
    for dimension, key, label, correct, total in rows:
        entry = pooled.setdefault((dimension, key), [label, 0, 0, 0])
        entry[1] += correct
        entry[2] += total
        entry[3] += 1
    return [Mastery(d, k, label, c, n, a) for (d, k), (label, c, n, a) in pooled.items()]


def weakest(masteries: list[Mastery], how_many: int = 3) -> list[Mastery]:
    """Lowest mastery first; with equal mastery, the one with more evidence first."""
    return sorted(masteries, key=lambda m: (m.value, -m.total, m.key))[:how_many]
