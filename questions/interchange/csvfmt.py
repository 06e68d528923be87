"""Questions as a spreadsheet: one row per question, options in numbered columns (pure).

The columns (a header row is required; any order; blank cells mean "none")::

    uid, type, name, category, tags, task, alt_task, pillars, stage, services, difficulty, teaches,
    references, stem, explanation, case_uid, case_title, case_scenario, case_order,
    option1_text, option1_correct, option1_position, option1_prompt, option1_explanation,
    ... up to option7_*

Lists (tags, pillars, services, teaches, references) are separated by ``;``. ``optionN_correct``
takes yes/no (also true/false, 1/0, x). A case study's title and scenario go on the row of its
first question; its other questions repeat the ``case_uid`` (and may repeat title and scenario).
"""

from __future__ import annotations

import csv
import io

from questions import rules
from questions.interchange.model import Case, FormatError, Item, Parsed, Problem, Taxonomy

MAX_OPTIONS = 7
OPTION_FIELDS = ("text", "correct", "position", "prompt", "explanation")
COLUMNS = [
    "uid", "type", "name", "category", "tags", "task", "alt_task", "pillars", "stage", "services", "difficulty",
    "teaches", "references", "stem", "explanation", "case_uid", "case_title", "case_scenario", "case_order",
] + [f"option{n}_{f}" for n in range(1, MAX_OPTIONS + 1) for f in OPTION_FIELDS]  # fmt: skip
REQUIRED = ("type", "stem", "option1_text")
TRUE, FALSE = {"yes", "true", "1", "x", "y"}, {"no", "false", "0", "", "n"}
FORMULA = ("=", "+", "-", "@")


def _list(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


def parse(text: str) -> Parsed:
    if text.lstrip().startswith(("<?xml", "<quiz")):
        raise FormatError("this looks like Moodle XML, not CSV: choose the Moodle XML format")
    # Spreadsheets in some locales save with ";" or tabs: pick the one that splits the header into
    # known column names (sniffing the data would be fooled by the ";" inside list cells).
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=lambda d: sum(c.strip().lower() in COLUMNS for c in first.split(d)))
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise FormatError("the file has no questions") from None
    except csv.Error as exc:
        raise FormatError(f"this is not readable CSV: {exc}", reader.line_num) from None
    header = [h.strip().lower() for h in header]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise FormatError(
            f"the header row lacks the column(s) {', '.join(missing)}; the columns are described in the "
            "documentation (export a question as CSV to see them)",
            1,
        )
    parsed = Parsed()
    unknown = [h for h in header if h and h not in COLUMNS]
    for name in unknown:
        parsed.problems.append(Problem(1, f"unknown column {name!r}"))
    cases: dict[str, Case] = {}
    previous = reader.line_num
    try:
        for row in reader:
            line, previous = previous + 1, reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(header):
                parsed.problems.append(Problem(line, f"the row has {len(row)} cells but the header {len(header)}"))
                continue
            cells = {h: _unquote(row[i].strip()) if i < len(row) else "" for i, h in enumerate(header)}
            item = _item(line, cells, parsed)
            if item is None:
                continue
            case_uid = cells.get("case_uid", "")
            if case_uid:
                title, scenario = cells.get("case_title", ""), cells.get("case_scenario", "")
                known = cases.get(case_uid)
                if known is None:
                    if not title or not scenario:
                        parsed.problems.append(
                            Problem(line, f"case {case_uid!r}: its first row needs case_title and case_scenario")
                        )
                    else:
                        known = cases[case_uid] = Case(case_uid, title, scenario, line)
                        parsed.cases.append(known)
                elif (title and title != known.title) or (scenario and scenario != known.scenario):
                    parsed.problems.append(
                        Problem(line, f"case {case_uid!r}: title or scenario differ from line {known.line}")
                    )
            parsed.items.append(item)
    except csv.Error as exc:
        parsed.problems.append(Problem(reader.line_num, f"this is not readable CSV: {exc}"))
    if not parsed.items and not parsed.problems:
        raise FormatError("the file has no questions")
    return parsed


def _item(line: int, cells: dict[str, str], parsed: Parsed) -> Item | None:
    qtype = cells.get("type", "")
    if qtype not in rules.QUESTION_TYPES:
        parsed.problems.append(Problem(line, f"unknown type {qtype!r}; use one of {', '.join(rules.QUESTION_TYPES)}"))
        return None
    options = []
    for n in range(1, MAX_OPTIONS + 1):
        text = cells.get(f"option{n}_text", "")
        others = [cells.get(f"option{n}_{f}", "") for f in OPTION_FIELDS[1:]]
        if not text:
            if any(others):
                parsed.problems.append(Problem(line, f"option {n} has no text but other option{n}_ cells are filled"))
            continue
        correct_cell = cells.get(f"option{n}_correct", "").lower()
        if correct_cell not in TRUE | FALSE:
            parsed.problems.append(Problem(line, f"option{n}_correct must be yes or no (got {correct_cell!r})"))
        position_cell = cells.get(f"option{n}_position", "")
        if position_cell and not position_cell.isdigit():
            parsed.problems.append(Problem(line, f"option{n}_position must be a whole number (got {position_cell!r})"))
            position_cell = ""
        options.append(
            rules.OptionData(
                text=text,
                explanation=cells.get(f"option{n}_explanation", ""),
                is_correct=correct_cell in TRUE,
                position=int(position_cell) if position_cell else None,
                prompt=cells.get(f"option{n}_prompt", ""),
            )
        )
    order_cell = cells.get("case_order", "")
    if order_cell and not order_cell.isdigit():
        parsed.problems.append(Problem(line, f"case_order must be a whole number (got {order_cell!r})"))
        order_cell = ""
    return Item(
        line=line,
        type=qtype,
        stem=cells.get("stem", ""),
        options=options,
        name=cells.get("name", ""),
        uid=cells.get("uid", ""),
        explanation=cells.get("explanation", ""),
        category=cells.get("category", ""),
        tags=_list(cells.get("tags", "")),
        taxonomy=Taxonomy(
            task=cells.get("task", ""),
            alt_task=cells.get("alt_task", ""),
            pillars=_list(cells.get("pillars", "")),
            stage=cells.get("stage", ""),
            services=_list(cells.get("services", "")),
            difficulty=cells.get("difficulty", ""),
            teaches=_list(cells.get("teaches", "")),
            references=_list(cells.get("references", "")),
        ),
        case_uid=cells.get("case_uid", ""),
        case_order=int(order_cell) if order_cell else None,
    )


def write(items: list[Item], cases: list[Case]) -> str:
    by_uid = {c.uid: c for c in cases}
    written: set[str] = set()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for item in items:
        t = item.taxonomy
        if len(item.options) > MAX_OPTIONS:
            raise ValueError(f"{item.uid}: more than {MAX_OPTIONS} options cannot be written as CSV")
        case = by_uid.get(item.case_uid)
        first_of_case = bool(case) and item.case_uid not in written
        if case:
            written.add(item.case_uid)
        row = {
            "uid": item.uid, "type": item.type, "name": item.name, "category": item.category,
            "tags": "; ".join(item.tags), "task": t.task, "alt_task": t.alt_task, "pillars": "; ".join(t.pillars),
            "stage": t.stage, "services": "; ".join(t.services), "difficulty": t.difficulty,
            "teaches": "; ".join(t.teaches), "references": "; ".join(t.references), "stem": item.stem,
            "explanation": item.explanation, "case_uid": item.case_uid,
            "case_title": case.title if first_of_case else "", "case_scenario": case.scenario if first_of_case else "",
            "case_order": "" if item.case_order is None else str(item.case_order),
        }  # fmt: skip
        for n, option in enumerate(item.options, start=1):
            row[f"option{n}_text"] = option.text
            row[f"option{n}_correct"] = "yes" if option.is_correct else ""
            row[f"option{n}_position"] = "" if option.position is None else str(option.position)
            row[f"option{n}_prompt"] = option.prompt
            row[f"option{n}_explanation"] = option.explanation
        writer.writerow([_safe(row.get(c, "")) for c in COLUMNS])
    return out.getvalue()


def _safe(value: str) -> str:
    """Quote text that a spreadsheet would run as a formula; ``parse`` takes the quote off again."""
    if value.startswith(FORMULA):
        return "'" + value
    return value


def _unquote(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA) else cell
