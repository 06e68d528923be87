"""factory_boy factories for the question bank. Valid by default, for every question type."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from questions.models import Option, Pillar, Question, TaskStatement
from questions.services import question_version_sync

DOC = "https://docs.aws.amazon.com/sagemaker/latest/dg/whatis.html"


def task(ref: str = "MLA-C01 1.1") -> TaskStatement:
    exam, code = ref.split()
    return TaskStatement.objects.get(domain__exam__code=exam, code=code)


def options_for(qtype: str) -> list[dict]:
    """A valid set of options for each type."""
    if qtype == Question.Type.MULTIPLE_CHOICE:
        return [{"text": f"Choice {i}", "explanation": f"Why choice {i}", "is_correct": i == 1} for i in range(1, 5)]
    if qtype == Question.Type.MULTIPLE_RESPONSE:
        return [
            {"text": f"Response {i}", "explanation": f"Why response {i}", "is_correct": i <= 2} for i in range(1, 6)
        ]
    if qtype == Question.Type.ORDERING:
        return [{"text": f"Step {i}", "explanation": f"Step {i} comes {i}", "position": i} for i in range(1, 5)]
    return [
        {"text": "Amazon SageMaker Model Monitor", "explanation": "Detects drift", "prompt": "Data drift"},
        {"text": "Amazon CloudWatch", "explanation": "Infrastructure metrics", "prompt": "CPU utilisation"},
        {"text": "AWS CloudTrail", "explanation": "API audit", "prompt": "Who called DeleteEndpoint"},
        {"text": "AWS X-Ray", "explanation": "Traces requests; matches no prompt here"},
    ]


STEMS = {
    Question.Type.MULTIPLE_CHOICE: "A retailer wants X at the lowest cost. Which solution meets this?",
    Question.Type.MULTIPLE_RESPONSE: "A bank needs Y. Which actions meet this? (Select TWO.)",
    Question.Type.ORDERING: "Put the steps of the workflow in order.",
    Question.Type.MATCHING: "Match each need to the service that meets it.",
}


class QuestionFactory(DjangoModelFactory):
    class Meta:
        model = Question
        skip_postgeneration_save = True

    uid = factory.Sequence(lambda n: f"test-q-{n}")
    type = Question.Type.MULTIPLE_CHOICE
    stem = factory.LazyAttribute(lambda o: STEMS[o.type])
    task_statement = factory.LazyFunction(task)
    stage = Question.Stage.DATA_PREPARATION
    difficulty = Question.Difficulty.MEDIUM
    explanation = "The principle this question teaches."
    references = factory.LazyFunction(lambda: [DOC])
    status = Question.Status.PUBLISHED

    @factory.post_generation
    def pillars(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        if create:
            self.pillars.set(Pillar.objects.filter(slug__in=extracted or ["security"]))

    @factory.post_generation
    def options(self, create: bool, extracted: list[dict] | None, **kwargs: object) -> None:
        if create:
            specs = extracted if extracted is not None else options_for(self.type)
            Option.objects.bulk_create(
                [Option(question=self, order=i, **spec) for i, spec in enumerate(specs, start=1)]
            )

    @factory.post_generation
    def versioned(self, create: bool, extracted: object, **kwargs: object) -> None:
        """Published questions have their version recorded, as the admin and the loader do."""
        if create:
            question_version_sync(question=self, source="admin")
