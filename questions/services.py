"""Writes to the question bank: blueprints, the bank loader, versions, publishing, duplicating."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from questions import rules
from questions.bankcheck import check_bank
from questions.bankfile import BankFile, BankQuestion, FileProblem, bank_files, parse_bank_file
from questions.blueprint import PILLARS, Catalog, read_catalog
from questions.models import Case, Domain, Exam, Option, Pillar, Question, QuestionVersion, Service, TaskStatement
from questions.selectors import question_problems, question_rule_data

# --- Blueprints -------------------------------------------------------------------------------


@transaction.atomic
def blueprints_load(*, catalog: Catalog | None = None) -> Catalog:
    """Upsert exams, domains, task statements, pillars and services from the blueprint files."""
    catalog = catalog or read_catalog(settings.BLUEPRINT_DIR)
    for slug, name in PILLARS.items():
        Pillar.objects.update_or_create(slug=slug, defaults={"name": name})
    for spec in catalog.exams.values():
        exam, _ = Exam.objects.update_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "question_count": spec.question_count,
                "scored_count": spec.scored_count,
                "minutes": spec.minutes,
                "passing_score": spec.passing_score,
                "score_min": spec.score_min,
                "score_max": spec.score_max,
                "pass_fraction": spec.pass_fraction,
                "question_types": spec.question_types,
                "notes": spec.notes,
            },
        )
        for d in spec.domains:
            domain, _ = Domain.objects.update_or_create(
                exam=exam, number=d.number, defaults={"name": d.name, "weight": d.weight}
            )
            for ts in d.task_statements:
                TaskStatement.objects.update_or_create(
                    domain=domain, code=ts.code, defaults={"title": ts.title, "covers": ts.covers}
                )
    existing = set(Service.objects.values_list("name", flat=True))
    Service.objects.bulk_create([Service(name=n) for n in catalog.services if n not in existing])
    return catalog


# --- Versions ---------------------------------------------------------------------------------


def question_version_sync(*, question: Question, user: AbstractBaseUser | None = None, source: str) -> bool:
    """Record a new version when the content or key of a question that was published changed.

    A draft that was never published has no versions (no attempt can have served it). The first
    publication records the current version; afterwards every change to the stem, the options,
    the key or an explanation raises the version by one. Returns True when a version was recorded.
    """
    content = rules.question_content(question_rule_data(question))
    digest = rules.content_fingerprint(content)
    last = question.versions.order_by("-version").first()
    recorded = False
    if last is None and question.status == Question.Status.PUBLISHED:
        recorded = True
    elif last is not None and last.content_hash != digest:
        question.version = last.version + 1
        recorded = True
    if recorded:
        QuestionVersion.objects.create(
            question=question,
            version=question.version,
            content=content,
            content_hash=digest,
            created_by=user if user is not None and user.is_authenticated else None,
            source=source,
        )
    if recorded or question.content_hash != digest:
        question.content_hash = digest
        question.save(update_fields=["version", "content_hash"])
    return recorded


def question_version_record(*, question: Question) -> QuestionVersion:
    """The row of the question's current version, recorded now if missing (a question published
    outside these services, e.g. by a bulk insert), so that an attempt can always serve it."""
    question_version_sync(question=question, source="serve")
    row = QuestionVersion.objects.filter(question=question, version=question.version).first()
    if row is None:
        content = rules.question_content(question_rule_data(question))
        row = QuestionVersion.objects.create(
            question=question,
            version=question.version,
            content=content,
            content_hash=rules.content_fingerprint(content),
            source="serve",
        )
    return row


# --- Publishing, retiring, duplicating ------------------------------------------------------------


@dataclass
class PublishReport:
    published: list[str] = field(default_factory=list)
    refused: dict[str, list[str]] = field(default_factory=dict)


@transaction.atomic
def questions_publish(*, questions: list[Question], user: AbstractBaseUser | None = None) -> PublishReport:
    """Publish each question that passes every rule; report the others with their problems."""
    report = PublishReport()
    for question in questions:
        question.status = Question.Status.PUBLISHED
        problems = [str(p) for p in question_problems(question)]
        try:
            question.full_clean()
        except ValidationError as exc:
            problems += [f"{f}: {m}" for f, ms in exc.message_dict.items() for m in ms]
        if problems:
            report.refused[question.uid] = sorted(set(problems))
            continue
        question.save(update_fields=["status", "updated_at"])
        question_version_sync(question=question, user=user, source="admin")
        report.published.append(question.uid)
    return report


@transaction.atomic
def questions_retire(*, questions: list[Question]) -> int:
    """Retire questions: they stay in the bank (attempts refer to them) but are never drawn again."""
    count = 0
    for question in questions:
        if question.status != Question.Status.RETIRED:
            question.status = Question.Status.RETIRED
            question.save(update_fields=["status", "updated_at"])
            count += 1
    return count


@transaction.atomic
def question_duplicate(*, question: Question) -> Question:
    """A draft copy under a new uid, with the same options and taxonomy, outside any case study."""
    base = f"{question.uid}-copy"[:95]
    uid, n = base, 1
    while Question.objects.filter(uid=uid).exists():
        n += 1
        uid = f"{base}-{n}"
    copy = Question(
        uid=uid,
        type=question.type,
        stem=question.stem,
        task_statement_id=question.task_statement_id,
        alt_task_statement_id=question.alt_task_statement_id,
        stage=question.stage,
        difficulty=question.difficulty,
        explanation=question.explanation,
        references=list(question.references),
        status=Question.Status.DRAFT,
    )
    copy.full_clean()
    copy.save()
    copy.pillars.set(question.pillars.all())
    copy.services.set(question.services.all())
    Option.objects.bulk_create(
        [
            Option(
                question=copy,
                order=o.order,
                text=o.text,
                explanation=o.explanation,
                is_correct=o.is_correct,
                position=o.position,
                prompt=o.prompt,
            )
            for o in question.options.all()
        ]
    )
    return copy


# --- The bank loader ----------------------------------------------------------------------------


@dataclass
class BankReport:
    files: int = 0
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    retired: list[str] = field(default_factory=list)
    failed_files: list[str] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class _FileRejected(Exception):
    def __init__(self, problems: list[FileProblem]) -> None:
        self.problems = problems


def _display_path(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def bank_read(*, bank_dir: Path, catalog: Catalog) -> list[BankFile]:
    """Parse and check every bank file; problems are attached to their files."""
    files = []
    for path in bank_files(bank_dir):
        display = _display_path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            bank = BankFile(path=display)
            bank.problem(1, f"not UTF-8 text ({exc.reason} at byte {exc.start})")
            files.append(bank)
            continue
        bank = parse_bank_file(text, display)
        bank.source = path.relative_to(bank_dir).as_posix()  # type: ignore[attr-defined]
        files.append(bank)
    check_bank(files, catalog)
    return files


def bank_load(*, bank_dir: Path | None = None, dry_run: bool = False) -> BankReport:
    """Upsert the bank files into the database by uid.

    Each file loads in its own transaction: a file with any problem loads nothing, and its problems
    are reported as ``file:line: message``. Unchanged questions are not written, so loading twice
    changes nothing. A question whose uid no longer appears in any file is retired, never deleted
    (attempts refer to it); questions of a file that failed to load are left as they are.
    With ``dry_run`` everything is computed and rolled back.
    """
    bank_dir = bank_dir or settings.BANK_DIR
    report = BankReport()
    with transaction.atomic():
        catalog = blueprints_load()
        files = bank_read(bank_dir=bank_dir, catalog=catalog)
        report.files = len(files)
        lookups = _Lookups()
        for bank in files:
            if bank.problems:
                report.failed_files.append(getattr(bank, "source", bank.path))
                report.problems.extend(bank.problems)
                continue
            try:
                with transaction.atomic():
                    _bank_file_write(bank, lookups, report)
            except _FileRejected as rejected:
                report.failed_files.append(bank.source)  # type: ignore[attr-defined]
                report.problems.extend(rejected.problems)
        in_files = {q.uid for bank in files for q in bank.questions}
        stale = (
            Question.objects.exclude(source_file="")
            .exclude(status=Question.Status.RETIRED)
            .exclude(uid__in=in_files)
            .exclude(source_file__in=report.failed_files)
        )
        report.retired = sorted(stale.values_list("uid", flat=True))
        stale.update(status=Question.Status.RETIRED)
        if dry_run:
            transaction.set_rollback(True)
    return report


class _Lookups:
    def __init__(self) -> None:
        self.tasks = {
            f"{ts.domain.exam.code} {ts.code}": ts for ts in TaskStatement.objects.select_related("domain__exam")
        }
        self.pillars = {p.slug: p for p in Pillar.objects.all()}
        self.services = {s.name: s for s in Service.objects.all()}


def _record_of_bank(q: BankQuestion, fields: dict) -> dict:
    return {
        **fields,
        "pillars": sorted(q.pillars),
        "services": sorted(q.services),
        "options": rules.question_content(q.rule_data())["options"],
    }


def _record_of_db(question: Question) -> dict:
    return {
        "type": question.type,
        "stem": question.stem,
        "explanation": question.explanation,
        "status": question.status,
        "difficulty": question.difficulty,
        "stage": question.stage,
        "references": question.references,
        "teaches": question.teaches,
        "task_statement_id": question.task_statement_id,
        "alt_task_statement_id": question.alt_task_statement_id,
        "case_id": question.case_id,
        "case_order": question.case_order,
        "source_file": question.source_file,
        "pillars": sorted(p.slug for p in question.pillars.all()),
        "services": sorted(s.name for s in question.services.all()),
        "options": rules.question_content(
            question.as_rule_data(options=[o.as_rule_data() for o in question.options.all()])
        )["options"],
    }


def _bank_file_write(bank: BankFile, lookups: _Lookups, report: BankReport) -> None:
    source = bank.source  # type: ignore[attr-defined]
    cases: dict[str, Case] = {}
    rewritten: set[int] = set()  # cases whose scenario a learner sees changed: their questions get new versions
    for c in bank.cases:
        case = Case.objects.filter(uid=c.uid).first()
        if case is None:
            case = Case.objects.create(uid=c.uid, title=c.title, scenario=c.scenario, source_file=source)
        elif (case.title, case.scenario, case.source_file) != (c.title, c.scenario, source):
            if (case.title, case.scenario) != (c.title, c.scenario):
                rewritten.add(case.pk)
            case.title, case.scenario, case.source_file = c.title, c.scenario, source
            case.full_clean()
            case.save(update_fields=["title", "scenario", "source_file"])
        cases[c.uid] = case
    # Where each question sits in its case study: file order within the case.
    placement: dict[str, tuple[int | None, int | None]] = {}
    case_counter: dict[str, int] = {}
    for q in bank.questions:
        if q.case:
            case_counter[q.case] = case_counter.get(q.case, 0) + 1
            placement[q.uid] = (cases[q.case].pk, case_counter[q.case])
        else:
            placement[q.uid] = (None, None)
    # Free the case positions that change before writing any, so a reorder never collides with
    # the unique (case, case_order) constraint.
    moving = [
        pk
        for pk, uid, case_id, order in Question.objects.filter(case__in=cases.values()).values_list(
            "pk", "uid", "case_id", "case_order"
        )
        if placement.get(uid) != (case_id, order)
    ]
    Question.objects.filter(pk__in=moving).update(case=None, case_order=None)
    existing = {
        q.uid: q
        for q in Question.objects.filter(uid__in=[q.uid for q in bank.questions])
        .order_by()
        .prefetch_related("pillars", "services", "options")
    }
    problems: list[FileProblem] = []
    for q in bank.questions:
        case_id, case_order = placement[q.uid]
        fields = {
            "type": q.type,
            "stem": q.stem,
            "explanation": q.explanation,
            "status": q.status,
            "difficulty": q.difficulty,
            "stage": q.stage,
            "references": q.references,
            "teaches": q.teaches,
            "task_statement_id": lookups.tasks[q.task].pk,
            "alt_task_statement_id": lookups.tasks[q.also].pk if q.also else None,
            "case_id": case_id,
            "case_order": case_order,
            "source_file": source,
        }
        question = existing.get(q.uid)
        if question is not None and _record_of_db(question) == _record_of_bank(q, fields):
            report.unchanged += 1
            continue
        created = question is None
        if created:
            question = Question(uid=q.uid)
        for name, value in fields.items():
            setattr(question, name, value)
        try:
            question.full_clean()
        except ValidationError as exc:
            problems += [
                FileProblem(bank.path, q.line_of(f), f"question {q.uid}: {f}: {m}")
                for f, ms in exc.message_dict.items()
                for m in ms
            ]
            continue
        question.save()
        question.pillars.set([lookups.pillars[p] for p in q.pillars])
        question.services.set([lookups.services[s] for s in q.services])
        _options_sync(question, q.options)
        question_version_sync(question=question, source="bank")
        (report.created if created else report.updated).append(q.uid)
    if problems:
        raise _FileRejected(problems)
    written = set(report.created) | set(report.updated)
    for question in Question.objects.filter(case_id__in=rewritten).exclude(uid__in=written):
        if question_version_sync(question=question, source="bank"):
            report.updated.append(question.uid)
            report.unchanged -= 1


def _options_sync(question: Question, wanted: list[rules.OptionData]) -> None:
    """Update options in place, in order, so option ids stay stable across text edits."""
    current = list(Option.objects.filter(question=question).order_by("order", "pk"))
    for index, data in enumerate(wanted):
        option = current[index] if index < len(current) else Option(question=question)
        option.order = index + 1
        option.text = data.text
        option.explanation = data.explanation
        option.is_correct = data.is_correct
        option.position = data.position
        option.prompt = data.prompt
        option.full_clean(exclude=["question"])
        option.save()
    Option.objects.filter(pk__in=[o.pk for o in current[len(wanted) :]]).delete()


def question_options_renumber(*, question: Question) -> None:
    """Number options 1..n in their current order (the admin inline lets authors leave order blank)."""
    for index, option in enumerate(question.options.order_by("order", "pk"), start=1):
        if option.order != index:
            option.order = index
            option.save(update_fields=["order"])
