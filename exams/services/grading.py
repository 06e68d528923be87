"""Writes for grading: mark submitted attempts, write their score reports, regrade corrected keys.

Grading is batched opportunistically: the task for one attempt takes the row lock of its attempt
and of up to ``GRADE_BATCH - 1`` other submitted attempts nobody else holds (``SKIP LOCKED``), and
grades them all in one transaction with a fixed number of queries. On a worker the task then
grades every other waiting attempt, batch after batch (``attempts_grade_waiting``), so submissions
made while it waits in the queue publish no message of their own (exams.grading_queue); a message
still means "make sure this attempt is graded", and redelivery stays harmless. A batch that fails
for a reason other than a transient database error is retried with its first attempt alone, so one
bad attempt cannot hold the others back; one that fails alone is left to the sweep.
"""

from __future__ import annotations

import logging
import operator
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import orjson
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import DatabaseError, connection, transaction
from django.db.models import BooleanField, ExpressionWrapper, F, Q, Value, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from exams import mastery, report, review, scoring, snapshot
from exams.contents import version_contents
from exams.models import Attempt, AttemptItem, AttemptResult, MasteryRow, Mistake, Regrade, ResultRow, SeenQuestion
from mlaexam.db import insert_rows, json_payload, update_rows
from mlaexam.errors import Conflict
from questions.models import Exam, Question, QuestionVersion
from questions.services import question_version_record

logger = logging.getLogger("mlaexam.exams")

GRADE_BATCH = settings.EXAM_GRADE_BATCH
GRADABLE = (Attempt.Status.SUBMITTED, Attempt.Status.EXPIRED)


def scale_spec(exam: Exam) -> scoring.ScaleSpec:
    return scoring.ScaleSpec(
        score_min=exam.score_min,
        score_max=exam.score_max,
        passing_score=exam.passing_score,
        pass_fraction=Fraction(str(exam.pass_fraction)),
    )


def compatible(old: dict, new: dict) -> bool:
    """A corrected version can mark an answer given to an older one when the options line up."""
    return (
        old["type"] == new["type"]
        and len(old["options"]) == len(new["options"])
        and [bool(o["prompt"]) for o in old["options"]] == [bool(o["prompt"]) for o in new["options"]]
    )


@dataclass
class GradedItem:
    """What grading needs of an attempt item: plain values, no model instance (thousands per batch)."""

    pk: int
    attempt_id: object
    position: int
    question_id: int
    version_id: int
    graded_version_id: int | None
    layout: dict
    tags: dict
    domain_number: int
    task_code: str
    answer: dict | None
    latest_id: int | None = None
    is_correct: bool = False


_ITEM_FIELDS = ("id", "attempt_id", "position", "question_id", "version_id", "graded_version_id", "layout", "tags",
                "domain_number", "task_code", "answer")  # fmt: skip


def _item_rows(attempt_ids: list[object]) -> list[GradedItem]:
    if connection.vendor != "postgresql":
        rows = AttemptItem.objects.filter(attempt__in=attempt_ids).values_list(*_ITEM_FIELDS)
        return [GradedItem(*row) for row in rows]
    # Thousands of rows per batch: read them raw and decode each distinct tags text once (the tags
    # of a question repeat in every attempt that served it); orjson decodes about twice as fast as json.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(_ITEM_FIELDS)} FROM {AttemptItem._meta.db_table} WHERE attempt_id = ANY(%s)",  # noqa: S608
            [list(attempt_ids)],
        )
        rows = cursor.fetchall()
    tags: dict[str, dict] = {}
    loads = orjson.loads
    items = []
    for pk, attempt_id, position, question_id, version_id, graded_id, layout, tag_text, domain, task, answer in rows:
        tag = tags.get(tag_text)
        if tag is None:
            tag = tags[tag_text] = loads(tag_text)
        items.append(
            GradedItem(pk, attempt_id, position, question_id, version_id, graded_id, loads(layout), tag, domain, task,
                       loads(answer) if answer is not None else None)
        )  # fmt: skip
    return items


def _items(attempts: list[Attempt]) -> list[GradedItem]:
    """The attempts' items, each with the id of its question's current version (``latest_id``)."""
    items = _item_rows([a.pk for a in attempts])
    latest = dict(
        QuestionVersion.objects.filter(
            question_id__in={i.question_id for i in items}, version=F("question__version")
        ).values_list("question_id", "id")
    )
    for item in items:
        item.latest_id = latest.get(item.question_id)
    return items


def _mark(items: list[GradedItem]) -> dict[int, dict]:
    """Mark each item. A key an author corrected after the attempt started applies to it when the
    new version lines up with the options served (the learner still saw what they saw)."""
    contents = version_contents(
        {i.version_id for i in items}
        | {i.graded_version_id for i in items if i.graded_version_id}
        | {i.latest_id for i in items if i.latest_id}
    )
    for item in items:
        latest = item.latest_id
        if latest and latest != item.version_id and compatible(contents[item.version_id], contents[latest]):
            item.graded_version_id = latest
        content = contents[item.graded_version_id or item.version_id]
        item.is_correct = scoring.item_correct(content["type"], item.answer, snapshot.key(content, item.layout))
    return contents


def _save_marks(items: list[GradedItem]) -> None:
    """One UPDATE for the batch, plus the rare corrected key."""
    if connection.vendor == "postgresql":
        # One UPDATE joined to (id, mark) pairs: a hashed IN list over thousands of ids cost more.
        update_rows(AttemptItem, ("id",), ("is_correct",), [(i.pk, bool(i.is_correct)) for i in items])
    else:
        right = [i.pk for i in items if i.is_correct]
        AttemptItem.objects.filter(attempt_id__in={i.attempt_id for i in items}).update(
            is_correct=ExpressionWrapper(Q(pk__in=right), output_field=BooleanField()) if right else Value(False)
        )
    for item in items:
        if item.graded_version_id:
            AttemptItem.objects.filter(pk=item.pk).update(graded_version_id=item.graded_version_id)


def _result_values(attempt: Attempt, items: list[GradedItem], graded_at: datetime) -> dict:
    exam = attempt.exam
    correct, total = sum(1 for i in items if i.is_correct), len(items)
    spec = scale_spec(exam)
    return {
        "correct": correct,
        "total": total,
        "percent": round(Decimal(100 * correct) / total, 1) if total else Decimal(0),
        "scaled_score": scoring.scaled_score(correct, total, spec) if total else exam.score_min,
        "passed": scoring.passed(correct, total, spec),
        "time_taken_seconds": max(0, int(((attempt.submitted_at or graded_at) - attempt.started_at).total_seconds())),
    }


RESULT_ROW_COLUMNS = ("attempt", "learner", "exam", "mode", "graded_at", "dimension", "key", "label", "correct",
                      "total")  # fmt: skip
# (learner, exam, dimension, key) of a score-report row tuple.
_section_key = operator.itemgetter(*(RESULT_ROW_COLUMNS.index(c) for c in ("learner", "exam", "dimension", "key")))
MISTAKE_COLUMNS = ("attempt", "learner", "exam", "position", "question", "chosen", "expected", "chosen_text",
                   "expected_text", "graded_at")  # fmt: skip


def _report_rows(
    attempt: Attempt,
    items: list[GradedItem],
    contents: dict[int, dict],
    graded_at: datetime,
    sections_of: Callable[[report.Marked], tuple] | None = None,
) -> tuple[list[tuple], list[tuple]]:
    """The attempt's score-report rows and mistakes, as value tuples in the order of
    RESULT_ROW_COLUMNS and MISTAKE_COLUMNS."""
    marked = [
        report.Marked(i.domain_number, i.task_code, i.tags, contents[i.version_id]["type"], bool(i.is_correct))
        for i in items
    ]
    head = (attempt.pk, attempt.learner_id, attempt.exam_id)
    rows = [
        (*head, attempt.mode, graded_at, r.dimension, r.key[:120], r.label[:300], r.correct, r.total)
        for r in report.breakdown(marked, sections_of)
    ]
    mistakes = [
        (*head, i.position, i.question_id, chosen[:120], expected[:120], chosen_text, expected_text, graded_at)
        for i in items
        if not i.is_correct
        for chosen, expected, chosen_text, expected_text in report.mistakes(
            contents[i.graded_version_id or i.version_id], i.layout, i.answer
        )
    ]
    return rows, mistakes


def _sections_memo() -> Callable[[report.Marked], tuple]:
    """report.sections, memoised for one batch (items of one question share one tags dict)."""
    memo: dict[tuple, tuple] = {}

    def sections_of(item: report.Marked) -> tuple:
        key = (id(item.tags), item.qtype, item.domain, item.task)
        found = memo.get(key)
        if found is None:
            found = memo[key] = report.sections(item.domain, item.task, item.tags, item.qtype)
        return found

    return sections_of


def _seen_states(wanted: dict[int, set[int]]) -> list[tuple]:
    """(learner, question, misses, streak, last_correct, due_at) of the wanted pairs that have a row
    (the ORM path: SQLite, for ``make run``)."""
    fields = ("learner_id", "question_id", "misses", "streak", "last_correct", "due_at")
    pairs = Q()
    for learner, questions in wanted.items():
        pairs |= Q(learner_id=learner, question_id__in=questions)
    return list(SeenQuestion.objects.filter(pairs).values_list(*fields))


REVIEW_COLUMNS = ("learner", "question", "last_seen_at", "misses", "streak", "last_correct", "due_at")


def _review_merge_sql() -> str:
    """One MERGE that moves each stored (learner, question) review state along by a run of answers.

    Each payload row is the state the run leads to from no history (exams.review.after_run_fresh):
    it is inserted as it is where no row exists (older data; seen now), and otherwise combined with
    the stored row as exams.review.combine does, in SQL, so grading never reads the stored states.
    A row the run leaves as it is (a retired question answered right again) is not written.
    MERGE (PostgreSQL 15, checked at migrate by mlaexam.checks) rather than INSERT … ON CONFLICT:
    a join instead of a speculative insert per row, about a fifth less time for this statement."""
    table = connection.ops.quote_name(SeenQuestion._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(SeenQuestion._meta.get_field(c).column) for c in REVIEW_COLUMNS)
    days = ", ".join(str(interval.days) for interval in review.INTERVALS)
    streak = f"LEAST(t.streak + e.streak, {review.RETIRED})"
    return f"""
        MERGE INTO {table} AS t
        USING (
            SELECT (r->>0)::bigint AS learner_id, (r->>1)::bigint AS question_id, (r->>2)::smallint AS misses,
                   (r->>3)::smallint AS streak, (r->>4)::boolean AS last_correct, (r->>5)::timestamptz AS due_at
            FROM jsonb_array_elements(%(rows)s::jsonb) AS r
        ) AS e
        ON t.learner_id = e.learner_id AND t.question_id = e.question_id
        WHEN MATCHED AND NOT (e.misses = 0 AND t.streak = {review.RETIRED} AND t.last_correct AND t.due_at IS NULL)
        THEN UPDATE SET
            misses = t.misses + e.misses,
            streak = CASE WHEN e.misses > 0 THEN e.streak ELSE {streak} END,
            last_correct = e.last_correct,
            due_at = CASE
                WHEN e.misses > 0 THEN e.due_at
                WHEN t.misses = 0 OR {streak} >= {review.RETIRED} THEN NULL
                ELSE %(at)s::timestamptz + make_interval(days => (ARRAY[{days}])[{streak} + 1])
            END
        WHEN NOT MATCHED THEN INSERT ({columns})
            VALUES (e.learner_id, e.question_id, %(at)s::timestamptz, e.misses, e.streak, e.last_correct, e.due_at)
    """  # noqa: S608 - names are ours; every value is a parameter


def _review_update(batch: list[tuple[Attempt, list[GradedItem]]], at: datetime) -> None:
    """Move each (learner, question) along the spaced-review boxes (exams.review), in one statement."""
    answers: dict[tuple[int, int], list[bool]] = defaultdict(list)
    for attempt, items in sorted(batch, key=lambda pair: pair[0].submitted_at or at):
        learner = attempt.learner_id
        for item in items:
            answers[(learner, item.question_id)].append(bool(item.is_correct))
    review_answers_record(answers=answers, at=at)


def review_answers_record(*, answers: dict[tuple[int, int], list[bool]], at: datetime) -> None:
    """Record answers (right or wrong, oldest first, all graded at ``at``) to each (learner id,
    question id) in its stored review state; a pair with no row gets one, seen at ``at``."""
    memo: dict[tuple[bool, ...], review.ReviewState] = {}  # a batch holds few distinct runs ([True], [False], …)
    fresh = {}
    for pair, run in answers.items():
        if run:
            key = tuple(run)
            state = memo.get(key)
            if state is None:
                state = memo[key] = review.after_run_fresh(review.run_of(run), at=at)
            fresh[pair] = state
    if not fresh:
        return
    if connection.vendor == "postgresql":
        # Thousands of rows per batch: one statement from a JSON array, applied to the stored states
        # in SQL (reading them first cost a round trip and a datetime decode per row).
        payload = json_payload(
            [(learner, question, s.misses, s.streak, s.last_correct, s.due_at)
             for (learner, question), s in fresh.items()]
        )  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute(_review_merge_sql(), {"at": at, "rows": payload})
        return
    wanted: dict[int, set[int]] = defaultdict(set)
    for learner, question in fresh:
        wanted[learner].add(question)
    stored = {
        (learner, question): review.ReviewState(misses, streak, last_correct, due_at)
        for learner, question, misses, streak, last_correct, due_at in _seen_states(wanted)
    }
    rows = []
    for (learner, question), state in fresh.items():
        s = review.combine(stored[(learner, question)], state, at=at) if (learner, question) in stored else state
        rows.append((learner, question, at, s.misses, s.streak, s.last_correct, s.due_at))
    insert_rows(SeenQuestion, REVIEW_COLUMNS, rows, conflict=("learner", "question"), update=REVIEW_COLUMNS[3:])


def mastery_refresh(
    *, learner_exams: set[tuple[int, int]], now: datetime | None = None, keys: set[tuple] | None = None
) -> int:
    """Recompute the stored mastery (MasteryRow) of these (learner id, exam id) pairs from their
    score-report rows, and upsert it. Returns rows written.

    ``keys`` - (learner id, exam id, dimension, key) - limits the work to the sections that just got
    a new score-report row (grading passes the batch's); only their mastery can have changed. Then
    each is read as its ``WINDOW`` most recent rows through the (learner, exam, dimension, key,
    -graded_at) index, so the cost follows the batch, not the learners' whole history (windowing
    over every row of 20 learners with 250 attempts each made grading slow down as history grew)."""
    if not learner_exams:
        return 0
    now = now or timezone.now()
    if keys is not None and connection.vendor == "postgresql":
        rows = _recent_rows(sorted(k for k in keys if (k[0], k[1]) in learner_exams and k[2] in ("domain", "task")))
    else:
        wanted = Q()
        for learner_id, exam_id in learner_exams:
            wanted |= Q(learner_id=learner_id, exam_id=exam_id)
        rows = (
            ResultRow.objects.filter(wanted, dimension__in=("domain", "task"))
            .annotate(
                recency=Window(
                    RowNumber(),
                    partition_by=[F("learner_id"), F("exam_id"), F("dimension"), F("key")],
                    order_by=F("graded_at").desc(),
                )
            )
            .filter(recency__lte=mastery.WINDOW)
            .values_list("learner_id", "exam_id", "dimension", "key", "label", "correct", "total")
        )
    pooled = mastery.pool(((lr, ex, d, k), label, c, n) for lr, ex, d, k, label, c, n in rows)
    insert_rows(
        MasteryRow,
        ("learner", "exam", "dimension", "key", "label", "correct", "total", "attempts", "updated_at"),
        [
            (learner_id, exam_id, dimension, key, label, correct, total, n, now)
            for (learner_id, exam_id, dimension, key), (label, correct, total, n) in pooled.items()
        ],
        conflict=("learner", "exam", "dimension", "key"),
        update=("label", "correct", "total", "attempts", "updated_at"),
    )
    return len(pooled)


def _recent_rows(keys: list[tuple]) -> list[tuple]:
    """(learner, exam, dimension, key, label, correct, total) of the WINDOW most recent score-report
    rows of each key: one index range scan per key (LATERAL … LIMIT)."""
    if not keys:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT k.learner_id, k.exam_id, k.dimension, k.key, r.label, r.correct, r.total
            FROM (
                SELECT (w->>0)::bigint AS learner_id, (w->>1)::bigint AS exam_id, w->>2 AS dimension, w->>3 AS key
                FROM jsonb_array_elements(%s::jsonb) AS w
            ) k
            CROSS JOIN LATERAL (
                SELECT label, correct, total FROM {ResultRow._meta.db_table} r
                WHERE r.learner_id = k.learner_id AND r.exam_id = k.exam_id
                  AND r.dimension = k.dimension AND r.key = k.key
                ORDER BY r.graded_at DESC
                LIMIT %s
            ) r
            """,  # noqa: S608 - the table name is ours; every value is a parameter
            [json_payload(keys), mastery.WINDOW],
        )
        return cursor.fetchall()


RESULT_COLUMNS = ("attempt", "correct", "total", "percent", "scaled_score", "passed", "time_taken_seconds",
                  "created_at")  # fmt: skip


def _grade(attempts: list[Attempt]) -> None:
    """Grade locked, submitted attempts: a fixed number of queries for the whole batch."""
    now = timezone.now()
    items = _items(attempts)
    contents = _mark(items)
    by_attempt: dict[object, list[GradedItem]] = defaultdict(list)
    for item in items:
        by_attempt[item.attempt_id].append(item)
    batch = [(a, sorted(by_attempt[a.pk], key=lambda i: i.position)) for a in attempts]
    with _pipelined():
        # Writes, in the order that lets PostgreSQL apply the larger ones while this process builds
        # the score reports; the mastery refresh's read is the first to wait for them.
        _save_marks(items)
        _review_update(batch, now)
        results, rows, mistakes, scores = [], [], [], {}
        sections_of = _sections_memo()
        for attempt, its in batch:
            values = _result_values(attempt, its, now)
            results.append((attempt.pk, *(values[c] for c in RESULT_COLUMNS[1:-1]), now))
            scores[str(attempt.pk)] = values["scaled_score"]
            r, m = _report_rows(attempt, its, contents, now, sections_of)
            rows += r
            mistakes += m
        insert_rows(AttemptResult, RESULT_COLUMNS, results)
        insert_rows(ResultRow, RESULT_ROW_COLUMNS, rows)
        insert_rows(Mistake, MISTAKE_COLUMNS, mistakes)
        mastery_refresh(
            learner_exams={(a.learner_id, a.exam_id) for a in attempts},
            now=now,
            keys=set(map(_section_key, rows)),
        )
        Attempt.objects.filter(pk__in=[a.pk for a in attempts]).update(
            status=Attempt.Status.GRADED, graded_at=now, updated_at=now
        )
    transaction.on_commit(lambda: _remember_graded(scores))


# Whether a batch's writes go through psycopg's pipeline mode (bench/grading_statements.py turns it
# off to time each statement on its own).
PIPELINE = True


@contextmanager
def _pipelined() -> Iterator[None]:
    """psycopg's pipeline mode on PostgreSQL: a statement is sent without waiting for its result, so
    the database works on it while this process computes the next (single-process grading used one
    of the two cores at a time). Results come back in order at the next read or at the end, where an
    error in any statement is raised as Django's DatabaseError, as it would have been at once."""
    if connection.vendor != "postgresql" or not PIPELINE:
        yield
        return
    connection.ensure_connection()
    with connection.wrap_database_errors, connection.connection.pipeline():
        yield


def _relaxed_commit() -> None:
    # Grading is derived data and idempotent: if a crash loses this commit, the attempts are still
    # "submitted" and the requeue sweep grades them again. So don't wait for the WAL flush.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


# Attempt id (as text) -> scaled score, for attempts this process graded (recorded once the batch
# committed). On a busy queue most deliveries are for attempts an earlier task's batch graded, in
# this process when one worker drains the queue: they are answered from here without a query.
_GRADED_HERE: dict[str, int] = {}
_GRADED_HERE_MAX = 100_000


def _remember_graded(scores: dict[str, int]) -> None:
    if len(_GRADED_HERE) + len(scores) > _GRADED_HERE_MAX:
        _GRADED_HERE.clear()
    _GRADED_HERE.update(scores)


def attempt_grade_score(*, attempt_id: object) -> int:
    """The grading task's entry: the attempt's scaled score (as graded; a later regrade is not
    reflected), grading it first when needed. An attempt graded already - by this process, or by
    another (one integer read, no model instance) - costs a delivery little besides the broker."""
    score = _GRADED_HERE.get(str(attempt_id))
    if score is not None:
        return score
    score = AttemptResult.objects.filter(attempt_id=attempt_id).values_list("scaled_score", flat=True).first()
    if score is not None:
        return score
    return attempt_grade(attempt_id=attempt_id).scaled_score


def attempt_grade(*, attempt_id: object, batch: int | None = None) -> AttemptResult:
    """Make sure the attempt is graded (with up to ``batch - 1`` other waiting attempts).

    Idempotent: a second call (a redelivered task) finds it graded and returns its result.
    """
    done = AttemptResult.objects.filter(attempt_id=attempt_id).first()
    if done is not None:
        return done  # graded already (in another task's batch, or this is a redelivery): one query
    _grade_attempt(attempt_id, batch or settings.EXAM_GRADE_BATCH, frozenset())
    return AttemptResult.objects.get(attempt_id=attempt_id)


def _grade_attempt(attempt_id: object, batch: int, skip: frozenset) -> int:
    """Grade the attempt in a batch (none of ``skip``); if the batch fails for a reason other than
    the database, the attempt alone. Returns how many attempts were graded."""
    try:
        return _grade_with(attempt_id, batch, skip)
    except (Conflict, Attempt.DoesNotExist):
        raise
    except DatabaseError:
        raise  # transient or not, the task decides whether to retry
    except Exception:
        if batch == 1:
            raise
        logger.exception("batch grading failed; grading attempt %s alone", attempt_id)
        return _grade_with(attempt_id, 1, skip)


def _waiting(excluding: list | set | frozenset):
    """Submitted attempts waiting to be graded, oldest first, locked (for the caller's transaction),
    passing over those another transaction holds - another worker is grading them."""
    return (
        Attempt.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(status__in=GRADABLE)
        .exclude(pk__in=excluding)
        .order_by("submitted_at")
    )


@transaction.atomic
def _grade_with(attempt_id: object, batch: int, skip: frozenset) -> int:
    first = Attempt.objects.select_for_update(of=("self",)).select_related("exam").get(pk=attempt_id)
    if first.status == Attempt.Status.GRADED:
        return 0
    if first.status == Attempt.Status.IN_PROGRESS:
        raise Conflict("An attempt in progress cannot be graded; submit it first.", code="not_submitted")
    _relaxed_commit()
    others = []
    if batch > 1:
        others = list(_waiting([first.pk, *skip]).select_related("exam")[: batch - 1])
    _grade([first, *others])
    return 1 + len(others)


def attempts_grade_waiting(*, seconds: float, batch: int | None = None) -> tuple[int, bool]:
    """Grade the submitted attempts waiting, oldest first, a batch per transaction, until none is left
    or ``seconds`` have passed. Returns (attempts graded, whether any are left).

    Attempts another worker is grading are passed over (their rows are locked). An attempt that
    cannot be graded even alone (a bug, bad data) is logged and left to the sweep, so it cannot hold
    the others back."""
    deadline = time.monotonic() + seconds
    batch = batch or settings.EXAM_GRADE_BATCH
    failed: set = set()
    graded = 0
    while True:
        with transaction.atomic():  # a glance: the lock only passes over attempts being graded
            oldest = _waiting(failed).values_list("pk", flat=True).first()
        if oldest is None:
            return graded, False
        if time.monotonic() >= deadline:
            return graded, True
        try:
            graded += _grade_attempt(oldest, batch, frozenset(failed))
        except (DatabaseError, Attempt.DoesNotExist):
            raise  # transient or not, the task decides whether to retry
        except Exception:
            logger.exception("attempt %s cannot be graded; left to the sweep", oldest)
            failed.add(oldest)


def attempts_requeue_ungraded(*, older_than: timedelta = timedelta(minutes=1)) -> int:
    """The sweep: hand every attempt submitted over a minute ago and still ungraded to a worker
    again (the broker may have been down at submit, or a worker lost). Returns how many."""
    from exams.services.taking import enqueue_grading

    cutoff = timezone.now() - older_than
    stuck = list(Attempt.objects.filter(status__in=GRADABLE, submitted_at__lt=cutoff).values_list("pk", flat=True))
    for pk in stuck:
        enqueue_grading(pk)
    return len(stuck)


# --- Regrading ----------------------------------------------------------------------------------------


@dataclass
class RegradeReport:
    regraded: int = 0
    changed: int = 0
    skipped: list[str] = field(default_factory=list)


def question_regrade(*, question: Question, by: AbstractBaseUser | None = None) -> RegradeReport:
    """Apply the question's current version (a corrected key) to every graded attempt that was marked
    with an earlier version, recording each attempt's old and new score. One transaction per attempt."""
    current = question_version_record(question=question)
    outcome = RegradeReport()
    attempt_ids = (
        AttemptItem.objects.filter(question=question, attempt__status=Attempt.Status.GRADED)
        .exclude(graded_version=current)
        .exclude(graded_version__isnull=True, version=current)
        .values_list("attempt_id", flat=True)
        .distinct()
    )
    for attempt_id in list(attempt_ids):
        with transaction.atomic():
            attempt = (
                Attempt.objects.select_for_update(of=("self",)).select_related("exam", "result").get(pk=attempt_id)
            )
            items = _items([attempt])
            item = next(i for i in items if i.question_id == question.pk)
            served = version_contents({item.version_id, current.pk})
            old_version = QuestionVersion.objects.get(pk=item.graded_version_id or item.version_id).version
            if not compatible(served[item.version_id], served[current.pk]):
                outcome.skipped.append(
                    f"attempt {attempt.pk}: version {current.version} does not line up with the options served "
                    f"in version {old_version}"
                )
                continue
            result = attempt.result
            before = (result.correct, result.scaled_score, result.passed)
            now = timezone.now()
            contents = _mark(items)  # every item is marked with its question's current compatible version
            _save_marks(items)
            values = _result_values(attempt, items, attempt.graded_at or now)
            for name, value in values.items():
                setattr(result, name, value)
            result.regraded_at = now
            result.save(update_fields=[*values, "regraded_at"])
            ResultRow.objects.filter(attempt=attempt).delete()
            Mistake.objects.filter(attempt=attempt).delete()
            rows, mistakes = _report_rows(
                attempt, sorted(items, key=lambda i: i.position), contents, attempt.graded_at or now
            )
            insert_rows(ResultRow, RESULT_ROW_COLUMNS, rows)
            insert_rows(Mistake, MISTAKE_COLUMNS, mistakes)
            mastery_refresh(learner_exams={(attempt.learner_id, attempt.exam_id)}, now=now)
            Regrade.objects.create(
                attempt=attempt, question=question, from_version=old_version, to_version=current.version,
                old_correct=before[0], new_correct=result.correct, old_scaled_score=before[1],
                new_scaled_score=result.scaled_score, old_passed=before[2], new_passed=result.passed,
                by=by if by is not None and by.is_authenticated else None, at=now,
            )  # fmt: skip
            outcome.regraded += 1
            outcome.changed += int(before[1] != result.scaled_score)
    return outcome
