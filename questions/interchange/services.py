"""Importing and exporting questions: GIFT, Moodle XML, CSV and the bank format.

An import reads the whole file first and reports, without writing anything, what it would create,
update and skip, every problem as ``line: message``, and for each question what an author still
has to fill in before it can be published. Only a file without problems is imported, in one
transaction, and every imported question lands as a **draft**: an import never publishes and never
changes a published question. Types the platform does not support are skipped and named with
their line, never dropped silently and never half-imported.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet
from django.utils.text import slugify

from questions import rules
from questions.blueprint import PILLARS, distractor_pairs
from questions.interchange import bankfmt, csvfmt, gift, moodlexml
from questions.interchange.model import Case as CaseData
from questions.interchange.model import FormatError, Item, Parsed, Taxonomy
from questions.models import Case, Option, Pillar, Question, Service, TaskStatement

FORMATS = {
    "gift": ("GIFT", ".gift.txt", "text/plain; charset=utf-8"),
    "moodlexml": ("Moodle XML", ".xml", "application/xml; charset=utf-8"),
    "csv": ("CSV", ".csv", "text/csv; charset=utf-8"),
    "bank": ("bank file (YAML)", ".yaml", "application/yaml; charset=utf-8"),
}
CATEGORY_TAG = "category:"
UID_MAX = 100


def max_bytes() -> int:
    return settings.QUESTION_IMPORT_MAX_BYTES


# --- Reading a file -----------------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FormatError(
            f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line}); save it as UTF-8 and try again"
        ) from None
    return text


def parse(data: bytes, fmt: str) -> Parsed:
    """Read a file in one of ``FORMATS``; a file that cannot be read at all raises FormatError."""
    if fmt not in FORMATS:
        raise FormatError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if len(data) > max_bytes():
        raise FormatError(
            f"the file is {len(data):,} bytes; the limit is {max_bytes():,} bytes (QUESTION_IMPORT_MAX_BYTES). "
            "Split it into smaller files."
        )
    if not data.strip():
        raise FormatError("the file is empty")
    if b"\x00" in data[:8192]:
        raise FormatError("this is not a text file (it contains binary data); export the questions as text")
    if fmt == "moodlexml":
        return moodlexml.parse(data)
    text = _decode(data)
    return {"gift": gift.parse, "csv": csvfmt.parse, "bank": bankfmt.parse}[fmt](text)


# --- The plan: what an import would do --------------------------------------------------------------------


@dataclass
class Planned:
    item: Item
    uid: str
    action: str  # "create" or "update"
    todo: list[str] = field(default_factory=list)  # what publishing still needs

    def describe(self) -> str:
        lines = [f"{self.item.line}: {self.action} {self.uid} ({self.item.type})"]
        lines += [f"    note: {n}" for n in self.item.notes]
        lines += [f"    before publishing: {t}" for t in self.todo]
        return "\n".join(lines)


@dataclass
class ImportReport:
    fmt: str
    dry_run: bool
    planned: list[Planned] = field(default_factory=list)
    cases: list[str] = field(default_factory=list)  # case uids created or updated
    skipped: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    imported: bool = False

    @property
    def created(self) -> list[Planned]:
        return [p for p in self.planned if p.action == "create"]

    @property
    def updated(self) -> list[Planned]:
        return [p for p in self.planned if p.action == "update"]

    def summary(self) -> str:
        verb = "would be " if not self.imported else ""
        if self.problems:
            return f"{len(self.problems)} problem(s): nothing was imported. Fix them and try again."
        return (
            f"{len(self.created)} question(s) {verb}created and {len(self.updated)} {verb}updated as drafts; "
            f"{len(self.skipped)} skipped."
        )

    def lines(self) -> list[str]:
        out = [self.summary()]
        out += [f"problem {p}" for p in self.problems]
        out += [p.describe() for p in self.planned]
        out += [f"skipped {s}" for s in self.skipped]
        return out


class _Lookups:
    def __init__(self) -> None:
        self.tasks = {
            f"{code} {t}": pk for pk, code, t in TaskStatement.objects.values_list("pk", "domain__exam__code", "code")
        }
        self.pillars = {slug: pk for pk, slug in Pillar.objects.values_list("pk", "slug")}
        self.services = {name: pk for pk, name in Service.objects.values_list("pk", "name")}
        self.pairs = distractor_pairs()


def _base_uid(item: Item) -> str:
    source = item.uid or item.name or " ".join(item.stem.split()[:10])
    return slugify(source)[:UID_MAX].strip("-") or "imported-question"


def _taxonomy_problems(item: Item, lookups: _Lookups) -> list[str]:
    t, out = item.taxonomy, []
    for label, value in (("task statement", t.task), ("mapped task statement", t.alt_task)):
        if value and value not in lookups.tasks:
            out.append(f"unknown {label} {value!r}; write it as 'MLA-C01 1.1'")
    out += [f"unknown pillar {p!r}; use {', '.join(PILLARS)}" for p in t.pillars if p not in lookups.pillars]
    if t.stage and t.stage not in rules.STAGES:
        out.append(f"unknown stage {t.stage!r}; use {', '.join(rules.STAGES)}")
    out += [f"unknown AWS service {s!r} (see questions/blueprints/services.yaml)" for s in t.services
            if s not in lookups.services]  # fmt: skip
    if t.difficulty and t.difficulty not in rules.DIFFICULTIES:
        out.append(f"unknown difficulty {t.difficulty!r}; use {', '.join(rules.DIFFICULTIES)}")
    out += [f"unknown distractor pair {p!r}" for p in t.teaches if p not in lookups.pairs]
    out += [m for u in t.references if (m := rules.reference_problem(u))]
    return out


def _rule_data(item: Item) -> rules.QuestionData:
    return rules.QuestionData(
        type=item.type,
        stem=item.stem,
        explanation=item.explanation,
        status="draft",
        references=list(item.taxonomy.references),
        pillars=list(item.taxonomy.pillars),
        options=list(item.options),
    )


def _todo(item: Item) -> list[str]:
    todo = [str(p) for p in rules.publish_todo(_rule_data(item))]
    t = item.taxonomy
    if not t.task:
        todo.append("task_statement: choose the task statement it tests")
    if not t.stage:
        todo.append("stage: choose its lifecycle stage")
    if not t.difficulty:
        todo.append("difficulty: medium until you set it")
    return todo


def plan(parsed: Parsed, fmt: str, *, dry_run: bool) -> ImportReport:
    """What importing ``parsed`` would do, with every problem; writes nothing."""
    report = ImportReport(fmt=fmt, dry_run=dry_run)
    report.problems += [str(p) for p in parsed.problems]
    report.skipped += [str(s) for s in parsed.skipped]
    lookups = _Lookups()
    taken: dict[str, int] = {}
    uids: list[tuple[Item, str]] = []
    for item in parsed.items:
        uid = _base_uid(item)
        if uid in taken:
            if item.uid:
                report.problems.append(f"{item.line}: uid {uid!r} is used twice (also on line {taken[uid]})")
                continue
            n = 2
            while f"{uid[: UID_MAX - 4]}-{n}" in taken:
                n += 1
            uid = f"{uid[: UID_MAX - 4]}-{n}"
        taken[uid] = item.line
        uids.append((item, uid))
    existing = dict(Question.objects.filter(uid__in=list(taken)).values_list("uid", "status"))
    file_cases = {c.uid for c in parsed.cases}
    case_uids = {i.case_uid for i in parsed.items if i.case_uid}
    known_cases = set(Case.objects.filter(uid__in=case_uids).values_list("uid", flat=True))
    # A case's order is unique; the questions already in a case (and not in this file) keep theirs.
    orders = {
        (case_uid, order): uid
        for case_uid, order, uid in Question.objects.filter(case__uid__in=case_uids)
        .exclude(uid__in=list(taken))
        .values_list("case__uid", "case_order", "uid")
    }
    for item, uid in uids:
        if item.case_uid:
            key = (item.case_uid, item.case_order or 1)
            if key in orders:
                report.problems.append(
                    f"{item.line}: {uid}: position {key[1]} in case study {item.case_uid!r} is taken by {orders[key]}"
                )
            orders[key] = uid
        for problem in rules.question_problems(_rule_data(item)):
            report.problems.append(f"{item.line}: {uid}: {problem}")
        for problem in _taxonomy_problems(item, lookups):
            report.problems.append(f"{item.line}: {uid}: {problem}")
        if item.case_uid and item.case_uid not in file_cases and item.case_uid not in known_cases:
            report.problems.append(
                f"{item.line}: {uid}: case study {item.case_uid!r} is neither in the file nor in the bank"
            )
        status = existing.get(uid)
        if status is not None and status != Question.Status.DRAFT:
            report.skipped.append(
                f"{item.line}: {uid} is already {status} and was not changed: an import never changes a "
                "published or retired question (edit it in the admin, or give the imported one another uid)"
            )
            continue
        report.planned.append(Planned(item=item, uid=uid, action="update" if status else "create", todo=_todo(item)))
    report.cases = sorted({c.uid for c in parsed.cases})
    return report


# --- Writing --------------------------------------------------------------------------------------------------


def questions_import(
    *, data: bytes, fmt: str, dry_run: bool = False, user: AbstractBaseUser | None = None, source: str = ""
) -> ImportReport:
    """Read, plan and (unless ``dry_run`` or there are problems) import in one transaction."""
    try:
        parsed = parse(data, fmt)
    except FormatError as exc:
        report = ImportReport(fmt=fmt, dry_run=dry_run)
        report.problems.append(str(exc))
        return report
    report = plan(parsed, fmt, dry_run=dry_run)
    if report.problems or dry_run:
        return report
    _write(parsed, report, source=source or f"import ({FORMATS[fmt][0]})")
    report.imported = True
    return report


@transaction.atomic
def _write(parsed: Parsed, report: ImportReport, *, source: str) -> None:
    lookups = _Lookups()
    cases = {}
    for data in parsed.cases:
        case, _ = Case.objects.update_or_create(
            uid=data.uid, defaults={"title": data.title, "scenario": data.scenario, "source_file": source[:300]}
        )
        cases[data.uid] = case
    by_uid = {q.uid: q for q in Question.objects.filter(uid__in=[p.uid for p in report.planned])}
    for planned in report.planned:
        item, t = planned.item, planned.item.taxonomy
        question = by_uid.get(planned.uid) or Question(uid=planned.uid)
        question.type = item.type
        question.stem = item.stem
        question.explanation = item.explanation
        question.references = list(t.references)
        question.teaches = list(t.teaches)
        question.task_statement_id = lookups.tasks.get(t.task)
        question.alt_task_statement_id = lookups.tasks.get(t.alt_task)
        question.stage = t.stage
        question.difficulty = t.difficulty or Question.Difficulty.MEDIUM
        question.status = Question.Status.DRAFT
        question.tags = ([f"{CATEGORY_TAG}{item.category}"] if item.category else []) + list(item.tags)
        question.source_file = source[:300]
        if item.case_uid:
            question.case = cases.get(item.case_uid) or Case.objects.get(uid=item.case_uid)
            question.case_order = item.case_order or 1
        else:
            question.case, question.case_order = None, None
        question.full_clean(validate_unique=False)
        question.save()
        question.pillars.set([lookups.pillars[p] for p in t.pillars])
        question.services.set([lookups.services[s] for s in t.services])
        question.options.all().delete()
        Option.objects.bulk_create(
            Option(question=question, order=n, text=o.text, explanation=o.explanation, is_correct=o.is_correct,
                   position=o.position, prompt=o.prompt)
            for n, o in enumerate(item.options, start=1)
        )  # fmt: skip


# --- Export -----------------------------------------------------------------------------------------------------------


def item_of(question: Question) -> Item:
    """A question as the interchange formats carry it (``question`` with options, pillars and services
    prefetched, and task statements with their exams)."""
    category = next((t[len(CATEGORY_TAG) :] for t in question.tags if t.startswith(CATEGORY_TAG)), "")

    def task_ref(ts: TaskStatement | None) -> str:
        return f"{ts.domain.exam.code} {ts.code}" if ts else ""

    return Item(
        line=0,
        type=question.type,
        stem=question.stem,
        options=[o.as_rule_data() for o in question.options.all()],
        name=question.uid,
        uid=question.uid,
        explanation=question.explanation,
        category=category,
        tags=[t for t in question.tags if not t.startswith(CATEGORY_TAG)],
        taxonomy=Taxonomy(
            task=task_ref(question.task_statement),
            alt_task=task_ref(question.alt_task_statement),
            pillars=sorted(p.slug for p in question.pillars.all()),
            stage=question.stage,
            services=sorted(s.name for s in question.services.all()),
            difficulty=question.difficulty,
            teaches=list(question.teaches),
            references=list(question.references),
        ),
        case_uid=question.case.uid if question.case_id else "",
        case_order=question.case_order,
    )


def questions_export(*, questions: QuerySet[Question], fmt: str) -> tuple[bytes, str, str]:
    """(file content, file extension, content type) for the questions in one of ``FORMATS``."""
    if fmt not in FORMATS:
        raise FormatError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    questions = list(
        questions.select_related("case", "task_statement__domain__exam", "alt_task_statement__domain__exam")
        .prefetch_related("options", "pillars", "services")
        .order_by("case__uid", "case_order", "uid")
    )
    items = [item_of(q) for q in questions]
    seen: dict[str, CaseData] = {}
    for q in questions:
        if q.case_id and q.case.uid not in seen:
            seen[q.case.uid] = CaseData(q.case.uid, q.case.title, q.case.scenario)
    cases = list(seen.values())
    if fmt == "moodlexml":
        content = moodlexml.write(items, cases)
    else:
        writer = {"gift": gift.write, "csv": csvfmt.write, "bank": bankfmt.write}[fmt]
        content = writer(items, cases).encode("utf-8")
    _, extension, content_type = FORMATS[fmt]
    return content, extension, content_type
