"""Moodle XML question files, read and written (pure, no ORM).

Moodle's XML format (``question/format/xml/format.php``) is the one format every Moodle site
imports and exports with all of a question's parts: its name, id number, tags, category,
per-answer feedback and general feedback. Its ``multichoice`` questions become our multiple
choice (``<single>true``) or multiple response (``<single>false``), ``matching`` becomes matching,
and ``ordering`` (qtype_ordering: a plugin, shipped with recent Moodle releases) becomes ordering.
Everything else is reported as skipped with its line, never dropped silently.

The file comes from outside, so it is parsed only through defusedxml with DTDs refused: an entity
bomb or an external entity stops at its ``<!DOCTYPE`` before anything is expanded or fetched.

A written file imports into Moodle 4.x and reads back here as the same items: all text is
``plain_text`` (kept exactly), our uid is the ``<idnumber>``, our taxonomy travels as ``mlaexam:``
tags, and a case study is a ``description`` question with id number ``case:<uid>``. Matching answers
have no feedback in Moodle, and ordering items lose theirs when Moodle saves an import, so the
options' explanations of both are also listed in the general feedback (``explanations_block``).
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET  # only builds the file we write; reading goes through defusedxml
from dataclasses import dataclass, field
from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler

import defusedxml.sax
from defusedxml import DefusedXmlException

from questions.interchange.model import (
    CASE_ID_PREFIX,
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
from questions.interchange.text import XML_FORMATS, clean_text
from questions.rules import MATCHING, MULTIPLE_CHOICE, MULTIPLE_RESPONSE, ORDERING, OptionData

# Moodle prefixes a category path with the context it came from: $course$, $system$, $module$, $cat1$.
_CONTEXT_PREFIX = re.compile(r"^\$[a-z]+[0-9]*\$(/|$)")
# Characters XML 1.0 cannot carry at all; a file with one would not import anywhere.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_FULL = 100.0
_EPSILON = 1e-4
# qtype_ordering's settings for the whole list shown at once, top to bottom, each item marked right or wrong.
_ORDERING_SETTINGS = (
    ("layouttype", "VERTICAL"),
    ("selecttype", "ALL"),
    ("selectcount", "0"),
    ("gradingtype", "ABSOLUTE_POSITION"),
    ("showgrading", "SHOW"),
)


# --- Reading ----------------------------------------------------------------------------------------


@dataclass
class _Node:
    """An element of the file: just what the reader needs, with the line of its start tag."""

    tag: str
    attrs: dict[str, str]
    line: int
    children: list[_Node] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def child(self, tag: str) -> _Node | None:
        return next((c for c in self.children if c.tag == tag), None)

    def all(self, tag: str) -> list[_Node]:
        return [c for c in self.children if c.tag == tag]

    def descendants(self) -> list[_Node]:
        found, stack = [], list(self.children)
        while stack:  # not recursive: a hostile file may nest deeper than Python's recursion limit
            node = stack.pop()
            found.append(node)
            stack.extend(node.children)
        return found

    def child_text(self, tag: str) -> str:
        """Moodle's getpath(..., istext): the element's text, trimmed; '' when it is absent."""
        node = self.child(tag)
        return node.text.strip() if node else ""


class _TreeBuilder(ContentHandler):
    def __init__(self) -> None:
        super().__init__()
        self.root: _Node | None = None
        self._stack: list[_Node] = []

    def line(self) -> int:
        return self._locator.getLineNumber() if self._locator else 1

    def startElement(self, name: str, attrs: dict[str, str]) -> None:
        node = _Node(name, dict(attrs), self.line())
        if self._stack:
            self._stack[-1].children.append(node)
        else:
            self.root = node
        self._stack.append(node)

    def endElement(self, name: str) -> None:
        self._stack.pop()

    def characters(self, content: str) -> None:
        if self._stack:
            self._stack[-1].parts.append(content)


def _read_tree(data: bytes) -> _Node:
    if not data.strip():
        raise FormatError("the file is empty")
    builder = _TreeBuilder()
    try:
        # forbid_dtd: a Moodle file never has one, and refusing it refuses every entity trick at once.
        defusedxml.sax.parseString(data, builder, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise FormatError(
            "the file declares XML entities (a DTD), which are refused for safety", builder.line()
        ) from None
    except SAXParseException as error:
        raise FormatError(f"this is not well-formed XML: {error.getMessage()}", error.getLineNumber()) from None
    except (LookupError, ValueError) as error:  # an encoding expat cannot read: unknown or multi-byte (Shift_JIS)
        raise FormatError(f"the file's encoding cannot be read ({error}); save it as UTF-8", 1) from None
    if builder.root is None:  # pragma: no cover - expat reports "no element found" first
        raise FormatError("the file has no questions")
    return builder.root


class _Malformed(Exception):
    """A question that cannot be read as it stands; it becomes a Problem at ``line``."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


def parse(data: bytes) -> Parsed:
    """Read a Moodle XML file; the XML declaration (or BOM) decides the encoding, as in any XML."""
    root = _read_tree(data)
    if root.tag != "quiz":
        raise FormatError(f"not a Moodle XML question file: the root element is <{root.tag}>, expected <quiz>")
    questions = root.all("question")
    if all(q.attrs.get("type", "").strip() == "category" for q in questions):
        raise FormatError("the file has no questions")
    parsed = Parsed()
    category = ""
    for node in questions:
        qtype = node.attrs.get("type", "").strip()
        try:
            if qtype == "category":
                category = _category_path(node)
            else:
                _read_question(node, qtype, category, parsed)
        except _Malformed as bad:
            parsed.problems.append(Problem(bad.line, bad.message))
    return parsed


def _category_path(node: _Node) -> str:
    """``$course$/top/AWS/Domain 1`` -> ``top/AWS/Domain 1``: the context is the importer's choice."""
    holder = node.child("category")
    if holder is None:
        raise _Malformed(node.line, "a category question without a <category>")
    # Moodle writes <category><text>path</text></category>; its own comment shows the bare form too.
    path = holder.child_text("text") if holder.child("text") else holder.text.strip()
    return _CONTEXT_PREFIX.sub("", path).strip()


def _format(name: str | None, default: str) -> str:
    """clean_text's format for a Moodle format name; unknown names are HTML, as Moodle assumes."""
    name = (name or default).strip()
    if name == "wiki_like":  # long retired; the nearest is Moodle's auto-format (plain with breaks)
        return "moodle"
    return XML_FORMATS.get(name, "html")


def _formatted(node: _Node | None, default_format: str) -> str:
    """The clean text of an element holding ``<text>`` with an optional ``format`` attribute."""
    if node is None:
        return ""
    return clean_text(node.child_text("text"), _format(node.attrs.get("format"), default_format))


def _read_question(node: _Node, qtype: str, category: str, parsed: Parsed) -> None:
    if not qtype:
        raise _Malformed(node.line, "a <question> element without a type attribute")
    name_node = node.child("name")
    name = clean_text(name_node.child_text("text"), "plain") if name_node else ""
    idnumber = node.child_text("idnumber")
    handled = ("multichoice", "matching", "match", "ordering", "description")
    if qtype not in handled or (qtype == "description" and not idnumber.startswith(CASE_ID_PREFIX)):
        kind = UNSUPPORTED_KINDS.get(qtype, qtype)
        parsed.skipped.append(Skipped(node.line, name, kind, unsupported(kind)))
        return
    stem_node = node.child("questiontext")
    if stem_node is None:
        raise _Malformed(node.line, f"{qtype} question {name!r} has no <questiontext>")
    # Moodle reads answers, feedback and subquestions without a format attribute in the question text's format.
    text_format = stem_node.attrs.get("format", "html")
    stem = _formatted(stem_node, "html")
    if qtype == "description":
        uid = idnumber[len(CASE_ID_PREFIX) :].strip()
        if not uid:
            raise _Malformed(node.line, f"description {name!r}: the id number {idnumber!r} names no case")
        parsed.cases.append(Case(uid=uid, title=name, scenario=stem, line=node.line))
        return
    if idnumber.startswith(CASE_ID_PREFIX):
        raise _Malformed(
            node.line, f"{qtype} question {name!r}: the id number {idnumber!r} is for a case's description"
        )
    feedback = _formatted(node.child("generalfeedback"), text_format)
    item = Item(line=node.line, type="", stem=stem, options=[], name=name, uid=idnumber, category=category)
    if qtype == "multichoice":
        _read_multichoice(node, text_format, item)
        item.explanation = feedback
    elif qtype == "ordering":
        _read_ordering(node, text_format, feedback, item)
    else:
        _read_matching(node, text_format, feedback, item)
    embedded = sum(1 for n in node.descendants() if n.tag == "file")
    if embedded:
        item.notes.append(f"{embedded} embedded file(s) (images) dropped: mlaexam questions are text")
    holder = node.child("tags")
    tags = [tag.child_text("text") for tag in holder.all("tag")] if holder else []
    for message in apply_tags(item, [tag for tag in tags if tag]):
        parsed.problems.append(Problem(node.line, message))
    parsed.items.append(item)


def _fraction(answer: _Node) -> float:
    raw = answer.attrs.get("fraction", "0")
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise _Malformed(answer.line, f"the answer's fraction {raw!r} is not a number (a percentage, e.g. 100)")
    return value


def _percent(value: float) -> str:
    return f"{value:g}%"


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def _answers(node: _Node, text_format: str, kind: str) -> list[tuple[_Node, str, str]]:
    """(element, text, feedback) of each ``<answer>``; Moodle refuses fewer than two, and so do we."""
    answers = [
        (a, _formatted(a, text_format), _formatted(a.child("feedback"), text_format)) for a in node.all("answer")
    ]
    if len(answers) < 2:
        raise _Malformed(node.line, f"{kind} question needs at least 2 answers (has {len(answers)})")
    return answers


def _read_multichoice(node: _Node, text_format: str, item: Item) -> None:
    answers = [(a, text, why, _fraction(a)) for a, text, why in _answers(node, text_format, "a multichoice")]
    # Moodle's trans_single: "false", "0" or empty mean several answers may be chosen.
    single = node.child("single")
    if single is None or single.text.strip() not in ("false", "0", ""):
        item.type = MULTIPLE_CHOICE
        full = [text for _, text, _, f in answers if abs(f - _FULL) < _EPSILON]
        for _, text, _, f in answers:
            if _EPSILON < f < _FULL - _EPSILON:
                item.notes.append(
                    f'partial credit {_percent(f)} for "{_short(text)}" dropped: mlaexam scores all or nothing'
                )
            elif f < -_EPSILON:
                item.notes.append(f'penalty {_percent(f)} for "{_short(text)}" dropped: mlaexam does not deduct marks')
        if len(full) > 1:
            item.notes.append(
                f"{len(full)} answers give full marks (" + ", ".join(f'"{_short(t)}"' for t in full) + "); "
                "all are marked correct"
            )
        item.options = [OptionData(text, why, is_correct=abs(f - _FULL) < _EPSILON) for _, text, why, f in answers]
        return
    item.type = MULTIPLE_RESPONSE
    weights = [f for *_, f in answers if f > _EPSILON]
    if weights and max(weights) - min(weights) > 0.01:
        item.notes.append(
            "unequal weights " + "/".join(_percent(w) for w in weights) + " dropped: mlaexam scores all or "
            f"nothing, so all {len(weights)} answers with a positive grade must be chosen"
        )
    item.options = [OptionData(text, why, is_correct=f > _EPSILON) for _, text, why, f in answers]


def _read_ordering(node: _Node, text_format: str, feedback: str, item: Item) -> None:
    item.type = ORDERING
    answers = _answers(node, text_format, "an ordering")  # in the file's order, which is the correct one
    # Moodle keeps no per-item feedback for ordering on import, so our writer also lists the items'
    # explanations in the general feedback; take them from there when an answer has none.
    item.explanation, listed = split_explanations(feedback, len(answers))
    item.options = [
        OptionData(text, why or (listed[n] if listed else ""), position=n + 1)
        for n, (_, text, why) in enumerate(answers)
    ]
    select = node.child_text("selecttype").upper() or "RANDOM"
    count = node.child_text("selectcount")
    if select not in ("ALL", "EXACT") and count.isdigit() and 2 <= int(count) < len(answers):
        item.notes.append(
            f"Moodle shows a random subset of {count} of the {len(answers)} items; mlaexam orders all of them"
        )


def _read_matching(node: _Node, text_format: str, feedback: str, item: Item) -> None:
    item.type = MATCHING
    pairs = []
    for sub in node.all("subquestion"):
        answer = sub.child("answer")
        if answer is None:
            raise _Malformed(sub.line, "a matching subquestion without an <answer>")
        prompt = _formatted(sub, text_format)
        text = clean_text(answer.child_text("text"), "plain")  # Moodle keeps match answers as plain text
        if prompt or text:  # Moodle ignores a subquestion with neither (an unused blank in its form)
            pairs.append((prompt, text))
    if len(pairs) < 2:
        raise _Malformed(node.line, f"a matching question needs at least 2 subquestions (has {len(pairs)})")
    item.explanation, listed = split_explanations(feedback, len(pairs))
    item.options = [
        OptionData(text, listed[n] if listed else "", prompt=prompt) for n, (prompt, text) in enumerate(pairs)
    ]


# --- Writing ----------------------------------------------------------------------------------------


def write(items: list[Item], cases: list[Case]) -> bytes:
    """A Moodle XML file (UTF-8) of the items, each case's description before its first question."""
    quiz = ET.Element("quiz")
    by_uid = {case.uid: case for case in cases}
    written: set[str] = set()
    category = ""
    for item in items:
        # A file can only switch categories, so an item with none stays in the previous one.
        if item.category and item.category != category:
            _write_category(quiz, item.category)
            category = item.category
        if item.case_uid in by_uid and item.case_uid not in written:
            _write_case(quiz, by_uid[item.case_uid])
            written.add(item.case_uid)
        _write_item(quiz, item)
    for case in cases:
        if case.uid not in written:
            _write_case(quiz, case)
            written.add(case.uid)
    ET.indent(quiz, space="  ")
    body = ET.tostring(quiz, encoding="unicode", short_empty_elements=False)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


def _safe(text: str) -> str:
    return _NOT_XML.sub("", text)


def _text(parent: ET.Element, tag: str, text: str, formatted: bool = True) -> ET.Element:
    """``<tag format="plain_text"><text>...</text></tag>``: plain text is the one format Moodle
    stores and shows as written, so it comes back here unchanged."""
    element = ET.SubElement(parent, tag, {"format": "plain_text"} if formatted else {})
    ET.SubElement(element, "text").text = _safe(text)
    return element


def _simple(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, tag).text = _safe(text)


def _write_category(quiz: ET.Element, path: str) -> None:
    question = ET.SubElement(quiz, "question", type="category")
    prefixed = path if _CONTEXT_PREFIX.match(path) else f"$course$/{path}"
    _text(question, "category", prefixed, formatted=False)
    info = ET.SubElement(question, "info", format="moodle_auto_format")
    _simple(info, "text", "")
    _simple(question, "idnumber", "")


def _header(quiz: ET.Element, qtype: str, name: str, stem: str, feedback: str, idnumber: str, grade: str) -> ET.Element:
    question = ET.SubElement(quiz, "question", type=qtype)
    _text(question, "name", name, formatted=False)
    _text(question, "questiontext", stem)
    _text(question, "generalfeedback", feedback)
    _simple(question, "defaultgrade", grade)
    _simple(question, "penalty", "0")
    _simple(question, "hidden", "0")
    _simple(question, "idnumber", idnumber)
    return question


def _write_case(quiz: ET.Element, case: Case) -> None:
    # Moodle insists on a name; a case without a title is named by its uid.
    _header(quiz, "description", case.title or case.uid, case.scenario, "", CASE_ID_PREFIX + case.uid, "0")


def _name(item: Item) -> str:
    return item.name or item.uid or _short(item.stem, 80) or "Question"


def _with_block(explanation: str, options: list[OptionData]) -> str:
    """The general feedback with the options' explanations listed under it, for answers that have
    no feedback of their own in Moodle (matching) or lose it on import (ordering)."""
    if not any(option.explanation.strip() for option in options):
        return explanation
    block = explanations_block(options)
    return f"{explanation}\n\n{block}" if explanation else block


def _fraction_text(value: float) -> str:
    """At most 5 decimals, trailing zeros trimmed: 33.33333 is within Moodle's tolerance of 1/3."""
    return f"{value:.5f}".rstrip("0").rstrip(".")


def _write_item(quiz: ET.Element, item: Item) -> None:
    if item.type == MATCHING:
        feedback = _with_block(item.explanation, item.options)
        question = _header(quiz, "matching", _name(item), item.stem, feedback, item.uid, "1")
        _simple(question, "shuffleanswers", "true")
        for option in item.options:
            sub = _text(question, "subquestion", option.prompt)
            _text(sub, "answer", option.text, formatted=False)
    elif item.type == ORDERING:
        last = len(item.options)
        ordered = sorted(item.options, key=lambda o: o.position if o.position is not None else last)
        feedback = _with_block(item.explanation, ordered)
        question = _header(quiz, "ordering", _name(item), item.stem, feedback, item.uid, "1")
        for tag, value in _ORDERING_SETTINGS:
            _simple(question, tag, value)
        for position, option in enumerate(ordered, start=1):
            _write_answer(question, str(position), option)
    else:
        question = _header(quiz, "multichoice", _name(item), item.stem, item.explanation, item.uid, "1")
        single = item.type != MULTIPLE_RESPONSE
        _simple(question, "single", "true" if single else "false")
        _simple(question, "shuffleanswers", "true")
        _simple(question, "answernumbering", "abc")
        correct = sum(1 for option in item.options if option.is_correct)
        for option in item.options:
            if single:
                fraction = "100" if option.is_correct else "0"
            else:
                # The keys share 100% and a wrong choice costs it all: as near all-or-nothing as Moodle gets.
                fraction = _fraction_text(100 / correct) if option.is_correct else "-100"
            _write_answer(question, fraction, option)
    tags = taxonomy_tags(item)
    if tags:
        holder = ET.SubElement(question, "tags")
        for tag in tags:
            _simple(ET.SubElement(holder, "tag"), "text", tag)


def _write_answer(question: ET.Element, fraction: str, option: OptionData) -> None:
    answer = ET.SubElement(question, "answer", {"fraction": fraction, "format": "plain_text"})
    _simple(answer, "text", option.text)
    _text(answer, "feedback", option.explanation)
