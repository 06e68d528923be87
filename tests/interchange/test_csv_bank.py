"""The CSV and bank formats on their own (pure): round trips for every type and a case study,
and the errors a spreadsheet can bring."""

from __future__ import annotations

import dataclasses

import pytest

from questions.interchange import bankfmt, csvfmt
from questions.interchange.model import Case, FormatError, Item, Taxonomy
from questions.rules import OptionData

TAXONOMY = Taxonomy(
    task="MLA-C01 2.1",
    alt_task="MLA-C02 2.1",
    pillars=["cost-effectiveness", "security"],
    stage="model_training",
    services=["Amazon S3", "Amazon SageMaker AI"],
    difficulty="hard",
    teaches=[],
    references=["https://docs.aws.amazon.com/sagemaker/latest/dg/whatis.html"],
)


def sample() -> tuple[list[Item], list[Case]]:
    stem = 'A retailer = wants; "X", at the lowest cost.\n\nWhich option meets this?'
    items = [
        Item(0, "multiple_choice", stem, [OptionData(f"Choice {i}", f"=1+{i} is text", i == 2) for i in range(1, 5)],
             name="mc", uid="mc", explanation="Overall.\n\nSecond paragraph.", taxonomy=TAXONOMY, tags=["imported"],
             category="top/AWS"),
        Item(0, "multiple_response", "Which two? (Select TWO.)",
             [OptionData(f"Response {i}", f"Why {i}", i <= 2) for i in range(1, 6)], name="mr", uid="mr",
             explanation="Both.", taxonomy=dataclasses.replace(TAXONOMY, pillars=["security"])),
        Item(0, "ordering", "Order the steps.", [OptionData(f"Step {i}", f"Step {i} is {i}", position=i)
             for i in range(1, 5)], name="ord", uid="ord", explanation="In order.", taxonomy=TAXONOMY),
        Item(0, "matching", "Match them.", [
            OptionData("Amazon SageMaker Model Monitor", "Detects drift", prompt="Data drift"),
            OptionData("Amazon CloudWatch", "Metrics", prompt="CPU utilisation"),
            OptionData("AWS CloudTrail", "API audit", prompt="Who called DeleteEndpoint"),
            OptionData("AWS X-Ray", "Traces; matches nothing"),
        ], name="mat", uid="mat", explanation="Each to its job.", taxonomy=TAXONOMY),
        Item(0, "multiple_choice", "Case question 1?", [OptionData(f"C{i}", f"W{i}", i == 1) for i in range(1, 5)],
             name="case-q1", uid="case-q1", explanation="E1.", taxonomy=TAXONOMY, case_uid="case-x", case_order=1),
        Item(0, "multiple_choice", "Case question 2?", [OptionData(f"D{i}", f"V{i}", i == 3) for i in range(1, 5)],
             name="case-q2", uid="case-q2", explanation="E2.", taxonomy=TAXONOMY, case_uid="case-x", case_order=2),
    ]  # fmt: skip
    return items, [Case("case-x", "A retailer's lake", "Scenario line one.\n\n- a list item\n- another")]


def strip_lines(items: list[Item]) -> list[Item]:
    return [dataclasses.replace(i, line=0) for i in items]


def test_csv_round_trip_keeps_every_type_the_taxonomy_and_the_case():
    items, cases = sample()
    text = csvfmt.write(items, cases)
    parsed = csvfmt.parse(text)
    assert parsed.problems == [] and parsed.skipped == []
    assert strip_lines(parsed.items) == items
    assert [dataclasses.replace(c, line=0) for c in parsed.cases] == cases
    assert "'=1+1 is text" in text  # a cell a spreadsheet would run as a formula is quoted...
    assert parsed.items[0].options[0].explanation == "=1+1 is text"  # ...and unquoted on the way back


def test_csv_from_a_spreadsheet_with_semicolons_and_bad_cells():
    text = (
        "type;stem;option1_text;option1_correct;option2_text;option2_correct;pillars\n"
        'multiple_choice;"Which one?";A;yes;B;;security\n'
        "multiple_choice;Which?;A;maybe;B;no;\n"
        "essay;Tell me;A;;;;\n"
    )
    parsed = csvfmt.parse(text)
    assert [str(p) for p in parsed.problems] == [
        "3: option1_correct must be yes or no (got 'maybe')",
        "4: unknown type 'essay'; use one of multiple_choice, multiple_response, ordering, matching",
    ]
    first = parsed.items[0]
    assert (first.line, first.stem, first.taxonomy.pillars) == (2, "Which one?", ["security"])
    assert [(o.text, o.is_correct) for o in first.options] == [("A", True), ("B", False)]


def test_csv_whole_file_errors():
    with pytest.raises(FormatError, match="the header row lacks the column"):
        csvfmt.parse("name,question\nx,y\n")
    with pytest.raises(FormatError, match="the file has no questions"):
        csvfmt.parse("type,stem,option1_text\n")
    with pytest.raises(FormatError, match="looks like Moodle XML"):
        csvfmt.parse('<?xml version="1.0"?><quiz/>')


def test_bank_round_trip_keeps_every_type_the_taxonomy_and_the_case():
    items, cases = sample()
    items = [dataclasses.replace(i, name=i.uid, category="", tags=[]) for i in items]  # the bank has no tags
    parsed = bankfmt.parse(bankfmt.write(items, cases))
    assert parsed.problems == []
    assert strip_lines(parsed.items) == items
    assert [dataclasses.replace(c, line=0) for c in parsed.cases] == cases


def test_bank_problems_keep_their_lines():
    parsed = bankfmt.parse("questions:\n  - uid: x\n    type: multiple_choice\n")
    assert parsed.items == []
    assert any(str(p).startswith("2: question x: missing required field 'task'") for p in parsed.problems)
