"""Moodle XML import and export (questions.interchange.moodlexml), as pure functions: no database.

The files under data/ are written the way Moodle 4.x exports them (comments, category questions,
CDATA HTML, combined feedback, hints, tags), so the assertions say exactly what a real export
imports as, what it skips, and on which line.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import defusedxml.ElementTree as SafeET
import pytest

from questions.interchange.model import Case, FormatError, Item, Parsed, Problem, Skipped, Taxonomy, unsupported
from questions.interchange.moodlexml import parse, write
from questions.rules import OptionData

DATA = Path(__file__).parent / "data"


def read(name: str) -> Parsed:
    return parse((DATA / name).read_bytes())


def without_lines(things: list) -> list:
    return [dataclasses.replace(thing, line=0) for thing in things]


def mc(text: str, why: str, correct: bool = False) -> OptionData:
    return OptionData(text=text, explanation=why, is_correct=correct)


# --- A realistic Moodle export ---------------------------------------------------------------------


def test_moodle_export_imports_each_supported_type_and_skips_the_rest():
    parsed = read("moodle-export.xml")

    assert parsed.problems == []
    assert [(item.line, item.type, item.uid, item.category) for item in parsed.items] == [
        (26, "multiple_choice", "mla-dp-0001", "top/AWS/Domain 1"),
        (99, "multiple_choice", "", "top/AWS/Domain 1"),
        (144, "multiple_response", "mla-dp-0002", "top/AWS/Domain 1"),
        (213, "matching", "mla-mt-0001", "top/AWS/Domain 2"),
        (264, "ordering", "mla-or-0001", "top/AWS/Domain 2"),
        (342, "multiple_choice", "mla-case-0001", "top/AWS/Domain 2"),
    ]
    databrew, imputation, bias, matching, ordering, case_question = parsed.items

    # Single answer, HTML in CDATA with entities, per-answer feedback, our taxonomy and its own tag.
    assert databrew == Item(
        line=26,
        type="multiple_choice",
        name="Glue DataBrew for profiling",
        uid="mla-dp-0001",
        category="top/AWS/Domain 1",
        stem="A data engineer must profile a 40 GB CSV data set in Amazon S3 & find columns with missing values "
        "before training.\n\nWhich solution needs the least operational effort?",
        explanation="DataBrew profile jobs report missing values per column without code.",
        options=[
            mc(
                "Run an AWS Glue DataBrew profile job.",
                "Correct: a profile job reports missing values with no code.",
                True,
            ),
            mc("Write a PySpark script on Amazon EMR.", "Works, but a cluster & code are more effort."),
            mc("Query the data with Amazon Athena.", "Needs one query per column."),
            mc("Load the data into Amazon Redshift.", "Loading 40 GB is not profiling."),
        ],
        tags=["week-2"],
        taxonomy=Taxonomy(
            task="MLA-C01 1.1",
            pillars=["cost-effectiveness"],
            stage="data_preparation",
            services=["AWS Glue DataBrew"],
            difficulty="easy",
        ),
    )

    # Moodle auto-format with escaped text; answers without a format take the question text's.
    assert imputation.stem == (
        "A column has 3% missing values & a skewed distribution.\n"
        "Which imputation is best for a model that is sensitive to outliers?"
    )
    assert [(o.text, o.is_correct) for o in imputation.options] == [
        ("Impute the median", True),
        ("Impute the mean", False),
        ("Drop the column", False),
        ("Fill with <NULL> strings", False),
    ]
    assert imputation.notes == [
        'partial credit 50% for "Impute the mean" dropped: mlaexam scores all or nothing',
        'penalty -33.3333% for "Fill with <NULL> strings" dropped: mlaexam does not deduct marks',
    ]

    # Several answers: 50/50 are the keys; -100, -50 and 0 are all distractors.
    assert [(o.text, o.is_correct) for o in bias.options] == [
        ("SageMaker Clarify", True),
        ("SageMaker Data Wrangler", True),
        ("SageMaker Neo", False),
        ("SageMaker Model Monitor", False),
        ("Amazon Macie", False),
    ]
    assert bias.options[3].explanation == "Monitors bias drift after deployment, not in training data."
    assert bias.notes == []
    assert bias.taxonomy.services == ["Amazon SageMaker Clarify"]

    # Matching: the subquestion with no text is an extra answer that matches no prompt.
    assert matching.stem == "Match each symptom to the technique that addresses it."
    assert matching.options == [
        OptionData("Early stopping", "", prompt="Training loss falls while validation loss rises"),
        OptionData("L2 regularization", "", prompt="Weights grow very large"),
        OptionData("A larger model", "", prompt="Both training & validation loss stay high"),
        OptionData("Lower learning rate", "", prompt=""),
    ]
    assert (
        matching.explanation == "Regularization, more data and early stopping all fight overfitting in different ways."
    )

    # Ordering: the answers' order in the file is the correct order.
    assert ordering.options == [
        OptionData("ProcessingStep", "Prepares the features.", position=1),
        OptionData("TrainingStep", "Fits the model.", position=2),
        OptionData("Evaluation ProcessingStep", "Computes the metrics.", position=3),
        OptionData("RegisterModel", "Adds the model to the registry.", position=4),
    ]
    assert ordering.explanation == "Process, train, evaluate, then register."
    assert ordering.notes == []

    # The description with a case: id number is the scenario; the question after it belongs to it.
    assert parsed.cases == [
        Case(
            uid="retail-forecast",
            title="Retail demand forecasting",
            scenario="A retailer forecasts weekly demand for 20,000 products.\n"
            "- History: 3 years in Amazon S3\n- Latency: a nightly batch is enough",
            line=324,
        )
    ]
    assert (case_question.case_uid, case_question.case_order, case_question.tags) == ("retail-forecast", 1, [])

    # Any other description is not a question here, and says so.
    assert parsed.skipped == [Skipped(392, "Instructions", "description", unsupported("description"))]


def test_every_unsupported_type_is_skipped_with_its_line():
    parsed = read("moodle-unsupported.xml")

    assert parsed.problems == []
    assert [(s.line, s.kind, s.name) for s in parsed.skipped] == [
        (15, "true/false", "S3 is a file system"),
        (44, "short answer", "Name the feature store"),
        (68, "numerical", "Days of history"),
        (96, "essay", "Explain data drift"),
        (128, "embedded answers (cloze)", "Fill in the metrics"),
        (144, "calculated", "Instance hours"),
        (187, "drag and drop into text", "Drag the services"),
        (213, "coderunner", "Write a training script"),  # a plugin type we have never heard of
    ]
    assert all(s.reason == unsupported(s.kind) for s in parsed.skipped)
    assert str(parsed.skipped[0]).startswith("15: true/false question 'S3 is a file system' skipped: mlaexam has no")
    assert [(item.line, item.uid, item.category) for item in parsed.items] == [
        (230, "mla-cost-0001", "top/Default for MLA-C01/Mixed types")
    ]


# --- Files that are refused whole ------------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<quiz><question type="essay"><name><text>&lol9;</text></name></question></quiz>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0" encoding="UTF-8"?>

<!DOCTYPE quiz [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<quiz><question type="essay"><name><text>&secret;</text></name></question></quiz>
"""

ENTITIES_REFUSED = "the file declares XML entities (a DTD), which are refused for safety"


@pytest.mark.parametrize(
    ("data", "message", "line"),
    [
        (BILLION_LAUGHS, ENTITIES_REFUSED, 2),
        (EXTERNAL_ENTITY, ENTITIES_REFUSED, 3),
        (
            b'<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n  <question type="multichoice">\n    <name>\n'
            b"      <text>Unclosed</text>\n  </question>\n</quiz>\n",
            "this is not well-formed XML: mismatched tag",
            6,
        ),
        (
            b"PK\x03\x04\x14\x00\x08\x00\x08\x00\xe5\x9a\x00binary",
            "this is not well-formed XML: not well-formed (invalid token)",
            1,
        ),
        (b"\x00\x01\x02\xff\xfe\xfd", "this is not well-formed XML: not well-formed (invalid token)", 1),
        (b"::Q1:: What is 2+2? {=4 ~3}", "this is not well-formed XML: syntax error", 1),  # a GIFT file
        (b"", "the file is empty", None),
        (b"  \r\n\t\n", "the file is empty", None),
        (
            b'<?xml version="1.0"?>\n<html><body>Not a quiz</body></html>',
            "not a Moodle XML question file: the root element is <html>, expected <quiz>",
            None,
        ),
        (b'<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n</quiz>\n', "the file has no questions", None),
        (
            b'<quiz><question type="category"><category><text>$course$/top/X</text></category></question></quiz>',
            "the file has no questions",
            None,
        ),
        (
            b'<?xml version="1.0" encoding="Shift_JIS"?>\n<quiz/>',
            "the file's encoding cannot be read (multi-byte encodings are not supported); save it as UTF-8",
            1,
        ),
        (
            b'<?xml version="1.0" encoding="klingon"?>\n<quiz/>',
            "the file's encoding cannot be read (unknown encoding: klingon); save it as UTF-8",
            1,
        ),
        (
            b'<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n<question type="essay"><name><text>caf\xe9</text>',
            "this is not well-formed XML: not well-formed (invalid token)",
            3,
        ),
    ],
    ids=[
        "billion-laughs",
        "external-entity",
        "unclosed-tag",
        "zip",
        "binary-junk",
        "gift-text",
        "empty",
        "whitespace",
        "html-root",
        "empty-quiz",
        "only-categories",
        "multi-byte-encoding",
        "unknown-encoding",
        "latin-1-bytes-declared-utf-8",
    ],
)
def test_unreadable_files_raise_format_error_with_a_clear_message(data, message, line):
    with pytest.raises(FormatError) as caught:
        parse(data)

    assert (caught.value.message, caught.value.line) == (message, line)


def test_the_xml_declaration_decides_the_encoding():
    latin = '<?xml version="1.0" encoding="ISO-8859-1"?>\n<quiz>\n<question type="essay"><name><text>Café</text>'
    utf16 = '<?xml version="1.0" encoding="UTF-16"?>\n<quiz>\n<question type="essay"><name><text>Café €</text>'
    tail = "</name></question></quiz>"

    assert parse((latin + tail).encode("latin-1")).skipped[0].name == "Café"
    assert parse((utf16 + tail).encode("utf-16")).skipped[0].name == "Café €"
    assert parse(b"\xef\xbb\xbf" + (utf16 + tail).replace("UTF-16", "UTF-8").encode()).skipped[0].line == 3


# --- Questions that are wrong inside -----------------------------------------------------------------

MALFORMED = b"""<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="multichoice">
    <name><text>No question text</text></name>
    <answer fraction="100"><text>a</text></answer>
    <answer fraction="0"><text>b</text></answer>
  </question>
  <question type="multichoice">
    <name><text>Bad fraction</text></name>
    <questiontext format="plain_text"><text>Pick one.</text></questiontext>
    <answer fraction="100"><text>a</text></answer>
    <answer fraction="lots"><text>b</text></answer>
  </question>
  <question type="matching">
    <name><text>Lost answer</text></name>
    <questiontext format="plain_text"><text>Match.</text></questiontext>
    <subquestion><text>one</text><answer><text>1</text></answer></subquestion>
    <subquestion>
      <text>two</text>
    </subquestion>
  </question>
  <question>
    <name><text>No type</text></name>
  </question>
  <question type="multichoice">
    <name><text>One answer</text></name>
    <questiontext format="plain_text"><text>Only one?</text></questiontext>
    <answer fraction="100"><text>a</text></answer>
  </question>
  <question type="ordering">
    <name><text>Nothing to order</text></name>
    <questiontext format="plain_text"><text>Order.</text></questiontext>
  </question>
  <question type="multichoice">
    <name><text>Bad tags</text></name>
    <questiontext format="plain_text"><text>Tagged.</text></questiontext>
    <answer fraction="100"><text>a</text></answer>
    <answer fraction="0"><text>b</text></answer>
    <tags><tag><text>mlaexam:colour=blue</text></tag><tag><text>mlaexam:case-order=first</text></tag></tags>
  </question>
  <question type="description">
    <name><text>Empty case</text></name>
    <questiontext format="plain_text"><text>Scenario.</text></questiontext>
    <idnumber>case:</idnumber>
  </question>
  <question type="multichoice">
    <name><text>Fine</text></name>
    <questiontext format="plain_text"><text>Still read.</text></questiontext>
    <answer fraction="100"><text>a</text></answer>
    <answer fraction="0"><text>b</text></answer>
  </question>
</quiz>
"""


def test_malformed_questions_are_problems_with_their_lines():
    parsed = parse(MALFORMED)

    assert parsed.problems == [
        Problem(3, "multichoice question 'No question text' has no <questiontext>"),
        Problem(12, "the answer's fraction 'lots' is not a number (a percentage, e.g. 100)"),
        Problem(18, "a matching subquestion without an <answer>"),
        Problem(22, "a <question> element without a type attribute"),
        Problem(25, "a multichoice question needs at least 2 answers (has 1)"),
        Problem(30, "an ordering question needs at least 2 answers (has 0)"),
        Problem(
            34,
            "unknown tag 'mlaexam:colour=blue'; mlaexam: tags are task, alt, pillar, stage, service, difficulty, "
            "teaches, reference, case and case-order",
        ),
        Problem(34, "tag 'mlaexam:case-order=first': the case order must be a whole number"),
        Problem(41, "description 'Empty case': the id number 'case:' names no case"),
    ]
    assert [item.name for item in parsed.items] == ["Bad tags", "Fine"]
    assert str(parsed.problems[0]) == "3: multichoice question 'No question text' has no <questiontext>"


# --- How Moodle's features map onto ours -------------------------------------------------------------

MAPPINGS = b"""<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category"><category><text>$system$/top/Shared/ML</text></category></question>
  <question type="multichoice">
    <name><text>Two keys</text></name>
    <questiontext format="markdown"><text>Pick **one**.</text></questiontext>
    <answer fraction="100"><text>*first*</text></answer>
    <answer fraction="100.0"><text>second</text></answer>
    <answer fraction="0"><text>third</text></answer>
  </question>
  <question type="category"><category><text>$cat1$/top/Other</text></category></question>
  <question type="multichoice">
    <name><text>Weighted</text></name>
    <questiontext><text><![CDATA[<p>Choose <b>all</b> that apply.</p>]]></text></questiontext>
    <single>0</single>
    <answer fraction="50"><text><![CDATA[<p>a &amp; b</p>]]></text></answer>
    <answer fraction="25"><text>c</text></answer>
    <answer fraction="25"><text>d</text></answer>
    <answer><text>e</text></answer>
  </question>
  <question type="ordering">
    <name><text>Subset</text></name>
    <questiontext format="plain_text"><text>Order these.</text>
      <file name="diagram.png" path="/" encoding="base64">iVBORw0KGgo=</file></questiontext>
    <selecttype>RANDOM</selecttype>
    <selectcount>3</selectcount>
    <answer fraction="1"><text>one</text></answer>
    <answer fraction="2"><text>two</text></answer>
    <answer fraction="3"><text>three</text></answer>
    <answer fraction="4"><text>four</text></answer>
  </question>
  <question type="match">
    <name><text>Old name for matching</text></name>
    <questiontext format="plain_text"><text>Match.</text></questiontext>
    <generalfeedback format="plain_text"><text>Why each answer (mlaexam):
1. because A
2. because B</text></generalfeedback>
    <subquestion format="html"><text><![CDATA[<p>A</p>]]></text><answer><text>1</text></answer></subquestion>
    <subquestion format="html"><text></text><answer><text></text></answer></subquestion>
    <subquestion format="html"><text><![CDATA[<p>B</p>]]></text><answer><text>2</text></answer></subquestion>
  </question>
</quiz>
"""


def test_moodle_features_map_onto_ours_with_notes_for_what_is_lost():
    two_keys, weighted, subset, old_matching = parse(MAPPINGS).items

    # The context prefix ($system$, $cat1$, ...) is the importer's choice, not part of the category.
    assert [item.category for item in (two_keys, weighted)] == ["top/Shared/ML", "top/Other"]

    # Markdown text; answers without a format are in the question text's format.
    assert two_keys.stem == "Pick one."
    assert [(o.text, o.is_correct) for o in two_keys.options] == [("first", True), ("second", True), ("third", False)]
    assert two_keys.notes == ['2 answers give full marks ("first", "second"); all are marked correct']

    # <single>0</single> is several answers (Moodle's trans_single); a missing fraction is 0.
    assert weighted.type == "multiple_response"
    assert weighted.stem == "Choose all that apply."
    assert [(o.text, o.is_correct) for o in weighted.options] == [
        ("a & b", True),
        ("c", True),
        ("d", True),
        ("e", False),
    ]
    assert weighted.notes == [
        "unequal weights 50%/25%/25% dropped: mlaexam scores all or nothing, "
        "so all 3 answers with a positive grade must be chosen"
    ]

    assert [(o.text, o.position) for o in subset.options] == [("one", 1), ("two", 2), ("three", 3), ("four", 4)]
    assert subset.notes == [
        "Moodle shows a random subset of 3 of the 4 items; mlaexam orders all of them",
        "1 embedded file(s) (images) dropped: mlaexam questions are text",
    ]

    # A blank subquestion (no prompt, no answer) is ignored, as Moodle ignores it; the explanations
    # listed in the general feedback go back to their options.
    assert old_matching.type == "matching"
    assert old_matching.options == [
        OptionData("1", "because A", prompt="A"),
        OptionData("2", "because B", prompt="B"),
    ]
    assert old_matching.explanation == ""


# --- Writing, and reading back what was written ------------------------------------------------------

STEM = 'A team uses <label> & "quoted" columns.\n\nWhich option keeps 100% > 99% of the rows?\n- first\n- second'
WHY = 'Because <b> & "c" > d.\n\nA second paragraph.'
FULL_TAXONOMY = Taxonomy(
    task="MLA-C01 2.1",
    alt_task="MLA-C02 2.1",
    pillars=["scalability", "security"],
    stage="model_training",
    services=["Amazon SageMaker", "AWS Glue"],
    difficulty="hard",
    teaches=["hyperparameter tuning"],
    references=["https://docs.aws.amazon.com/sagemaker/latest/dg/automatic-model-tuning.html"],
)


def items_and_cases() -> tuple[list[Item], list[Case]]:
    common = {"explanation": WHY, "taxonomy": FULL_TAXONOMY, "tags": ["week-3", "Needs review"]}
    items = [
        Item(
            line=1,
            type="multiple_choice",
            name="Choice <one>",
            uid="mla-rt-0001",
            category="top/AWS/Domain 2",
            stem=STEM,
            options=[
                mc("Use <none> & drop", 'Loses rows & "context".', correct=True),
                mc("Option > two", "Wrong: it's > needed."),
                mc("Three", "Multi-line\n\nexplanation."),
                mc("Four ]]> five", "CDATA's end marker is just text."),
            ],
            **common,
        ),
        Item(
            line=2,
            type="multiple_response",
            name="Response",
            uid="mla-rt-0002",
            category="top/AWS/Domain 2",
            stem=STEM + " (Select THREE.)",
            options=[mc(f"Key {n}", f"Key {n} because & <why>", correct=True) for n in range(1, 4)]
            + [mc(f"Distractor {n}", f"Not {n}") for n in range(1, 4)],
            **common,
        ),
        Item(
            line=3,
            type="ordering",
            name="Order",
            uid="mla-rt-0003",
            category="top/AWS/Domain 3",
            stem=STEM,
            options=[
                OptionData("Collect <data>", "First & foremost.\n\nTwo paragraphs.", position=1),
                OptionData('Clean "it"', "Second.", position=2),
                OptionData("Train > evaluate", "Third.", position=3),
            ],
            **common,
        ),
        Item(
            line=4,
            type="matching",
            name="Match",
            uid="mla-rt-0004",
            category="top/AWS/Domain 3",
            stem=STEM,
            options=[
                OptionData("Amazon S3", "Objects & <blobs>.", prompt="Stores raw files"),
                OptionData("AWS Glue", 'Runs "ETL".', prompt="Transforms them"),
                OptionData("Amazon Athena", "Queries > scans.", prompt="Queries them with SQL"),
                OptionData("Amazon Kinesis", "Streams, not matched.", prompt=""),
            ],
            **common,
        ),
        Item(
            line=5,
            type="multiple_choice",
            name="Case one",
            uid="mla-rt-0005",
            category="top/AWS/Domain 3",
            stem="First question of the case?",
            options=[mc("Yes", "Right.", correct=True), mc("No", "Wrong."), mc("Maybe", "Vague."), mc("Never", "No.")],
            case_uid="churn-case",
            case_order=1,
            **common,
        ),
        Item(
            line=6,
            type="multiple_response",
            name="Case two",
            uid="mla-rt-0006",
            category="top/AWS/Domain 3",
            stem="Second question of the case? (Select TWO.)",
            options=[mc("A", "a.", correct=True), mc("B", "b.", correct=True)]
            + [mc(x, x.lower() + ".") for x in "CDE"],
            case_uid="churn-case",
            case_order=2,
            **common,
        ),
    ]
    cases = [
        Case(
            uid="churn-case",
            title='Churn at "Acme" <retail>',
            scenario="Acme & Co. loses 5% > last year's customers.\n\nThey store data in <S3>.",
            line=1,
        ),
        Case(uid="spare-case", title="A case with no questions yet", scenario="Scenario only.", line=2),
    ]
    return items, cases


def test_what_is_written_reads_back_as_the_same_items_and_cases():
    items, cases = items_and_cases()

    parsed = parse(write(items, cases))

    assert parsed.problems == []
    assert parsed.skipped == []
    assert without_lines(parsed.items) == without_lines(items)
    assert without_lines(parsed.cases) == without_lines(cases)


def test_written_file_is_the_moodle_xml_moodle_4_imports():
    items, cases = items_and_cases()

    data = write(items, cases)

    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n  <question type="category">')
    quiz = SafeET.fromstring(data)
    questions = quiz.findall("question")
    assert [(q.get("type"), q.findtext("idnumber")) for q in questions] == [
        ("category", ""),
        ("multichoice", "mla-rt-0001"),
        ("multichoice", "mla-rt-0002"),
        ("category", ""),
        ("ordering", "mla-rt-0003"),
        ("matching", "mla-rt-0004"),
        ("description", "case:churn-case"),  # before the case's first question
        ("multichoice", "mla-rt-0005"),
        ("multichoice", "mla-rt-0006"),
        ("description", "case:spare-case"),
    ]
    assert [q.findtext("category/text") for q in questions if q.get("type") == "category"] == [
        "$course$/top/AWS/Domain 2",
        "$course$/top/AWS/Domain 3",
    ]
    # Every text is plain text, which Moodle stores and shows exactly as written.
    formatted = [e for e in quiz.iter() if e.tag in ("questiontext", "generalfeedback", "subquestion", "feedback")]
    assert {e.get("format") for e in formatted + quiz.findall("question/answer")} == {"plain_text"}
    choice, response, ordering, matching = questions[1], questions[2], questions[4], questions[5]
    for question in (choice, response, ordering, matching):
        assert (question.findtext("defaultgrade"), question.findtext("penalty"), question.findtext("hidden")) == (
            "1",
            "0",
            "0",
        )

    assert (choice.findtext("single"), choice.findtext("shuffleanswers"), choice.findtext("answernumbering")) == (
        "true",
        "true",
        "abc",
    )
    assert [a.get("fraction") for a in choice.findall("answer")] == ["100", "0", "0", "0"]
    assert choice.find("answer/feedback/text").text == 'Loses rows & "context".'
    assert choice.findtext("name/text") == "Choice <one>"
    assert [t.text for t in choice.findall("tags/tag/text")] == [
        "mlaexam:task=MLA-C01 2.1",
        "mlaexam:alt=MLA-C02 2.1",
        "mlaexam:pillar=scalability",
        "mlaexam:pillar=security",
        "mlaexam:stage=model_training",
        "mlaexam:service=Amazon SageMaker",
        "mlaexam:service=AWS Glue",
        "mlaexam:difficulty=hard",
        "mlaexam:teaches=hyperparameter tuning",
        "mlaexam:reference=https://docs.aws.amazon.com/sagemaker/latest/dg/automatic-model-tuning.html",
        "week-3",
        "Needs review",
    ]

    # The keys share 100% (within Moodle's tolerance of its 1/3 grade); a wrong choice costs it all.
    assert response.findtext("single") == "false"
    assert [a.get("fraction") for a in response.findall("answer")] == ["33.33333"] * 3 + ["-100"] * 3

    settings = ("layouttype", "selecttype", "selectcount", "gradingtype", "showgrading")
    assert [ordering.findtext(tag) for tag in settings] == ["VERTICAL", "ALL", "0", "ABSOLUTE_POSITION", "SHOW"]
    assert [(a.get("fraction"), a.findtext("text")) for a in ordering.findall("answer")] == [
        ("1", "Collect <data>"),
        ("2", 'Clean "it"'),
        ("3", "Train > evaluate"),
    ]
    # Moodle keeps no feedback per ordering item on import, so the explanations are also listed here.
    assert ordering.findtext("generalfeedback/text") == (
        WHY + "\n\nWhy each answer (mlaexam):\n1. First & foremost. Two paragraphs.\n2. Second.\n3. Third."
    )

    assert matching.findtext("shuffleanswers") == "true"
    assert [(s.findtext("text"), s.findtext("answer/text")) for s in matching.findall("subquestion")] == [
        ("Stores raw files", "Amazon S3"),
        ("Transforms them", "AWS Glue"),
        ("Queries them with SQL", "Amazon Athena"),
        ("", "Amazon Kinesis"),
    ]
    assert matching.findtext("generalfeedback/text") == (
        WHY + '\n\nWhy each answer (mlaexam):\n1. Objects & <blobs>.\n2. Runs "ETL".\n3. Queries > scans.\n'
        "4. Streams, not matched."
    )

    description = questions[6]
    assert (description.findtext("name/text"), description.findtext("questiontext/text")) == (
        'Churn at "Acme" <retail>',
        "Acme & Co. loses 5% > last year's customers.\n\nThey store data in <S3>.",
    )


def test_ordering_explanations_survive_moodle_dropping_the_items_feedback():
    ordering = items_and_cases()[0][2]
    data = write([ordering], [])
    # What Moodle exports after importing it: the same question, its items without feedback.
    feedback = re.compile(rb"\s*<feedback format=\"plain_text\">\s*<text>.*?</text>\s*</feedback>", re.DOTALL)
    reexported = feedback.sub(b"", data)
    assert b"<feedback" not in reexported

    (parsed,) = parse(reexported).items

    assert [o.explanation for o in parsed.options] == ["First & foremost. Two paragraphs.", "Second.", "Third."]
    assert parsed.explanation == WHY


def test_a_moodle_export_written_back_reads_the_same():
    parsed = read("moodle-export.xml")

    again = parse(write(parsed.items, parsed.cases))

    # Only the notes go: what they describe (partial credit, a penalty) is not written back.
    drop_notes = [dataclasses.replace(item, line=0, notes=[]) for item in parsed.items]
    assert without_lines(again.items) == drop_notes
    assert without_lines(again.cases) == without_lines(parsed.cases)


def test_names_characters_and_categories_moodle_needs_are_supplied():
    nameless = Item(
        line=1,
        type="multiple_choice",
        stem="Bell \x07 and\x00 nul are not XML.",
        options=[mc("a", "", correct=True), mc("b", "")],
    )

    named_by_stem, named_by_uid = parse(write([nameless, dataclasses.replace(nameless, uid="mla-x-1")], [])).items

    # Moodle refuses a question without a name: the uid, or else the stem's start, stands in.
    assert (named_by_stem.name, named_by_uid.name) == ("Bell and nul are not XML.", "mla-x-1")
    assert named_by_stem.stem == "Bell and nul are not XML."
    # No category: the file has no category question, so Moodle imports into the one the user picks.
    assert b'type="category"' not in write([nameless], [])
