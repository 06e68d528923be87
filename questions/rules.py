"""The rules a question must satisfy, as pure functions over plain data (no ORM).

Every writer goes through these rules: the model layer (``Question.clean`` and ``Option.clean``,
so ``full_clean`` in the admin and the loader), the admin's options formset, the bank loader and
any importer. Each problem names the field and the rule, so an author knows what to fix.

A *draft* may be incomplete: it is checked only for its structure (a known type, a stem, options
with text, positions and prompts used correctly), so an author can save work in progress and an
import can land questions from other platforms (three options, no explanations, no taxonomy yet).
Publishing checks everything; ``publish_todo`` lists what a draft still lacks.

The shapes come from the exam guide (EXAM.md):

* multiple choice: exactly 1 correct response and 3 distractors (4 options);
* multiple response: 2 or more correct out of 5 or more options, and the stem says how many
  to choose, as the real exam does with "(Select TWO.)";
* ordering: 3 to 5 responses, each with its correct position 1..n;
* matching: 3 to 7 prompts, each matched by exactly one option; extra options match no prompt.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from urllib.parse import urlparse

MULTIPLE_CHOICE = "multiple_choice"
MULTIPLE_RESPONSE = "multiple_response"
ORDERING = "ordering"
MATCHING = "matching"
QUESTION_TYPES = (MULTIPLE_CHOICE, MULTIPLE_RESPONSE, ORDERING, MATCHING)

STAGES = ("data_preparation", "model_training", "model_deployment", "monitoring_operations")
DIFFICULTIES = ("easy", "medium", "hard")
STATUSES = ("draft", "published", "retired")

ORDERING_MIN, ORDERING_MAX = 3, 5
MATCHING_MIN, MATCHING_MAX = 3, 7
MR_MIN_OPTIONS, MR_MIN_CORRECT = 5, 2

# Hosts whose pages may back an answer: AWS's own documentation and pages.
REFERENCE_HOSTS = ("docs.aws.amazon.com", "aws.amazon.com", "amazon.com")

_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "2": 2, "3": 3, "4": 4, "5": 5}
_CHOOSE_RE = re.compile(r"\((?:select|choose)\s+(two|three|four|five|[2-5])\b", re.IGNORECASE)


@dataclass
class OptionData:
    text: str
    explanation: str
    is_correct: bool = False
    position: int | None = None
    prompt: str = ""


@dataclass
class QuestionData:
    type: str
    stem: str
    explanation: str = ""
    status: str = "draft"
    references: list[str] = field(default_factory=list)
    pillars: list[str] = field(default_factory=list)
    options: list[OptionData] = field(default_factory=list)
    case: dict | None = None  # {"title", "scenario"} of its case study, if any


@dataclass(frozen=True)
class Problem:
    field: str
    message: str
    # True for what only a published question must have (a draft may still lack it).
    publish_only: bool = field(default=False, compare=False)

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


def stated_choose_count(stem: str) -> int | None:
    """How many responses a multiple-response stem tells the candidate to choose, if it says."""
    match = _CHOOSE_RE.search(stem)
    return _NUMBER_WORDS[match.group(1).lower()] if match else None


def reference_problem(url: str) -> str | None:
    parsed = urlparse(url)
    if parsed.scheme != "https" or not parsed.netloc:
        return f"reference {url!r} must be an https:// URL"
    host = parsed.hostname or ""
    if not any(host == h or host.endswith("." + h) for h in REFERENCE_HOSTS):
        return f"reference {url!r} must be an AWS documentation page (docs.aws.amazon.com or aws.amazon.com)"
    return None


def scalar_problems(q: QuestionData) -> list[Problem]:
    """Rules on the question's own fields (what ``Question.clean`` can see)."""
    problems: list[Problem] = []
    if q.type not in QUESTION_TYPES:
        problems.append(Problem("type", f"unknown type {q.type!r}; use one of {', '.join(QUESTION_TYPES)}"))
    if not q.stem.strip():
        problems.append(Problem("stem", "every question needs a stem"))
    if not q.explanation.strip():
        problems.append(Problem("explanation", "every question needs an overall explanation", publish_only=True))
    for url in q.references:
        message = reference_problem(url)
        if message:
            problems.append(Problem("references", message))
    if not q.references:
        problems.append(
            Problem("references", "a published question needs at least one AWS documentation reference", True)
        )
    return problems


def option_problems(q: QuestionData) -> list[Problem]:
    """Rules on the options as a whole, by question type."""
    problems: list[Problem] = []
    options = q.options
    for index, option in enumerate(options, start=1):
        if not option.text.strip():
            problems.append(Problem("options", f"option {index} has no text"))
        if not option.explanation.strip():
            problems.append(
                Problem("options", f"option {index} has no explanation; every option must be explained", True)
            )
    n = len(options)
    if n < 2:
        problems.append(Problem("options", f"a question needs at least 2 options (has {n})"))
    correct = sum(1 for o in options if o.is_correct)
    if q.type == MULTIPLE_CHOICE:
        if n != 4 or correct != 1:
            problems.append(
                Problem(
                    "options",
                    f"multiple choice needs exactly 1 correct of 4 options (has {correct} correct of {n})",
                    publish_only=bool(correct),
                )
            )
    elif q.type == MULTIPLE_RESPONSE:
        if n < MR_MIN_OPTIONS or correct < MR_MIN_CORRECT or correct >= n:
            problems.append(
                Problem(
                    "options",
                    "multiple response needs 2 or more correct of 5 or more options, "
                    f"and at least one distractor (has {correct} correct of {n})",
                    publish_only=bool(correct),
                )
            )
        stated = stated_choose_count(q.stem)
        if stated is None:
            problems.append(
                Problem("stem", "a multiple-response stem must say how many to choose, e.g. '(Select TWO.)'", True)
            )
        elif correct and stated != correct:
            problems.append(
                Problem("stem", f"the stem says to choose {stated} but {correct} options are correct", True)
            )
    elif q.type == ORDERING:
        if not ORDERING_MIN <= n <= ORDERING_MAX:
            problems.append(Problem("options", f"ordering needs 3 to 5 items (has {n})", publish_only=n >= 2))
        positions = sorted(o.position for o in options if o.position is not None)
        if positions != list(range(1, n + 1)):
            problems.append(
                Problem("options", f"ordering positions must be 1 to {n}, each used once (got {positions})")
            )
        if correct:
            problems.append(Problem("options", "ordering items are not marked correct; give positions"))
    elif q.type == MATCHING:
        prompts = [o.prompt.strip() for o in options if o.prompt.strip()]
        if not MATCHING_MIN <= len(prompts) <= MATCHING_MAX:
            problems.append(
                Problem("options", f"matching needs 3 to 7 prompts (has {len(prompts)})", len(prompts) >= 2)
            )
        if len(set(prompts)) != len(prompts):
            problems.append(Problem("options", "matching prompts must be distinct"))
        if correct:
            problems.append(Problem("options", "matching options are not marked correct; give prompts"))
    if q.type != ORDERING and any(o.position is not None for o in options):
        problems.append(Problem("options", "only ordering items have positions"))
    if q.type != MATCHING and any(o.prompt.strip() for o in options):
        problems.append(Problem("options", "only matching options have prompts"))
    return problems


def taxonomy_problems(q: QuestionData) -> list[Problem]:
    if not q.pillars:
        return [Problem("pillars", "choose at least one pillar (scalability, cost-effectiveness, security)", True)]
    return []


def applicable(problems: list[Problem], status: str) -> list[Problem]:
    """The problems that block saving a question with this status: all of them, or for a draft
    only the structural ones."""
    return [p for p in problems if status != "draft" or not p.publish_only]


def question_problems(q: QuestionData) -> list[Problem]:
    """Every rule on one question and its options that applies at its status."""
    return applicable(scalar_problems(q) + option_problems(q) + taxonomy_problems(q), q.status)


def publish_todo(q: QuestionData) -> list[Problem]:
    """What a draft still lacks before it can be published (every rule a draft is spared)."""
    return [p for p in scalar_problems(q) + option_problems(q) + taxonomy_problems(q) if p.publish_only]


def content_fingerprint(content: dict) -> str:
    """A stable hash of what a learner sees and how it is keyed; a change means a new version."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def question_content(q: QuestionData) -> dict:
    """What a version consists of: everything a learner sees (stem, case scenario, options), the
    key, every explanation and the references. Attempts serve and grade from this snapshot."""
    return {
        "type": q.type,
        "stem": q.stem,
        "case": q.case,
        "explanation": q.explanation,
        "references": list(q.references),
        "options": [
            {
                "text": o.text,
                "explanation": o.explanation,
                "is_correct": o.is_correct,
                "position": o.position,
                "prompt": o.prompt,
            }
            for o in q.options
        ],
    }
