"""Mastery of a domain or task statement (pure, no ORM).

For each domain and task statement, take the learner's ``WINDOW`` most recent graded attempts that
included it and pool their answers: ``c`` correct of ``n``. Mastery is (c + 1) / (n + 2), the mean
of the Beta(1 + c, 1 + n - c) posterior from a uniform prior: two right out of two reads as 75%, not
100%, and no answers read as 50% ("unknown"), so a lucky streak on few questions does not look like
mastery. Only recent attempts count, so improvement shows within a few attempts.
"""

from __future__ import annotations

from collections.abc import Iterable
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


def pool(rows: Iterable[tuple[tuple, str, int, int]]) -> dict[tuple, tuple[str, int, int, int]]:
    """(group, label, correct, total) rows, already limited to the window, pooled per group:
    group -> (label, correct, total, attempts pooled)."""
    pooled: dict[tuple, list] = {}
    for group, label, correct, total in rows:
        entry = pooled.setdefault(group, [label, 0, 0, 0])
        entry[1] += correct
        entry[2] += total
        entry[3] += 1
    return {group: (label, c, n, a) for group, (label, c, n, a) in pooled.items()}


def weakest(masteries: list[Mastery], how_many: int = 3) -> list[Mastery]:
    """Lowest mastery first; with equal mastery, the one with more evidence first."""
    return sorted(masteries, key=lambda m: (m.value, -m.total, m.key))[:how_many]
