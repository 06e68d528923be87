"""Checking bank files against the blueprints, and the coverage table (pure, no ORM).

``check_bank`` adds every problem to the file it belongs to, as ``file:line: message``: fields the
blueprint does not know (task statement, pillar, service, stage...), the rules of
``questions.rules``, and rules across files (unique uids, case studies of 2 to 4 questions).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from questions import rules
from questions.bankfile import BankFile, BankQuestion
from questions.blueprint import PILLARS, Catalog, ExamSpec

CASE_MIN, CASE_MAX = 2, 4


def check_question(bank: BankFile, q: BankQuestion, catalog: Catalog) -> None:
    where = f"question {q.uid}"
    if not q.uid or q.uid == "?":
        bank.problem(q.line, "question needs a 'uid'")
    elif not all(c.isalnum() or c in "-_" for c in q.uid):
        bank.problem(q.line_of("uid"), f"{where}: uid may use only letters, digits, '-' and '_'")
    resolved = catalog.resolve_task(q.task) if q.task else None
    if q.task and resolved is None:
        bank.problem(q.line_of("task"), f"{where}: unknown task statement {q.task!r} (write e.g. 'MLA-C01 1.1')")
    if q.also:
        also = catalog.resolve_task(q.also)
        if also is None:
            bank.problem(q.line_of("also"), f"{where}: unknown task statement {q.also!r} in 'also'")
        elif resolved and also[0].code == resolved[0].code:
            bank.problem(q.line_of("also"), f"{where}: 'also' must name another exam than 'task'")
        elif q.type not in also[0].question_types:
            bank.problem(q.line_of("also"), f"{where}: {also[0].code} does not use {q.type} questions")
    for pillar in q.pillars:
        if pillar not in PILLARS:
            bank.problem(q.line_of("pillars"), f"{where}: unknown pillar {pillar!r}; use {', '.join(PILLARS)}")
    if len(set(q.pillars)) != len(q.pillars):
        bank.problem(q.line_of("pillars"), f"{where}: a pillar is listed twice")
    if q.stage and q.stage not in rules.STAGES:
        bank.problem(q.line_of("stage"), f"{where}: unknown stage {q.stage!r}; use one of {', '.join(rules.STAGES)}")
    if q.difficulty and q.difficulty not in rules.DIFFICULTIES:
        bank.problem(q.line_of("difficulty"), f"{where}: unknown difficulty {q.difficulty!r}; use easy, medium or hard")
    if q.status not in rules.STATUSES:
        bank.problem(q.line_of("status"), f"{where}: unknown status {q.status!r}; use draft, published or retired")
    known = set(catalog.services)
    for service in q.services:
        if service not in known:
            bank.problem(
                q.line_of("services"),
                f"{where}: service {service!r} is not in questions/blueprints/services.yaml",
            )
    if len(set(q.services)) != len(q.services):
        bank.problem(q.line_of("services"), f"{where}: a service is listed twice")
    for pair in q.teaches:
        if pair not in catalog.pairs:
            bank.problem(q.line_of("teaches"), f"{where}: unknown distractor pair {pair!r}; see distractor-pairs.yaml")
    seen_texts = [("stem", q.stem)] + [("options", o.text) for o in q.options]
    for retired, current in catalog.retired_names.items():
        for field_name, text in seen_texts:
            if retired.lower() in text.lower():
                bank.problem(q.line_of(field_name), f"{where}: {retired!r} is a retired name; use {current}")
    if q.type and q.type in rules.QUESTION_TYPES:
        for problem in rules.question_problems(q.rule_data()):
            bank.problem(q.line_of(problem.field), f"{where}: {problem}")
    elif q.type:
        bank.problem(
            q.line_of("type"), f"{where}: unknown type {q.type!r}; use one of {', '.join(rules.QUESTION_TYPES)}"
        )


def check_bank(files: list[BankFile], catalog: Catalog) -> None:
    """Validate every question and the rules across files; problems go onto each file."""
    seen_uids: dict[str, str] = {}
    cases: dict[str, tuple[BankFile, int]] = {}
    for bank in files:
        for case in bank.cases:
            if case.uid in cases:
                bank.problem(case.line, f"case {case.uid}: uid already used in {cases[case.uid][0].path}")
            else:
                cases[case.uid] = (bank, case.line)
    members: dict[str, list[tuple[BankFile, BankQuestion]]] = defaultdict(list)
    for bank in files:
        for q in bank.questions:
            check_question(bank, q, catalog)
            if q.uid in seen_uids:
                bank.problem(q.line_of("uid"), f"question {q.uid}: uid already used in {seen_uids[q.uid]}")
            else:
                seen_uids[q.uid] = bank.path
            if q.case:
                if q.case not in cases:
                    bank.problem(q.line_of("case"), f"question {q.uid}: no case study with uid {q.case!r}")
                elif cases[q.case][0] is not bank:
                    bank.problem(q.line_of("case"), f"question {q.uid}: a case's questions live in the case's file")
                else:
                    members[q.case].append((bank, q))
    for uid, (bank, line) in cases.items():
        count = len(members[uid])
        if not CASE_MIN <= count <= CASE_MAX:
            bank.problem(line, f"case {uid}: a case study has 2 to 4 questions (has {count})")
    check_duplicates(files)


# Two questions are near-duplicates when their stems share most three-word runs, or when their
# answer options and keys are nearly the same words (the same lesson in other clothes).
STEM_SIMILARITY = 0.6
OPTIONS_SIMILARITY = 0.6
_STOP = set("a an and are as at be by for from in is it its of on or that the this to what which with".split())  # noqa: SIM905


def _shingles(text: str, size: int = 3) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower())) - _STOP


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def check_duplicates(files: list[BankFile]) -> None:
    """Flag same or near-same stems, and choice questions whose options and keys nearly coincide."""
    entries = []
    for bank in files:
        for q in bank.questions:
            key = " ".join(o.text for o in q.options if o.is_correct)
            entries.append((bank, q, _shingles(q.stem), _words(" ".join(o.text for o in q.options)), _words(key)))
    for i, (bank, q, stem, options, key) in enumerate(entries):
        for other_bank, other, other_stem, other_options, other_key in entries[:i]:
            if q.uid == other.uid:
                continue
            stem_sim = _jaccard(stem, other_stem)
            if stem_sim >= STEM_SIMILARITY:
                bank.problem(
                    q.line_of("stem"),
                    f"question {q.uid}: its stem nearly repeats {other.uid} in {other_bank.path} "
                    f"({stem_sim:.0%} of three-word runs shared)",
                )
            elif (
                key
                and other_key
                and _jaccard(options, other_options) >= OPTIONS_SIMILARITY
                and _jaccard(key, other_key) >= OPTIONS_SIMILARITY
            ):
                bank.problem(
                    q.line_of("options"),
                    f"question {q.uid}: its options and key nearly repeat {other.uid} in {other_bank.path}; "
                    "teach the point from another angle or drop one",
                )


@dataclass
class CoverageItem:
    """What the coverage table needs of one published question."""

    tasks: dict[str, str]  # exam code -> task statement code
    type: str
    stage: str
    pillars: list[str]
    difficulty: str
    teaches: list[str] = field(default_factory=list)
    case: str | None = None


def coverage_items(files: list[BankFile], catalog: Catalog) -> list[CoverageItem]:
    items = []
    for bank in files:
        for q in bank.questions:
            if q.status != "published":
                continue
            tasks = {}
            for ref in (q.task, q.also):
                resolved = catalog.resolve_task(ref) if ref else None
                if resolved and q.type in resolved[0].question_types:
                    tasks[resolved[0].code] = resolved[1]
            items.append(CoverageItem(tasks, q.type, q.stage, q.pillars, q.difficulty, q.teaches, q.case))
    return items


def forms_supported(exam: ExamSpec, items: list[CoverageItem]) -> int:
    """How many full forms the items fill without using a question twice."""
    have = Counter(exam.task_codes()[i.tasks[exam.code]] for i in items if exam.code in i.tasks)
    need = exam.form()
    return min((have[d] // n for d, n in need.items() if n), default=0)


def pairs_table(catalog: Catalog, items: list[CoverageItem]) -> str:
    """How many published questions teach each classic distractor pair."""
    counts = Counter(p for i in items for p in i.teaches)
    lines = [f"  {'distractor pair (EXAM.md)':<90}{'questions':>10}"]
    for pair, text in catalog.pairs.items():
        lines.append(f"  {text[:88]:<90}{counts[pair]:>10}")
    cases = Counter(i.case for i in items if i.case)
    lines += ["", f"  case studies: {len(cases)} ({', '.join(f'{n} questions' for n in sorted(set(cases.values())))})"]
    return "\n".join(lines)


def coverage_table(exam: ExamSpec, items: list[CoverageItem]) -> str:
    mine = [i for i in items if exam.code in i.tasks]
    total = len(mine) or 1
    need = exam.form()
    domain_of = exam.task_codes()
    by_domain = Counter(domain_of[i.tasks[exam.code]] for i in mine)
    by_task = Counter(i.tasks[exam.code] for i in mine)
    lines = [
        f"{exam.code} {exam.name}: {len(mine)} published questions",
        f"  a full form: {exam.question_count} questions, {exam.minutes} minutes, "
        f"by domain {'/'.join(str(need[d.number]) for d in exam.domains)}; "
        f"full forms without reuse: {forms_supported(exam, mine)}",
        "",
        f"  {'domain':<62}{'weight':>7}{'need':>6}{'have':>6}  status",
    ]
    for d in exam.domains:
        have, want = by_domain[d.number], need[d.number]
        status = "ok" if have >= want else f"short by {want - have}"
        lines.append(f"  {d.number} {d.name[:58]:<60}{d.weight:>6}%{want:>6}{have:>6}  {status}")
    lines += ["", f"  {'task statement':<75}{'have':>6}"]
    for d in exam.domains:
        for ts in d.task_statements:
            lines.append(f"  {ts.code} {ts.title[:70]:<71}{by_task[ts.code]:>6}")

    def share_block(title: str, counter: Counter, keys: list[str]) -> None:
        lines.extend(["", f"  {title:<40}{'have':>6}{'share':>8}"])
        for key in keys:
            lines.append(f"  {key:<40}{counter[key]:>6}{counter[key] / total:>8.0%}")

    share_block("pillar", Counter(p for i in mine for p in i.pillars), list(PILLARS))
    share_block("lifecycle stage", Counter(i.stage for i in mine), list(rules.STAGES))
    share_block("type", Counter(i.type for i in mine), exam.question_types)
    share_block("difficulty", Counter(i.difficulty for i in mine), list(rules.DIFFICULTIES))
    return "\n".join(lines)
