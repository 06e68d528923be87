"""The bank as a draw sees it: each servable question of an exam with its taxonomy and current
version, cached per process and exam, and checked against a fingerprint of the bank on every use.

Starting an attempt used to read the whole bank's rows (a thousand questions joined to their task
statements, domains, pillars, services and versions) and turn them into Python objects each time:
more than half of a start's time. Those rows change only when authors edit the bank, so each
process keeps what it built, and every start first asks PostgreSQL for a fingerprint of everything
the catalogue was built from (one query: per table, a count and sums of the rows' transaction and
command ids, about a millisecond for a thousand questions). Any edit - a question published, retired, re-tagged,
re-keyed (its version), moved between task statements or cases, a pillar or service renamed -
changes the fingerprint, and the next start rebuilds. Nothing needs to remember to invalidate it,
and an update that bypasses ``save()`` is seen too.

On SQLite (``make run``) there is no ``xmin``; the catalogue is rebuilt on every use there.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Q

from questions.models import Domain, Exam, Pillar, Question, QuestionVersion, Service, TaskStatement


@dataclass(frozen=True)
class Entry:
    """One servable question of an exam: what the draw filters on and what an attempt item records."""

    id: int
    case_id: int | None
    case_order: int | None
    domain: int  # domain number in this exam (through the mapped task statement when the question is mapped)
    task: str  # task statement code in this exam
    type: str
    stage: str
    difficulty: str
    pillars: tuple[str, ...]
    services: tuple[str, ...]
    version_id: int | None  # the current version's row; None when it has not been recorded yet
    version: int
    tags: dict  # the taxonomy an attempt item keeps (exams.models.AttemptItem.tags); never mutate


_CACHE: dict[tuple, tuple[tuple, dict[int, Entry]]] = {}

# Every table the catalogue is built from.
_SOURCES = (
    Question,
    Question.pillars.through,
    Question.services.through,
    Pillar,
    Service,
    TaskStatement,
    Domain,
)


def _fingerprint() -> tuple | None:
    """Per table the catalogue reads: its row count, the sum of its rows' ``xmin`` (the id of the
    transaction that wrote each row version) and of their ``cmin`` (the command within it). Any
    insert, update or delete changes one of them, whatever wrote it (``save()``, ``update()``, raw
    SQL, a many-to-many ``set()``): a row version written later has a larger transaction id, or the
    same one and a larger command id, so replacing rows without changing their number raises a sum.
    None off PostgreSQL. About a millisecond for a thousand questions (it reads no column)."""
    if connection.vendor != "postgresql":
        return None
    quote = connection.ops.quote_name
    per_table = (
        "(SELECT count(*) || ':' || coalesce(sum(xmin::text::bigint), 0) || ':' || coalesce(sum(cmin::text::bigint), 0)"
        " FROM {})"
    )
    sql = "SELECT " + ", ".join(per_table.format(quote(model._meta.db_table)) for model in _SOURCES)
    with connection.cursor() as cursor:
        cursor.execute(sql)  # no parameters: every name is ours
        return tuple(cursor.fetchone())


def exam_catalogue(exam: Exam) -> dict[int, Entry]:
    """Question id -> Entry for every published question the exam can serve, built or reused."""
    key = (exam.pk, tuple(exam.question_types))
    fingerprint = _fingerprint()
    cached = _CACHE.get(key)
    if fingerprint is not None and cached is not None and cached[0] == fingerprint:
        return cached[1]
    entries = _build(exam)
    if fingerprint is not None:
        _CACHE[key] = (fingerprint, entries)
    return entries


# Where a question sits in an exam: its own task statement's, or the mapped one's in the other exam.
PLACEMENT = (
    "task_statement__domain__exam_id",
    "task_statement__domain__number",
    "task_statement__domain__name",
    "task_statement__code",
    "task_statement__title",
    "alt_task_statement__domain__number",
    "alt_task_statement__domain__name",
    "alt_task_statement__code",
    "alt_task_statement__title",
)


def placed(exam: Exam, placement: list | tuple) -> tuple:
    """(domain number, domain name, task code, task title) in ``exam`` from the PLACEMENT values."""
    return tuple(placement[1:5] if placement[0] == exam.pk else placement[5:9])


def item_tags(
    uid: str, domain_name: str, task_title: str, pillars: list[str], stage: str, services: list[str], difficulty: str
) -> dict:
    """The taxonomy an attempt item keeps at serving time (AttemptItem.tags)."""
    return {
        "uid": uid,
        "domain_name": domain_name,
        "task_title": task_title,
        "pillars": sorted(pillars),
        "stage": stage,
        "services": sorted(services),
        "difficulty": difficulty,
    }


def pillars_and_services(question_ids: list[int]) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """Question id -> pillar slugs, and -> AWS service names (two queries)."""
    pillars: dict[int, list[str]] = defaultdict(list)
    for qid, slug in Question.pillars.through.objects.filter(question_id__in=question_ids).values_list(
        "question_id", "pillar__slug"
    ):
        pillars[qid].append(slug)
    aws: dict[int, list[str]] = defaultdict(list)
    for qid, name in Question.services.through.objects.filter(question_id__in=question_ids).values_list(
        "question_id", "service__name"
    ):
        aws[qid].append(name)
    return pillars, aws


def _build(exam: Exam) -> dict[int, Entry]:
    questions = Question.objects.filter(status=Question.Status.PUBLISHED, type__in=exam.question_types).filter(
        Q(task_statement__domain__exam=exam) | Q(alt_task_statement__domain__exam=exam)
    )
    rows = list(
        questions.values_list(
            "id",
            "uid",
            "type",
            "stage",
            "difficulty",
            "version",
            "case_id",
            "case_order",
            *PLACEMENT,
        )
    )
    ids = [row[0] for row in rows]
    pillars, aws = pillars_and_services(ids)
    versions = dict(
        QuestionVersion.objects.filter(question_id__in=ids, version=F("question__version")).values_list(
            "question_id", "id"
        )
    )
    entries = {}
    for qid, uid, qtype, stage, difficulty, version, case_id, case_order, *placement in rows:
        number, domain_name, code, title = placed(exam, placement)
        tags = item_tags(uid, domain_name, title, pillars[qid], stage, aws[qid], difficulty)
        slugs, names = tuple(tags["pillars"]), tuple(tags["services"])
        entries[qid] = Entry(
            qid, case_id, case_order, number, code, qtype, stage, difficulty, slugs, names, versions.get(qid),
            version, tags,
        )  # fmt: skip
    return entries


def catalogue_clear() -> None:
    """Forget every cached catalogue (tests that rewrite the bank wholesale)."""
    _CACHE.clear()
