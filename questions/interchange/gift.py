"""GIFT, Moodle's plain-text question format, read into and written from the shared model (pure).

Reading follows Moodle's own importer (question/format/gift/format.php, ``readquestion``) so a file
means here what it means in Moodle: questions are blocks between blank lines, lines are trimmed,
``//`` lines are comments (which may carry ``[id:...]`` and ``[tag:...]``), escapes are replaced by
placeholders before any control character is looked for, the answer section runs from the first
``{`` to the first ``}``, and the type is decided by the same tests in the same order. Moodle's
types map onto ours: multichoice with an ``=`` answer is multiple choice, multichoice without one
("multiple answers") is multiple response, match is matching, and match tagged
``mlaexam:type=ordering`` with positions 1..n is ordering (GIFT has no ordering type). Everything
else is reported as skipped with its line, never raised.

Writing produces what Moodle imports and what ``parse`` reads back as the same items: every text
is ``[plain]`` and escaped as Moodle's ``repchar`` does, so a newline never ends a question early.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from dataclasses import dataclass

from questions.interchange.model import (
    CASE_ID_PREFIX,
    TAG_PREFIX,
    UNSUPPORTED_KINDS,
    Case,
    FormatError,
    Item,
    Parsed,
    Problem,
    Skipped,
    apply_tags,
    explanations_block,
    split_explanations,
    taxonomy_tags,
    unsupported,
)
from questions.interchange.text import FORMATS, clean_text
from questions.rules import MATCHING, MULTIPLE_CHOICE, MULTIPLE_RESPONSE, ORDERING, OptionData

ORDERING_TAG = f"{TAG_PREFIX}type=ordering"
MISSING_WORD = "_____"

# PHP's trim(): Moodle trims these and nothing else (a no-break space is text, not a separator).
_WS = " \t\n\r\0\x0b"

# Escaped control characters become private-use placeholders while the question is taken apart, as
# Moodle's escapedchar_pre does, so an escaped "=" or "}" can never be mistaken for syntax.
_ESCAPABLE = ":#={}~"
_PLACEHOLDER = {char: chr(0xE000 + i) for i, char in enumerate(_ESCAPABLE)}
_NEWLINE = chr(0xE000 + len(_ESCAPABLE))
_RESTORE = str.maketrans({v: k for k, v in _PLACEHOLDER.items()} | {_NEWLINE: "\n"})

# Moodle's repchar: what the writer escapes.
_REPCHAR = str.maketrans(
    {"\\": "\\\\", "#": "\\#", "=": "\\=", "~": "\\~", "{": "\\{", "}": "\\}", ":": "\\:", "\n": "\\n", "\r": ""}
)

# Moodle's $giftanswerweightregex: "%50%", "%-33.333%", but also "%100%" (the last group eats digits).
_WEIGHT = re.compile(r"^%-*([0-9]{1,2})\.?([0-9]*)%")
# Moodle's extract_idnumber_and_tags_from_comment: "]" may be escaped as "\]"; no control characters.
_ID = re.compile(r"\[id:((?:\\\]|[^\]\x00-\x1f\x7f])+)\]")
_TAG = re.compile(r"\[tag:((?:\\\]|[^\]<>`\x00-\x1f\x7f])*)\]")
_CONTEXT_PREFIX = re.compile(r"^\$(course|system|module|cat)\$/")


# --- Reading ---------------------------------------------------------------------------------------


def _protect(line: str) -> str:
    r"""Moodle's escapedchar_pre on one line: ``\\`` is a literal backslash at once, ``\:`` ``\#``
    ``\=`` ``\{`` ``\}`` ``\~`` and ``\n`` become placeholders restored by ``_restore``."""
    out: list[str] = []
    i = 0
    while i < len(line):
        char, following = line[i], line[i + 1 : i + 2]
        if char == "\\" and following == "\\":
            out.append("\\")
        elif char == "\\" and following in _PLACEHOLDER:
            out.append(_PLACEHOLDER[following])
        elif char == "\\" and following == "n":
            out.append(_NEWLINE)
        else:
            out.append(char)
            i += 1
            continue
        i += 2
    return "".join(out)


def _restore(text: str) -> str:
    return text.translate(_RESTORE)


def _split_format(text: str, default: str) -> tuple[str, str]:
    """Moodle's parse_text_with_format: a leading ``[html]`` etc. names the format; any other
    bracketed word is part of the text."""
    if text.startswith("["):
        end = text.find("]")
        if end > 0 and text[1:end] in FORMATS:
            return text[1:end], text[end + 1 :]
    return default, text


def _clean(text: str, default: str) -> str:
    fmt, body = _split_format(text, default)
    return clean_text(_restore(body).strip(_WS), fmt)


@dataclass
class _Block:
    """One question's lines, comments taken out, joined as Moodle joins them (escapes protected).
    ``starts`` and ``numbers`` map an offset in ``text`` back to its line in the file."""

    text: str
    comments: str
    starts: list[int]
    numbers: list[int]

    @property
    def line(self) -> int:
        return self.numbers[0]

    def line_at(self, offset: int) -> int:
        return self.numbers[max(bisect_right(self.starts, offset) - 1, 0)]


def _make_block(lines: list[tuple[int, str]]) -> _Block | None:
    """The question in a blank-line-separated group of trimmed lines, or None if it is only comments.
    Comment lines inside the question count as empty lines, as in Moodle."""
    content = [i for i, (_, line) in enumerate(lines) if not line.startswith("//")]
    if not content:
        return None
    comments = "\n".join(line for _, line in lines if line.startswith("//"))
    parts, starts, numbers, offset = [], [], [], 0
    for number, line in lines[content[0] : content[-1] + 1]:
        text = "" if line.startswith("//") else _protect(line)
        parts.append(text)
        starts.append(offset)
        numbers.append(number)
        offset += len(text) + 1
    return _Block("\n".join(parts), comments, starts, numbers)


def _id_and_tags(comments: str) -> tuple[str, list[str]]:
    match = _ID.search(comments)
    uid = match.group(1).strip(_WS).replace("\\]", "]") if match else ""
    tags = [raw.strip(_WS).replace("\\]", "]") for raw in _TAG.findall(comments)]
    return uid, [tag for tag in tags if tag]


def _pieces(text: str, base: int, markers: str) -> list[tuple[int, str, str]]:
    """``text`` cut before every marker character, as (offset in the block, marker, content). The
    first piece, before any marker, has marker "". Moodle explodes the answer text the same way."""
    pieces: list[tuple[int, str, str]] = []
    start, marker = 0, ""
    for i, char in enumerate(text):
        if char in markers:
            pieces.append((base + start, marker, text[start:i]))
            start, marker = i + 1, char
    pieces.append((base + start, marker, text[start:]))
    return pieces


def _weight(answer: str) -> tuple[str | None, str]:
    """(the weight as written, e.g. "50" or "-33.3", the answer without it) per Moodle's
    answerweightparser, or (None, answer) when it has no weight."""
    match = _WEIGHT.match(answer)
    if not match:
        return None, answer
    return match.group(0)[1:-1], answer[match.end() :]


def _percent(weight: float) -> str:
    return f"{weight:.5f}".rstrip("0").rstrip(".")


class _Malformed(Exception):
    """A question that cannot be taken apart; becomes a ``Problem``."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


class _Reader:
    def __init__(self) -> None:
        self.parsed = Parsed()
        self.category = ""
        self.questions = 0

    def problem(self, line: int, message: str) -> None:
        self.parsed.problems.append(Problem(line, message))

    def read(self, text: str) -> Parsed:
        group: list[tuple[int, str]] = []
        for number, raw in enumerate(text.split("\n"), start=1):
            line = raw.strip(_WS)
            if line:
                group.append((number, line))
            elif group:
                self.group(group)
                group = []
        if group:
            self.group(group)
        return self.parsed

    def group(self, lines: list[tuple[int, str]]) -> None:
        content = [i for i, (_, line) in enumerate(lines) if not line.startswith("//")]
        if content and lines[content[0]][1].startswith("$CATEGORY:"):
            category = lines[content[0]][1][len("$CATEGORY:") :].strip(_WS)
            self.category = _CONTEXT_PREFIX.sub("", category)
            # Moodle would swallow a question written right under the category line into the category
            # name; reading it as the next question is what its author meant.
            rest = lines[content[0] + 1 :]
            if rest:
                self.group(rest)
            return
        block = _make_block(lines)
        if block is None:
            return
        self.questions += 1
        self.question(block)

    def question(self, block: _Block) -> None:
        text, line = block.text, block.line
        name, body = "", 0
        if text.startswith("::"):
            end = text.find("::", 2)
            body = 2
            if end >= 0:
                name = " ".join(_restore(text[2:end]).split())
                body = end + 2
        while body < len(text) and text[body] in _WS:
            body += 1

        try:
            braces = self.answer_section(block, body)
        except _Malformed as error:
            self.problem(error.line, error.message)
            return
        uid, tags = _id_and_tags(block.comments)
        if braces is None:
            self.description(block, name, uid, _clean(text[body:], "moodle"))
            return
        opened, closed = braces
        # Moodle's missing-word format: answers inside the sentence leave a blank.
        blank = "" if closed == len(text) - 1 else MISSING_WORD
        question_text = text[body:opened] + blank + text[closed + 1 :]
        answers = text[opened + 1 : closed]
        feedback = ""
        separator = answers.rfind("####")
        if separator >= 0:
            feedback, answers = answers[separator + 4 :], answers[:separator]
        lead = len(answers) - len(answers.lstrip(_WS))
        answers_at, answers = opened + 1 + lead, answers.strip(_WS)
        fmt, _ = _split_format(question_text, "moodle")
        stem = _clean(question_text, "moodle")
        explanation = _clean(feedback, fmt)

        kind = self.kind(answers)
        type_tags = [tag for tag in tags if tag.startswith(f"{TAG_PREFIX}type=")]
        if kind not in ("multichoice", "match"):
            self.parsed.skipped.append(
                Skipped(line, name, UNSUPPORTED_KINDS[kind], unsupported(UNSUPPORTED_KINDS[kind]))
            )
            return
        problems_before = len(self.parsed.problems)
        for tag in type_tags:
            if tag != ORDERING_TAG:
                self.problem(line, f"unknown tag {tag!r}: the only type tag is {ORDERING_TAG!r}")
            elif kind != "match":
                self.problem(
                    line,
                    f"the question is tagged {ORDERING_TAG!r} but is written as multiple choice; "
                    "write ordering as matching pairs =step -> position",
                )
        if uid.startswith(CASE_ID_PREFIX):
            self.problem(
                line,
                f"[id:{uid}] marks a case-study scenario, which is a description (text without braces); "
                "give the question its own id",
            )
        item = Item(line=line, type="", stem=stem, options=[], name=name, uid=uid, explanation=explanation)
        item.category = self.category
        if kind == "multichoice":
            self.multichoice(item, block, answers, answers_at, fmt)
        elif ORDERING_TAG in type_tags:
            self.ordering(item, block, answers, answers_at, fmt)
        else:
            self.matching(item, block, answers, answers_at, fmt)
        for message in apply_tags(item, tags):
            self.problem(line, message)
        if len(self.parsed.problems) == problems_before:
            self.parsed.items.append(item)

    @staticmethod
    def answer_section(block: _Block, body: int) -> tuple[int, int] | None:
        """(offset of "{", offset of "}"), or None for a description (no braces). Moodle takes the
        first "{" to the first "}"; a second "{" or a stray "}" is refused here because Moodle would
        keep it as text and the question would quietly lose answers or gain a brace."""
        opened: int | None = None
        closed: int | None = None
        for offset in range(body, len(block.text)):
            char, line = block.text[offset], block.line_at(offset)
            if char == "{" and opened is None:
                opened = offset
            elif char == "{" and closed is None:
                first = block.line_at(offset if opened is None else opened)
                raise _Malformed(
                    first,
                    f"'{{' opened on line {first} is never closed: another '{{' follows on line {line}; "
                    "end the answers with '}', or escape a literal brace as \\{",
                )
            elif char == "{":
                raise _Malformed(
                    line,
                    f"a second answer section '{{' on line {line}: a question has one answer section; "
                    "escape a literal brace as \\{",
                )
            elif char == "}" and (opened is None or closed is not None):
                raise _Malformed(
                    line,
                    f"'}}' on line {line} has no matching '{{': open the answers with '{{', "
                    "or escape a literal brace as \\}",
                )
            elif char == "}":
                closed = offset
        if opened is None:
            return None
        if closed is None:
            first = block.line_at(opened)
            raise _Malformed(
                first,
                f"'{{' opened on line {first} is never closed: end the answers with '}}' "
                "before the blank line that ends the question",
            )
        return opened, closed

    @staticmethod
    def kind(answers: str) -> str:
        """Moodle's type tests, in its order, on the answer text without general feedback."""
        if answers == "":
            return "essay"
        if answers.startswith("#"):
            return "numerical"
        if "~" in answers:
            return "multichoice"
        if "=" in answers and "->" in answers:
            return "match"
        check = answers
        if answers.find("#") > 0:
            check = answers[: answers.find("#")].strip(_WS)
        return "truefalse" if check in ("T", "TRUE", "F", "FALSE") else "shortanswer"

    def description(self, block: _Block, name: str, uid: str, scenario: str) -> None:
        if uid.startswith(CASE_ID_PREFIX):
            case_uid = uid[len(CASE_ID_PREFIX) :].strip()
            if not case_uid:
                self.problem(block.line, f"[id:{uid}] names no case: write [id:{CASE_ID_PREFIX}<uid>]")
                return
            self.parsed.cases.append(Case(uid=case_uid, title=name, scenario=scenario, line=block.line))
            return
        kind = UNSUPPORTED_KINDS["description"]
        self.parsed.skipped.append(Skipped(block.line, name, kind, unsupported(kind)))

    def multichoice(self, item: Item, block: _Block, answers: str, at: int, fmt: str) -> None:
        single = "=" in answers
        item.type = MULTIPLE_CHOICE if single else MULTIPLE_RESPONSE
        # Moodle turns "=" into "~=" and explodes on "~": every "=" or "~" starts an answer.
        pieces = _pieces(answers, at, "~=")
        if not pieces[0][2].strip(_WS):
            pieces = pieces[1:]
        if len(pieces) < 2:
            self.problem(item.line, f"a multiple-choice question needs at least 2 answers; this one has {len(pieces)}")
            return
        for number, (offset, marker, content) in enumerate(pieces, start=1):
            line = block.line_at(offset)
            raw = content.strip(_WS)
            written: str | None = None
            if marker == "=":
                weight = 1.0
            else:
                written, raw = _weight(raw)
                try:
                    weight = float(written) / 100 if written is not None else 0.0
                except ValueError:
                    self.problem(line, f"answer {number}: the weight %{written}% is not a number, e.g. %50%")
                    continue
            answer, has_feedback, feedback = raw.partition("#")
            text = _clean(answer.strip(_WS), fmt)
            explanation = _clean(feedback.strip(_WS), fmt) if has_feedback else ""
            if not text:
                self.problem(line, f"answer {number} on line {line} has no text: write it after '{marker or '~'}'")
                continue
            correct = weight >= 1 if single else weight > 0
            if single and weight not in (0.0, 1.0):
                shown = f"{written or _percent(weight * 100)}%"
                if 0 < weight < 1:
                    note = f'partial credit {shown} for "{text}" dropped: mlaexam scores all or nothing'
                elif weight < 0:
                    note = f'penalty {shown} for "{text}" dropped: mlaexam scores all or nothing'
                else:
                    note = f'weight {shown} for "{text}" read as correct: mlaexam scores all or nothing'
                item.notes.append(note)
            item.options.append(OptionData(text=text, explanation=explanation, is_correct=correct))
        correct = sum(1 for option in item.options if option.is_correct)
        if single and correct > 1:
            item.notes.append(
                f"{correct} answers are marked correct and all were kept correct, but multiple choice has exactly "
                "one: fix the key, or make it multiple response, before publishing"
            )

    def pairs(self, item: Item, block: _Block, answers: str, at: int, fmt: str) -> list[tuple[int, str, str]]:
        """(line, clean prompt, answer as written) for each "=prompt -> answer", as Moodle's match reads them."""
        pieces = _pieces(answers, at, "=")
        if not pieces[0][2].strip(_WS):
            pieces = pieces[1:]
        if len(pieces) < 2:
            self.problem(item.line, f"matching needs at least 2 pairs (=prompt -> answer); this one has {len(pieces)}")
            return []
        pairs = []
        for offset, _, content in pieces:
            line = block.line_at(offset)
            pair = content.strip(_WS)
            if "->" not in pair:
                self.problem(
                    line,
                    f"matching pair {_restore(pair)!r} on line {line} has no '->': "
                    "write each pair as =prompt -> answer",
                )
                continue
            prompt, _, answer = pair.partition("->")
            answer = clean_text(_restore(answer).strip(_WS), "plain")
            if not answer:
                self.problem(line, f"matching pair on line {line} has no answer after '->'")
                continue
            pairs.append((line, _clean(prompt.strip(_WS), fmt), answer))
        return pairs

    def explain(self, item: Item) -> None:
        """Matching and ordering answers have no feedback of their own: take theirs from the general feedback."""
        head, explanations = split_explanations(item.explanation, len(item.options))
        if explanations is not None:
            item.explanation = head
            for option, explanation in zip(item.options, explanations, strict=True):
                option.explanation = explanation

    def matching(self, item: Item, block: _Block, answers: str, at: int, fmt: str) -> None:
        item.type = MATCHING
        for _, prompt, answer in self.pairs(item, block, answers, at, fmt):
            item.options.append(OptionData(text=answer, explanation="", prompt=prompt))
        self.explain(item)

    def ordering(self, item: Item, block: _Block, answers: str, at: int, fmt: str) -> None:
        item.type = ORDERING
        problems_before = len(self.parsed.problems)
        pairs = self.pairs(item, block, answers, at, fmt)
        if len(self.parsed.problems) > problems_before:
            return
        for line, step, position in pairs:
            if not step:
                self.problem(line, f"ordering step on line {line} has no text: write =step -> position")
                return
            item.options.append(
                OptionData(
                    text=step,
                    explanation="",
                    position=int(position) if position.isascii() and position.isdigit() else None,
                )
            )
        positions = [option.position for option in item.options]
        if sorted(p for p in positions if p is not None) != list(range(1, len(pairs) + 1)) or None in positions:
            written = ", ".join(position for _, _, position in pairs)
            self.problem(
                item.line,
                f"ordering ({ORDERING_TAG}) needs each step as =step -> position with positions 1 to {len(pairs)}, "
                f"each used once (got {written})",
            )
            return
        self.explain(item)


def parse(text: str) -> Parsed:
    """Read a GIFT file. Malformed questions become ``Problem``s with their line and unsupported types
    ``Skipped`` ones; only a file that is not GIFT at all, or has no question, raises ``FormatError``."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    start = text.lstrip()[:5].lower()
    if start.startswith(("<?xml", "<quiz")):
        raise FormatError("this looks like Moodle XML, not GIFT: choose the Moodle XML format")
    reader = _Reader()
    parsed = reader.read(text)
    if not reader.questions:
        raise FormatError("the file has no questions")
    return parsed


# --- Writing ---------------------------------------------------------------------------------------


def _escape(text: str) -> str:
    return text.translate(_REPCHAR)


def _field(text: str) -> str:
    """A text where Moodle parses a format: say ``[plain]`` when the text itself would read as a
    format name or, after "~", as a weight."""
    fmt, _ = _split_format(text, "")
    guarded = "[plain]" + text if fmt or text.startswith("%") else text
    return _escape(guarded)


def _prompt(text: str) -> str:
    """A matching prompt. Moodle splits a pair at its first "->" and has no escape for it, so a prompt
    containing one is written as HTML with the ">" as an entity, which reads back as the same text."""
    if "->" not in text:
        return _field(text)
    return _escape("[html]" + html.escape(text, quote=False).replace("\n", "<br>"))


def _token(kind: str, value: str) -> str:
    return f"[{kind}:" + " ".join(value.split("\n")).replace("]", "\\]") + "]"


def _comment(uid: str, tags: list[str]) -> list[str]:
    bits = ([_token("id", uid)] if uid else []) + [_token("tag", tag) for tag in tags]
    return ["// " + " ".join(bits)] if bits else []


def _heading(name: str) -> str:
    return f"::{_escape(name)}::" if name else ""


def _write_case(case: Case) -> str:
    lines = _comment(CASE_ID_PREFIX + case.uid, [])
    lines.append(_heading(case.title) + "[plain]" + _escape(case.scenario))
    return "\n".join(lines) + "\n"


def _answers(item: Item) -> tuple[list[str], str]:
    """The answer lines and the general feedback for one item."""
    feedback = item.explanation
    if item.type in (MULTIPLE_CHOICE, MULTIPLE_RESPONSE):
        correct = sum(1 for option in item.options if option.is_correct)
        lines = []
        for option in item.options:
            if item.type == MULTIPLE_CHOICE:
                mark = "=" if option.is_correct else "~"
            else:
                mark = f"~%{_percent(100 / correct)}%" if option.is_correct else "~%-100%"
            explanation = "#" + _field(option.explanation) if option.explanation else ""
            lines.append(mark + _field(option.text) + explanation)
    elif item.type == MATCHING:
        lines = [f"={_prompt(o.prompt) if o.prompt else ''} -> {_escape(o.text)}" for o in item.options]
    else:
        lines = [f"={_prompt(o.text)} -> {o.position}" for o in item.options]
    if item.type in (MATCHING, ORDERING) and any(option.explanation for option in item.options):
        feedback = "\n\n".join(part for part in (feedback, explanations_block(item.options)) if part)
    return lines, feedback


def _write_item(item: Item) -> str:
    tags = taxonomy_tags(item)
    if item.type == ORDERING:
        tags = [ORDERING_TAG, *tags]
    lines = _comment(item.uid, tags)
    lines.append(_heading(item.name or item.uid) + "[plain]" + _escape(item.stem) + "{")
    answers, feedback = _answers(item)
    lines += ["\t" + answer for answer in answers]
    if feedback:
        lines.append("\t####" + _field(feedback))
    lines.append("}")
    return "\n".join(lines) + "\n"


def write(items: list[Item], cases: list[Case]) -> str:
    """Items and cases as a GIFT file Moodle imports. A case's scenario is a description question
    with id ``case:<uid>`` just before its first question; cases no item refers to come last."""
    by_uid = {case.uid: case for case in cases}
    written: set[str] = set()
    chunks: list[str] = []
    category = ""
    for item in items:
        if item.category != category:
            category = item.category
            one_line = " ".join(category.splitlines())
            chunks.append(f"$CATEGORY: {one_line}\n")
        case = by_uid.get(item.case_uid)
        if case is not None and case.uid not in written:
            written.add(case.uid)
            chunks.append(_write_case(case))
        chunks.append(_write_item(item))
    chunks += [_write_case(case) for case in cases if case.uid not in written]
    return "\n".join(chunks)
