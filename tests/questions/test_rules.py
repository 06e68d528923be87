"""Every validation rule, with a passing and a failing case: the pure rules and full_clean."""

import pytest
from django.core.exceptions import ValidationError

from questions import rules
from questions.models import Option, Question
from tests.factories import DOC, QuestionFactory, options_for, task

MC, MR, ORD, MAT = rules.MULTIPLE_CHOICE, rules.MULTIPLE_RESPONSE, rules.ORDERING, rules.MATCHING


def data(qtype=MC, **overrides):
    stems = {MC: "Which one?", MR: "Which ones? (Select TWO.)", ORD: "Order these.", MAT: "Match these."}
    values = {
        "type": qtype,
        "stem": stems[qtype],
        "explanation": "Because.",
        "status": "published",
        "references": [DOC],
        "pillars": ["security"],
        "options": [rules.OptionData(**o) for o in options_for(qtype)],
    }
    values.update(overrides)
    return rules.QuestionData(**values)


def messages(q):
    return [str(p) for p in rules.question_problems(q)]


@pytest.mark.parametrize("qtype", [MC, MR, ORD, MAT])
def test_a_valid_question_of_each_type_has_no_problems(qtype):
    assert messages(data(qtype)) == []


def opt(text="x", explanation="why", **kw):
    return rules.OptionData(text=text, explanation=explanation, **kw)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # multiple choice: exactly 1 correct of 4
        (
            data(MC, options=[opt(is_correct=True), opt(), opt()]),
            "options: multiple choice needs exactly 1 correct of 4 options (has 1 correct of 3)",
        ),
        (data(MC, options=[opt(is_correct=True), opt(is_correct=True), opt(), opt()]), "(has 2 correct of 4)"),
        (data(MC, options=[opt(), opt(), opt(), opt()]), "(has 0 correct of 4)"),
        # multiple response: 2+ correct of 5+, at least one distractor, and the stem says how many
        (
            data(MR, options=[opt(is_correct=True), opt(is_correct=True), opt(), opt()]),
            "multiple response needs 2 or more correct of 5 or more options",
        ),
        (
            data(MR, stem="Which? (Select TWO.)", options=[opt(is_correct=True)] + [opt() for _ in range(4)]),
            "(has 1 correct of 5)",
        ),
        (
            data(MR, stem="Which? (Select TWO.)", options=[opt(is_correct=True) for _ in range(5)]),
            "at least one distractor",
        ),
        (data(MR, stem="Which ones apply?"), "stem: a multiple-response stem must say how many to choose"),
        (data(MR, stem="Which ones? (Select THREE.)"), "stem: the stem says to choose 3 but 2 options are correct"),
        # ordering: 3-5 items, positions 1..n
        (data(ORD, options=[opt(position=1), opt(position=2)]), "options: ordering needs 3 to 5 items (has 2)"),
        (data(ORD, options=[opt(position=i) for i in range(1, 7)]), "ordering needs 3 to 5 items (has 6)"),
        (
            data(ORD, options=[opt(position=1), opt(position=1), opt(position=3)]),
            "ordering positions must be 1 to 3, each used once",
        ),
        (
            data(ORD, options=[opt(position=1), opt(position=2), opt(position=3, is_correct=True)]),
            "ordering items are not marked correct",
        ),
        # matching: 3-7 distinct prompts
        (data(MAT, options=[opt(prompt="a"), opt(prompt="b")]), "options: matching needs 3 to 7 prompts (has 2)"),
        (data(MAT, options=[opt(prompt=str(i)) for i in range(8)]), "matching needs 3 to 7 prompts (has 8)"),
        (data(MAT, options=[opt(prompt="a"), opt(prompt="a"), opt(prompt="b")]), "matching prompts must be distinct"),
        (
            data(MAT, options=[opt(prompt="a"), opt(prompt="b"), opt(prompt="c", is_correct=True)]),
            "matching options are not marked correct",
        ),
        # fields that belong to other types
        (
            data(MC, options=[opt(is_correct=True, position=1), opt(), opt(), opt()]),
            "only ordering items have positions",
        ),
        (
            data(MC, options=[opt(is_correct=True, prompt="p"), opt(), opt(), opt()]),
            "only matching options have prompts",
        ),
        # every option explained, every option has text
        (
            data(MC, options=[opt(is_correct=True), opt(explanation=" "), opt(), opt()]),
            "options: option 2 has no explanation; every option must be explained",
        ),
        (data(MC, options=[opt(is_correct=True), opt(), opt(text=""), opt()]), "options: option 3 has no text"),
        # the question's own fields
        (data(MC, stem="  "), "stem: every question needs a stem"),
        (data(MC, explanation=""), "explanation: every question needs an overall explanation"),
        (data(MC, pillars=[]), "pillars: choose at least one pillar"),
        (data(MC, references=[]), "references: a published question needs at least one AWS documentation reference"),
        (data(MC, references=["http://docs.aws.amazon.com/x"]), "must be an https:// URL"),
        (data(MC, references=["https://example.com/aws"]), "must be an AWS documentation page"),
        (data(MC, type="essay"), "type: unknown type 'essay'"),
    ],
)
def test_each_rule_names_the_field_and_the_rule(question, expected):
    found = messages(question)
    assert any(expected in m for m in found), found


def test_a_draft_may_lack_a_reference_but_not_a_published_question():
    assert messages(data(MC, status="draft", references=[])) == []
    assert messages(data(MC, status="published", references=[])) != []


def test_matching_allows_extra_answers_without_prompt():
    q = data(MAT, options=[opt(prompt="a"), opt(prompt="b"), opt(prompt="c"), opt(), opt()])
    assert messages(q) == []


@pytest.mark.parametrize(
    ("stem", "count"),
    [("(Select TWO.)", 2), ("(Choose three)", 3), ("(select 2)", 2), ("Pick some", None), ("(Select FIVE.)", 5)],
)
def test_stated_choose_count(stem, count):
    assert rules.stated_choose_count(stem) == count


def test_content_fingerprint_changes_with_the_key_only_when_content_changes():
    a = rules.question_content(data(MC))
    b = rules.question_content(data(MC))
    assert rules.content_fingerprint(a) == rules.content_fingerprint(b)
    b["options"][0]["is_correct"], b["options"][1]["is_correct"] = False, True
    assert rules.content_fingerprint(a) != rules.content_fingerprint(b)


# --- The same rules through the model layer (full_clean) ------------------------------------------


@pytest.mark.django_db
def test_full_clean_applies_the_question_rules(catalog):
    question = Question(
        uid="clean-me",
        type=Question.Type.MULTIPLE_CHOICE,
        stem="",
        task_statement=task(),
        stage=Question.Stage.DATA_PREPARATION,
        explanation="",
        references=[],
        status=Question.Status.PUBLISHED,
    )
    with pytest.raises(ValidationError) as err:
        question.full_clean()
    errors = err.value.message_dict
    assert "every question needs a stem" in " ".join(errors["stem"])
    assert "every question needs an overall explanation" in " ".join(errors["explanation"])
    assert "a published question needs at least one AWS documentation reference" in " ".join(errors["references"])
    question.stem, question.explanation, question.references = "Which?", "Because.", [DOC]
    question.full_clean()  # now valid


@pytest.mark.django_db
def test_full_clean_requires_stage_and_task_statement_to_publish_not_in_a_draft(catalog):
    question = Question(uid="no-taxonomy", type="multiple_choice", stem="Which?", status="published")
    with pytest.raises(ValidationError) as err:
        question.full_clean()
    assert err.value.message_dict["task_statement"] == ["every question needs a task statement"]
    assert err.value.message_dict["stage"] == ["every question needs exactly one lifecycle stage"]
    assert err.value.message_dict["explanation"] == ["every question needs an overall explanation"]
    question.status = "draft"
    question.full_clean()  # work in progress (or just imported): its taxonomy can come later


def test_a_draft_is_checked_for_structure_and_told_what_publishing_needs():
    three = [rules.OptionData("A", ""), rules.OptionData("B", "", is_correct=True), rules.OptionData("C", "")]
    draft = data(MC, status="draft", explanation="", references=[], pillars=[], options=three)
    assert messages(draft) == []
    todo = [str(p) for p in rules.publish_todo(draft)]
    assert todo == [
        "explanation: every question needs an overall explanation",
        "references: a published question needs at least one AWS documentation reference",
        "options: option 1 has no explanation; every option must be explained",
        "options: option 2 has no explanation; every option must be explained",
        "options: option 3 has no explanation; every option must be explained",
        "options: multiple choice needs exactly 1 correct of 4 options (has 1 correct of 3)",
        "pillars: choose at least one pillar (scalability, cost-effectiveness, security)",
    ]
    # Structure is checked even in a draft: options need text, a choice question a key.
    broken = data(MC, status="draft", options=[rules.OptionData("", "why"), rules.OptionData("B", "why")])
    assert messages(broken) == [
        "options: option 1 has no text",
        "options: multiple choice needs exactly 1 correct of 4 options (has 0 correct of 2)",
    ]
    assert messages(data(MC, status="draft", options=[rules.OptionData("A", "", is_correct=True)])) == [
        "options: a question needs at least 2 options (has 1)"
    ]


@pytest.mark.django_db
def test_full_clean_checks_the_mapped_task_statement(catalog):
    question = QuestionFactory.build(task_statement=task("MLA-C01 1.1"), alt_task_statement=task("MLA-C01 1.2"))
    with pytest.raises(ValidationError, match="must belong to another exam"):
        question.full_clean()
    question.alt_task_statement = task("MLA-C02 1.1")
    question.full_clean()
    question.type = Question.Type.ORDERING
    with pytest.raises(ValidationError, match="MLA-C02 does not use ordering questions"):
        question.full_clean()


@pytest.mark.django_db
def test_full_clean_checks_case_order(catalog):
    question = QuestionFactory.build(case_order=2)
    with pytest.raises(ValidationError, match="only questions in a case study have a case order"):
        question.full_clean()


@pytest.mark.django_db
def test_option_full_clean_requires_text_and_leaves_the_explanation_to_publishing(catalog):
    option = Option(text="", explanation="")
    with pytest.raises(ValidationError) as err:
        option.full_clean(exclude=["question"])
    assert err.value.message_dict == {"text": ["an option needs text"]}
    # A published question's options are all explained (rules.option_problems, the admin, publishing).
