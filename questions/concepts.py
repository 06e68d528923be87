"""What an answer option stands for (pure; reads questions/blueprints/concepts.yaml and services.yaml).

Used by the misconception report: when a learner picks a distractor, the concepts it names that the
key does not, paired with the concepts the key names that the distractor does not, say what was
confused with what ("chose Amazon CloudWatch where SageMaker Model Monitor was right").
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path

import yaml

BLUEPRINT_DIR = Path(__file__).resolve().parent / "blueprints"


def _alias_pattern(alias: str) -> str:
    prefix = alias.endswith("*")
    body = re.escape(alias.rstrip("*").strip().lower())
    return rf"(?<![\w-]){body}" + ("" if prefix else r"(?![\w-])")


@cache
def concept_patterns(blueprint_dir: Path = BLUEPRINT_DIR) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(concept, compiled pattern) pairs, longest aliases first so the most specific match wins."""
    data = yaml.safe_load((blueprint_dir / "concepts.yaml").read_text(encoding="utf-8"))
    services = yaml.safe_load((blueprint_dir / "services.yaml").read_text(encoding="utf-8"))["services"]
    too_common = set(data.get("too_common") or [])
    aliases: list[tuple[str, str]] = []
    for name in services:
        if name in too_common:
            continue
        aliases.append((name, name))
        short = re.sub(r"^(Amazon|AWS)\s+", "", name)
        if short != name:
            aliases.append((name, short))
    for name, names in (data.get("concepts") or {}).items():
        aliases.extend((name, alias) for alias in names)
    aliases.sort(key=lambda pair: len(pair[1].rstrip("*")), reverse=True)
    return tuple((name, re.compile(_alias_pattern(alias))) for name, alias in aliases)


def concepts_in(text: str, patterns: tuple[tuple[str, re.Pattern[str]], ...] | None = None) -> list[str]:
    """Concepts named in ``text``, in order of appearance, each once; longer matches win."""
    if patterns is None:
        return list(_concepts_cached(text))
    return _find(text, patterns)


@lru_cache(maxsize=50_000)
def _concepts_cached(text: str) -> tuple[str, ...]:
    # Option texts repeat across thousands of graded attempts; scan each once per process.
    return tuple(_find(text, concept_patterns()))


def _find(text: str, patterns: tuple[tuple[str, re.Pattern[str]], ...]) -> list[str]:
    lowered = text.lower()
    taken = [False] * len(lowered)
    found: list[tuple[int, str]] = []
    for name, pattern in patterns:
        for match in pattern.finditer(lowered):
            start, end = match.span()
            if any(taken[start:end]):
                continue
            for i in range(start, end):
                taken[i] = True
            found.append((start, name))
    seen: set[str] = set()
    ordered = []
    for _, name in sorted(found):
        if name not in seen:
            seen.add(name)
            ordered.append(name)
    return ordered


def confusion(chosen_text: str, key_texts: list[str]) -> tuple[str, str] | None:
    """(what the distractor stands for, what the key stands for), or None if the texts don't say."""
    chosen = concepts_in(chosen_text)
    expected: list[str] = []
    for text in key_texts:
        expected += [c for c in concepts_in(text) if c not in expected]
    only_chosen = [c for c in chosen if c not in expected]
    only_expected = [c for c in expected if c not in chosen]
    if only_chosen and only_expected:
        return only_chosen[0], only_expected[0]
    return None
