"""The native bank format (``questions/bank/*.yaml``, see ``questions.bankfile``) as an import and
export format (pure). Reading reuses the bank loader's parser, so the same file means the same
thing to ``loadbank`` and to an import; writing produces a file ``loadbank`` accepts."""

from __future__ import annotations

import yaml

from questions import rules
from questions.bankfile import parse_bank_file
from questions.interchange.model import Case, FormatError, Item, Parsed, Problem, Taxonomy


def parse(text: str) -> Parsed:
    if text.lstrip().startswith(("<?xml", "<quiz")):
        raise FormatError("this looks like Moodle XML, not a bank file: choose the Moodle XML format")
    bank = parse_bank_file(text, "upload")
    parsed = Parsed(problems=[Problem(p.line, p.message) for p in bank.problems])
    parsed.cases = [Case(c.uid, c.title, c.scenario, c.line) for c in bank.cases]
    order: dict[str, int] = {}
    for q in bank.questions:
        case_order = None
        if q.case:
            order[q.case] = order.get(q.case, 0) + 1
            case_order = order[q.case]
        parsed.items.append(
            Item(
                line=q.line,
                type=q.type,
                stem=q.stem,
                options=list(q.options),
                name=q.uid,
                uid=q.uid,
                explanation=q.explanation,
                taxonomy=Taxonomy(
                    task=q.task,
                    alt_task=q.also or "",
                    pillars=list(q.pillars),
                    stage=q.stage,
                    services=list(q.services),
                    difficulty=q.difficulty,
                    teaches=list(q.teaches),
                    references=list(q.references),
                ),
                case_uid=q.case or "",
                case_order=case_order,
            )
        )
    if not parsed.items and not parsed.problems:
        raise FormatError("the file has no questions")
    return parsed


class _Dumper(yaml.SafeDumper):
    pass


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def write(items: list[Item], cases: list[Case]) -> str:
    """A bank file: its cases, then its questions (a case's questions in their case order)."""
    ordered = sorted(
        enumerate(items), key=lambda pair: (pair[1].case_uid or "", pair[1].case_order or 0, pair[0])
        if pair[1].case_uid else ("", 0, pair[0])
    )  # fmt: skip
    questions = []
    for _, item in ordered:
        t = item.taxonomy
        entry: dict = {"uid": item.uid, "type": item.type, "task": t.task}
        if t.alt_task:
            entry["also"] = t.alt_task
        entry.update({"pillars": list(t.pillars), "stage": t.stage, "services": list(t.services)})
        entry["difficulty"] = t.difficulty
        if t.teaches:
            entry["teaches"] = list(t.teaches)
        entry["status"] = "draft"
        if item.case_uid:
            entry["case"] = item.case_uid
        entry["stem"] = item.stem
        options = item.options
        if item.type == rules.ORDERING:
            options = sorted(options, key=lambda o: o.position or 0)
        entry["options"] = []
        for option in options:
            out: dict = {"text": option.text}
            if option.is_correct:
                out["correct"] = True
            if option.prompt:
                out["prompt"] = option.prompt
            out["why"] = option.explanation
            entry["options"].append(out)
        entry["explanation"] = item.explanation
        entry["references"] = list(t.references)
        questions.append(entry)
    document: dict = {}
    if cases:
        document["cases"] = [{"uid": c.uid, "title": c.title, "scenario": c.scenario} for c in cases]
    document["questions"] = questions
    return yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
