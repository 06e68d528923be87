"""Drawing the questions of an attempt (pure, no ORM).

A *unit* is a single question or a whole case study (its questions together and in order). Units
the learner has never seen come first; then, for a full mock, seen units in random order, and for
a final, the units seen longest ago first. Units are taken greedily while they fit each domain's
remaining quota (a case may span domains; it is taken only if every domain it touches has room).
If that leaves a domain short because single questions ran out while a case did not fit, a second
pass takes case studies first, then single questions, in the same order of preference. The chosen
units are then shuffled, keeping each case's questions together and in order.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Candidate:
    id: int
    domain: int
    case_id: int | None = None
    case_order: int | None = None
    # When the learner was last served it (a datetime, or any value that orders like one); None if never.
    seen_at: datetime | float | None = None


class FormShortage(Exception):
    """The bank cannot fill a form: ``missing`` maps domain number -> questions short."""

    def __init__(self, missing: dict[int, int], have: dict[int, int], need: dict[int, int]) -> None:
        super().__init__(missing)
        self.missing, self.have, self.need = missing, have, need


def _units(candidates: list[Candidate]) -> list[list[Candidate]]:
    cases: dict[int, list[Candidate]] = defaultdict(list)
    units: list[list[Candidate]] = []
    for c in candidates:
        if c.case_id is None:
            units.append([c])
        else:
            cases[c.case_id].append(c)
    for members in cases.values():
        units.append(sorted(members, key=lambda c: (c.case_order or 0, c.id)))
    return units


def _last_seen(unit: list[Candidate]) -> datetime | float | None:
    seen = [c.seen_at for c in unit if c.seen_at is not None]
    return max(seen) if seen else None


def _ordered(units: list[list[Candidate]], rng: random.Random, oldest_first: bool) -> list[list[Candidate]]:
    units = sorted(units, key=lambda u: min(c.id for c in u))  # deterministic before shuffling
    rng.shuffle(units)
    unseen = [u for u in units if _last_seen(u) is None]
    seen = [u for u in units if _last_seen(u) is not None]
    if oldest_first:
        seen.sort(key=_last_seen)  # stable: ties keep the random order
    return unseen + seen


def _fill(units: list[list[Candidate]], quotas: dict[int, int]) -> tuple[list[list[Candidate]], dict[int, int]]:
    remaining = dict(quotas)
    chosen: list[list[Candidate]] = []
    for unit in units:
        needs: dict[int, int] = defaultdict(int)
        for c in unit:
            needs[c.domain] += 1
        if all(remaining.get(d, 0) >= n for d, n in needs.items()):
            chosen.append(unit)
            for d, n in needs.items():
                remaining[d] -= n
        if not any(remaining.values()):
            break
    return chosen, remaining


def draw_form(
    candidates: list[Candidate], quotas: dict[int, int], rng: random.Random, *, oldest_first: bool = False
) -> list[int]:
    """Question ids for a form with ``quotas[domain]`` questions per domain, in serving order."""
    units = _ordered(_units(candidates), rng, oldest_first)
    chosen, remaining = _fill(units, quotas)
    if any(remaining.values()):
        cases_first = [u for u in units if len(u) > 1] + [u for u in units if len(u) == 1]
        chosen, remaining = _fill(cases_first, quotas)
    if any(remaining.values()):
        have: dict[int, int] = defaultdict(int)
        for c in candidates:
            have[c.domain] += 1
        missing = {d: n for d, n in remaining.items() if n}
        raise FormShortage(missing, {d: have[d] for d in quotas}, dict(quotas))
    rng.shuffle(chosen)
    return [c.id for unit in chosen for c in unit]


def draw_practice(candidates: list[Candidate], count: int, rng: random.Random) -> list[int]:
    """Up to ``count`` question ids, unseen first; a case's questions stay together when they fit."""
    chosen: list[list[Candidate]] = []
    total = 0
    for unit in _ordered(_units(candidates), rng, oldest_first=True):
        if total + len(unit) <= count:
            chosen.append(unit)
            total += len(unit)
        if total == count:
            break
    rng.shuffle(chosen)
    return [c.id for unit in chosen for c in unit]
