"""What each question version says, cached by id for the life of the process.

A ``QuestionVersion`` row never changes once recorded (a correction records a new version), so its
content - stem, options, key, explanations, a few kilobytes of JSON - can be kept in memory after the
first read. Starting an attempt, autosaving, resuming and grading then read only the small rows
(ids, layout, answers) from PostgreSQL; the contents come from here. The cache is bounded (it starts
over when full) and per process; a bank of thousands of versions fits in a few tens of MB.
"""

from __future__ import annotations

from questions.models import QuestionVersion

_CONTENTS: dict[int, dict] = {}
_CONTENTS_MAX = 20_000


def version_contents(version_ids: set[int]) -> dict[int, dict]:
    """Version id -> content, one query for those not cached yet."""
    missing = [v for v in version_ids if v not in _CONTENTS]
    if missing:
        if len(_CONTENTS) + len(missing) > _CONTENTS_MAX:
            _CONTENTS.clear()
        _CONTENTS.update(QuestionVersion.objects.filter(pk__in=missing).values_list("id", "content"))
    return {v: _CONTENTS[v] for v in version_ids}


def version_content(version_id: int) -> dict:
    return version_contents({version_id})[version_id]
