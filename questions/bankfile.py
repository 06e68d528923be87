"""Reading bank files (``questions/bank/**/*.yaml``) into plain data with line numbers. No ORM.

A bank file holds optional case-study scenarios and a list of questions::

    cases:
      - uid: case-retail-demand
        title: Demand forecasting at a grocery chain
        scenario: |
          A grocery chain ...
    questions:
      - uid: d1-parquet-for-athena            # stable id, never reused
        type: multiple_choice                  # multiple_response | ordering | matching
        task: MLA-C01 1.1                      # exam code and task statement
        also: MLA-C02 1.1                      # optional: where it fits in another exam
        pillars: [cost-effectiveness]          # one or more of scalability, cost-effectiveness, security
        stage: data_preparation                # or model_training, model_deployment, monitoring_operations
        services: [Amazon S3, Amazon Athena]   # names from questions/blueprints/services.yaml
        difficulty: medium                     # easy | medium | hard
        teaches: [glue-catalog-athena-for-ad-hoc-sql]  # optional: distractor pairs (blueprints/distractor-pairs.yaml)
        status: published                      # draft | published | retired
        case: case-retail-demand               # optional; questions of a case keep file order
        stem: |
          ...
        options:                               # every option has text and why (its explanation)
          - text: ...
            correct: true                      # multiple choice / response: mark the key(s)
            why: ...
          - text: ...
            why: ...
        explanation: ...
        references:
          - https://docs.aws.amazon.com/...

Ordering questions list their options in the correct order. Matching options carry ``prompt:``
(the prompt they answer); an option without a prompt is an extra answer that matches nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from questions import rules

QUESTION_KEYS = {
    "uid", "type", "task", "also", "pillars", "stage", "services", "difficulty", "status",
    "case", "stem", "options", "explanation", "references", "teaches",
}  # fmt: skip
REQUIRED_QUESTION_KEYS = ("uid", "type", "task", "pillars", "stage", "difficulty", "stem", "options", "explanation")
OPTION_KEYS = {"text", "why", "correct", "prompt"}
CASE_KEYS = {"uid", "title", "scenario"}


class LineDict(dict):
    """A mapping that remembers the line it starts on and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[str(key)] = key_node.start_mark.line + 1
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


@dataclass(frozen=True)
class FileProblem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class BankCase:
    line: int
    uid: str
    title: str
    scenario: str


@dataclass
class BankQuestion:
    line: int
    uid: str
    type: str
    task: str
    also: str | None
    pillars: list[str]
    stage: str
    services: list[str]
    difficulty: str
    status: str
    case: str | None
    stem: str
    explanation: str
    references: list[str]
    options: list[rules.OptionData]
    key_lines: dict[str, int] = field(default_factory=dict)
    teaches: list[str] = field(default_factory=list)

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)

    def rule_data(self) -> rules.QuestionData:
        return rules.QuestionData(
            type=self.type,
            stem=self.stem,
            explanation=self.explanation,
            status=self.status,
            references=self.references,
            pillars=self.pillars,
            options=self.options,
        )


@dataclass
class BankFile:
    path: str
    cases: list[BankCase] = field(default_factory=list)
    questions: list[BankQuestion] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)

    def problem(self, line: int, message: str) -> None:
        self.problems.append(FileProblem(self.path, line, message))


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip()
    return None


def _str_list(value: Any) -> list[str] | None:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [v.strip() for v in value]
    return None


def parse_bank_file(text: str, path: str) -> BankFile:
    """Parse one bank file. Structural problems are collected with their line; none raise."""
    bank = BankFile(path=path)
    try:
        document = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark else 1
        problem = getattr(exc, "problem", None) or str(exc)
        bank.problem(line, f"not valid YAML: {problem}")
        return bank
    if document is None:
        bank.problem(1, "the file is empty; a bank file needs a 'questions:' list")
        return bank
    if not isinstance(document, LineDict):
        bank.problem(1, "a bank file is a mapping with 'questions:' (and optionally 'cases:')")
        return bank
    for key in document:
        if key not in ("questions", "cases"):
            bank.problem(document.line_of(key), f"unknown top-level key {key!r}; use 'questions' and 'cases'")
    for raw in _list_of_mappings(bank, document, "cases"):
        case = _parse_case(bank, raw)
        if case:
            bank.cases.append(case)
    for raw in _list_of_mappings(bank, document, "questions"):
        question = _parse_question(bank, raw)
        if question:
            bank.questions.append(question)
    if "questions" not in document:
        bank.problem(document.line, "missing 'questions:' list")
    return bank


def _list_of_mappings(bank: BankFile, document: LineDict, key: str) -> list[LineDict]:
    value = document.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        bank.problem(document.line_of(key), f"'{key}' must be a list")
        return []
    items = []
    for index, item in enumerate(value, start=1):
        if not isinstance(item, LineDict):
            bank.problem(document.line_of(key), f"{key} entry {index} must be a mapping")
        else:
            items.append(item)
    return items


def _parse_case(bank: BankFile, raw: LineDict) -> BankCase | None:
    ok = True
    for key in raw:
        if key not in CASE_KEYS:
            bank.problem(raw.line_of(key), f"unknown case field {key!r}")
            ok = False
    values = {}
    for key in ("uid", "title", "scenario"):
        value = _text(raw.get(key))
        if not value:
            bank.problem(raw.line_of(key), f"case needs a non-empty '{key}'")
            ok = False
        values[key] = value or ""
    return BankCase(line=raw.line, **values) if ok else None


def _parse_question(bank: BankFile, raw: LineDict) -> BankQuestion | None:
    before = len(bank.problems)
    uid = _text(raw.get("uid")) or "?"
    where = f"question {uid}"
    for key in raw:
        if key not in QUESTION_KEYS:
            bank.problem(raw.line_of(key), f"{where}: unknown field {key!r}")
    for key in REQUIRED_QUESTION_KEYS:
        if raw.get(key) in (None, "", []):
            bank.problem(raw.line_of(key), f"{where}: missing required field '{key}'")

    def text_field(key: str, default: str = "") -> str:
        value = raw.get(key, default)
        if value is None:
            return default
        if not isinstance(value, str):
            bank.problem(raw.line_of(key), f"{where}: '{key}' must be text")
            return default
        return value.strip()

    def list_field(key: str) -> list[str]:
        value = raw.get(key, [])
        result = _str_list(value if value is not None else [])
        if result is None:
            bank.problem(raw.line_of(key), f"{where}: '{key}' must be a list of text")
            return []
        return result

    options: list[rules.OptionData] = []
    raw_options = raw.get("options", [])
    qtype = text_field("type")
    if not isinstance(raw_options, list):
        bank.problem(raw.line_of("options"), f"{where}: 'options' must be a list")
        raw_options = []
    for index, raw_option in enumerate(raw_options, start=1):
        if not isinstance(raw_option, LineDict):
            bank.problem(raw.line_of("options"), f"{where}: option {index} must be a mapping")
            continue
        for key in raw_option:
            if key not in OPTION_KEYS:
                bank.problem(raw_option.line_of(key), f"{where}: option {index}: unknown field {key!r}")
        correct = raw_option.get("correct", False)
        if not isinstance(correct, bool):
            bank.problem(raw_option.line_of("correct"), f"{where}: option {index}: 'correct' must be true or false")
            correct = False
        text, why, prompt = (raw_option.get(k, "") for k in ("text", "why", "prompt"))
        if not all(isinstance(v, str) for v in (text, why, prompt)):
            bank.problem(raw_option.line, f"{where}: option {index}: text, why and prompt must be text")
            continue
        options.append(
            rules.OptionData(
                text=text.strip(),
                explanation=why.strip(),
                is_correct=correct,
                position=index if qtype == rules.ORDERING else None,
                prompt=prompt.strip(),
            )
        )
    question = BankQuestion(
        line=raw.line,
        uid=uid,
        type=qtype,
        task=text_field("task"),
        also=text_field("also") or None,
        pillars=list_field("pillars"),
        stage=text_field("stage"),
        services=list_field("services"),
        difficulty=text_field("difficulty"),
        status=text_field("status", "published"),
        case=text_field("case") or None,
        stem=text_field("stem"),
        explanation=text_field("explanation"),
        references=list_field("references"),
        options=options,
        key_lines=dict(raw.key_lines),
        teaches=list_field("teaches"),
    )
    return question if len(bank.problems) == before else None


def bank_files(bank_dir: Path) -> list[Path]:
    """Every bank file under ``bank_dir``, in a stable order."""
    return sorted(p for p in bank_dir.rglob("*.yaml") if p.is_file())
