"""GIFT reading and writing (pure): Moodle's own files as they are, malformed input, and round trips.

The expected tables below were written out by reading the fixture files line by line against
Moodle's importer (question/format/gift/format.php), not by printing what the parser returns.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from questions.interchange import gift
from questions.interchange.model import (
    UNSUPPORTED_KINDS,
    Case,
    FormatError,
    Item,
    Parsed,
    Skipped,
    Taxonomy,
    unsupported,
)
from questions.rules import MATCHING, MULTIPLE_CHOICE, MULTIPLE_RESPONSE, ORDERING, OptionData

FIXTURES = Path("/work/shared/fixtures/moodle")
MC, MR, ORD, MAT = MULTIPLE_CHOICE, MULTIPLE_RESPONSE, ORDERING, MATCHING
TF, SA, NUM, ESSAY = "true/false", "short answer", "numerical", "essay"
DROPPED = "dropped: mlaexam scores all or nothing"


def o(text, explanation="", correct=False, prompt="", position=None):
    return OptionData(text=text, explanation=explanation, is_correct=correct, position=position, prompt=prompt)


def item(line, qtype, stem, options, **fields):
    return Item(line=line, type=qtype, stem=stem, options=options, **fields)


def question_lines(text: str) -> list[int]:
    """The first non-comment line of every blank-line-separated block that is not only comments:
    where every question in the file starts. Counted independently of the parser."""
    lines, current = [], None
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line:
            current = None
        elif not line.startswith("//") and current is None:
            current = number
            lines.append(number)
    return lines


def accounted(parsed: Parsed) -> list[int]:
    found = [i.line for i in parsed.items] + [c.line for c in parsed.cases]
    found += [s.line for s in parsed.skipped] + [p.line for p in parsed.problems]
    return sorted(found)


# --- Moodle's example file (question/format/gift/examples.txt) ----------------------------------------

GRANT = [o("Grant"), o("Jefferson"), o("no one", correct=True)]
ENTOMBED = [o("buried"), o("entombed", correct=True), o("living")]
FOURTH = [o("second"), o("third"), o("fourth", correct=True)]
TOMB = "Who's buried in Grant's tomb?"
MISSING = "Grant is _____ in Grant's tomb."
THANKSGIVING = "The American holiday of Thanksgiving is celebrated on the _____ Thursday of November."
CAPITALS = [o("Ottawa", prompt="Canada"), o("Rome", prompt="Italy"), o("Tokyo", prompt="Japan")]
ENTOMBED_TWO = [o("No one"), o("Grant", correct=True), o("Grant's wife", correct=True), o("Grant's father")]

EXAMPLES_ITEMS = [
    item(8, MC, TOMB, GRANT),
    item(10, MC, MISSING, ENTOMBED),
    item(25, MC, TOMB, GRANT),
    item(27, MC, MISSING, ENTOMBED),
    item(29, MC, THANKSGIVING, FOURTH),  # multi-line answers, missing word
    item(
        35,
        MC,
        "Japanese characters originally came from what country?",
        [o("India"), o("China", correct=True), o("Korea"), o("Egypt")],
    ),
    item(
        55,
        MAT,
        "Matching Question.",
        [o(f"subanswer{n}", prompt=f"subquestion{n}") for n in (1, 2, 3)],
    ),
    item(
        61,
        MAT,
        "Match the following countries with their corresponding capitals.",
        [*CAPITALS, o("New Delhi", prompt="India")],
    ),
    # ::name:: and a stem over two lines (Moodle keeps the line break in its "moodle" text format)
    item(
        93,
        MC,
        "The American holiday of Thanksgiving is\ncelebrated on the _____ Thursday of November.",
        FOURTH,
        name="Thanksgiving Date",
    ),
    item(
        98,
        MC,
        "What's the answer to this multiple-choice question?",
        [
            o("wrong answer", "feedback comment on the wrong answer"),
            o("another wrong answer", "feedback comment on this wrong answer"),
            o("right answer", "Very good!", correct=True),
        ],
    ),
    item(
        115,
        MC,
        "Difficult question.",
        [o("wrong answer"), o("half credit answer"), o("full credit answer", correct=True)],
        notes=[f'partial credit 50% for "half credit answer" {DROPPED}'],
    ),
    item(
        117,
        MC,
        "Jesus Christ was from _____.",
        [
            o("Jerusalem", "This was an important city, but the wrong answer."),
            o("Bethlehem", "He was born here, but not raised here."),
            o("Galilee", "You need to be more specific."),
            o("Nazareth", "Yes! That's right!", correct=True),
        ],
        name="Jesus' hometown",
        notes=[f'partial credit 25% for "Bethlehem" {DROPPED}', f'partial credit 50% for "Galilee" {DROPPED}'],
    ),
    # Multiple answers: no "=", so the correct set is the answers with a positive weight.
    item(130, MR, "What two people are entombed in Grant's tomb?", ENTOMBED_TWO),
    item(136, MR, "What two people are entombed in Grant's tomb?", ENTOMBED_TWO),  # negative weights
    item(
        143,
        MC,
        "Which answer equals 5?",
        [o("= 2 + 2"), o("= 2 + 3", correct=True), o("= 2 + 4")],  # \= escapes
    ),
    item(
        148,
        MC,
        "Which of the following is NOT a control character for the GIFT import format?",
        [
            o("~", "~ is a control character."),
            o("=", "= is a control character."),
            o("#", "# is a control character."),
            o("{", "{ is a control character."),
            o("}", "} is a control character."),
            o(
                "\\",
                "Correct! \\ (backslash) is not a control character. BUT,\n"
                "it is used to escape the control characters. So, to specify\n"
                "a literal backslash, you must escape it with a backslash\n"
                "(as shown in this example).",
                correct=True,
            ),
        ],
        name="GIFT Control Characters",
    ),
    item(167, MC, TOMB, GRANT),
    item(169, MC, MISSING, ENTOMBED),
    item(177, MAT, "Match the following countries with their corresponding\ncapitals.", CAPITALS),
    item(
        184,
        MC,
        MISSING,
        [
            o("buried", "No one is buried there."),
            o("entombed", "Right answer!", correct=True),
            o("living", "We hope not!"),
        ],
        name="Grant's Tomb",
    ),
    item(
        190,
        MC,
        "Difficult multiple choice question.",
        [
            o("wrong answer", "comment on wrong answer"),
            o("half credit answer", "comment on answer"),
            o("full credit answer", "well done!", correct=True),
        ],
        notes=[f'partial credit 50% for "half credit answer" {DROPPED}'],
    ),
]

EXAMPLES_SKIPPED = [
    (12, TF, ""),  # {FALSE}
    (14, SA, ""),  # {=no one =nobody}
    (16, NUM, ""),  # {#1822:1}
    (43, SA, ""),
    (45, SA, ""),  # {=four =4}
    (49, TF, ""),  # {F}
    (51, TF, ""),  # {T}
    (70, NUM, ""),
    (72, NUM, ""),
    (74, NUM, ""),  # range 3.141..3.142
    (76, NUM, ""),  # {# =1822:0 =%50%1822:2}
    (85, NUM, ""),  # after a comment line
    (90, SA, "Kanji Origins"),  # a single "=" answer is short answer, not multiple choice
    (103, SA, ""),  # =no one#excellent answer! ...
    (108, SA, ""),  # [markdown] short answer
    (113, TF, ""),  # {FALSE#feedback}
    (123, SA, "Jesus' hometown"),  # only "=" answers, with weights
    (171, TF, ""),
    (173, SA, ""),
    (175, NUM, ""),
    (195, SA, "Jesus' hometown (Short answer ex.)"),
    (202, NUM, "Numerical example"),  # the comment on line 201 is not the question's line
]

# --- Moodle's importer test fixture (question/format/gift/tests/fixtures/questions.gift.txt) ----------

MIXED_ITEMS = [
    item(
        5,
        MAT,
        "Match the activity to the description.",  # [html] with <b>
        [
            o("Forum", prompt="An activity supporting asynchronous discussions."),  # [html]
            o("Choice", prompt="A teacher asks a question and specifies a choice of multiple responses."),  # [moodle]
            o("Database", prompt="A bank of record entries which participants can add to."),  # [plain]
            o("Wiki", prompt="A collection of web pages that anyone can add to or edit."),  # [markdown]
            o("Chat"),  # "= -> Chat": an extra answer that matches no prompt
        ],
        name="Moodle activities",
    ),
    item(
        14,
        MC,
        "What's between orange and green in the spectrum?",
        [
            o("yellow", "right; good!", correct=True),
            o("red", "wrong, it's yellow"),  # feedback in [html]
            o("blue", "wrong, it's yellow"),  # answer in [plain]
        ],
        name="Q2",
    ),
    item(
        22,
        MR,
        "What's between orange and green in the spectrum?",
        [
            o("yellow", "right; good!", correct=True),  # %50%
            o("red", "wrong"),  # %-100%
            o("off-beige", "right; good!", correct=True),  # %50%
            o("blue", "wrong"),  # %-100%[plain]
        ],
        name="colours",
    ),
]

MIXED_SKIPPED = [
    (2, ESSAY, "Q8"),  # {}
    (31, NUM, "Q5"),
    (34, SA, "Shortanswer"),
    (41, TF, "Q1"),  # with #### general feedback
    (46, TF, "2-08 TSL"),  # {T}
    (49, TF, "2-08 TSL"),  # {TRUE}
]


@pytest.mark.parametrize(
    ("filename", "items", "skipped"),
    [("gift-examples.txt", EXAMPLES_ITEMS, EXAMPLES_SKIPPED), ("gift-mixed-types.txt", MIXED_ITEMS, MIXED_SKIPPED)],
)
def test_moodle_files_import_what_we_support_and_name_every_other_question(filename, items, skipped):
    text = (FIXTURES / filename).read_text(encoding="utf-8")
    parsed = gift.parse(text)

    assert parsed.problems == []
    assert parsed.cases == []
    assert parsed.items == items
    assert [(s.line, s.kind, s.name) for s in parsed.skipped] == skipped
    assert all(s.reason == unsupported(s.kind) for s in parsed.skipped)
    assert all(s.kind in UNSUPPORTED_KINDS.values() for s in parsed.skipped)
    # No silent drops: every question block is an item, a case, a skipped question or a problem.
    assert accounted(parsed) == question_lines(text)


def test_skipped_questions_say_why_with_their_line():
    parsed = gift.parse((FIXTURES / "gift-mixed-types.txt").read_text(encoding="utf-8"))
    assert str(parsed.skipped[0]) == (
        "2: essay question 'Q8' skipped: mlaexam has no essay questions (the AWS exam uses multiple choice, "
        "multiple response, ordering and matching); the question was not imported"
    )


# --- Reading: the rest of the syntax ------------------------------------------------------------------


def test_general_feedback_formats_escapes_and_missing_word():
    parsed = gift.parse(
        "[html]<p>Pick <b>one</b>:</p>{\n"
        "  =[plain]<b> is bold#[markdown]**Yes**, it is.\n"
        "  ~two \\= three\\n four # plain \\{ \\} \\# \\~ \\\\ \\: kept\n"
        "  ####<p>Because <i>HTML</i>.</p>\n"
        "}\n"
        "\n"
        "Line one\\nline two is {~a =b} here.\n"
    )
    assert parsed.problems == []
    first, second = parsed.items
    assert first == item(
        1,
        MC,
        "Pick one:",
        [o("<b> is bold", "Yes, it is.", correct=True), o("two = three four", "plain { } # ~ \\ : kept")],
        explanation="Because HTML.",
    )
    assert second.stem == "Line one\nline two is _____ here."


def test_unknown_format_is_text_and_names_are_optional():
    parsed = gift.parse("[latex]x^2 is?{=a ~b}\n\n::unclosed name {=a ~b}")
    assert [i.stem for i in parsed.items] == ["[latex]x^2 is?", "unclosed name"]
    assert [i.name for i in parsed.items] == ["", ""]


def test_categories_ids_and_tags_from_comments():
    parsed = gift.parse(
        "// question: 0  name: Switch category to $course$/top/AWS/Domain 1\n"
        "$CATEGORY: $course$/top/AWS/Domain 1\n"
        "\n"
        "// question: 12  name: first\n"
        "// [id:q-1] [tag:week 3] [tag:mlaexam:task=MLA-C01 1.1]\n"
        "// [tag:mlaexam:pillar=security] [tag:odd\\]tag] [tag:mlaexam:case=c1] [tag:mlaexam:case-order=2]\n"
        "::first::Which?{=a ~b}\n"
        "\n"
        "$CATEGORY: $system$/top/AWS/Domain 2\n"
        "Second?{=a ~b}\n"
    )
    assert parsed.problems == []
    first, second = parsed.items
    assert (first.line, first.uid, first.name, first.category) == (7, "q-1", "first", "top/AWS/Domain 1")
    assert first.tags == ["week 3", "odd]tag"]
    assert first.taxonomy == Taxonomy(task="MLA-C01 1.1", pillars=["security"])
    assert (first.case_uid, first.case_order) == ("c1", 2)
    assert (second.line, second.uid, second.category) == (10, "", "top/AWS/Domain 2")


def test_descriptions_are_cases_when_their_id_says_so():
    parsed = gift.parse(
        "// [id:case:retail]\n::Retail demand::[markdown]A **retailer** forecasts demand.\n\nJust a description."
    )
    assert parsed.cases == [Case(uid="retail", title="Retail demand", scenario="A retailer forecasts demand.", line=2)]
    assert parsed.skipped == [Skipped(4, "", "description", unsupported("description"))]


def test_several_correct_answers_in_multiple_choice_are_kept_with_a_note():
    parsed = gift.parse("Which?{=a =b ~c ~%-50%d}")
    assert [o.is_correct for o in parsed.items[0].options] == [True, True, False, False]
    assert parsed.items[0].notes == [
        f'penalty -50% for "d" {DROPPED}',
        "2 answers are marked correct and all were kept correct, but multiple choice has exactly one: fix the key, "
        "or make it multiple response, before publishing",
    ]


def test_ordering_is_matching_tagged_with_positions():
    text = "// [tag:mlaexam:type=ordering]\nOrder these.{\n=Clean -> 2\n=Collect -> 1\n=Train -> 3\n}"
    parsed = gift.parse(text)
    assert parsed.items == [
        item(2, ORD, "Order these.", [o("Clean", position=2), o("Collect", position=1), o("Train", position=3)])
    ]
    # Without the tag the same question is plain matching, as Moodle reads it.
    assert gift.parse(text.replace("mlaexam:type=ordering", "other")).items[0].type == MAT


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("// [tag:mlaexam:type=ordering]\nOrder.{=a -> 1 =b -> 3}", 2, "positions 1 to 2, each used once (got 1, 3)"),
        ("// [tag:mlaexam:type=ordering]\nOrder.{=a -> 1 =b -> first}", 2, "(got 1, first)"),
        ("// [tag:mlaexam:type=ordering]\nOrder.{=a -> 1\n= -> 2}", 3, "ordering step on line 3 has no text"),
        (
            "// [tag:mlaexam:type=ordering]\nOrder.{=a -> 1\n=b 2\n=c -> 3}",
            3,
            "matching pair 'b 2' on line 3 has no '->'",
        ),
        ("// [tag:mlaexam:type=ordering]\nOrder.{=a ~b}", 2, "is written as multiple choice"),
        ("// [tag:mlaexam:type=sorting]\nOrder.{=a -> 1 =b -> 2}", 2, "unknown tag 'mlaexam:type=sorting'"),
        ("// [tag:mlaexam:colour=red]\nQ{=a ~b}", 2, "unknown tag 'mlaexam:colour=red'"),
        ("// [tag:mlaexam:case-order=two]\nQ{=a ~b}", 2, "the case order must be a whole number"),
        ("// [id:case:c1]\nQ{=a ~b}", 2, "[id:case:c1] marks a case-study scenario"),
        ("// [id:case:]\nJust text", 2, "[id:case:] names no case"),
    ],
)
def test_our_tags_and_ids_misused_are_problems(text, line, message):
    parsed = gift.parse(text)
    assert parsed.items == []
    assert len(parsed.problems) == 1
    assert parsed.problems[0].line == line
    assert message in parsed.problems[0].message


# --- Malformed input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            "Fine?{=a ~b}\n\nWho?{\n~a\n=b\n\nNext?{=a ~b}",
            3,
            "'{' opened on line 3 is never closed: end the answers with '}' before the blank line that ends the "
            "question",
        ),
        (
            "Who?{\n~a\n=b\nNext?{=a ~b}",
            1,
            "'{' opened on line 1 is never closed: another '{' follows on line 4; end the answers with '}', "
            "or escape a literal brace as \\{",
        ),
        (
            "Who?\n~a =b}",
            2,
            "'}' on line 2 has no matching '{': open the answers with '{', or escape a literal brace as \\}",
        ),
        ("Who?{~a =b}\n}", 2, "'}' on line 2 has no matching '{'"),
        (
            "Who {~a =b} and\nwhat {~c =d}?",
            2,
            "a second answer section '{' on line 2: a question has one answer section; escape a literal brace as \\{",
        ),
        (
            "Match.{\n=a -> 1\n=b 2\n=c -> 3}",
            3,
            "matching pair 'b 2' on line 3 has no '->': write each pair as =prompt -> answer",
        ),
        ("Match.{=a -> 1}", 1, "matching needs at least 2 pairs (=prompt -> answer); this one has 1"),
        ("Match.{=a -> 1\n=b -> }", 2, "matching pair on line 2 has no answer after '->'"),
        ("Which?{~only}", 1, "a multiple-choice question needs at least 2 answers; this one has 1"),
        ("Which?{\n=a\n~#why\n~c}", 3, "answer 2 on line 3 has no text: write it after '~'"),
        ("Which?{\n~a\n~%--5%b\n=c}", 3, "answer 2: the weight %--5% is not a number"),
    ],
)
def test_malformed_questions_are_problems_with_lines(text, line, message):
    parsed = gift.parse(text)
    assert len(parsed.problems) == 1
    assert parsed.problems[0].line == line
    assert message in parsed.problems[0].message
    assert all(i.stem != "Who?" and not i.stem.startswith(("Match", "Which")) for i in parsed.items)


def test_problems_do_not_stop_the_rest_of_the_file():
    parsed = gift.parse("A?{=a ~b\n\nB?{=a ~b}\n\nC?}\n\nD?{T}")
    assert [p.line for p in parsed.problems] == [1, 5]
    assert [i.stem for i in parsed.items] == ["B?"]
    assert [s.line for s in parsed.skipped] == [7]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file has no questions"),
        ("  \n\t\n\n", "the file has no questions"),
        ("// only\n// comments\n\n// here\n", "the file has no questions"),
        ("// categories only\n$CATEGORY: top/AWS\n\n$CATEGORY: top/Other\n", "the file has no questions"),
        (
            '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n<question type="multichoice"></question>\n</quiz>',
            "this looks like Moodle XML, not GIFT: choose the Moodle XML format",
        ),
        ("\n  <quiz>\n</quiz>", "this looks like Moodle XML, not GIFT: choose the Moodle XML format"),
    ],
)
def test_files_that_are_not_gift_questions_raise(text, message):
    with pytest.raises(FormatError) as error:
        gift.parse(text)
    assert error.value.message == message


def test_moodle_xml_with_a_byte_order_mark_is_refused():
    with pytest.raises(FormatError, match="Moodle XML"):
        gift.parse("\ufeff<?xml version='1.0'?><quiz></quiz>")


# --- Writing and round trips ---------------------------------------------------------------------------

TRICKY = "Keys: a = b, c ~ d, #tag, {x} and a back\\slash"
STEM = "A company stores data: {raw} files.\n\nWhich option = best? Use # and ~ freely.\n- first point\n- second: point"
EXPLANATION = "Because a = b.\n\nAlso {braces}, #hash, ~tilde, colon: and \\ backslash."


def taxonomy(**overrides):
    values = {
        "task": "MLA-C01 1.1",
        "alt_task": "MLA-C02 1.2",
        "pillars": ["security", "cost-effectiveness"],
        "stage": "data_preparation",
        "services": ["Amazon SageMaker", "AWS Glue"],
        "difficulty": "hard",
        "teaches": ["feature store: online vs offline [store]"],
        "references": ["https://docs.aws.amazon.com/sagemaker/latest/dg/feature-store.html"],
    }
    return Taxonomy(**(values | overrides))


def round_trip_items():
    common = {"explanation": EXPLANATION, "taxonomy": taxonomy(), "tags": ["week 3", "odd]tag"]}
    return [
        item(
            0,
            MC,
            STEM,
            [
                o("[html] is not a format here", "Why: " + TRICKY, correct=True),
                o("%50% is not a weight", "Multi-line\n\nexplanation = fine"),
                o(TRICKY, "{braced}"),
                o("Plain distractor", "#starts with a hash"),
            ],
            name="MC: one = correct",
            uid="mc-1",
            category="top/AWS/Domain 1",
            **common,
        ),
        item(
            0,
            MR,
            "Pick the right ones. (Select THREE.)\n\nSecond paragraph.",
            [o(f"Option {n} ~ {n}", f"Because {n} # {n}", correct=n < 3) for n in range(6)],
            name="MR three",
            uid="mr-3",
            category="top/AWS/Domain 1",
            **common,
        ),
        item(
            0,
            MR,
            "Pick two. (Select TWO.)",
            [o(f"Option {n}", f"Why {n}", correct=n in (1, 3)) for n in range(5)],
            name="MR two",
            uid="mr-2",
            category="top/AWS/Domain 2",
            **common,
        ),
        item(
            0,
            ORD,
            "Put the steps in order: first {to} last.",
            [
                o("Train = fit", "Training needs clean data.", position=3),
                o("Collect -> store", "Collection comes first.", position=1),
                o("Clean: dedupe", "Cleaning comes second.", position=2),
                o("Deploy #prod", "Deployment is last.", position=4),
            ],
            name="Order",
            uid="ord-1",
            category="top/AWS/Domain 2",
            **common,
        ),
        item(
            0,
            MAT,
            "Match each service to its job.",
            [
                o("Amazon SageMaker", "Trains = builds models.", prompt="Train a model: {fit}"),
                o("AWS Glue", "Runs ETL jobs.", prompt="Transform -> load data"),
                o("Amazon S3", "Stores objects ~ files.", prompt="Store #raw data"),
                o("Amazon Kinesis", "Streams data in real time."),  # extra option: matches no prompt
            ],
            name="Match",
            uid="mat-1",
            category="top/AWS/Domain 2",
            **common,
        ),
    ]


def round_trip_case():
    case = Case(
        uid="retail",
        title="Retail: demand {forecasting}",
        scenario="A retailer = many stores.\n\nData: sales #, weather ~ daily, and a \\ path.",
    )
    questions = [
        item(
            0,
            MC,
            f"Case question {n}: which = best?",
            [o(f"Answer {k}", f"Why {k}", correct=k == n) for k in range(4)],
            name=f"Retail {n}",
            uid=f"retail-{n}",
            explanation="Shared case: {ok}.",
            category="top/AWS/Cases",
            taxonomy=taxonomy(),
            case_uid="retail",
            case_order=n,
        )
        for n in (1, 2)
    ]
    return case, questions


def without_line(parsed_or_items):
    return [dataclasses.replace(x, line=0) for x in parsed_or_items]


def test_round_trip_every_type_and_a_case_study():
    items = round_trip_items()
    case, case_items = round_trip_case()
    everything = [*items[:2], *case_items, *items[2:]]

    written = gift.write(everything, [case])
    parsed = gift.parse(written)

    assert parsed.problems == []
    assert parsed.skipped == []
    assert without_line(parsed.items) == everything
    assert without_line(parsed.cases) == [case]


def test_written_file_is_the_gift_moodle_reads():
    items = round_trip_items()
    case, case_items = round_trip_case()
    written = gift.write([*items, *case_items], [case])
    lines = written.split("\n")

    assert lines[:2] == ["$CATEGORY: top/AWS/Domain 1", ""]
    assert lines[2].startswith(
        "// [id:mc-1] [tag:mlaexam:task=MLA-C01 1.1] [tag:mlaexam:alt=MLA-C02 1.2] [tag:mlaexam:pillar=security] "
    )
    assert "[tag:mlaexam:teaches=feature store: online vs offline [store\\]]" in lines[2]
    assert lines[2].endswith("[tag:week 3] [tag:odd\\]tag]")
    assert lines[3] == (
        "::MC\\: one \\= correct::[plain]A company stores data\\: \\{raw\\} files.\\n\\nWhich option \\= best? "
        "Use \\# and ~ freely.\\n- first point\\n- second\\: point{".replace("~", "\\~")
    )
    assert (
        "\t=[plain][html] is not a format here#Why\\: Keys\\: a \\= b, c \\~ d, \\#tag, \\{x\\} and a back\\\\slash"
        in (lines)
    )
    assert "\t~[plain]%50% is not a weight#Multi-line\\n\\nexplanation \\= fine" in lines
    assert "\t~%33.33333%Option 0 \\~ 0#Because 0 \\# 0" in lines
    assert "\t~%-100%Option 5 \\~ 5#Because 5 \\# 5" in lines
    assert "\t~%50%Option 1#Why 1" in lines
    assert "\t=Collect -> store -> 1" not in lines  # a prompt with "->" cannot be written as is
    assert "\t=[html]Collect -&gt; store -> 1" in lines
    assert "\t= -> Amazon Kinesis" in lines
    assert "\t####Because a \\= b.\\n\\nAlso \\{braces\\}, \\#hash, \\~tilde, colon\\: and \\\\ backslash." in lines
    assert "// [id:case:retail]" in lines
    assert (
        "::Retail\\: demand \\{forecasting\\}::[plain]A retailer \\= many stores.\\n\\nData\\: sales \\#, " in written
    )
    # The case's scenario comes right before its first question, after that question's category.
    assert written.index("$CATEGORY: top/AWS/Cases") < written.index("// [id:case:retail]")
    assert written.index("// [id:case:retail]") < written.index("// [id:retail-1]")
    assert "[tag:mlaexam:type=ordering]" in written
    # Questions are separated by exactly one blank line and never contain one.
    assert len(question_lines(written)) == len(items) + len(case_items) + 1 + 3  # + case + three $CATEGORY


def test_round_trip_details():
    # An unnamed question is named by its uid (Moodle needs a name); without a uid it stays unnamed.
    unnamed = item(0, MC, "Q?", [o("a", correct=True), o("b")], uid="u-1")
    anonymous = item(0, MC, "Q?", [o("a", correct=True), o("b")])
    parsed = gift.parse(gift.write([unnamed, anonymous], []))
    assert [(i.name, i.uid) for i in parsed.items] == [("u-1", "u-1"), ("", "")]

    # A single correct answer in multiple response weighs 100%; a case no question uses is still written.
    single = item(0, MR, "Q? (Select ONE.)", [o("a", "x", correct=True), o("b", "y"), o("c", "z")], name="one")
    lonely = Case(uid="lonely", title="", scenario="Nobody refers to me.")
    written = gift.write([single], [lonely])
    assert "\t~%100%a#x" in written
    parsed = gift.parse(written)
    assert without_line(parsed.items) == [single]
    assert without_line(parsed.cases) == [lonely]

    # Matching and ordering without option explanations write no explanations block.
    plain = item(0, MAT, "M", [o("1", prompt="a"), o("2", prompt="b"), o("3", prompt="c")], explanation="E")
    written = gift.write([plain], [])
    assert "Why each answer" not in written
    assert without_line(gift.parse(written).items) == [plain]
