"""manage.py loadbank and checkbank on small bank directories written by the tests."""

import textwrap
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from questions.models import Case, Question, QuestionVersion
from questions.services import bank_load

pytestmark = pytest.mark.django_db

REF = "https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor.html"


# Distinct wording per question: the bank checker refuses near-duplicate stems and option sets.
VARIANTS = [
    (
        "A team needs drift alerts. Which service fits?",
        ["SageMaker Model Monitor", "Amazon CloudWatch alone", "AWS CloudTrail", "AWS X-Ray"],
    ),
    (
        "A retailer must store nightly sales extracts cheaply for years of audits. Where?",
        ["S3 Glacier Deep Archive", "Amazon EBS gp3 volumes", "Amazon EFS Standard", "Amazon RDS snapshots"],
    ),
    (
        "A broadcaster wants subtitles for its archive in five languages. Which services?",
        ["Amazon Transcribe then Amazon Translate", "Amazon Polly", "Amazon Lex bots", "Amazon Kendra search"],
    ),
    (
        "A hospital wants chest X-ray labels drawn by its own radiologists. How?",
        ["A private Ground Truth workforce", "Mechanical Turk workers", "Rekognition custom labels", "Textract forms"],
    ),
]


def mc(uid, stem=None, extra="", variant=0):
    default_stem, texts = VARIANTS[variant]
    stem = stem or default_stem
    return textwrap.indent(
        textwrap.dedent(
            f"""\
            - uid: {uid}
              type: multiple_choice
              task: MLA-C01 4.1
              also: MLA-C02 4.1
              pillars: [scalability]
              stage: monitoring_operations
              services: [SageMaker Model Monitor, Amazon CloudWatch]
              difficulty: easy
              stem: {stem}
              options:
                - text: {texts[0]}
                  correct: true
                  why: It compares live data with a baseline.
                - text: {texts[1]}
                  why: Infrastructure metrics only.
                - text: {texts[2]}
                  why: Audits API calls, not data.
                - text: {texts[3]}
                  why: Traces requests.
              explanation: Drift is a data problem.
              references: [{REF}]
            """
        )
        + extra,
        "  ",
    )


ALL_TYPES = textwrap.dedent(
    f"""\
    cases:
      - uid: case-insurer
        title: An insurer's claims model
        scenario: An insurer scores claims in real time.
    questions:
      - uid: mr-one
        type: multiple_response
        task: MLA-C01 4.3
        pillars: [security]
        stage: monitoring_operations
        difficulty: medium
        case: case-insurer
        stem: Which controls keep training traffic private? (Select TWO.)
        options:
          - {{text: VPC endpoints, correct: true, why: Keeps traffic on the AWS network.}}
          - {{text: Inter-container traffic encryption, correct: true, why: Encrypts traffic between nodes.}}
          - {{text: A public subnet, why: Exposes the traffic.}}
          - {{text: A bigger instance, why: Unrelated to privacy.}}
          - {{text: CloudWatch alarms, why: They observe but do not protect.}}
        explanation: Network isolation and encryption in transit.
        references: [{REF}]
      - uid: order-one
        type: ordering
        task: MLA-C01 3.3
        pillars: [scalability]
        stage: model_deployment
        difficulty: hard
        case: case-insurer
        stem: Put the steps of a canary deployment in order.
        options:
          - {{text: Deploy the new variant, why: First.}}
          - {{text: Shift 10% of traffic, why: Second.}}
          - {{text: Watch the alarms, why: Third.}}
          - {{text: Shift the rest, why: Last.}}
        explanation: Canary shifts a slice first.
        references: [{REF}]
      - uid: match-one
        type: matching
        task: MLA-C01 4.2
        pillars: [cost-effectiveness]
        stage: monitoring_operations
        difficulty: easy
        stem: Match each need to a tool.
        options:
          - {{prompt: Trace a request, text: AWS X-Ray, why: Tracing.}}
          - {{prompt: Audit API calls, text: AWS CloudTrail, why: Audit.}}
          - {{prompt: Query logs, text: CloudWatch Logs Insights, why: Log queries.}}
          - {{text: AWS Budgets, why: Spending alerts; matches no prompt.}}
        explanation: Each tool has its job.
        references: [{REF}]
    """
)


@pytest.fixture
def bank(tmp_path):
    (tmp_path / "monitoring").mkdir()
    (tmp_path / "monitoring" / "drift.yaml").write_text("questions:\n" + mc("drift-one") + mc("drift-two", variant=1))
    (tmp_path / "mixed.yaml").write_text(ALL_TYPES)
    return tmp_path


def load(bank_dir, *extra):
    out, err = StringIO(), StringIO()
    call_command("loadbank", "--dir", str(bank_dir), *extra, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_loadbank_creates_every_type_and_twice_changes_nothing(bank):
    out, _ = load(bank)
    assert "2 file(s): created 5, updated 0, unchanged 0, retired 0" in out
    assert set(Question.objects.values_list("uid", "type")) == {
        ("drift-one", "multiple_choice"),
        ("drift-two", "multiple_choice"),
        ("mr-one", "multiple_response"),
        ("order-one", "ordering"),
        ("match-one", "matching"),
    }
    drift = Question.objects.get(uid="drift-one")
    assert drift.source_file == "monitoring/drift.yaml"
    assert str(drift.task_statement) == "MLA-C01 4.1 Monitor model inference"
    assert drift.alt_task_statement.domain.exam.code == "MLA-C02"
    assert sorted(drift.services.values_list("name", flat=True)) == ["Amazon CloudWatch", "SageMaker Model Monitor"]
    assert [o.is_correct for o in drift.options.all()] == [True, False, False, False]
    order = Question.objects.get(uid="order-one")
    first = order.options.first()
    assert (first.text, first.position) == ("Deploy the new variant", 1)
    match = Question.objects.get(uid="match-one")
    assert [o.prompt for o in match.options.all()] == ["Trace a request", "Audit API calls", "Query logs", ""]
    case = Case.objects.get(uid="case-insurer")
    assert list(case.questions.order_by("case_order").values_list("uid", "case_order")) == [
        ("mr-one", 1),
        ("order-one", 2),
    ]
    assert QuestionVersion.objects.count() == 5  # each published question records version 1

    snapshot = list(Question.objects.order_by("uid").values_list("uid", "updated_at", "version"))
    option_ids = list(drift.options.values_list("pk", flat=True))
    out, _ = load(bank)
    assert "created 0, updated 0, unchanged 5, retired 0" in out
    assert list(Question.objects.order_by("uid").values_list("uid", "updated_at", "version")) == snapshot
    assert list(drift.options.values_list("pk", flat=True)) == option_ids
    assert QuestionVersion.objects.count() == 5


def test_a_question_removed_from_the_files_is_retired_not_deleted(bank):
    load(bank)
    (bank / "monitoring" / "drift.yaml").write_text("questions:\n" + mc("drift-one"))
    out, _ = load(bank)
    assert "retired 1" in out and "retired drift-two" in out
    assert Question.objects.get(uid="drift-two").status == "retired"
    (bank / "mixed.yaml").unlink()
    load(bank)
    assert set(Question.objects.filter(status="retired").values_list("uid", flat=True)) == {
        "drift-two",
        "mr-one",
        "order-one",
        "match-one",
    }
    assert Question.objects.count() == 5


def test_a_file_with_an_invalid_question_loads_nothing_and_reports_file_and_line(bank):
    broken = (
        "questions:\n" + mc("good-one", variant=3) + mc("bad-one", variant=2).replace("correct: true", "correct: false")
    )
    broken = broken.replace(
        "services: [SageMaker Model Monitor, Amazon CloudWatch]", "services: [Amazon Watchtower]", 1
    )
    (bank / "broken.yaml").write_text(broken)
    with pytest.raises(CommandError, match=r"2 problem\(s\); nothing was loaded from broken.yaml"):
        load(bank)
    # the other files loaded; nothing at all from the broken one
    assert set(Question.objects.values_list("uid", flat=True)) == {
        "drift-one",
        "drift-two",
        "mr-one",
        "order-one",
        "match-one",
    }


def test_problems_are_reported_as_file_line_message(bank):
    text = (
        "questions:\n" + mc("good-one", variant=3) + mc("bad-one", variant=2).replace("correct: true", "correct: false")
    )
    text = text.replace("services: [SageMaker Model Monitor, Amazon CloudWatch]", "services: [Amazon Watchtower]", 1)
    (bank / "broken.yaml").write_text(text)
    report = bank_load(bank_dir=bank)
    lines = text.splitlines()
    messages = [str(p) for p in report.problems]
    service_line = next(i for i, line in enumerate(lines, 1) if "Amazon Watchtower" in line)
    options_line = [i for i, line in enumerate(lines, 1) if line.strip() == "options:"][1]
    assert any(
        m.endswith(
            f"broken.yaml:{service_line}: question good-one: service 'Amazon Watchtower' is not in "
            "questions/blueprints/services.yaml"
        )
        for m in messages
    ), messages
    assert any(
        m.endswith(
            f"broken.yaml:{options_line}: question bad-one: options: multiple choice needs exactly "
            "1 correct of 4 options (has 0 correct of 4)"
        )
        for m in messages
    ), messages
    assert report.failed_files == ["broken.yaml"]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("questions:\n  - uid: x\n    type: [unclosed\n", 4, "not valid YAML"),
        ("", 1, "the file is empty"),
        ("- just a list\n", 1, "a bank file is a mapping"),
        ("questions:\n  - uid: dup\n    uid: dup\n", 3, "duplicate key 'uid'"),
        ("questions:\n" + mc("typo", extra="  difficullty: hard\n"), 23, "unknown field 'difficullty'"),
        ("questions:\n" + mc("t").replace("MLA-C01 4.1", "MLA-C01 9.9"), 4, "unknown task statement 'MLA-C01 9.9'"),
        ("questions:\n" + mc("p").replace("[scalability]", "[speed]"), 6, "unknown pillar 'speed'"),
        ("questions:\n" + mc("s").replace("monitoring_operations", "monitoring"), 7, "unknown stage 'monitoring'"),
        ("questions:\n" + mc("bad uid"), 2, "uid may use only letters, digits"),
        ("questions:\n" + mc("c", extra="  case: nowhere\n"), 23, "no case study with uid 'nowhere'"),
        (ALL_TYPES.replace("    case: case-insurer\n", "", 1), 2, "a case study has 2 to 4 questions (has 1)"),
        (
            "questions:\n" + mc("d", stem="Which? (Select TWO.)").replace("type: multiple_choice", "type: essay"),
            3,
            "unknown type 'essay'",
        ),
    ],
)
def test_each_kind_of_file_problem_is_located(tmp_path, text, line, message):
    (tmp_path / "f.yaml").write_text(text)
    report = bank_load(bank_dir=tmp_path)
    found = [str(p) for p in report.problems]
    assert any(f"f.yaml:{line}: " in m and message in m for m in found), found
    assert Question.objects.count() == 0


def test_a_uid_used_twice_across_files_is_refused(bank):
    (bank / "again.yaml").write_text("questions:\n" + mc("drift-one"))
    report = bank_load(bank_dir=bank)
    messages = [str(p) for p in report.problems]
    assert any(
        m.endswith("drift.yaml:2: question drift-one: uid already used in " + str(bank / "again.yaml"))
        for m in messages
    ), messages


def test_a_failed_file_does_not_retire_its_questions(bank):
    load(bank)
    (bank / "monitoring" / "drift.yaml").write_text("questions:\n  - uid: [broken\n")
    with pytest.raises(CommandError):
        load(bank)
    assert Question.objects.get(uid="drift-one").status == "published"


def test_editing_content_of_a_published_question_raises_its_version(bank):
    load(bank)
    drift = bank / "monitoring" / "drift.yaml"
    drift.write_text(drift.read_text().replace("Drift is a data problem.", "Drift is about data, not hosts.", 1))
    out, _ = load(bank)
    assert "updated 1" in out
    question = Question.objects.get(uid="drift-one")
    assert question.version == 2
    assert list(question.versions.values_list("version", "source")) == [(1, "bank"), (2, "bank")]
    assert question.versions.get(version=1).content["explanation"] == "Drift is a data problem."
    # the key moving to another option is a new version too
    text = drift.read_text().replace("        correct: true\n", "", 1)
    drift.write_text(text.replace("        why: Audits", "        correct: true\n        why: Audits", 1))
    load(bank)
    assert Question.objects.get(uid="drift-one").version == 3
    # taxonomy is not content: changing difficulty updates the row but not the version
    drift.write_text(drift.read_text().replace("difficulty: easy", "difficulty: hard", 1))
    out, _ = load(bank)
    assert "updated 1" in out
    assert Question.objects.get(uid="drift-one").version == 3


def test_reordering_a_case_study_reorders_its_questions(bank):
    load(bank)
    swapped = ALL_TYPES.replace("  - uid: mr-one", "  - uid: PLACEHOLDER").replace(
        "  - uid: order-one", "  - uid: mr-one"
    )
    swapped = swapped.replace("  - uid: PLACEHOLDER", "  - uid: order-one")
    # the uids swapped places; each keeps its own content, so swap the type back too
    (bank / "mixed.yaml").write_text(swapped)
    report = bank_load(bank_dir=bank)
    assert report.ok, report.problems
    case = Case.objects.get(uid="case-insurer")
    assert list(case.questions.order_by("case_order").values_list("uid", flat=True)) == ["order-one", "mr-one"]


def test_dry_run_writes_nothing(bank):
    out, _ = load(bank, "--dry-run")
    assert "would be created 5" in out
    assert Question.objects.count() == 0


def test_checkbank_validates_without_writing_and_prints_coverage(bank):
    out = StringIO()
    call_command("checkbank", "--dir", str(bank), stdout=out)
    text = out.getvalue()
    assert "MLA-C01 AWS Certified Machine Learning Engineer - Associate: 5 published questions" in text
    assert "4 ML Solution Monitoring, Maintenance, and Security" in text
    assert "OK: 5 question(s) in 2 file(s), no problems" in text
    assert Question.objects.count() == 0
    (bank / "bad.yaml").write_text("questions:\n" + mc("x").replace("[scalability]", "[]"))
    err = StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("checkbank", "--dir", str(bank), stdout=StringIO(), stderr=err)
    assert "bad.yaml:6: question x: missing required field 'pillars'" in err.getvalue()


def test_rewriting_a_case_scenario_gives_its_questions_a_new_version(bank):
    load(bank)
    mixed = bank / "mixed.yaml"
    mixed.write_text(
        mixed.read_text().replace("An insurer scores claims in real time.", "An insurer scores claims hourly.")
    )
    out, _ = load(bank)
    assert "updated 2" in out  # the case's two questions; the third question of the file is unchanged
    for uid in ("mr-one", "order-one"):
        question = Question.objects.get(uid=uid)
        assert question.version == 2
        assert question.versions.get(version=2).content["case"]["scenario"] == "An insurer scores claims hourly."
        assert question.versions.get(version=1).content["case"]["scenario"] == "An insurer scores claims in real time."
    assert Question.objects.get(uid="match-one").version == 1


def test_checkbank_refuses_near_duplicates_retired_names_and_unknown_pairs(tmp_path):
    twin = mc("twin-one", stem="A bank needs drift alerts on its credit model. Which service fits best?")
    near = mc("twin-two", stem="A bank needs drift alerts on its credit model. Which service fits best here?")
    same_lesson = mc("twin-three", stem="An insurer wants to know when claim features shift away from training data.")
    retired = mc("old-name", stem="Records arrive through Kinesis Data Firehose. Which service spots drift?")
    unknown_pair = mc(
        "bad-pair", stem="A telecom watches churn drift. Which service helps?", extra="  teaches: [made-up]\n"
    )
    (tmp_path / "f.yaml").write_text("questions:\n" + twin + near + same_lesson + retired + unknown_pair)
    report = bank_load(bank_dir=tmp_path)
    messages = [str(p) for p in report.problems]
    assert any("question twin-two: its stem nearly repeats twin-one" in m for m in messages), messages
    assert any("question twin-three: its options and key nearly repeat" in m for m in messages), messages
    assert any("'Kinesis Data Firehose' is a retired name; use Amazon Data Firehose" in m for m in messages), messages
    assert any("unknown distractor pair 'made-up'" in m for m in messages), messages
    assert not Question.objects.exists()


def test_teaches_is_loaded_and_validated_in_the_model(bank):
    drift = bank / "monitoring" / "drift.yaml"
    drift.write_text(
        drift.read_text().replace("difficulty: easy", "difficulty: easy\n    teaches: [cloudwatch-vs-model-monitor]", 1)
    )
    load(bank)
    question = Question.objects.get(uid="drift-one")
    assert question.teaches == ["cloudwatch-vs-model-monitor"]
    question.teaches = ["no-such-pair"]
    with pytest.raises(ValidationError, match="unknown distractor pair 'no-such-pair'"):
        question.full_clean()
