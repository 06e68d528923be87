"""Synthetic banks for benchmarks: N published questions spread over the blueprint, fast (bulk inserts)."""

from __future__ import annotations

import itertools


def seed_bank(total: int, *, exam_code: str = "MLA-C01", prefix: str = "bench") -> int:
    """Create ``total`` published questions (all four types, a case study every 50) unless present."""
    from questions import rules
    from questions.models import Case, Option, Pillar, Question, QuestionVersion, Service, TaskStatement
    from questions.services import blueprints_load

    blueprints_load()
    if QuestionVersion.objects.filter(question__uid__startswith=f"{prefix}-").count() == total:
        return total
    from exams.models import Attempt

    Attempt.objects.all().delete()
    Question.objects.filter(uid__startswith=f"{prefix}-").delete()
    Case.objects.filter(uid__startswith=f"{prefix}-").delete()
    tasks = list(TaskStatement.objects.filter(domain__exam__code=exam_code).select_related("domain"))
    weights = {1: 28, 2: 26, 3: 22, 4: 24}
    plan = [t for t in tasks for _ in range(weights[t.domain.number])]
    types = itertools.cycle(["multiple_choice"] * 3 + ["multiple_response", "ordering", "matching"])
    stages = ["data_preparation", "model_training", "model_deployment", "monitoring_operations"]
    ref = ["https://docs.aws.amazon.com/sagemaker/latest/dg/whatis.html"]
    questions, cases = [], {}
    for i in range(total):
        ts = plan[i % len(plan)]
        qtype = next(types)
        case = None
        if i % 50 == 0 and qtype == "multiple_choice":
            case = Case.objects.create(uid=f"{prefix}-case-{i}", title=f"Case {i}", scenario="A shared scenario. " * 20)
            cases[i] = case
        questions.append(
            Question(
                uid=f"{prefix}-{i}",
                type=qtype,
                stem=f"Question {i}: an organisation needs something under a constraint. " * 4
                + ("(Select TWO.)" if qtype == "multiple_response" else ""),
                task_statement=ts,
                stage=stages[ts.domain.number - 1],
                difficulty=["easy", "medium", "medium", "hard"][i % 4],
                explanation="Why the key is right. " * 10,
                references=ref,
                status="published",
                content_hash="bench",
            )
        )
    Question.objects.bulk_create(questions, batch_size=500)
    created = list(Question.objects.filter(uid__startswith=f"{prefix}-").order_by("pk"))
    options = []
    for q in created:
        if q.type == "multiple_choice":
            specs = [{"is_correct": j == 0} for j in range(4)]
        elif q.type == "multiple_response":
            specs = [{"is_correct": j < 2} for j in range(5)]
        elif q.type == "ordering":
            specs = [{"position": j + 1} for j in range(4)]
        else:
            specs = [{"prompt": f"Prompt {j}"} for j in range(3)] + [{}]
        for j, spec in enumerate(specs):
            options.append(
                Option(
                    question=q,
                    order=j + 1,
                    text=f"Option {j} of {q.uid}, a plausible service choice",
                    explanation="Why this option is right or wrong here. " * 5,
                    **spec,
                )
            )
    Option.objects.bulk_create(options, batch_size=2000)
    by_question: dict[int, list[Option]] = {}
    for option in options:
        by_question.setdefault(option.question_id, []).append(option)
    versions = []
    for q in created:
        content = rules.question_content(q.as_rule_data(options=[o.as_rule_data() for o in by_question[q.pk]]))
        versions.append(
            QuestionVersion(
                question=q, version=1, content=content, content_hash=rules.content_fingerprint(content), source="bench"
            )
        )
    QuestionVersion.objects.bulk_create(versions, batch_size=500)
    pillars = list(Pillar.objects.all())
    s3 = Service.objects.get(name="Amazon S3")
    Question.pillars.through.objects.bulk_create(
        [Question.pillars.through(question_id=q.pk, pillar_id=pillars[q.pk % 3].pk) for q in created], batch_size=2000
    )
    Question.services.through.objects.bulk_create(
        [Question.services.through(question_id=q.pk, service_id=s3.pk) for q in created], batch_size=2000
    )
    return total
