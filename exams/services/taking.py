"""Writes for taking an exam: start, save an answer, lock, submit, expire.

The server is the only clock. An attempt's deadline is fixed at start; saves are accepted until
the deadline plus a short grace (``EXAM_SAVE_GRACE_SECONDS``) for saves already in flight, and an
overdue attempt is submitted automatically ("expired") on its next access and by a periodic sweep.
Every write to an attempt takes its row lock, so two tabs saving and submitting end consistently.
"""

from __future__ import annotations

import logging
import random
import secrets
import uuid
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.services import profile_get
from exams import scoring, snapshot
from exams.answers import AnswerError, validate_answer
from exams.catalogue import PLACEMENT, Entry, exam_catalogue, item_tags, pillars_and_services, placed
from exams.contents import version_content, version_contents
from exams.mastery import weakest
from exams.models import Attempt, AttemptItem, SeenQuestion
from exams.selection import Candidate, FormShortage, draw_form, draw_practice
from exams.selectors import attempt_get_for_learner, learner_mastery
from mlaexam.db import Columns, insert_rows, read_instances, update_rows
from mlaexam.errors import ApiError, Conflict
from questions.apportion import apportion
from questions.models import Exam, Question, QuestionVersion
from questions.services import question_version_record

logger = logging.getLogger("mlaexam.exams")

PRACTICE_DEFAULT_COUNT = 20
PRACTICE_MAX_COUNT = 65


def _grace() -> timedelta:
    return timedelta(seconds=settings.EXAM_SAVE_GRACE_SECONDS)


# --- Time -----------------------------------------------------------------------------------------


def attempt_time_limit(
    *, exam: Exam, mode: str, count: int, timed: bool, multiplier: Decimal, extra_minutes: int
) -> int | None:
    """Seconds allowed, or None when untimed.

    Full mocks and finals get the exam's time (130 minutes for MLA-C01); practice sets get
    ``PRACTICE_SECONDS_PER_QUESTION`` per question. The learner's accommodation applies to every
    timed attempt: the multiplier to the base time, and the extra minutes in full for a
    full-length form and in proportion to the number of questions for a shorter set (so +30
    minutes on 65 questions is +9 minutes on 20).
    """
    if not timed:
        return None
    if mode in (Attempt.Mode.FULL, Attempt.Mode.FINAL):
        base = exam.minutes * 60
        extra = extra_minutes * 60
    else:
        base = count * settings.PRACTICE_SECONDS_PER_QUESTION
        extra = round(extra_minutes * 60 * count / exam.question_count)
    return round(base * multiplier) + extra


def attempt_clock(attempt: Attempt, now: datetime | None = None) -> dict:
    """What every attempt response carries: the server's time, the deadline, the seconds left."""
    now = now or timezone.now()
    remaining = None
    if attempt.deadline is not None:
        remaining = 0 if not attempt.is_open else max(0, int((attempt.deadline - now).total_seconds()))
    return {"server_time": now, "deadline": attempt.deadline, "remaining_seconds": remaining}


# --- Starting an attempt ---------------------------------------------------------------------------


def _served(
    question_ids: list[int], exam: Exam, catalogue: dict[int, Entry]
) -> dict[int, tuple[QuestionVersion, dict, int, str]]:
    """For each question: the version it serves now, and its taxonomy at serving time (tags, domain
    number and task statement code in this exam), from the exam's catalogue (exams.catalogue); a
    question it does not hold, or whose version row is missing, is read from the database."""
    served, missing = {}, []
    for qid in question_ids:
        entry = catalogue.get(qid)
        if entry is None or entry.version_id is None:
            missing.append(qid)
            continue
        version = QuestionVersion(id=entry.version_id, question_id=qid, version=entry.version)
        served[qid] = (version, entry.tags, entry.domain, entry.task)
    if missing:
        served.update(_served_from_db(missing, exam))
    return served


def _served_from_db(question_ids: list[int], exam: Exam) -> dict[int, tuple[QuestionVersion, dict, int, str]]:
    """As ``_served``, read from the database: five light queries whatever the number of questions;
    a missing version row (a question published outside the services) is recorded on the spot."""
    versions = {
        v.question_id: v
        for v in QuestionVersion.objects.filter(question_id__in=question_ids, version=F("question__version")).only(
            "id", "question_id", "version"
        )
    }
    for question in Question.objects.filter(pk__in=[q for q in question_ids if q not in versions]):
        versions[question.pk] = question_version_record(question=question)
    pillars, aws = pillars_and_services(question_ids)
    served = {}
    for row in Question.objects.filter(pk__in=question_ids).values_list(
        "id",
        "uid",
        "stage",
        "difficulty",
        *PLACEMENT,
    ):
        qid, uid, stage, difficulty = row[:4]
        number, domain_name, code, title = placed(exam, row[4:])
        tags = item_tags(uid, domain_name, title, pillars[qid], stage, aws[qid], difficulty)
        served[qid] = (versions[qid], tags, number, code)
    return served


def _last_seen(learner: AbstractBaseUser) -> dict[int, object]:
    """Question id -> when the learner was last served it, as a value that orders like the time
    (selection only compares them). On PostgreSQL, seconds since the epoch: a learner who has seen
    the whole bank has a thousand rows, and building a thousand aware datetimes cost more than the
    query."""
    if connection.vendor != "postgresql":
        return dict(SeenQuestion.objects.filter(learner=learner).values_list("question_id", "last_seen_at"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT question_id, extract(epoch FROM last_seen_at)::float8 FROM {SeenQuestion._meta.db_table} "  # noqa: S608
            "WHERE learner_id = %s",
            [learner.pk],
        )
        return dict(cursor.fetchall())


def _candidates(
    *, exam: Exam, learner: AbstractBaseUser, filters: dict, catalogue: dict[int, Entry] | None = None
) -> list[Candidate]:
    """Published questions of the exam (directly or through the mapping) that pass the filters,
    each with when the learner was last served it. The bank comes from the exam's catalogue
    (exams.catalogue); only the learner's history is read here."""
    catalogue = exam_catalogue(exam) if catalogue is None else catalogue
    seen = _last_seen(learner)
    domains, tasks = set(filters.get("domains") or []), set(filters.get("task_statements") or [])
    types, stages = set(filters.get("types") or []), set(filters.get("stages") or [])
    difficulties = set(filters.get("difficulties") or [])
    pillars, services = set(filters.get("pillars") or []), set(filters.get("services") or [])
    candidates = []
    for entry in catalogue.values():
        if (
            (domains and entry.domain not in domains)
            or (tasks and entry.task not in tasks)
            or (types and entry.type not in types)
            or (stages and entry.stage not in stages)
            or (difficulties and entry.difficulty not in difficulties)
            or (pillars and pillars.isdisjoint(entry.pillars))
            or (services and services.isdisjoint(entry.services))
        ):
            continue
        candidates.append(Candidate(entry.id, entry.domain, entry.case_id, entry.case_order, seen.get(entry.id)))
    return candidates


def _shortage_message(exam: Exam, shortage: FormShortage) -> str:
    parts = [
        f"domain {d} is short by {n} (needs {shortage.need[d]}, has {shortage.have.get(d, 0)})"
        for d, n in sorted(shortage.missing.items())
    ]
    return (
        f"The question bank cannot fill a full {exam.code} form of {exam.question_count} questions: "
        + "; ".join(parts)
        + ". Ask an author to publish more questions in those domains, or start a practice set."
    )


ITEM_COLUMNS = ("attempt", "position", "question", "version", "layout", "tags", "domain_number", "task_code",
                "flagged", "seconds_spent")  # fmt: skip


@transaction.atomic
def attempt_start(
    *,
    learner: AbstractBaseUser,
    exam: Exam,
    mode: str,
    count: int | None = None,
    filters: dict | None = None,
    timed: bool = True,
    feedback: str = Attempt.Feedback.END,
    question_ids: list[int] | None = None,
) -> tuple[Attempt, list[AttemptItem]]:
    """Draw the questions, snapshot each as served, and start the clock. Returns the attempt and
    its items (with their versions), so the caller needs no second read.

    ``question_ids`` lets a caller that has already chosen the questions (weak-area practice,
    "practise these") skip the draw; they are served in the order given.
    """
    filters = filters or {}
    rng = random.Random(secrets.randbits(64))  # noqa: S311 - shuffling, not secrets
    catalogue = exam_catalogue(exam)
    if question_ids is None:
        candidates = _candidates(exam=exam, learner=learner, filters=filters, catalogue=catalogue)
        if mode in (Attempt.Mode.FULL, Attempt.Mode.FINAL):
            domains = list(exam.domains.all())
            seats = apportion(exam.question_count, [d.weight for d in domains])
            quotas = {d.number: n for d, n in zip(domains, seats, strict=True)}
            try:
                question_ids = draw_form(candidates, quotas, rng, oldest_first=mode == Attempt.Mode.FINAL)
            except FormShortage as shortage:
                raise Conflict(_shortage_message(exam, shortage), code="bank_too_small") from None
        else:
            question_ids = draw_practice(candidates, count or PRACTICE_DEFAULT_COUNT, rng)
            if not question_ids:
                raise Conflict(
                    "No published question matches these filters. Widen the filters and try again.",
                    code="no_questions",
                )
    if not question_ids:
        raise Conflict("Nothing to practise: no published question fits.", code="no_questions")
    if mode in (Attempt.Mode.FULL, Attempt.Mode.FINAL):
        timed, feedback = True, Attempt.Feedback.END  # exam conditions
    served = _served(question_ids, exam, catalogue)
    profile = profile_get(user=learner)
    now = timezone.now()
    limit = attempt_time_limit(
        exam=exam,
        mode=mode,
        count=len(question_ids),
        timed=timed,
        multiplier=profile.time_multiplier,
        extra_minutes=profile.extra_minutes,
    )
    attempt = Attempt(
        learner=learner,
        exam=exam,
        mode=mode,
        feedback=feedback,
        timed=timed,
        filters=filters,
        question_count=len(question_ids),
        time_limit_seconds=limit,
        started_at=now,
        deadline=now + timedelta(seconds=limit) if limit is not None else None,
    )
    # The learner and the exam were just read; skip re-checking that they exist (and the new uuid).
    attempt.full_clean(exclude=["learner", "exam", "id"], validate_unique=False)
    attempt.save(force_insert=True)
    contents = version_contents({version.pk for version, _, _, _ in served.values()})
    for version, _, _, _ in served.values():
        version.content = contents[version.pk]  # from the cache, so a caller reading it makes no query
    items, rows = [], []
    for position, qid in enumerate(question_ids, start=1):
        version, tags, domain, task = served[qid]
        layout = snapshot.make_layout(contents[version.pk], rng)
        items.append(
            AttemptItem(attempt=attempt, position=position, question_id=qid, version=version, layout=layout,
                        tags=tags, domain_number=domain, task_code=task)
        )  # fmt: skip
        rows.append((attempt.pk, position, qid, version.pk, layout, tags, domain, task, False, 0))
    # One statement each, from a JSON payload (mlaexam.db): bulk_create's per-value SQL building was
    # a third of a start's time.
    ids = dict(insert_rows(AttemptItem, ITEM_COLUMNS, rows, returning=("position", "id")))
    for item in items:
        item.pk = ids[item.position]
        item._state.adding, item._state.db = False, "default"  # as bulk_create leaves them: saved
    insert_rows(
        SeenQuestion,
        ("learner", "question", "last_seen_at", "misses", "streak", "last_correct", "due_at"),
        [(learner.pk, qid, now, 0, 0, None, None) for qid in question_ids],
        conflict=("learner", "question"),
        update=("last_seen_at",),
    )
    return attempt, items


def weak_area_questions(
    *, learner: AbstractBaseUser, exam: Exam, count: int = PRACTICE_DEFAULT_COUNT
) -> tuple[list[int], dict]:
    """A weak-areas set: questions due for spaced review first (exams.review; most overdue first),
    then questions from the learner's three weakest task statements (exams.mastery), unseen first,
    leaving out missed questions whose review interval has not passed yet. Returns the question ids
    and what the set was drawn from."""
    masteries = learner_mastery(learner=learner, exam=exam, dimensions=("task",))
    if not masteries:
        raise Conflict(
            "There are no weak areas to practise yet: take a full mock or a practice set first.", code="no_history"
        )
    weak = [m.key for m in weakest(masteries, 3)]
    now = timezone.now()
    in_exam = Q(question__task_statement__domain__exam=exam) | Q(question__alt_task_statement__domain__exam=exam)
    mine = SeenQuestion.objects.filter(learner=learner).filter(in_exam)
    due = list(
        mine.filter(due_at__lte=now, question__status=Question.Status.PUBLISHED, question__type__in=exam.question_types)
        .order_by("due_at")
        .values_list("question_id", flat=True)[:count]
    )
    resting = set(mine.filter(due_at__gt=now).values_list("question_id", flat=True))
    skip = resting | set(due)
    candidates = [
        c for c in _candidates(exam=exam, learner=learner, filters={"task_statements": weak}) if c.id not in skip
    ]
    rng = random.Random(secrets.randbits(64))  # noqa: S311 - shuffling, not secrets
    fill = draw_practice(candidates, count - len(due), rng) if count > len(due) else []
    return due + fill, {"task_statements": weak, "review": [len(due)]}


def retry_questions(*, learner: AbstractBaseUser, exam: Exam, attempt_id: object, which: str = "wrong") -> list[int]:
    """The questions of one of the learner's graded attempts to practise again ("practise these"),
    in their original order: the ones answered wrong, the flagged ones, or either."""
    attempt = attempt_get_for_learner(attempt_id=attempt_id, learner=learner)
    if attempt.exam_id != exam.pk:
        raise ApiError(
            f"that attempt was a {attempt.exam.code} exam, not {exam.code}", code="wrong_exam", field="retry"
        )
    if attempt.status != Attempt.Status.GRADED:
        raise Conflict("Only a graded attempt's questions can be practised again.", code="not_graded", field="retry")
    wanted = Q(is_correct=False) if which == "wrong" else Q(flagged=True)
    if which == "wrong_or_flagged":
        wanted = Q(is_correct=False) | Q(flagged=True)
    ids = list(attempt.items.filter(wanted).order_by("position").values_list("question_id", flat=True))
    published = set(Question.objects.filter(pk__in=ids, status=Question.Status.PUBLISHED).values_list("pk", flat=True))
    chosen = [q for q in ids if q in published][:PRACTICE_MAX_COUNT]
    if not chosen:
        raise Conflict("There is nothing to practise again in that attempt.", code="no_questions", field="retry")
    return chosen


# --- Saving, locking, submitting ------------------------------------------------------------------


def _locked_attempt(*, attempt_id: object, learner: AbstractBaseUser) -> Attempt:
    """The learner's attempt under its row lock (another learner's id is a 404)."""
    return attempt_get_for_learner(attempt_id=attempt_id, learner=learner, for_update=True)


def _ensure_open(attempt: Attempt, now: datetime) -> None:
    if attempt.status != Attempt.Status.IN_PROGRESS:
        raise Conflict(
            f"This attempt is {attempt.get_status_display().lower()}; answers can no longer change.",
            code="attempt_closed",
        )
    if attempt.deadline is not None and now > attempt.deadline + _grace():
        raise Conflict("Time is up: the deadline for this attempt has passed.", code="time_up")


_SAVE_ATTEMPT = Columns.of(Attempt, "a", only=("id", "learner_id", "status", "question_count", "deadline"))
# Everything an item response or a save needs; tags and the domain/task copies are grading's.
_SAVE_ITEM = Columns.of(AttemptItem, "i", exclude=("tags", "domain_number", "task_code"))
_SAVE_SQL = (
    f"SELECT {_SAVE_ATTEMPT.sql}, {_SAVE_ITEM.sql} FROM {_SAVE_ATTEMPT.table}"  # noqa: S608
    f" JOIN {_SAVE_ITEM.table} ON i.attempt_id = a.id"
    " WHERE a.id = %s AND a.learner_id = %s AND i.position = %s FOR UPDATE OF a, i"
)
_SAVED_FIELDS = ["answer", "flagged", "answered_at", "seconds_spent"]


def _locked_attempt_item(
    *, attempt_id: object, learner: AbstractBaseUser, position: int
) -> tuple[Attempt, AttemptItem] | None:
    """Autosave's hot path on PostgreSQL: the learner's attempt and its item at ``position``, both
    under their row locks, in one query read raw (the ORM's compiling and model building were a third
    of an autosave's CPU). Locking the item as well as the attempt makes PostgreSQL return the item as
    a save that committed while this one waited for the lock left it, not as it was when the query
    began. None when nothing matched (another learner's attempt, a malformed id, a position outside
    the attempt) or off PostgreSQL: the caller takes the general path, which says which it was."""
    if connection.vendor != "postgresql":
        return None
    try:
        pk = uuid.UUID(str(attempt_id))
    except ValueError:
        return None
    if not 1 <= position <= 32767:  # a smallint column; a larger number cannot match
        return None
    found = read_instances(_SAVE_SQL, [pk, learner.pk, position], [_SAVE_ATTEMPT, _SAVE_ITEM])
    return (found[0], found[1]) if found else None


def _item(attempt: Attempt, position: int) -> AttemptItem:
    if not 1 <= position <= attempt.question_count:
        raise ApiError(
            f"position {position} is outside this attempt (1 to {attempt.question_count})",
            code="invalid_position",
            field="position",
        )
    return AttemptItem.objects.get(attempt=attempt, position=position)


def item_correct(item: AttemptItem) -> bool:
    content = version_content(item.version_id)
    return scoring.item_correct(content["type"], item.answer, snapshot.key(content, item.layout))


class InvalidAnswer(ApiError):
    default_code = "invalid_answer"


@transaction.atomic
def answer_save(
    *,
    attempt_id: object,
    learner: AbstractBaseUser,
    position: int,
    answer: object,
    flagged: bool,
    seconds_spent: int | None = None,
) -> tuple[Attempt, AttemptItem]:
    """Autosave one answer (idempotent). Refused after the deadline (+grace), a submit or a lock."""
    now = timezone.now()
    # The attempt's row lock first, then the item's (one query on PostgreSQL, which locks them in that
    # order, as every other writer of items does; two queries elsewhere).
    found = _locked_attempt_item(attempt_id=attempt_id, learner=learner, position=position)
    if found is not None:
        attempt, item = found
        _ensure_open(attempt, now)
    else:
        attempt = _locked_attempt(attempt_id=attempt_id, learner=learner)
        _ensure_open(attempt, now)
        item = _item(attempt, position)
    if item.locked_at is not None:
        raise Conflict(
            f"Question {position} is locked: its answer was checked and can no longer change.", code="item_locked"
        )
    try:
        normalised = validate_answer(snapshot.public(version_content(item.version_id), item.layout), answer)
    except AnswerError as exc:
        raise InvalidAnswer(exc.message, field="answer") from None
    spent = max(item.seconds_spent, seconds_spent or 0)  # a running total: retries never double-count
    if item.answer != normalised or item.flagged != flagged or item.seconds_spent != spent:
        item.answer = normalised
        item.flagged = flagged
        item.seconds_spent = spent
        item.answered_at = now if normalised is not None else None
        update_rows(AttemptItem, ["id"], _SAVED_FIELDS, [[item.pk, *(getattr(item, f) for f in _SAVED_FIELDS)]])
    return attempt, item


@transaction.atomic
def item_lock(*, attempt_id: object, learner: AbstractBaseUser, position: int) -> tuple[Attempt, AttemptItem]:
    """Immediate feedback: lock the saved answer of one question and mark it."""
    now = timezone.now()
    attempt = _locked_attempt(attempt_id=attempt_id, learner=learner)
    if attempt.feedback != Attempt.Feedback.IMMEDIATE:
        raise Conflict(
            "This attempt gives feedback at the end; questions cannot be locked one by one.", code="feedback_at_end"
        )
    item = _item(attempt, position)
    if item.locked_at is not None:
        return attempt, item  # locking twice is one lock
    _ensure_open(attempt, now)
    if item.answer is None:
        raise ApiError(f"Answer question {position} before checking it.", code="unanswered")
    item.locked_at = now
    item.is_correct = item_correct(item)
    item.save(update_fields=["locked_at", "is_correct"])
    return attempt, item


def enqueue_grading(attempt_id: object, *, queue: str | None = None) -> bool:
    """Hand the attempt to a worker, unless a grading task is waiting in the queue already: that task
    grades every waiting attempt, this one included (exams.grading_queue). Returns whether a message
    was published. ``queue``: where to publish (a grading task handing on its rest names its own);
    by default, where the routing configuration sends the task. A broker outage must not lose a
    submission: the submission is already committed, and the periodic sweep re-enqueues anything
    left ungraded."""
    from exams import grading_queue
    from exams.tasks import grade_attempt

    key = None
    try:
        key = grading_queue.claim(queue or grading_queue.queue_of(grade_attempt))
        if key is None:
            return False
        options = {"queue": queue} if queue else {}
        grade_attempt.apply_async(args=[str(attempt_id)], kwargs={"waiting_key": key} if key else None, **options)
        return True
    except Exception:
        logger.warning("could not enqueue grading of attempt %s; the sweep will retry", attempt_id, exc_info=True)
        if key:
            grading_queue.release(key)  # no task is waiting after all; let the next submission publish
        return False


def _close(attempt: Attempt, now: datetime) -> None:
    overdue = attempt.deadline is not None and now > attempt.deadline + _grace()
    attempt.status = Attempt.Status.EXPIRED if overdue else Attempt.Status.SUBMITTED
    attempt.submitted_at = min(now, attempt.deadline) if overdue and attempt.deadline else now
    attempt.save(update_fields=["status", "submitted_at", "updated_at"])
    transaction.on_commit(lambda: enqueue_grading(attempt.pk))


@transaction.atomic
def attempt_submit(*, attempt_id: object, learner: AbstractBaseUser) -> Attempt:
    """Submit (idempotent: a second submit returns the same submission)."""
    attempt = _locked_attempt(attempt_id=attempt_id, learner=learner)
    if attempt.status == Attempt.Status.IN_PROGRESS:
        _close(attempt, timezone.now())
    return attempt


def attempt_expire_if_due(*, attempt: Attempt) -> Attempt:
    """Submit an overdue attempt at its deadline; called on every access to an attempt."""
    now = timezone.now()
    if attempt.status != Attempt.Status.IN_PROGRESS or attempt.deadline is None:
        return attempt
    if now <= attempt.deadline + _grace():
        return attempt
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if locked.status == Attempt.Status.IN_PROGRESS:
            _close(locked, now)
        return locked


def attempts_expire_overdue() -> int:
    """The periodic sweep: submit every attempt past its deadline (+grace). Returns how many."""
    cutoff = timezone.now() - _grace()
    count = 0
    for pk in Attempt.objects.filter(status=Attempt.Status.IN_PROGRESS, deadline__lt=cutoff).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            attempt = Attempt.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
            if attempt is not None and attempt.status == Attempt.Status.IN_PROGRESS:
                _close(attempt, timezone.now())
                count += 1
    return count
