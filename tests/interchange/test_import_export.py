"""Importing and exporting through the services, the commands and the admin, against the database:
the real Moodle files, round trips per format, all-or-nothing, and every kind of bad file."""

from __future__ import annotations

import os
import re
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.urls import reverse

from questions.interchange.services import FORMATS, questions_export, questions_import
from questions.models import Case, Option, Question, Service
from tests.factories import QuestionFactory, task

pytestmark = pytest.mark.django_db

# The real Moodle files, used as they are: beside the repository (../shared/fixtures), as on the
# development machines; MLAEXAM_FIXTURES points elsewhere.
FIXTURES = Path(os.environ.get("MLAEXAM_FIXTURES", Path(__file__).resolve().parents[3] / "shared" / "fixtures"))
FIXTURES = FIXTURES / "moodle" if (FIXTURES / "moodle").is_dir() else Path("/work/shared/fixtures/moodle")
EXAMPLES = (FIXTURES / "gift-examples.txt").read_bytes()
MIXED = (FIXTURES / "gift-mixed-types.txt").read_bytes()


def options_of(uid: str) -> list[tuple]:
    return list(
        Option.objects.filter(question__uid=uid)
        .order_by("order")
        .values_list("text", "is_correct", "position", "prompt", "explanation")
    )


def test_the_moodle_examples_import_as_drafts_and_every_unsupported_question_is_named(catalog):
    dry = questions_import(data=EXAMPLES, fmt="gift", dry_run=True)
    assert dry.problems == []
    assert Question.objects.count() == 0  # a dry run writes nothing
    report = questions_import(data=EXAMPLES, fmt="gift", source="gift-examples.txt")
    assert report.imported and report.problems == []
    assert [p.uid for p in report.planned] == [p.uid for p in dry.planned]
    assert Question.objects.count() == len(report.created) > 10
    assert set(Question.objects.values_list("status", flat=True)) == {"draft"}
    # Every unsupported question is reported with its line and kind.
    kinds = {re.match(r"(\d+): ([a-z/ ]+) question", s).groups() for s in report.skipped}
    assert ("12", "true/false") in kinds
    assert ("14", "short answer") in kinds
    assert ("16", "numerical") in kinds
    assert {k for _, k in kinds} == {"true/false", "short answer", "numerical"}
    assert len(report.skipped) == 22 and len(report.created) == 21
    # The first question: multiple choice with its key, missing an option and explanations for publishing.
    first = Question.objects.filter(stem="Who's buried in Grant's tomb?", options__text="Jefferson").first()
    assert first.type == "multiple_choice"
    assert [(t, c) for t, c, *_ in options_of(first.uid)] == [("Grant", False), ("Jefferson", False), ("no one", True)]
    # Per-answer feedback becomes the option's explanation.
    feedback = Question.objects.get(stem__startswith="What's the answer to this multiple-choice question?")
    assert [(t, c, e) for t, c, _, _, e in options_of(feedback.uid)] == [
        ("wrong answer", False, "feedback comment on the wrong answer"),
        ("another wrong answer", False, "feedback comment on this wrong answer"),
        ("right answer", True, "Very good!"),
    ]
    # Multiple answers with weights: the options with a positive weight are the correct set.
    both = Question.objects.filter(stem="What two people are entombed in Grant's tomb?", type="multiple_response")
    assert both.count() == 2
    for question in both:
        assert {t for t, c, *_ in options_of(question.uid) if c} == {"Grant", "Grant's wife"}
    # Matching.
    capitals = Question.objects.get(stem="Match the following countries with their corresponding capitals.",
                                    options__text="New Delhi")  # fmt: skip
    assert capitals.type == "matching"
    assert [(t, p) for t, _, _, p, _ in options_of(capitals.uid)] == [
        ("Ottawa", "Canada"), ("Rome", "Italy"), ("Tokyo", "Japan"), ("New Delhi", "India"),
    ]  # fmt: skip


def test_the_mixed_types_file_keeps_formats_extra_answers_and_weights(catalog):
    report = questions_import(data=MIXED, fmt="gift", source="gift-mixed-types.txt")
    assert report.imported and report.problems == []
    activities = Question.objects.get(uid="moodle-activities")
    assert activities.stem == "Match the activity to the description."  # [html] became clean text
    assert [(t, p) for t, _, _, p, _ in options_of(activities.uid)] == [
        ("Forum", "An activity supporting asynchronous discussions."),
        ("Choice", "A teacher asks a question and specifies a choice of multiple responses."),
        ("Database", "A bank of record entries which participants can add to."),
        ("Wiki", "A collection of web pages that anyone can add to or edit."),
        ("Chat", ""),  # an extra answer that matches no prompt
    ]
    colours = Question.objects.get(uid="colours")
    assert colours.type == "multiple_response"
    assert [(t, c) for t, c, *_ in options_of("colours")] == [
        ("yellow", True), ("red", False), ("off-beige", True), ("blue", False),
    ]  # fmt: skip
    assert [(t, c, e) for t, c, _, _, e in options_of("q2")] == [
        ("yellow", True, "right; good!"), ("red", False, "wrong, it's yellow"), ("blue", False, "wrong, it's yellow"),
    ]  # fmt: skip
    skipped = "\n".join(report.skipped)
    for kind in ("essay", "numerical", "short answer", "true/false"):
        assert kind in skipped


CHOICE = ("multiple_choice", "multiple_response")  # MLA-C02 uses only these


@pytest.fixture
def bank_questions(catalog):
    case = Case.objects.create(uid="case-lake", title="A retailer's lake", scenario="Scenario.\n\nSecond paragraph.")
    questions = [
        QuestionFactory(uid=f"rt-{qtype}", type=qtype, task_statement=task("MLA-C01 2.1"),
                        alt_task_statement=task("MLA-C02 2.1") if qtype in CHOICE else None,
                        stage="model_training", difficulty="hard", tags=["category:top/AWS/Domain 2", "week-3"])
        for qtype in ("multiple_choice", "multiple_response", "ordering", "matching")
    ] + [
        QuestionFactory(uid=f"rt-case-{n}", type="multiple_choice", case=case, case_order=n,
                        task_statement=task("MLA-C01 1.1"), stage="data_preparation")
        for n in (1, 2)
    ]  # fmt: skip
    for q in questions:
        q.services.set(Service.objects.filter(name__in=["Amazon S3", "Amazon Athena"]))
    return questions


def snapshot() -> list[tuple]:
    out = []
    for q in Question.objects.order_by("uid").prefetch_related("options", "pillars", "services"):
        out.append(
            (
                q.uid, q.type, q.stem, q.explanation, q.references, q.teaches, q.task_statement_id,
                q.alt_task_statement_id, q.stage, q.difficulty, q.case.uid if q.case else None, q.case_order,
                sorted(p.slug for p in q.pillars.all()), sorted(s.name for s in q.services.all()),
                list(q.tags),
                [(o.text, o.explanation, o.is_correct, o.position, o.prompt) for o in q.options.all()],
            )
        )  # fmt: skip
    return out


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_export_then_import_gives_back_the_same_questions(bank_questions, fmt):
    before = snapshot()
    content, extension, _ = questions_export(questions=Question.objects.all(), fmt=fmt)
    assert content and extension in (".gift.txt", ".xml", ".csv", ".yaml")
    Question.objects.all().delete()
    Case.objects.all().delete()
    report = questions_import(data=content, fmt=fmt)
    assert report.problems == [], report.problems
    assert report.imported and len(report.created) == 6
    after = snapshot()
    if fmt == "bank":  # the bank format has no free tags
        before = [(*row[:14], [], row[15]) for row in before]
    assert after == before
    assert set(Question.objects.values_list("status", flat=True)) == {"draft"}
    assert Case.objects.get(uid="case-lake").scenario == "Scenario.\n\nSecond paragraph."


MALFORMED = [
    ("gift", b"Who? {~a =b\n\nNext? {=c ~d}", "never closed"),
    ("gift", b"Who? ~a =b}", "'}'"),
    ("moodlexml", b"<?xml version='1.0'?><quiz><question type='multichoice'><name>", "not well-formed XML"),
    (
        "moodlexml",
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        b"<quiz><question type='multichoice'><questiontext><text>&lol2;</text></questiontext></question></quiz>",
        "entities",
    ),
    ("gift", bytes(range(256)) * 4, "not a text file"),
    ("csv", b"", "the file is empty"),
    ("gift", "Café? {~a =b ~c}".encode("latin-1"), "not UTF-8"),
    ("csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text file"),
    ("bank", b"questions: [unclosed", "not valid YAML"),
]


@pytest.mark.parametrize(("fmt", "data", "message"), MALFORMED)
def test_a_malformed_file_gets_a_clear_error_and_imports_nothing(catalog, fmt, data, message):
    report = questions_import(data=data, fmt=fmt)
    assert not report.imported
    assert report.problems and message in " ".join(report.problems), report.problems
    assert Question.objects.count() == 0


def test_one_bad_question_imports_nothing(catalog):
    data = b"::a:: Good? {~x =y ~z}\n\n::b:: Match? {=p -> q =r}\n\n::c:: Also good? {=1 ~2 ~3}\n"
    report = questions_import(data=data, fmt="gift")
    assert not report.imported and report.problems
    assert report.problems[0].startswith("3: ")
    assert Question.objects.count() == 0


def test_an_import_never_changes_a_published_question_but_updates_a_draft(catalog):
    QuestionFactory(uid="taken", stem="The published stem.", status="published")
    QuestionFactory(uid="wip", stem="Old draft stem.", status="draft")
    data = b"// [id:taken]\n::taken:: New stem? {=a ~b ~c}\n\n// [id:wip]\n::wip:: New draft stem? {=a ~b ~c}\n"
    report = questions_import(data=data, fmt="gift")
    assert report.imported
    assert [p.uid for p in report.updated] == ["wip"]
    assert report.skipped[0].startswith("2: taken is already published and was not changed")
    assert Question.objects.get(uid="taken").stem == "The published stem."
    assert Question.objects.get(uid="wip").stem == "New draft stem?"


def test_the_size_limit_is_enforced(catalog, settings):
    settings.QUESTION_IMPORT_MAX_BYTES = 100
    report = questions_import(data=EXAMPLES, fmt="gift")
    assert report.problems == [
        f"the file is {len(EXAMPLES):,} bytes; the limit is 100 bytes (QUESTION_IMPORT_MAX_BYTES). "
        "Split it into smaller files."
    ]


def test_unknown_taxonomy_values_are_problems_with_their_line(catalog):
    data = b"// [tag:mlaexam:task=MLA-C01 9.9] [tag:mlaexam:pillar=speed]\n::x:: Which? {=a ~b ~c ~d}\n"
    report = questions_import(data=data, fmt="gift")
    assert report.problems == [
        "2: x: unknown task statement 'MLA-C01 9.9'; write it as 'MLA-C01 1.1'",
        "2: x: unknown pillar 'speed'; use scalability, cost-effectiveness, security",
    ]


def test_the_commands_import_and_export(catalog, tmp_path):
    out = StringIO()
    call_command("importquestions", FIXTURES / "gift-mixed-types.txt", "--format", "gift", "--dry-run", stdout=out)
    assert "would be created" in out.getvalue() and Question.objects.count() == 0
    assert "skipped 2: essay question 'Q8' skipped" in out.getvalue()
    call_command("importquestions", FIXTURES / "gift-mixed-types.txt", "--format", "gift", stdout=StringIO())
    assert Question.objects.filter(uid="colours").exists()
    target = tmp_path / "out.xml"
    call_command("exportquestions", "--format", "moodlexml", "--output", str(target), stderr=StringIO())
    assert target.read_bytes().startswith(b"<?xml")
    bad = tmp_path / "bad.gift"
    bad.write_text("Broken? {~a =b")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("importquestions", bad, "--format", "gift", stdout=StringIO())
    with pytest.raises(CommandError, match="no such question"):
        call_command("exportquestions", "--format", "csv", "--uid", "nope", stdout=StringIO())


@pytest.fixture
def author_client(catalog, client):
    user = User.objects.create_user("author", password="pw-author-123", is_staff=True)
    user.groups.add(Group.objects.get(name="Authors"))
    client.force_login(user)
    return client


def test_the_admin_previews_then_imports(author_client):
    url = reverse("admin:questions_question_import")
    upload = StringIO(MIXED.decode())
    upload.name = "mixed.txt"
    response = author_client.post(url, {"file": upload, "format": "gift"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "would be created" in page and "Before publishing" in page and "skipped" in page
    assert Question.objects.count() == 0
    token = response.context["token"]
    response = author_client.post(url, {"confirm": token})
    assert response.status_code == 302 and response["Location"].endswith("?status__exact=draft")
    assert Question.objects.filter(uid="colours", status="draft").exists()
    # The change page lists what the draft still needs.
    colours = Question.objects.get(uid="colours")
    page = author_client.get(reverse("admin:questions_question_change", args=[colours.pk])).content.decode()
    assert "task_statement: choose the task statement it tests" in page
    # A tampered confirmation is refused.
    response = author_client.post(url, {"confirm": token[:-2] + "xx"}, follow=True)
    assert "That preview has expired or was changed" in response.content.decode()


def test_the_admin_refuses_a_bad_file_and_exports_each_format(author_client, bank_questions):
    url = reverse("admin:questions_question_import")
    upload = StringIO("Broken? {~a =b")
    upload.name = "broken.txt"
    response = author_client.post(url, {"file": upload, "format": "gift"})
    assert "nothing was imported" in response.content.decode()
    assert response.context["token"] is None
    changelist = reverse("admin:questions_question_changelist")
    ids = [str(q.pk) for q in bank_questions]
    for fmt in FORMATS:
        response = author_client.post(changelist, {"action": f"export_{fmt}", "_selected_action": ids})
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith('attachment; filename="mlaexam-questions-')
        assert b"rt-matching" in response.content


def test_a_learner_cannot_import(catalog, client):
    user = User.objects.create_user("learner", password="pw-learner-123")
    client.force_login(user)
    response = client.get(reverse("admin:questions_question_import"))
    assert response.status_code == 302  # to the admin's sign-in
