"""What every question file format reads into and writes from (pure, no ORM).

A parser turns a file into ``Parsed``: the questions it could read (``Item``), the case-study
scenarios, the questions it skipped because the platform does not support their type (each with
its line), and the problems that make the file unusable (each with its line). A writer turns items
and cases back into a file. ``questions.interchange.services`` turns items into draft questions.

Our taxonomy travels in formats that have no place for it (GIFT, Moodle XML) as tags with the
``mlaexam:`` prefix, and our uid as the question's id number (GIFT ``[id:...]``, Moodle
``<idnumber>``), so an export imports back as the same questions. A case-study scenario travels as
a *description* question whose id number is ``case:<uid>``; its questions carry
``mlaexam:case=<uid>`` and ``mlaexam:case-order=<n>``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from questions.rules import OptionData

TAG_PREFIX = "mlaexam:"
CASE_ID_PREFIX = "case:"

# Moodle's names for what it can hold but this platform cannot: reported, never imported.
UNSUPPORTED_KINDS = {
    "truefalse": "true/false",
    "shortanswer": "short answer",
    "numerical": "numerical",
    "essay": "essay",
    "description": "description",
    "multianswer": "embedded answers (cloze)",
    "cloze": "embedded answers (cloze)",
    "calculated": "calculated",
    "calculatedsimple": "calculated",
    "calculatedmulti": "calculated multichoice",
    "randomsamatch": "random short-answer matching",
    "ddwtos": "drag and drop into text",
    "ddimageortext": "drag and drop onto image",
    "ddmarker": "drag and drop markers",
    "gapselect": "select missing words",
    "random": "random",
}


class FormatError(Exception):
    """The file cannot be read at all: wrong format or encoding, empty, binary, unsafe XML."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message, self.line = message, line

    def __str__(self) -> str:
        return f"{self.line}: {self.message}" if self.line else self.message


@dataclass
class Taxonomy:
    task: str = ""  # "MLA-C01 1.1"
    alt_task: str = ""  # "MLA-C02 1.1"
    pillars: list[str] = field(default_factory=list)
    stage: str = ""
    services: list[str] = field(default_factory=list)
    difficulty: str = ""
    teaches: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)


@dataclass
class Item:
    """One question as a file carries it: clean text, our four types, options as rules.OptionData."""

    line: int  # where it starts in the file, 1-based
    type: str  # one of questions.rules.QUESTION_TYPES
    stem: str
    options: list[OptionData]
    name: str = ""  # its name in the file (GIFT ::name::, Moodle <name>)
    uid: str = ""  # our uid, when the file carries it (GIFT [id:], Moodle <idnumber>, CSV, bank)
    explanation: str = ""  # general feedback
    category: str = ""  # Moodle category path, e.g. "top/AWS/Domain 1"
    tags: list[str] = field(default_factory=list)  # the file's own tags, without ours
    taxonomy: Taxonomy = field(default_factory=Taxonomy)
    case_uid: str = ""
    case_order: int | None = None
    notes: list[str] = field(default_factory=list)  # what the mapping changed, e.g. partial credit dropped


@dataclass
class Case:
    uid: str
    title: str
    scenario: str
    line: int = 0


@dataclass
class Skipped:
    line: int
    name: str
    kind: str  # "short answer", "true/false", ...
    reason: str

    def __str__(self) -> str:
        named = f" {self.name!r}" if self.name else ""
        return f"{self.line}: {self.kind} question{named} skipped: {self.reason}"


@dataclass
class Problem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.line}: {self.message}"


@dataclass
class Parsed:
    items: list[Item] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def unsupported(kind: str) -> str:
    """Why a type is skipped, in one sentence."""
    return (
        f"mlaexam has no {kind} questions (the AWS exam uses multiple choice, multiple response, "
        "ordering and matching); the question was not imported"
    )


# Matching (and, in GIFT, ordering) answers have no feedback of their own in Moodle's formats, so
# the writers add the options' explanations to the general feedback under this line, one numbered
# line per option in option order, and the parsers take them back out.
WHY_MARKER = "Why each answer (mlaexam):"


def explanations_block(options: list[OptionData]) -> str:
    lines = [WHY_MARKER]
    for n, option in enumerate(options, start=1):
        lines.append(f"{n}. " + " ".join(option.explanation.split()))
    return "\n".join(lines)


def split_explanations(feedback: str, count: int) -> tuple[str, list[str] | None]:
    """(the general feedback without the block, the options' explanations) if the block is there
    with one line per option; otherwise (feedback, None)."""
    head, marker, tail = feedback.partition(WHY_MARKER)
    if not marker:
        return feedback, None
    lines = [line.strip() for line in tail.strip().split("\n") if line.strip()]
    explanations = []
    for n, line in enumerate(lines, start=1):
        prefix = f"{n}. "
        if not line.startswith(prefix) and line != f"{n}.":
            return feedback, None
        explanations.append(line[len(prefix) :].strip())
    if len(explanations) != count:
        return feedback, None
    return head.strip(), explanations


# --- Our taxonomy as tags ---------------------------------------------------------------------------


def taxonomy_tags(item: Item) -> list[str]:
    """The item's taxonomy, case membership as ``mlaexam:`` tags, followed by its own tags."""
    t = item.taxonomy
    tags = []
    if t.task:
        tags.append(f"{TAG_PREFIX}task={t.task}")
    if t.alt_task:
        tags.append(f"{TAG_PREFIX}alt={t.alt_task}")
    tags += [f"{TAG_PREFIX}pillar={p}" for p in t.pillars]
    if t.stage:
        tags.append(f"{TAG_PREFIX}stage={t.stage}")
    tags += [f"{TAG_PREFIX}service={s}" for s in t.services]
    if t.difficulty:
        tags.append(f"{TAG_PREFIX}difficulty={t.difficulty}")
    tags += [f"{TAG_PREFIX}teaches={p}" for p in t.teaches]
    tags += [f"{TAG_PREFIX}reference={u}" for u in t.references]
    if item.case_uid:
        tags.append(f"{TAG_PREFIX}case={item.case_uid}")
        if item.case_order is not None:
            tags.append(f"{TAG_PREFIX}case-order={item.case_order}")
    return tags + [tag for tag in item.tags if not tag.startswith(TAG_PREFIX)]


def apply_tags(item: Item, tags: list[str]) -> list[str]:
    """Read ``mlaexam:`` tags into the item's taxonomy and case; keep the others as its tags.
    Returns problems with our tags (unknown name, bad case order), as messages."""
    problems = []
    t = item.taxonomy
    for tag in tags:
        if not tag.startswith(TAG_PREFIX):
            if tag not in item.tags:
                item.tags.append(tag)
            continue
        name, _, value = tag[len(TAG_PREFIX) :].partition("=")
        value = value.strip()
        if name == "task":
            t.task = value
        elif name == "alt":
            t.alt_task = value
        elif name == "pillar":
            t.pillars.append(value)
        elif name == "stage":
            t.stage = value
        elif name == "service":
            t.services.append(value)
        elif name == "difficulty":
            t.difficulty = value
        elif name == "teaches":
            t.teaches.append(value)
        elif name == "reference":
            t.references.append(value)
        elif name == "case":
            item.case_uid = value
        elif name == "type":
            pass  # read by the parsers (GIFT writes ordering as matching with mlaexam:type=ordering)
        elif name == "case-order":
            if value.isdigit():
                item.case_order = int(value)
            else:
                problems.append(f"tag {tag!r}: the case order must be a whole number")
        else:
            problems.append(f"unknown tag {tag!r}; mlaexam: tags are task, alt, pillar, stage, service, "
                            "difficulty, teaches, reference, case and case-order")  # fmt: skip
    return problems
